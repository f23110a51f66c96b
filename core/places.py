"""Chinese place names: a full offline gazetteer (provinces, prefecture-level cities, counties and districts, with
their short names and former names) and the resolver from what people type to the call's provincial units.

Nicknames (岛城 → 青岛) come from the reviewed table in ``core.places_nicknames`` (jionlp has none).

The data is jionlp's bundled ``dictionary/china_location.zip`` (省/市/县 with adcodes and short names, 2025) and
``china_location_change.txt`` (renamings such as 襄樊 → 襄阳), read straight from the installed wheel: jionlp
itself is never imported (its import is slow and loads models we do not need), nothing is downloaded. The parsed
table is cached as JSON in the cache directory (``Settings.cache_dir``) on first use, so a cold process loads it
in a few milliseconds. See /work/notes/places-api.md (and the README) for the API.
"""
from __future__ import annotations

import difflib
import importlib.util
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from core.textnorm import normalize

FORMAT = 4                      # 4: nicknames
PROVINCE, CITY, COUNTY = "province", "city", "county"
_LEVELS = (PROVINCE, CITY, COUNTY)
# suffixes that make a short name from a full one when the data has none (longest first)
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "林区",
             "新区", "省", "市", "盟", "州", "县", "区", "旗")
# county-level names that are ordinary words in staff messages (城区, 矿区, 郊区): never matched as places
_COMMON_WORDS = {"城区", "郊区", "矿区", "市中", "新华", "和平", "长安", "永和", "东区", "西区", "南区", "北区",
                 "中山", "开发", "新城", "高新", "经开", "城关", "市辖", "省直辖", "自治区直辖", "县"}


class UnknownProvince(ValueError):
    """``word`` names no provincial unit of the call; ``suggestions`` are the closest unit names."""

    def __init__(self, word: str, suggestions: list[str]):
        self.word, self.suggestions = word, suggestions
        hint = f"；您是不是要找：{'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"不认识的省份：{word}{hint}")


@dataclass(frozen=True)
class Place:
    name: str                       # full name: 淄博市, 浦东新区, 山东省
    short: str                      # short name: 淄博, 浦东, 山东
    level: str                      # province / city / county
    code: str                       # adcode, e.g. 370300
    province: str                   # its province's full name (a province: itself)
    city: str | None = None         # a county's prefecture-level city (None for 直辖市 districts and provinces)
    former: tuple[str, ...] = ()    # former names (襄樊市)
    pinyin: str = ""                # of the full name without suffix, lower case, no spaces (provinces only)
    nicknames: tuple[str, ...] = ()  # 岛城 (core.places_nicknames)

    @property
    def forms(self) -> tuple[str, ...]:
        out = [self.name]
        if self.short and self.short != self.name:
            out.append(self.short)
        out.extend(self.former)
        out.extend(self.nicknames)
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Mention:
    """A place named in a text: the span, the surface form, and every place that form may mean (best first)."""
    start: int
    end: int
    form: str
    candidates: tuple[Place, ...]

    @property
    def place(self) -> Place:
        return self.candidates[0]


