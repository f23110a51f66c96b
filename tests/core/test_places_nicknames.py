"""City nicknames (core.places_nicknames): each denotes exactly its city, none shadows a real place name."""
from __future__ import annotations

import pytest

from core.places import CITY, build_places, load_gazetteer
from core.places_nicknames import CITY_NICKNAMES
from core.textnorm import normalize


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(tmp_path_factory.mktemp("gaz"))


def test_every_key_is_a_city_of_the_data():
    cities = {(p.province, p.name) for p in build_places() if p.level == CITY}
    assert set(CITY_NICKNAMES) <= cities


def test_nicknames_name_one_city_and_shadow_nothing(gaz):
    plain = {f for p in build_places() for f in (p.name, p.short, *p.former)}
    for (prov, city), nicks in CITY_NICKNAMES.items():
        for n in nicks:
            assert n not in plain, n                     # not already a place name (滨城 would be 滨城区)
            hits = gaz.lookup(n)
            assert [(p.province, p.name) for p in hits] == [(prov, city)], n


@pytest.mark.parametrize("text,expected", [
    ("泉城和琴岛都想报", ["济南市", "青岛市"]),
    ("蓉城一个就够了", ["成都市"]),
    ("冰城那边材料齐了吗", ["哈尔滨市"]),
])
def test_mentions_by_nickname(gaz, text, expected):
    assert [m.place.name for m in gaz.mentions(normalize(text)) if m.place.level == CITY] == expected


def test_cache_keeps_nicknames(tmp_path):
    load_gazetteer.cache_clear()
    load_gazetteer(tmp_path)                             # builds and writes the cache
    load_gazetteer.cache_clear()
    g = load_gazetteer(tmp_path)                         # reads it back
    assert g.city("甬城").name == "宁波市"
