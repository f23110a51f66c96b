"""Numbers as Chinese documents write them: 9,800.00 / 9800 / 98,000,000.00 元 / 玖仟伍佰万元 / 1.2亿元 / 两年 / 二十四个月.

    amount_wan("玖仟伍佰", "万元")  -> 9500.0        # 万元
    amount_wan("98,000,000.00", "元") -> 9800.0
    parse_count("二十四") -> 24 ;  parse_count("两") -> 2
    AMOUNT: the regex of one amount with its unit (groups "num", "unit")

Chinese numerals go through ``cn2an`` (imported on first use: it costs ~0.5 s).
"""
from __future__ import annotations

import re

CN_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
ARABIC = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{ARABIC})(?:[万亿])?|[{CN_CHARS}]+(?:[点.][{CN_CHARS}\d]+)?"
AMOUNT = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>亿元|万元|元)")
UNIT_FACTOR = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "，": ",", "．": ".", "。": "."})


def _cn2an(text: str) -> float:
    import cn2an

    return float(cn2an.cn2an(text, "smart"))


def to_number(text: str) -> float | None:
    """A number written in Arabic digits (with , separators), Chinese numerals, or both (9500万, 1.2亿)."""
    t = (text or "").strip().replace(" ", "")
    if not t:
        return None
    t = t.translate(_OCR_DIGITS) if re.search(r"\d", t) else t
    plain = t.replace(",", "")
    try:
        return float(plain)
    except ValueError:
        pass
    if not re.fullmatch(rf"[\d.{CN_CHARS}点]+", plain):
        return None
    if plain in ("万", "亿", "十", "百", "千"):
        return None
    try:
        return _cn2an(plain)
    except Exception:
        return None


def amount_wan(num: str, unit: str) -> float | None:
    """``num`` in ``unit`` (元 / 万元 / 亿元) as 万元; ``num`` may carry its own 万/亿 (玖仟伍佰万 + 元)."""
    n = to_number(num)
    if n is None:
        return None
    return round(n * UNIT_FACTOR[unit], 4)


def parse_count(text: str) -> int | None:
    """A small count: 2 / 两 / 二十四 / 十八 (years or months)."""
    n = to_number(text)
    if n is None or n != int(n) or not 0 < n < 1000:
        return None
    return int(n)


CELL_NUMBER = re.compile(rf"^\s*[（(]?\s*(?P<num>{ARABIC})\s*[)）]?\s*(?P<unit>亿元|万元|元)?\s*$")


def cell_number(text: str) -> tuple[float, str | None] | None:
    """A table cell that is one number (optionally with a unit): '9,800.00' -> (9800.0, None)."""
    t = (text or "").replace(" ", "").translate(_OCR_DIGITS)
    m = CELL_NUMBER.match(t)
    if m:
        return float(m.group("num").replace(",", "")), m.group("unit")
    m = AMOUNT.fullmatch(t)
    if m:
        n = to_number(m.group("num"))
        if n is not None:
            return n, m.group("unit")
    return None