@dataclass
class Gazetteer:
    places: list[Place]
    _by_form: dict[str, list[Place]] = field(default_factory=dict, repr=False)
    _max_len: int = 0
    index: dict[str, list[int]] | None = field(default=None, repr=False)   # form → place positions (cached)

    def __post_init__(self) -> None:
        if self.index is not None:
            self._by_form = {f: [self.places[i] for i in ids] for f, ids in self.index.items()}
            self._max_len = max(map(len, self._by_form), default=0)
            return
        rank = {PROVINCE: 0, CITY: 1, COUNTY: 2}
        for p in self.places:
            for f in p.forms:
                if p.level == COUNTY and f in _COMMON_WORDS:
                    continue
                if len(f) < 2:
                    continue
                self._by_form.setdefault(f, []).append(p)
        for f, ps in self._by_form.items():
            ps.sort(key=lambda p: (rank[p.level], p.name != f, p.code))
        self._max_len = max(map(len, self._by_form), default=0)

    def form_index(self) -> dict[str, list[int]]:
        pos = {id(p): i for i, p in enumerate(self.places)}
        return {f: [pos[id(p)] for p in ps] for f, ps in self._by_form.items()}

    # --- lookups ---------------------------------------------------------------------------------
    def lookup(self, form: str) -> list[Place]:
        """Places with this name, short name or former name (provinces first, then cities, then counties)."""
        return list(self._by_form.get(form, ()))

    def provinces(self) -> list[Place]:
        return [p for p in self.places if p.level == PROVINCE]

    def cities(self, province: str) -> list[Place]:
        """The prefecture-level cities of ``province`` (full name)."""
        return [p for p in self.places if p.level == CITY and p.province == province]

    def city(self, form: str) -> Place | None:
        """The prefecture-level city called ``form`` (淄博 / 淄博市 / 襄樊), if exactly one is."""
        hits = [p for p in self._by_form.get(form, ()) if p.level == CITY]
        return hits[0] if len(hits) == 1 else None

    def mentions(self, text: str, levels: Iterable[str] = _LEVELS) -> list[Mention]:
        """Places named in ``text`` (normalise it first: ``core.textnorm.normalize``), left to right, longest
        match first, never overlapping. A short county name that is also a common word needs its suffix."""
        want = set(levels)
        out: list[Mention] = []
        i, n = 0, len(text)
        while i < n:
            hit = None
            for L in range(min(self._max_len, n - i), 1, -1):
                form = text[i:i + L]
                cands = [p for p in self._by_form.get(form, ()) if p.level in want]
                if cands:
                    hit = Mention(i, i + L, form, tuple(cands))
                    break
            if hit:
                out.append(hit)
                i = hit.end
            else:
                i += 1
        return out


# --- loading ---------------------------------------------------------------------------------------
def _jionlp_dir() -> Path:
    spec = importlib.util.find_spec("jionlp")          # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jionlp is not installed: its bundled gazetteer is required (pip install jionlp)")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary"


def _short(name: str, given: str) -> str:
    if given:
        return given
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


# The provinces' short names in pinyin, as pypinyin (with its phrase dictionary: 重庆 chongqing, 西藏 xizang) spells
# them. Kept here because importing pypinyin costs a long-running process ~120 MiB resident for good (its phrase
# dictionary), for these 34 words; tests/core/test_places_pinyin.py checks the table against pypinyin.
PROVINCE_PINYIN = {
    "上海": "shanghai", "云南": "yunnan", "内蒙古": "neimenggu", "北京": "beijing", "吉林": "jilin", "四川": "sichuan",
    "天津": "tianjin", "宁夏": "ningxia", "安徽": "anhui", "山东": "shandong", "山西": "shanxi", "广东": "guangdong",
    "广西": "guangxi", "新疆": "xinjiang", "江苏": "jiangsu", "江西": "jiangxi", "河北": "hebei", "河南": "henan",
    "浙江": "zhejiang", "海南": "hainan", "湖北": "hubei", "湖南": "hunan", "甘肃": "gansu", "福建": "fujian",
    "西藏": "xizang", "贵州": "guizhou", "辽宁": "liaoning", "重庆": "chongqing", "陕西": "shanxi", "青海": "qinghai",
    "黑龙江": "heilongjiang", "香港": "xianggang", "澳门": "aomen", "台湾": "taiwan"}


def _pinyin(word: str) -> str:
    if word in PROVINCE_PINYIN:
        return PROVINCE_PINYIN[word]
    from pypinyin import lazy_pinyin      # a name the table does not know (new jionlp data)

    return "".join(lazy_pinyin(word)).lower()


def build_places(source: Path | None = None) -> list[Place]:
    """Parse jionlp's bundled data (levels 省/市/县 only) into places."""
    d = source or _jionlp_dir()
    # line by line: the file also lists every town and village (deeper levels, skipped); read whole and split, it
    # cost ~130 MiB for a moment in the process that built the cache
    with zipfile.ZipFile(d / "china_location.zip") as z, \
            io.TextIOWrapper(z.open("china_location.txt"), encoding="utf-8") as lines:
        places = _levels(lines)
    return _with_nicknames(_with_former(d, places))


