"""Slot extraction: provinces (longest match, never from one ambiguous character), cities, references, codes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from config.call import CallConfig
from precheck.attribution import find_provinces

from bot.normalize import is_cjk

REF_RE = re.compile(r"\b([sr])\s*0*(\d{1,9})\b", re.I)
DOC_RE = re.compile(r"(?:文件|doc|document|d)\s*#?\s*(\d{1,9})", re.I)
CODE_RE = re.compile(r"\b([a-z2-9]{4})-?([a-z2-9]{4})\b", re.I)
DATE_RE = re.compile(r"(20\d\d)[-./年](\d{1,2})[-./月](\d{1,2})日?")
# a lone one-character abbreviation (粤, 湘) counts only if it stands alone or is followed by one of these
_ABBR_FOLLOW = set("的呢省?,.!吗 ")
_GENERIC_PLACES = {"城市", "地市", "省市", "市县", "全国", "中国", "各省", "本省", "我省", "本市", "地方", "中央", "省级"}


@dataclass
class Slots:
    provinces: list[str] = field(default_factory=list)      # province names, in order of first mention
    forms: dict[str, list[str]] = field(default_factory=dict)
    cities: list[str] = field(default_factory=list)


def _abbr_table(call: CallConfig) -> dict[str, str]:
    return {p.abbr: p.name for p in call.provinces if p.abbr and p.abbr not in call.ambiguous_abbr}


def _lone_abbreviations(text: str, call: CallConfig, taken: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    table = _abbr_table(call)
    for i, ch in enumerate(text):
        if ch not in table or taken[i] != " ":
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if (not before or not is_cjk(before)) and (not after or after in _ABBR_FOLLOW or not is_cjk(after)):
            out.setdefault(table[ch], []).append(ch)
    return out


def provinces_in(text: str, call: CallConfig) -> dict[str, list[str]]:
    """Provinces named in normalised ``text``: full names and aliases (via precheck.attribution), then lone 粤-style
    abbreviations that are not ambiguous (青/宁/新 never count)."""
    found = find_provinces(text, call)
    mask = list(" " * len(text))
    for forms in found.values():
        for f in forms:
            start = text.find(f)
            while start != -1:
                mask[start:start + len(f)] = "x" * len(f)
                start = text.find(f, start + len(f))
    for prov, forms in _lone_abbreviations(text, call, "".join(mask)).items():
        found.setdefault(prov, []).extend(forms)
    order = sorted(found, key=lambda p: min(text.find(f) for f in found[p]))
    return {p: found[p] for p in order}


@lru_cache(maxsize=4)
def _known_cities(call: CallConfig) -> tuple[str, ...]:
    names = {cp.city for cp in call.cp_cities}
    for rnd in call.selected:
        names.update(c for c, _ in rnd.cities)
    for p in call.provinces:
        if p.cp_city:
            names.add(p.cp_city)
    return tuple(sorted(names, key=len, reverse=True))


def cities_in(text: str, call: CallConfig) -> list[str]:
    """City names: the call's known cities (with or without 市), then place names jieba tags ``ns``."""
    out: list[str] = []
    for city in _known_cities(call):
        short = city.removesuffix("市")
        if city in text or (len(short) >= 2 and short in text):
            out.append(city)
    province_forms = {f for p in call.provinces for f in (p.name, *p.aliases)}
    import jieba.posseg as pseg

    for w in pseg.lcut(text):
        word = w.word
        if w.flag != "ns" or len(word) < 2 or word in province_forms or word in _GENERIC_PLACES:
            continue
        city = word if word.endswith(("市", "州", "盟", "地区")) else word + "市"
        if city not in out and not any(city.removesuffix("市") in c for c in out):
            out.append(city)
    return out


def extract(text: str, call: CallConfig, *, want_cities: bool = False) -> Slots:
    found = provinces_in(text, call)
    return Slots(list(found), found, cities_in(text, call) if want_cities else [])


def find_ref(text: str) -> str | None:
    m = REF_RE.search(text)
    return f"{m.group(1).upper()}{int(m.group(2)):06d}" if m else None


def find_date(text: str):
    from datetime import date

    m = DATE_RE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
