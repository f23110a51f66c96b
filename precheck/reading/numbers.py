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


_TURNED = str.maketrans("69", "96")
_TURNABLE = re.compile(r"0[0125689,.]*[125689][0125689,.]*")
PERCENT = re.compile(r"^\s*[<>≥≤%]*\s*\d+(?:\.\d+)?\s*[%％]\s*[<>]*\s*$|^\s*[%％]\s*\d+(?:\.\d+)?\s*[<>≥≤]?\s*$")


def unturned(text: str) -> str | None:
    """A number the OCR's text-direction classifier read upside down, read the right way up, else None.

    The classifier turns short, nearly symmetric boxes by 180° now and then: 8000 comes out as 0008, 9000 as 0006,
    900 as 006, 8,000.00 as 00.000,8 (digits in reverse order, 6 and 9 swapped). An amount never starts with a 0
    followed by digits, so such a reading is turned back; the caller must still confirm it (table arithmetic)."""
    t = (text or "").replace(" ", "")
    if len(t) < 2 or not _TURNABLE.fullmatch(t) or re.match(r"0[.]\d", t):
        return None
    back = t[::-1].translate(_TURNED)
    return back if re.fullmatch(ARABIC, back) and not back.startswith("0") else None


def is_percent(text: str) -> bool:
    """A share cell (26.7% / 占比), read upside down too (%06<): a number, not a label."""
    return bool(PERCENT.match((text or "").replace(" ", "")))


def cell_number(text: str) -> tuple[float, str | None] | None:
    """A table cell that is one number (optionally with a unit): '9,800.00' -> (9800.0, None). A reading with a
    leading zero (0008) is no number here: ``unturned`` says what it is when turned the right way up."""
    t = (text or "").replace(" ", "").translate(_OCR_DIGITS)
    if re.fullmatch(r"0[\d,][\d,.]*", t):
        return None
    m = CELL_NUMBER.match(t)
    if m:
        return float(m.group("num").replace(",", "")), m.group("unit")
    m = AMOUNT.fullmatch(t)
    if m:
        n = to_number(m.group("num"))
        if n is not None:
            return n, m.group("unit")
    return None