def _with_nicknames(places: list[Place]) -> list[Place]:
    from dataclasses import replace

    from core.places_nicknames import CITY_NICKNAMES

    taken = {f for p in places for f in p.forms}
    return [replace(p, nicknames=tuple(n for n in CITY_NICKNAMES[(p.province, p.name)] if n not in taken))
            if p.level == CITY and (p.province, p.name) in CITY_NICKNAMES else p for p in places]


def _levels(lines) -> list[Place]:
    places: list[Place] = []
    prov = city = None
    for line in lines:
        if line.startswith("\t\t\t"):
            continue
        line = line.rstrip("\r\n")
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 2 or not line.strip():
            continue
        parts = line.strip("\t").split("\t")
        name, code = parts[0], parts[1] if len(parts) > 1 else ""
        short = _short(name, parts[2] if len(parts) > 2 else "")
        if depth == 0:
            prov = name
            places.append(Place(name, short, PROVINCE, code, name, None, (), _pinyin(short)))
            city = None
        elif depth == 1:
            city = None if name in ("省直辖行政区划", "自治区直辖县级行政区划") or name == prov else name
            if city:
                places.append(Place(name, short, CITY, code, prov))
        else:
            places.append(Place(name, short, COUNTY, code, prov, city))
    return places


def _with_former(d: Path, places: list[Place]) -> list[Place]:
    former: dict[tuple[str, str], set[str]] = {}
    change = d / "china_location_change.txt"
    if change.is_file():
        for line in change.read_text(encoding="utf-8").splitlines():
            if "=>" not in line:
                continue
            old, new = line.split("=>", 1)
            o, nw = old.split("\t")[2:], new.split("\t")
            if len(o) == 4 and len(nw) == 2 and o[2] != nw[1]:      # a prefecture-level city renamed
                former.setdefault((nw[0], nw[1]), set()).update({o[2], o[3]})
    current = {p.name for p in places}
    if former:
        places = [Place(p.name, p.short, p.level, p.code, p.province, p.city,
                        tuple(sorted(f for f in former.get((p.province, p.name), ()) if f not in current)), p.pinyin)
                  if p.level == CITY else p for p in places]
    return places


def _source_version() -> str:
    """jionlp's installed version, from its ``.dist-info`` beside the package: one directory listing, not
    ``importlib.metadata`` (which imports the email package and reads every installed distribution, a
    cost every chat process paid for the cache file's name)."""
    try:
        site = _jionlp_dir().parent.parent
        names = [p.name for p in site.glob("jionlp-*.dist-info")]
    except (OSError, RuntimeError):
        return "unknown"
    return names[0][len("jionlp-"):-len(".dist-info")] if len(names) == 1 else "unknown"


def cache_file(cache_dir: Path) -> Path:
    return Path(cache_dir) / f"places-{FORMAT}-jionlp-{_source_version()}.json"


