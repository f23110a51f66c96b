"""Understanding as data, read by a trained model: paraphrases per rule, readings with confidence, several questions
per message, follow-ups, open questions over verdicts (no database)."""
from __future__ import annotations

import pytest

from config.understanding import MIN_PARAPHRASES, load_understanding
from bot.dialogue import ChatState
from bot.normalize import normalize
from bot.understand import understander_for


@pytest.fixture(scope="module")
def und(call2023, tmp_path_factory):
    from bot.slots import use_cache_dir

    cache = tmp_path_factory.mktemp("cache")
    use_cache_dir(cache)
    return understander_for(call2023, cache)


def test_every_rule_and_open_question_has_paraphrases(call2023):
    u = load_understanding(call2023)
    for r in call2023.rules:
        assert len(u.intent(r.id).paraphrases) >= MIN_PARAPHRASES, r.id
    for o in call2023.open_questions:
        assert len(u.intent(o.id).paraphrases) >= MIN_PARAPHRASES, o.id


def test_finding_rules_name_real_codes(call2023):
    from core.findings import SEVERITY

    u = load_understanding(call2023)
    assert set(u.finding_rules) <= set(SEVERITY)
    # every finding a province can be told about rests on a rule (the sender/import/file ones are the desk's)
    assert set(SEVERITY) - set(u.finding_rules) <= {"unknown_sender", "imported_time", "unreadable_attachment",
                                                    "unsupported_attachment_type", "time_from_received_header",
                                                    "time_set_by_operator", "split_archive_incomplete",
                                                    "encrypted_attachment", "forwarded_mail"}


@pytest.mark.parametrize("text,intent", [
    ("實施方案最多幾頁？", "R13"), ("实施放案篇幅", "R13"), ("截至时间", "R05"), ("只发一个邮箱行吗", "O1"),
    ("A3怎么算", "O5"), ("今天天气怎么样", "scope"), ("兵团报一个师可以吗", "O3"), ("上海报一个区可以吗", "O3"),
    ("青岛能不能自己单独报", "O4"), ("评审结果什么时候公布", "abstain"),
])
def test_readings(und, text, intent):
    (r,) = und.read(normalize(text))
    assert r.intent == intent, r.why


def test_several_questions_in_one_message(und):
    rs = und.read(normalize("中央补助最多多少 实施期几年 截止几号"))
    assert [r.intent for r in rs] == ["R18", "R19", "R05"]
    rs = und.read(normalize("方案最多几页 总共呢"))
    assert [r.intent for r in rs] == ["R13", "R14"]


def test_one_question_with_spaces_stays_one(und):
    assert len(und.read(normalize("人社部邮箱一直发不出去 只发了财政那个 算不算申报成功"))) == 1
    assert len(und.read(normalize("浙江报宁波一个 还有杭州 温州 一共两个市"))) == 1


def test_follow_up_keeps_the_question(und):
    st = ChatState(updated=None)
    (r,) = und.read(normalize("广东最多能报几个"))
    st.reading = r
    (f,) = und.read(normalize("浙江呢"), st)
    assert f.intent == r.intent and f.followup and f.slots.provinces == ["浙江省"]
