"""How a filing writes money, periods and the names of its units (the forms named in truth.json's about block)."""
from __future__ import annotations

DIGITS = "零壹贰叁肆伍陆柒捌玖"
LOWER = "零一二三四五六七八九"


def daxie(n: int) -> str:
    """9800 -> 玖仟捌佰, 12000 -> 壹万贰仟 (integers below 10^8, as 万元 amounts are written in letters)."""
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((10 ** 7, "仟"), (10 ** 6, "佰"), (10 ** 5, "拾"), (10 ** 4, "万"), (1000, "仟"),
                        (100, "佰"), (10, "拾"), (1, "")):
        d = (n // value) % 10
        if d:
            if zero and out:
                out += "零"
            out += DIGITS[d] + unit
            zero = False
        else:
            zero = True
        if value == 10 ** 4 and n >= 10 ** 4 and not out.endswith("万"):
            out += "万"
            zero = False
    return out


def money(wan: int, form: str) -> str:
    if form == "wan":
        return f"{wan}万元"
    if form == "wan_comma":
        return f"{wan:,}万元"
    if form == "wan_comma2":
        return f"{wan:,.2f}万元"
    if form in ("yi", "yi1"):
        return f"{wan / 10000:g}亿元"
    if form == "daxie":
        return daxie(wan) + "万元"
    if form == "wan_table":
        return f"{wan:,.2f}"
    if form == "yuan_table":
        return f"{wan * 10000:,.2f}"
    raise KeyError(form)


def cn_small(n: int) -> str:
    if n < 10:
        return LOWER[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else LOWER[tens]) + "十" + (LOWER[ones] if ones else "")


def end_month(start: str, months: int) -> tuple[int, int]:
    y, m = map(int, start.split("-"))
    k = y * 12 + (m - 1) + months - 1
    return k // 12, k % 12 + 1


def period(months: int, start: str, form: str) -> str:
    y, m = map(int, start.split("-"))
    y2, m2 = end_month(start, months)
    if form in ("liangnian", "sannian"):
        return {12: "一年", 24: "两年", 36: "三年"}[months]
    if form == "months":
        return f"{months}个月"
    if form == "cnmonths":
        return cn_small(months) + "个月"
    if form == "range":
        return f"{y}年{m}月至{y2}年{m2}月"
    if form == "range_dash":
        return f"{y}年{m}月—{y2}年{m2}月"
    raise KeyError(form)


def level(province: str) -> str:
    """The word a province's own documents use for themselves: 省 / 自治区 / 市."""
    return "自治区" if province.endswith("自治区") else ("市" if province.endswith("市") else "省")


def finance(province: str) -> str:
    return province + ("财政局" if province.endswith("市") else "财政厅")


def hrss(province: str) -> str:
    return province + ("人力资源和社会保障局" if province.endswith("市") else "人力资源和社会保障厅")


def city_level(city: str) -> str:
    for suffix, word in (("自治州", "州级"), ("盟", "盟级"), ("地区", "地区"), ("市", "市级")):
        if city.endswith(suffix):
            return word
    return "市级"