@lru_cache(maxsize=8)
def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer, from ``cache_dir``'s JSON when present (built and written there on first use);
    without a cache dir it is parsed in memory (about 0.3 s). Memoised per process."""
    if cache_dir is not None:
        f = cache_file(cache_dir)
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            return Gazetteer([Place(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6]), r[7], tuple(r[8])) for r in data["places"]],
                             index=data["index"])
        except (OSError, ValueError, IndexError, TypeError, KeyError):
            pass
    g = Gazetteer(build_places())
    if cache_dir is not None:
        f = cache_file(cache_dir)
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"places": [[p.name, p.short, p.level, p.code, p.province, p.city, list(p.former),
                                               p.pinyin, list(p.nicknames)] for p in g.places], "index": g.form_index()},
                                  ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, f)
    return g


# --- the call's provincial units ---------------------------------------------------------------------
_LATIN = re.compile(r"[^a-z]")
# Latin spellings pypinyin does not produce: the official romanisation that tells 陕西 from 山西 (plain "shanxi"
# stays ambiguous and is asked back), English and postal names, the 兵团's usual abbreviations.
_ROMAN = {"shaanxi": "陕西省", "innermongolia": "内蒙古自治区", "tibet": "西藏自治区", "bingtuan": "新疆生产建设兵团",
          "xinjiangbingtuan": "新疆生产建设兵团", "xpcc": "新疆生产建设兵团", "canton": "广东省", "peking": "北京市"}
# what people add after a Latin name: guangdong sheng, Guangdong Province, beijing shi
_LATIN_SUFFIX = re.compile(r"(?<=[a-z]{4})(sheng|shi|zizhiqu|province|city|autonomousregion)$")


def _unit_forms(call) -> dict[str, str]:
    """Every way to write a unit of the call → its name: names, aliases, one-character abbreviations (not the
    ambiguous ones), and the finance/HR department names."""
    forms: dict[str, str] = {}
    for p in call.provinces:
        for f in (p.name, *p.aliases, p.finance, p.hrss):
            forms[normalize(f)] = p.name
        if p.abbr and p.abbr not in call.ambiguous_abbr:
            forms[p.abbr] = p.name
    return forms


def resolve_province(word: str, call, cache_dir: Path | None = None) -> str:
    """The call's unit that ``word`` names: 广东 / 广东省 / 廣東 / 粤 / guangdong / 广东省财政厅, or a
    计划单列市 or other prefecture-level city (青岛 → 山东省). Raises ``UnknownProvince`` with suggestions."""
    w = normalize(word).replace(" ", "")
    if not w:
        raise UnknownProvince(word, [])
    forms = _unit_forms(call)
    if w in forms:
        return forms[w]
    units = {p.name for p in call.provinces}
    gaz = load_gazetteer(cache_dir)
    spelt = re.sub(r"[-'.·]", "", w)                          # inner-mongolia, xi'an style separators
    if spelt and not _LATIN.search(spelt):
        latin = _LATIN_SUFFIX.sub("", spelt)
        if _ROMAN.get(latin) in units:
            return _ROMAN[latin]
        by_sound = [p.name for p in gaz.provinces() if p.pinyin == latin and p.name in units]
        if len(by_sound) == 1:
            return by_sound[0]
        if by_sound:                                  # shanxi: 山西 and 陕西 sound the same
            raise UnknownProvince(word, by_sound)
    for cp in call.cp_cities:
        if w in (normalize(cp.city), normalize(cp.city).removesuffix("市")):
            return cp.province
    hits = [p for p in gaz.lookup(w) if p.province in units]
    provs = {p.province for p in hits if p.level in (PROVINCE, CITY)}
    if len(provs) == 1:
        return provs.pop()
    raise UnknownProvince(word, suggest_provinces(word, call, cache_dir))


def suggest_provinces(word: str, call, cache_dir: Path | None = None, n: int = 3) -> list[str]:
    """The units closest to ``word`` (by name, alias or pinyin), for a "did you mean" line."""
    w = normalize(word).replace(" ", "")
    table: dict[str, str] = {f: u for f, u in _unit_forms(call).items() if len(f) >= 2}
    units = {p.name for p in call.provinces}
    for p in load_gazetteer(cache_dir).provinces():
        if p.pinyin and p.name in units:
            table[p.pinyin] = p.name
    table.update({f: u for f, u in _ROMAN.items() if u in units})
    out: list[str] = []
    latin = not _LATIN.search(w)                 # a Latin word needs a closer match: "atlantis" is no "shaanxi"
    for m in difflib.get_close_matches(w, list(table), n=n * 3, cutoff=0.7 if latin else 0.5):
        if table[m] not in out:
            out.append(table[m])
    return out[:n]


def unit_of_place(place: Place, call) -> str | None:
    """The call's unit a gazetteer place belongs to (its province, when that is a unit of the call)."""
    units = {p.name for p in call.provinces}
    return place.province if place.province in units else None
