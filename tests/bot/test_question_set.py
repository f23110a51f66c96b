"""The question set through the real engine (seeded database): intent and expected facts per question."""
from __future__ import annotations

from bot.access import Caller
from tests.bot.conftest import officer
from tests.bot.questions import QUESTIONS


def callers():
    return {"public": Caller("telegram", "100"), "hn": Caller("terminal", "x", as_province="湖南省"),
            "gd": Caller("terminal", "y", as_province="广东省"), "officer": officer()}


def test_question_set_is_large_enough():
    assert len(QUESTIONS) >= 60


async def test_question_set(seeded, engine):
    who = callers()
    wrong = []
    for role, q, intent, facts in QUESTIONS:
        r = await engine.handle(who[role], q)
        missing = [f for f in facts if f not in r.text]
        if r.intent != intent or missing:
            wrong.append((role, q, r.intent, intent, missing, r.text[:300]))
    assert not wrong, "\n".join(map(str, wrong))
