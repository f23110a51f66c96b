"""Verdicts: the quota over every province × city pair (exhaustive on the verdict, sampled end to end with
hypothesis, derandomized in the suite), and open questions never answered with a computed 可以/不行."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import answer_types as A
from bot import verdicts
from bot.access import PUBLIC, Caller, Identity
from bot.dialogue import ChatState
from bot.normalize import normalize
from core.places import CITY, load_gazetteer
from tests_support.chat_eval import CASES

VERDICT_LINE = ("可以：", "不行：", "不可以：")


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    return load_gazetteer(tmp_path_factory.mktemp("gaz"))


def test_quota_every_province_and_city(call2023, gaz):
    units = {p.name: p for p in call2023.provinces}
    selected = {c for rnd in call2023.selected if rnd.year < int(call2023.id) for c, _ in rnd.cities}
    checked = 0
    for unit in units.values():
        own = [c.name for c in gaz.cities(unit.name)]
        for city in own:
            v = verdicts.quota(call2023, unit.name, [city], None)
            assert v.ok is (city not in selected), (unit.name, city)
            if unit.cp_city and city != unit.cp_city:
                pair = verdicts.quota(call2023, unit.name, [unit.cp_city, city], None)
                assert pair.ok is True and "= 2 个" in pair.lines[0], (unit.name, city)
            other = next((c for c in own if c not in (city, unit.cp_city)), None)
            if other and city != unit.cp_city:
                assert verdicts.quota(call2023, unit.name, [city, other], None).ok is False
            checked += 1
    assert checked > 330                               # every prefecture-level city of the 31 provinces


@pytest.fixture(scope="module")
def answerer(call2023, tmp_path_factory):
    from config.clock import FixedClock
    from config.settings import load_settings
    from core.archive import Archive
    from core.services import Services
    from datetime import datetime, timezone

    from bot.answering import Answerer
    from bot.slots import use_cache_dir
    from bot.understand import understander_for

    cache = tmp_path_factory.mktemp("cache")
    use_cache_dir(cache)
    tmp = tmp_path_factory.mktemp("data")
    s = Services(load_settings({"SHENBAO_DATA_DIR": str(tmp)}), call2023,
                 FixedClock(datetime(2023, 3, 20, tzinfo=timezone.utc)), Archive(tmp / "archive"))
    return Answerer(s, understander_for(call2023, cache))


def _pairs(call):
    gaz = load_gazetteer(None)
    units = [p for p in call.provinces if p.type != "兵团"]
    return [(u.name, c.name) for u in units for c in gaz.places if c.level == CITY and c.province in
            {x.name for x in units}]


@settings(max_examples=250)
@given(st.data())
def test_quota_end_to_end(answerer, call2023, data):
    pairs = _pairs(call2023)
    unit, city = data.draw(st.sampled_from(pairs))
    short = next(p.aliases[0] for p in call2023.provinces if p.name == unit)
    gaz = load_gazetteer(None)
    c = gaz.city(city)
    text = f"{short}报{(c.short if c else city)}行吗"
    import asyncio

    ans = asyncio.run(answerer.answer(Caller("terminal", "p"), Identity(PUBLIC), normalize(text), ChatState(None)))
    if c is not None and c.province == unit:
        assert isinstance(ans, A.QuotaAnswer) and ans.verdict is not None, text
        assert ans.verdict.ok is True, text
    elif c is not None:
        assert isinstance(ans, A.AskBack), text            # a city of another province: ask, never a verdict


def _open_questions(call2023):
    from config.understanding import load_understanding

    u = load_understanding(call2023)
    texts = [(o.id, t) for o in call2023.open_questions if o.id != "O8" for t in u.intent(o.id).paraphrases]
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        for turn in case["turns"]:
            e = turn["expect"]
            if e["answer"] == "open" and len(case["turns"]) == 1 and case["as"] == "anyone":
                texts.append((e["open"][0], turn["text"]))
    return texts


def test_open_questions_never_get_a_computed_verdict(answerer, call2023):
    import asyncio

    from bot.render import render

    wrong = []
    for oid, text in _open_questions(call2023):
        ans = asyncio.run(answerer.answer(Caller("terminal", "o"), Identity(PUBLIC), normalize(text), ChatState(None)))
        out = render(ans)
        if any(v in out for v in VERDICT_LINE) or A.meta(ans).verdict is not None:
            wrong.append((oid, text, out[:80]))
    assert not wrong, wrong
    assert len(_open_questions(call2023)) > 100


def test_a_rule_the_notice_states_never_opens_with_unsettled(answerer, call2023):
    """Every paraphrase of a rule R01–R35 asked by anyone: the answer never opens with 通知未明确 (the issue's
    'a clear rule presented as unsettled'), and it rests on a rule."""
    import asyncio

    from bot.render import render
    from config.understanding import load_understanding

    u = load_understanding(call2023)
    wrong = []
    n = 0
    for r in call2023.rules:
        for text in u.intent(r.id).paraphrases:
            n += 1
            ans = asyncio.run(answerer.answer(Caller("terminal", "r"), Identity(PUBLIC), normalize(text), ChatState(None)))
            out = render(ans)
            if out.startswith("通知未明确") or A.meta(ans).kind in ("open", "abstain", "scope"):
                wrong.append((r.id, text, out[:60]))
    assert n >= 35 * 15
    assert not wrong, wrong
