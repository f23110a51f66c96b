"""The implementation period, in months, wherever a document states it: 2年 / 两年 / 18个月 / 二十四个月 /
2023年4月至2025年3月 / 2023年—2024年 / 18个月（2023年7月至2024年12月）, after a key word (实施期限, 项目期限,
实施周期, 建设期 …), in a sentence or in a table row (实施期限 | 2023年4月—2025年3月). A budget's year columns alone
are not a period, nor is a 时效指标 like 2023年12月前.

    read_period(pages) -> {"months": 24, "years": 2.0, "form": "range", "strength": 0.9, "evidence": {...}} | None
"""
from __future__ import annotations

import re

from precheck.reading.numbers import parse_count
from precheck.reading.page import PageText
from precheck.reading.text import Flat

KEYS = r"(?:项目)?(?:实施|执行|建设|起止)(?:期限|周期|年限|期|时间)|项目(?:期限|周期)|实施期间"
_COUNT = r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3}|半)\s*(?:个)?\s*(?P<u>年|月)(?!度|底|末|初|前|份|\d)"
_DATE = r"(?P<y{i}>20\d\d)\s*年?\s*(?:(?P<m{i}>\d{{1,2}})\s*月)?(?:\s*\d{{1,2}}\s*日)?"
# a dash between dates is often OCR'd as 一 (the numeral one)
_RANGE = re.compile(_DATE.format(i=0) + r"\s*(?:起)?\s*(?:至|到|-|~|—|－|–|一|―|_)+\s*" + _DATE.format(i=1) + r"(?:止)?")
_KEY = re.compile(KEYS)

SOURCE_WEIGHT = {"text_layer": 1.0, "ocr": 0.95, "ocr_layer": 0.7}


def months_of_range(y0: int, m0: str | None, y1: int, m1: str | None) -> int | None:
    if y1 < y0 or y1 - y0 > 10:
        return None
    if m0 and m1:
        n = (y1 - y0) * 12 + int(m1) - int(m0) + 1
    elif not m0 and not m1:
        n = (y1 - y0 + 1) * 12
    else:
        return None
    return n if 0 < n <= 120 else None


def _count_months(n: str, u: str) -> int | None:
    k = 0.5 if n == "半" else parse_count(n)
    if k is None:
        return None
    months = round(k * 12) if u == "年" else int(k)
    return months if 0 < months <= 120 else None


def read_period(pages: list[PageText]) -> dict | None:
    flat = Flat(pages, joiner="\n")
    text = flat.text
    cands = []
    for key in _KEY.finditer(text):
        window = text[key.end(): key.end() + 40]
        w = re.split(r"[。；;]", window)[0]
        m = re.match(rf"[^。；;\n\d一二两三四五六七八九十]{{0,8}}?" + _COUNT, w.replace("\n", ""))
        if m:
            months = _count_months(m.group("n"), m.group("u"))
            if months:
                end = key.end() + m.end()
                strength = 0.9
                r = _RANGE.search(w.replace("\n", "")[m.end(): m.end() + 30])
                if r:                              # 18个月（2023年7月至2024年12月）: both must agree
                    rm = months_of_range(int(r.group("y0")), r.group("m0"), int(r.group("y1")), r.group("m1"))
                    strength = 0.95 if rm == months else 0.7
                cands.append(_cand(months, "count", strength, flat, key.start(), end))
                continue
        r = _RANGE.search(w.replace("\n", ""))
        if r and r.start() <= 12:
            months = months_of_range(int(r.group("y0")), r.group("m0"), int(r.group("y1")), r.group("m1"))
            if months:
                form = "range" if r.group("m0") else "year_range"
                cands.append(_cand(months, form, 0.9 if form == "range" else 0.8, flat, key.start(),
                                   key.end() + r.end()))
    if not cands:
        return None
    for c in cands:
        src = c["evidence"].get("source", "ocr")
        agree = sum(1 for o in cands if o is not c and o["months"] == c["months"])
        c["strength"] = round(min(0.99, c["strength"] * SOURCE_WEIGHT.get(src, 0.9) + 0.03 * min(agree, 3)), 3)
    return max(cands, key=lambda c: c["strength"])


def _cand(months: int, form: str, strength: float, flat: Flat, start: int, end: int) -> dict:
    return {"months": months, "years": round(months / 12, 2), "form": form, "strength": strength,
            "evidence": flat.evidence(start, end)}
