"""Normalisation, slot extraction and intent classification (no database)."""
from __future__ import annotations

import pytest

from bot.intents import classify
from bot.normalize import normalize
from bot.slots import extract, provinces_in


@pytest.mark.parametrize("text,expected", [
    ("青海的材料", ["青海省"]), ("青岛的呢", ["山东省"]), ("宁夏的材料", ["宁夏回族自治区"]), ("宁波怎么样", ["浙江省"]),
    ("广东", ["广东省"]), ("广东省", ["广东省"]), ("粤的呢?", ["广东省"]), ("湘", ["湖南省"]),
    ("新疆生产建设兵团", ["新疆生产建设兵团"]), ("新疆", ["新疆维吾尔自治区"]), ("内蒙古", ["内蒙古自治区"]),
])
def test_provinces(call2023, text, expected):
    assert list(provinces_in(normalize(text), call2023)) == expected


@pytest.mark.parametrize("text", ["青", "宁", "新的材料", "收藏", "津贴", "查一下粤语", "一二三", "青年就业"])
def test_never_from_one_character(call2023, text):
    assert provinces_in(normalize(text), call2023) == {}


def test_traditional_and_full_width(call2023):
    assert normalize("廣東省的材料收到了嗎？") == "广东省的材料收到了吗?"
    assert normalize("ＡＢＣ　１２３") == "abc 123"
    assert list(provinces_in(normalize("廣東"), call2023)) == ["广东省"]


def test_cities(call2023):
    s = extract(normalize("山东能报青岛和济南两个吗？"), call2023, want_cities=True)
    assert s.provinces == ["山东省"] and s.cities == ["青岛市", "济南市"]


@pytest.mark.parametrize("text,intent,extra", [
    ("/status", "status", None), ("/status@intake_bot", "status", None), ("/status 广东", "dossier", "广东省"),
    ("/deadline", "deadline", None), ("/contacts", "contacts", None), ("/help", "help", None),
    ("/rules", "rules", None), ("/rules 实施方案几页", "rule", "R13"), ("/overview", "overview", None),
    ("/assign R000001 广东省 主题写明", "assign", None), ("/code 湖南", "issue_code", None),
    ("ABCD-2345", "bind", None), ("/bind abcd2345", "bind", None),
    ("實施方案最多幾頁？", "rule", "R13"), ("实施放案篇幅", "rule", "R13"), ("截至时间", "deadline", None),
    ("只发一个邮箱行吗", "open_question", "O1"), ("A3怎么算", "open_question", "O5"),
    ("今天天气怎么样", "unknown", None), ("广东的呢？", "dossier", "广东省"),
])
def test_intents(call2023, text, intent, extra):
    it = classify(text, call2023)
    assert it.name == intent
    if extra and extra.startswith(("R", "O")) and extra[1:].isdigit():
        assert it.rule_id == extra
    elif extra:
        assert it.slots.provinces == [extra]
