"""Where cities are: the gazetteer the readers use to tell a city from any word ending in 市.

    places = default_places()
    places.find("推荐韶关市、吉林市申报")   # [Mention("韶关市", 2, 5, "广东省"), Mention("吉林市", 6, 9, "吉林省")]
    places.province_of("大连市")          # "辽宁省"

A small interface over the chat's gazetteer (``core.places``: jionlp's bundled 省/市/县 data, the same names the
chat resolves): its prefecture-level cities, matched longest first; short forms (韶关, 大庆) only where a list or
等市 makes them cities. ``use_cache(dir)`` points it at ``Settings.cache_dir`` (a cold parse takes seconds).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

_cache_dir: Path | None = None
SUFFIXES = ("市", "自治州", "地区", "盟")


@dataclass(frozen=True)
class Mention:
    name: str          # full name, e.g. 韶关市
    start: int         # span in the text searched
    end: int
    province: str
    short: bool = False   # found as 韶关 (no suffix) in a list


class Places(Protocol):
    def find(self, text: str) -> list[Mention]: ...
    def province_of(self, name: str) -> str | None: ...


def short_name(name: str) -> str:
    for suf in ("自治州", "地区", "盟", "市"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            core = name[: -len(suf)]
            # 延边朝鲜族自治州 -> 延边, 大兴安岭地区 -> 大兴安岭
            m = re.match(r"(.+?)(?:[\u4e00-\u9fff]{1,6}族)+$", core) if suf == "自治州" else None
            return m.group(1) if m else core
    return name


class Gazetteer:
    """Cities from a (province, city) table; longest match first, left to right, never inside a longer word."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.province = {city: prov for prov, city in rows}
        self.by_short: dict[str, str] = {}
        for _prov, city in rows:
            s = short_name(city)
            if len(s) >= 2 and s not in self.by_short:
                self.by_short[s] = city
        full = sorted(self.province, key=len, reverse=True)
        self._full = re.compile("|".join(map(re.escape, full)))
        shorts = sorted(self.by_short, key=len, reverse=True)
        # a short form counts only in a list (、 or 和 between names) or before 等市 / 市: "杭州、温州等市"
        self._short = re.compile("(" + "|".join(map(re.escape, shorts)) + r")(?=[、，,和及与]|等?[市地州]|两市|三市|四市)")

    def find(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        taken = bytearray(len(text))
        for m in self._full.finditer(text):
            name = m.group(0)
            # 吉林省 is not 吉林市; 大庆市人民政府 keeps 大庆市; "市场" never matches (no table entry ends so)
            out.append(Mention(name, m.start(), m.end(), self.province[name]))
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        for m in self._short.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            if m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff" and text[m.start() - 1] not in "、和及与推荐对在":
                continue                      # inside a longer word
            city = self.by_short[m.group(1)]
            out.append(Mention(city, m.start(), m.end(), self.province[city], short=True))
        return sorted(out, key=lambda x: x.start)

    def province_of(self, name: str) -> str | None:
        return self.province.get(name) or self.province.get(self.by_short.get(name, ""))


def use_cache(cache_dir: Path | None) -> None:
    """Where ``core.places`` keeps its parsed table (call once at start, before the first reading)."""
    global _cache_dir
    _cache_dir = Path(cache_dir) if cache_dir else None


@functools.lru_cache(maxsize=1)
def default_places() -> Gazetteer:
    from core.places import load_gazetteer

    g = load_gazetteer(_cache_dir)
    rows = [(c.province, c.name) for prov in g.provinces() for c in g.cities(prov.name)]
    return Gazetteer(rows)
