"""A bounded run of the held-out evaluation (tests/bot/heldout/cases.jsonl and heldout2/): the cases that do not depend on the
demo world (unbound askers, rule/open/verdict/abstain/scope/multi/follow-up questions), every third of them,
through the real engine over a real database, with an accuracy floor. The full run, with the demo world, is
``benchmarks/bench_bot.py``."""
from __future__ import annotations

from pathlib import Path

from tests_support.chat_eval import load_cases, play

SETS = [Path(__file__).with_name("heldout") / "cases.jsonl", Path(__file__).with_name("heldout2") / "cases.jsonl"]

FLOOR = 0.90
WORLD = {"own", "officer", "refuse", "confirm"}


def bounded_cases():
    out = []
    for c in (c for path in SETS for c in load_cases(path)):
        answers = {t["expect"]["answer"] for t in c["turns"]} | {
            p["answer"] for t in c["turns"] for p in t["expect"].get("parts", ())}
        if c.get("as", "anyone") == "anyone" and not answers & WORLD:
            out.append(c)
    return out[::3]


async def test_heldout_bounded(db, engine, clock):
    cases = bounded_cases()
    assert len(cases) >= 110 and {c["id"][0] for c in cases} == {"h", "k"}
    rep = await play(engine, clock, cases)
    wrong = [(r.case, r.text, r.why) for r in rep.results if not r.ok]
    assert rep.accuracy >= FLOOR, (rep.accuracy, wrong)


def test_outcomes_split_misleading_from_holding_back():
    from tests_support.chat_eval import Report, Result

    rep = Report([Result("a", "rule", 0, "q", True, [], "", 0.0, "rule ['R01'] [] None"),
                  Result("b", "rule", 0, "q", False, ["kind"], "", 0.0, "open [] ['O3'] None"),
                  Result("c", "rule", 0, "q", False, ["kind"], "", 0.0, "abstain [] [] None"),
                  Result("d", "abstain", 0, "q", True, [], "", 0.0, "abstain [] [] None")])
    assert rep.outcomes() == {"right": 2, "wrong_answer": 1, "wrong_hold_back": 1, "held_back": 2}
