"""Nicknames of prefecture-level cities that staff type instead of the name (岛城 for 青岛, 鹏城 for 深圳).

jionlp's bundled location data has names, short names and renamings (襄樊 → 襄阳) but no nicknames, and no field
library found offline ships them; this table is the documented, reviewed supplement. Only nicknames in common
use that denote ONE city are listed: 江城 (武汉 / 吉林), 龙城 (太原 / 柳州 / 常州), 鹿城 (温州 / 包头), 绿城
(郑州 / 南宁), 滨城 (大连, and the short name of 滨州's 滨城区), 榕城 (福州, and 揭阳's 榕城区) are left out
on purpose. A nickname that is
already a place name in the gazetteer is never added (tests/core/test_places_nicknames.py checks both).

Keys are the cities' full names as in the gazetteer; values are the nicknames (two or more characters).
"""
from __future__ import annotations

CITY_NICKNAMES: dict[tuple[str, str], tuple[str, ...]] = {
    # (province, city): nicknames
    ("山东省", "青岛市"): ("岛城", "琴岛"),
    ("山东省", "济南市"): ("泉城",),
    ("福建省", "厦门市"): ("鹭岛", "鹭城"),
    ("广东省", "深圳市"): ("鹏城",),
    ("广东省", "广州市"): ("羊城", "穗城", "花城"),
    ("浙江省", "宁波市"): ("甬城",),
    ("浙江省", "杭州市"): ("杭城",),
    ("辽宁省", "沈阳市"): ("盛京", "奉天"),
    ("四川省", "成都市"): ("蓉城",),
    ("云南省", "昆明市"): ("春城",),
    ("黑龙江省", "哈尔滨市"): ("冰城",),
    ("湖南省", "长沙市"): ("星城",),
    ("江苏省", "南京市"): ("金陵",),
    ("安徽省", "合肥市"): ("庐州",),
    ("山西省", "太原市"): ("并州",),
    ("西藏自治区", "拉萨市"): ("日光城",),
}
