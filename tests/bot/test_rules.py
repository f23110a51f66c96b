"""Rule answers quote the notice's clause with its section; open questions say 通知未明确 with both contacts;
numbers come from the call config."""
from __future__ import annotations

import dataclasses

from bot import compose as queries
from bot.advice import advice_for
from bot.render import render

NOTICE = open("/work/shared/notice-2023.md", encoding="utf-8").read() if __import__("os").path.exists(
    "/work/shared/notice-2023.md") else None


def test_every_rule_and_open_question_has_chinese(call2023):
    assert len(call2023.rules) == 35 and len(call2023.open_questions) == 8
    assert all(r.text_zh for r in call2023.rules)
    assert all(o.text_zh and o.practice_zh for o in call2023.open_questions)


def test_every_rule_answer_quotes_its_clause_and_section(call2023):
    for r in call2023.rules:
        text = render(queries.rule_answer(call2023, r.id))
        item = queries.rule_item(call2023, r.id)
        assert item.clause and item.clause in text
        assert f"通知原文（{item.section}）" in text
        assert r.text_zh in text
        assert "same as" not in text


def test_quoted_clauses_are_the_notice_s_words(call2023):
    if NOTICE is None:
        return
    body = "".join(NOTICE.replace("“", '"').replace("”", '"').split())
    for r in call2023.rules:
        for piece in queries.rule_item(call2023, r.id).clause.replace("”“", "；").split("；"):
            piece = "".join(piece.strip().strip("（）").replace("“", '"').replace("”", '"').split())
            assert piece.rstrip("。") in body, (r.id, piece)


def test_section_of_plan_page_limit(call2023):
    text = render(queries.rule_answer(call2023, "R13"))
    assert "通知原文（二（三））：“实施方案不得超过10页”" in text


def test_open_questions(call2023):
    for o in call2023.open_questions:
        text = render(queries.rule_answer(call2023, o.id))
        assert text.startswith("通知未明确")
        for c in call2023.contacts:
            assert c.name in text and c.phone in text and c.email in text
        assert f"本系统做法（非通知规定）：{o.practice_zh}" in text


def test_numbers_come_from_the_config(call2023):
    lim = dataclasses.replace(call2023.limits, plan_max_pages=7, filing_max_pages=25)
    other = dataclasses.replace(call2023, limits=lim, deadline_text="2024年4月1日24时前")
    assert "7页" in advice_for(other, "plan_over_page_limit")
    assert "25页" in advice_for(other, "total_over_page_limit")
    assert "2024年4月1日24时前" in render(queries.deadline(other, other.deadline))
    assert "不超过7页" in render(queries.materials(other))


def test_quota_uses_the_province_s_planned_city(call2023):
    a = queries.quota(call2023, "辽宁省", ["大连市", "沈阳市"])
    assert a.quota == 2 and a.allowed
    a = queries.quota(call2023, "辽宁省", ["沈阳市", "鞍山市"])
    assert a.quota == 1 and a.allowed is False
