"""Slot reasoning for computed verdicts (issue 13, second held-out set): time expressions, month ranges, numerals
after 亿/万, 不报 over the next city, a city the province has, follow-ups that change one number, typed slots that
decide the question. Inputs are written here, not taken from the held-out sets."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.dialogue import carry_numbers
from bot.normalize import normalize
from bot.numbers import arabic, central_amount, months_in
from bot.slots import decided_by_slots, extract
from bot.when import when_in


def _w(now: str, text: str):
    return when_in(arabic(normalize(text)), datetime.fromisoformat(now))


@pytest.mark.parametrize("now,text,iso", [
    # a clock keeps the day said next to it, not a later day word of another clause
    ("2023-03-25T21:00:00+08:00", "后天九点钟交 今天太晚了", "2023-03-27T09:00:00"),
    ("2023-03-26T19:00:00+08:00", "明晚七点再传 处长今天不在", "2023-03-27T19:00:00"),
    # the expression followed by a verb of sending is meant
    ("2023-03-24T09:00:00+08:00", "昨天下午没弄完 周日上午交行吗", "2023-03-26T10:00:00"),
    # a bare weekday already past this week is the coming one; 上周 stays past
    ("2023-03-25T11:00:00+08:00", "周二一大早发", "2023-03-28T07:00:00"),
    ("2023-03-22T11:00:00+08:00", "周五一早交", "2023-03-24T08:00:00"),
    ("2023-03-25T11:00:00+08:00", "上周二发过一次", "2023-03-14T12:00:00"),
    # relative hours from the injected clock
    ("2023-03-26T23:10:00+08:00", "四十分钟后传过去 到时候还赶得上么", "2023-03-26T23:50:00"),
])
def test_when_expressions(now, text, iso):
    assert _w(now, text).at.replace(tzinfo=None).isoformat() == iso


@pytest.mark.parametrize("text,months", [
    ("执行期2024.3-2026.2", 24), ("周期2022/09~2024/12", 28), ("起止 2023-01至2024-06", 18),
    ("4月10号前要开完会", None), ("实施期16个月", 16),
])
def test_periods_dotted_and_dates(text, months):
    assert months_in(arabic(normalize(text))) == months


@pytest.mark.parametrize("text,wan", [
    ("两亿三", 23000), ("八千五百万", 8500), ("一亿零三百万", 10300), ("零点八亿", 8000),
])
def test_numerals_after_yi_wan(text, wan):
    assert central_amount(arabic(normalize(text))) == pytest.approx(wan)


@pytest.mark.parametrize("text,cities,dropped,context", [
    ("江苏报南京 不报苏州 再加一个无锡", ["南京市", "无锡市"], ["苏州市"], []),
    ("山东 烟台不要了 换成潍坊", ["潍坊市"], ["烟台市"], []),
    ("咱们省含厦门 能多推一个吗", [], [], ["厦门市"]),
    ("广东报广州 还有汕头", ["广州市", "汕头市"], [], []),
    ("浙江不含宁波 报杭州", ["杭州市"], ["宁波市"], []),
    ("辽宁报沈阳和鞍山 鞍山去掉 换成大连", ["沈阳市", "大连市"], ["鞍山市"], []),
    ("山东先不报烟台 想了想还是报烟台和青岛", ["烟台市", "青岛市"], [], []),
])
def test_polarity_over_the_message(call2023, text, cities, dropped, context):
    s = extract(normalize(text), call2023)
    assert (s.cities, s.dropped, s.context_cities) == (cities, dropped, context)


def test_a_city_the_province_has_names_the_province(call2023):
    s = extract(normalize("我们这里有深圳 可以推两个吗"), call2023)
    assert s.provinces == ["广东省"] and s.cities == [] and s.count == 2


def _slots(call, text):
    return extract(normalize(text), call)


def test_followup_adds_pages_to_the_stated_total(call2023):
    prev = _slots(call2023, "全部加起来二十七页")
    cur = _slots(call2023, "那再多四页附件材料呢")
    carry_numbers(prev, cur, cur.arabic, True)
    assert cur.pages.total == 31 and "27" in cur.pages.basis


def test_followup_changes_one_document(call2023):
    prev = _slots(call2023, "方案七页 预算表五页 佐证十页")
    cur = _slots(call2023, "方案改成十一页呢")
    carry_numbers(prev, cur, cur.arabic, True)
    assert cur.pages.parts == {"plan": 11, "budget": 5, "evidence": 10} and cur.pages.total == 26


def test_followup_subtracts_pages(call2023):
    prev = _slots(call2023, "方案九页 佐证二十四页")
    cur = _slots(call2023, "去掉三页佐证呢")
    carry_numbers(prev, cur, cur.arabic, True)
    assert cur.pages.total == 30


def test_followup_adds_money_and_replaces_it(call2023):
    prev = _slots(call2023, "中央补助八千五百万")
    more = _slots(call2023, "再加两千万呢")
    carry_numbers(prev, more, more.arabic, True)
    assert more.amount_wan == 10500 and more.amount_basis
    other = _slots(call2023, "那九千五百万呢")
    carry_numbers(prev, other, other.arabic, True)
    assert other.amount_wan == 9500                    # no word of change: the new amount replaces


def test_new_statement_is_not_merged_without_followup(call2023):
    prev = _slots(call2023, "方案七页 预算表五页")
    cur = _slots(call2023, "方案六页 佐证八页")
    carry_numbers(prev, cur, cur.arabic, False)
    assert cur.pages.parts == {"plan": 6, "evidence": 8}


@pytest.mark.parametrize("text,family,answer,target", [
    ("马上交的话还算按时吗", "materials", "rule", "R05"),
    ("三个钟头以后再发 还来得及么", "scope", "scope", "R05"),
    ("我们昨天23点发的 为什么说逾期", "own", "own", None),          # something sent already: the record
    ("方案九页 预算表六页 绩效表三页", "materials", "rule", "R14"),
    ("我们中央补助报了一亿一 超没超", "own", "own", "R18"),
    ("盖章要盖几个", "materials", "rule", None),
])
def test_typed_slots_decide(call2023, text, family, answer, target):
    s = _slots(call2023, text)
    assert decided_by_slots(s, normalize(text), family, answer, False) == target


_CN = "零一二三四五六七八九十"


def _cn_hour(h: int) -> str:
    return _CN[h] if h <= 10 else "十" + _CN[h - 10]


@pytest.mark.parametrize("day", [24, 25, 26, 27])
def test_relative_times_against_the_clock(call2023, day):
    """Every hour of four days × 明早/今晚/N小时后/现在, with a distracting later clause: the moment is computed from
    the clock, and the verdict against the (exclusive) deadline never says yes for a moment at or after it."""
    from datetime import timedelta

    from bot.verdicts import deadline

    for hour in range(0, 24):
        now = datetime.fromisoformat(f"2023-03-{day}T{hour:02d}:15:00+08:00")
        cases = [
            (f"明早{_cn_hour(7)}点发 今晚领导不在", now.replace(hour=7, minute=0) + timedelta(days=1)),
            (f"今晚{_cn_hour(9)}点发 明天就来不及了", now.replace(hour=21, minute=0)),
            ("三个小时以后发 行不", now + timedelta(hours=3)),
            ("现在就发 来得及吗", now),
        ]
        for text, want in cases:
            w = _w(now.isoformat(), text)
            assert w.at == want, (now, text, w)
            v = deadline(call2023, w, now)
            assert v.ok is (w.moment < call2023.deadline), (now, text)


@pytest.mark.parametrize("now,text,iso", [
    ("2023-03-26T23:20:00+08:00", "再过四十分钟发出去 算按时吗", "2023-03-27T00:00:00"),
    ("2023-03-26T20:00:00+08:00", "过两个半钟头再传", "2023-03-26T22:30:00"),
    ("2023-03-26T20:00:00+08:00", "都过了十点了", "2023-03-26T22:00:00"),
])
def test_span_said_before_the_unit(now, text, iso):
    assert _w(now, text).at.replace(tzinfo=None).isoformat() == iso


def test_followup_without_document_adds_to_the_one_spoken_of(call2023):
    prev = _slots(call2023, "预算表四页")
    cur = _slots(call2023, "再多两页呢")
    carry_numbers(prev, cur, cur.arabic, True)
    assert cur.pages.parts == {"budget": 6}


@pytest.mark.parametrize("now,text,iso,on_time", [
    ("2023-03-26T19:00:00+08:00", "零点过十分发出去行吗", "2023-03-27T00:10:00", False),     # the coming midnight
    ("2023-03-26T21:00:00+08:00", "凌晨两点发", "2023-03-27T02:00:00", False),
    ("2023-03-26T09:00:00+08:00", "下午三点过十分交", "2023-03-26T15:10:00", True),
    ("2023-03-23T10:00:00+08:00", "下个礼拜再交行不行", "2023-03-27T12:00:00", False),      # next week: its Monday
])
def test_midnight_and_next_week(call2023, now, text, iso, on_time):
    w = _w(now, text)
    assert w.at.replace(tzinfo=None).isoformat() == iso
    assert (w.moment < call2023.deadline) is on_time
