"""The question set through the real engine (seeded database): the kind of answer and expected facts per question."""
from __future__ import annotations

from bot.access import Caller
from tests.bot.conftest import officer
from tests.bot.questions import QUESTIONS

# the question set names what it expects the old way (the intent); the answer's kind is what counts now
KIND = {"deadline": "rule", "countdown": "rule", "rule": "rule", "materials": "rule", "quota": "rule",
        "mailboxes": "rule", "contacts": "rule", "open_question": "open", "help": "scope", "unknown": "scope",
        "overview": "officer", "unidentified": "officer"}


def callers():
    return {"public": Caller("telegram", "100"), "hn": Caller("terminal", "x", as_province="湖南省"),
            "gd": Caller("terminal", "y", as_province="广东省"), "officer": officer()}


def expected_kind(role: str, intent: str, facts) -> str:
    if any(f in ("先绑定", "只对部里工作人员开放") or f.startswith(("只能查询", "不能查看")) for f in facts):
        return "refuse"
    if intent in ("status", "dossier"):
        return "officer" if role == "officer" else "own"
    return KIND[intent]


def test_question_set_is_large_enough():
    assert len(QUESTIONS) >= 60


async def test_question_set(seeded, engine):
    who = callers()
    wrong = []
    for role, q, intent, facts in QUESTIONS:
        r = await engine.handle(who[role], q)
        want = expected_kind(role, intent, facts)
        missing = [f for f in facts if f not in r.text]
        if r.kind != want or missing:
            wrong.append((role, q, r.kind, want, missing, r.text[:300]))
    assert not wrong, "\n".join(map(str, wrong))
