"""A province as a person types it → the call's province: the exact name or an alias (广东, 广东省),
traditional characters (廣東省), pinyin (Guangdong, guang dong sheng, GD is too short to guess), a
计划单列市 or a city selected in an earlier round (深圳 → 广东省), and otherwise "did you mean".

The gazetteer resolver the chat uses (``core.places``: every prefecture-level city, short and former names,
pinyin) answers first; this module adds what people type at a terminal on top — the official romanisations
(Shaanxi ≠ Shanxi), English names (Inner Mongolia, Tibet), pinyin with 省/sheng suffixes — and returns the
call's ``Province`` or raises ``UnknownProvince`` with Chinese and English "did you mean" lines.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

from config.call import CallConfig, Province

PINYIN = {
    "北京市": "beijing", "天津市": "tianjin", "河北省": "hebei", "山西省": "shanxi", "内蒙古自治区": "neimenggu",
    "辽宁省": "liaoning", "吉林省": "jilin", "黑龙江省": "heilongjiang", "上海市": "shanghai", "江苏省": "jiangsu",
    "浙江省": "zhejiang", "安徽省": "anhui", "福建省": "fujian", "江西省": "jiangxi", "山东省": "shandong",
    "河南省": "henan", "湖北省": "hubei", "湖南省": "hunan", "广东省": "guangdong", "广西壮族自治区": "guangxi",
    "海南省": "hainan", "重庆市": "chongqing", "四川省": "sichuan", "贵州省": "guizhou", "云南省": "yunnan",
    "西藏自治区": "xizang", "陕西省": "shaanxi", "甘肃省": "gansu", "青海省": "qinghai", "宁夏回族自治区": "ningxia",
    "新疆维吾尔自治区": "xinjiang", "新疆生产建设兵团": "bingtuan",
}
ENGLISH = {"innermongolia": "内蒙古自治区", "tibet": "西藏自治区", "xinjiangbingtuan": "新疆生产建设兵团",
           "xpcc": "新疆生产建设兵团", "shensi": "陕西省", "canton": "广东省", "peking": "北京市"}
_SUFFIX = re.compile(r"(sheng|shi|zizhiqu|province|city|autonomousregion)$")


class UnknownProvince(KeyError):
    def __init__(self, text: str, suggestions: list[str]):
        super().__init__(text)
        self.text, self.suggestions = text, suggestions

    def zh(self) -> str:
        hint = f"；您是不是要找：{'、'.join(self.suggestions)}？" if self.suggestions else "；请写省级单位的名称，如 广东省"
        return f"不认识的省份“{self.text}”{hint}"

    def en(self) -> str:
        return f"unknown province {self.text!r}" + (f"; did you mean {', '.join(self.suggestions)}?"
                                                    if self.suggestions else "")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _key(text: str) -> str:
    return re.sub(r"[\s_\-'’·.]+", "", text).lower()


def _names(call: CallConfig) -> dict[str, str]:
    """Every spelling → province name (names, aliases, pinyin, English, cities)."""
    out: dict[str, str] = {}
    for p in call.provinces:
        for n in (p.name, *p.aliases):
            out[n] = p.name
        if p.name in PINYIN:
            out[PINYIN[p.name]] = p.name
    out.update(ENGLISH)
    for c in call.cp_cities:
        out.setdefault(c.city, c.province)
        out.setdefault(c.city.removesuffix("市"), c.province)
    for s in call.selected:
        for city, prov in s.cities:
            if prov in out.values():
                out.setdefault(city, prov)
                out.setdefault(city.removesuffix("市"), prov)
    return out


def resolve_province(call: CallConfig, text: str, cache_dir=None) -> Province:
    from core import places

    raw = (text or "").strip()
    if not raw:
        raise UnknownProvince(raw, [])
    try:
        return call.province(raw)
    except KeyError:
        pass
    names = _names(call)
    key = _SUFFIX.sub("", _key(raw))
    if key in names and key.isascii():           # official romanisation / English first: shaanxi, tibet
        return call.province(names[key])
    try:
        return call.province(places.resolve_province(raw, call, cache_dir))
    except places.UnknownProvince as exc:
        gaz_suggestions = list(exc.suggestions)
    simplified = _t2s().convert(raw)
    for cand in (simplified, _key(raw), _SUFFIX.sub("", _key(raw))):
        if cand in names:
            return call.province(names[cand])
    for n, prov in names.items():                   # 广东省财政厅, 新疆兵团 → a name inside the text
        if len(n) >= 2 and not n.isascii() and (n in simplified or simplified in n) and len(simplified) >= 2:
            return call.province(prov)
    pool = {n: p for n, p in names.items() if n.isascii() == _key(raw).isascii()}
    close = difflib.get_close_matches(_key(simplified), list(pool), n=5, cutoff=0.6)
    seen: list[str] = []
    for c in [*(pool[c] for c in close), *gaz_suggestions]:
        if c not in seen:
            seen.append(c)
    raise UnknownProvince(raw, seen[:3])
