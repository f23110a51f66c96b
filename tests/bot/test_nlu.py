"""Normalisation, slots (gazetteer places with polarity and counts, numbers, times) and readings (no database)."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.intents import classify
from bot.normalize import normalize
from bot.numbers import arabic, central_amount, months_in, pages_in, stated_count
from bot.slots import extract, provinces_in
from bot.when import when_in


@pytest.mark.parametrize("text,expected", [
    ("青海的材料", ["青海省"]), ("宁夏的材料", ["宁夏回族自治区"]), ("广东", ["广东省"]), ("广东省", ["广东省"]),
    ("粤的呢?", ["广东省"]), ("湘", ["湖南省"]), ("新疆生产建设兵团", ["新疆生产建设兵团"]), ("兵团", ["新疆生产建设兵团"]),
    ("新疆", ["新疆维吾尔自治区"]), ("内蒙古", ["内蒙古自治区"]), ("广东省财政厅", ["广东省"]),
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


@pytest.mark.parametrize("text,cities,dropped,count", [
    ("山东能报青岛和济南两个吗？", ["青岛市", "济南市"], [], 2),
    ("山东报淄博和临沂两个行吗", ["淄博市", "临沂市"], [], 2),          # no jieba tag needed: the gazetteer knows them
    ("我们广西报南宁 柳州 桂林三个", ["南宁市", "柳州市", "桂林市"], [], 3),
    ("不报青岛了 只报济南", ["济南市"], ["青岛市"], None),
    ("原来报青岛济南 现在把青岛换成烟台 还行吗", ["济南市", "烟台市"], ["青岛市"], None),
    ("福建报福州和莆田两个 不含厦门", ["福州市", "莆田市"], ["厦门市"], 2),
    ("山东青岛济南俩都报", ["青岛市", "济南市"], [], 2),
    ("襄樊和恩施", ["襄阳市", "恩施土家族苗族自治州"], [], None),
])
def test_cities_polarity_and_count(call2023, text, cities, dropped, count):
    s = extract(normalize(text), call2023)
    assert (s.cities, s.dropped, s.count) == (cities, dropped, count)


def test_city_units(call2023):
    s = extract(normalize("辽宁报大连和青岛"), call2023)
    assert s.provinces == ["辽宁省"] and s.city_units == {"大连市": "辽宁省", "青岛市": "山东省"}


@pytest.mark.parametrize("text,plan,total", [
    ("方案写了十二页 超了吗", 12, None), ("全部材料一共三十一页", None, 31),
    ("方案8页 预算表3页 绩效表2页 请示3页 佐证15页 合计超30吗", 8, 31),
    ("方案十页 其他东西加起来二十页", 10, 30), ("申报材料总共二十九页 方案占了十一页", 11, 29),
    ("双面扫描的一张纸算一页还是两页", None, None),
])
def test_pages(text, plan, total):
    p = pages_in(arabic(normalize(text)))
    assert (p.plan, p.total) == (plan, total)


@pytest.mark.parametrize("text,wan", [
    ("中央补助九千八百万", 9800), ("中央补助要1.2亿", 12000), ("申请中央资金一个亿整", 10000),
    ("中央补助壹亿元整", 10000), ("中央补助能申请一个半亿吗", 15000), ("预算表里中央补助写的10001万元", 10001),
    ("中央财政补助8000万 地方配套5000万 总共1.3亿", 8000), ("项目总投资两个亿 向中央要一个亿", 10000),
])
def test_amounts(text, wan):
    assert central_amount(arabic(normalize(text))) == wan


@pytest.mark.parametrize("text,months", [
    ("实施期18个月", 18), ("两年半", 30), ("项目周期2年零3个月", 27), ("实施期2023年7月到2025年6月", 24),
    ("从2023年6月干到2025年12月", 31), ("实施期限一年半", 18), ("实施期限二十六个月", 26),
])
def test_periods(text, months):
    assert months_in(arabic(normalize(text))) == months


def test_stated_count_ignores_other_things(call2023):
    assert stated_count(arabic(normalize("两个部的邮箱都要发一遍吗"))) is None
    assert stated_count(arabic(normalize("浙江报宁波一个 还有杭州 温州 一共两个市"))) == 2


@pytest.mark.parametrize("now,text,iso,on_time", [
    ("2023-03-26T20:00:00+08:00", "今晚十二点前发还算吗", "2023-03-26T23:59:59", True),
    ("2023-03-26T20:00:00+08:00", "明天早上发行不行", "2023-03-27T09:00:00", False),
    ("2023-03-24T10:00:00+08:00", "周日晚上十点发来得及吗", "2023-03-26T22:00:00", True),
    ("2023-03-24T10:20:00+08:00", "省里下周二才能盖好章", "2023-03-28T12:00:00", False),
    ("2023-03-26T22:30:00+08:00", "一个半小时以后发", "2023-03-27T00:00:00", False),
    ("2023-03-23T14:00:00+08:00", "大后天晚上发行吗", "2023-03-26T20:00:00", True),
    ("2023-03-27T00:20:00+08:00", "邮件00:03才发出去", "2023-03-27T00:03:00", False),
    ("2023-03-26T20:00:00+08:00", "那我11点半发呢", "2023-03-26T23:30:00", True),
])
def test_when(call2023, now, text, iso, on_time):
    w = when_in(arabic(normalize(text)), datetime.fromisoformat(now))
    assert w.moment.replace(tzinfo=None).isoformat() == iso
    assert (w.moment < call2023.deadline) is on_time


@pytest.mark.parametrize("text,intent", [
    ("/status", "status"), ("/status@intake_bot", "status"), ("/status 广东", "dossier"), ("/deadline", "deadline"),
    ("/contacts", "contacts"), ("/help", "help"), ("/rules", "rules"), ("/overview", "overview"),
    ("/assign R000001 广东省 主题写明", "assign"), ("/code 湖南", "issue_code"), ("ABCD-2345", "bind"),
    ("/bind abcd2345", "bind"), ("實施方案最多幾頁？", "free_text"),
])
def test_commands(call2023, text, intent):
    assert classify(text, call2023).name == intent
