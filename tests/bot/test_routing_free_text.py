"""How staff type in WeCom, as routing (issue 13, second held-out set): questions ended by a space, greetings in
front, several questions about one record, requests to change the record, officers' free-text actions, and what
the notice does not say. Inputs written for these tests, not taken from the held-out sets."""
from __future__ import annotations

import pytest

from bot.normalize import normalize
from bot.understand import understander_for
from tests.bot.conftest import officer, tg
from tests.bot.test_access import bind


@pytest.fixture(scope="module")
def und(call2023, tmp_path_factory):
    from bot.slots import use_cache_dir

    cache = tmp_path_factory.mktemp("cache")
    use_cache_dir(cache)
    return understander_for(call2023, cache)


def intents(und, text):
    return [r.intent for r in und.read(normalize(text))]


def test_a_space_after_a_question_ends_it(und):
    assert intents(und, "方案最多能写几页 预算表要不要盖章") != intents(und, "方案最多能写几页")
    assert len(und.read(normalize("方案最多能写几页 预算表要不要盖章"))) == 2
    assert len(und.read(normalize("截止是哪天 中央补助最多给多少"))) == 2
    # what follows continues the question ("还是…") or names nothing of its own: one question
    assert len(und.read(normalize("青岛可以直接报给部里吗 还是要走山东省厅"))) == 1
    assert len(und.read(normalize("执行情况报告是必须的吗 具体要写些啥"))) == 1
    # a plainly off-topic tail is its own part
    rs = und.read(normalize("纸质版要不要寄 今天天气怎么样"))
    assert [r.spec.answer for r in rs] == ["rule", "scope"]


def test_a_greeting_in_front_does_not_hide_the_question(und):
    (r,) = und.read(normalize("您好 请问实施方案最多几页"))
    assert r.intent == "R13"
    (g,) = und.read(normalize("老师好"))
    assert g.spec.answer == "help"


def test_a_bare_question_word_asks_more_of_the_same_record(und):
    rs = und.read(normalize("未识别的那封邮件是谁发来的 几号"))
    assert [r.intent for r in rs] == ["officer_unidentified", "officer_unidentified"]
    assert rs[1].followup


async def test_several_questions_about_one_record_get_one_answer(seeded, engine):
    r = await engine.handle(officer(), "湖南几点到的 一共几页")
    assert r.kind == "officer" and "湖南省" in r.text and "页" in r.text
    two = await engine.handle(officer(), "湖南几点到的 广东呢")          # two records: two parts
    assert two.kind == "multi"


async def test_a_contact_cannot_change_the_record(seeded, engine, bot_services):
    hn = tg("601")
    await bind(engine, bot_services, hn, "湖南省")
    for text in ("帮我们把状态改成已申报", "把我们上午那份作废掉", "请把湖南的逾期撤销"):
        r = await engine.handle(hn, text)
        assert r.kind == "refuse" and "部里工作人员" in r.text, text
    # questions that only sound like it are answered
    assert (await engine.handle(hn, "方案改成9页行吗")).kind == "rule"
    assert (await engine.handle(tg("602"), "把青岛换成烟台可以吗")).kind in ("rule", "ask_back")


async def test_officer_free_text_actions_are_confirmed_first(seeded, engine):
    r = await engine.handle(officer(), "那封未识别的给河南吧")
    assert r.kind == "confirm" and "/assign" in r.text and "河南省" in r.text
    assert "已取消" in (await engine.handle(officer(), "取消")).text
    r = await engine.handle(officer(), "湖南的纸质件今天寄到了")
    assert r.kind == "confirm" and "/paper 湖南省" in r.text
    await engine.handle(officer(), "取消")
    r = await engine.handle(officer(), "湖南缺预算表那条先忽略")
    assert r.kind == "confirm" and "/override 湖南省" in r.text
    await engine.handle(officer(), "取消")
    # the same words as a question are a question
    assert (await engine.handle(officer(), "湖南的纸质件寄到了吗")).kind == "officer"


@pytest.mark.parametrize("text", ["中央补助分几批下达", "专家评审什么时候开始", "邮件附件大小有没有上限"])
async def test_what_the_notice_does_not_say_is_not_answered_as_a_rule(db, engine, text):
    r = await engine.handle(tg("603"), text)
    assert r.kind == "abstain" and "通知未明确" in r.text and "68553924" in r.text, r.text


async def test_when_a_clause_says_when_it_is_answered(db, engine):
    r = await engine.handle(tg("604"), "纸质版什么时候寄")
    assert r.kind == "rule" and "同时" in r.text


async def test_own_record_answers_carry_their_verdict(seeded, engine, bot_services):
    hb, gd = tg("611"), tg("612")
    await bind(engine, bot_services, hb, "河北省")              # the seed's late province
    await bind(engine, bot_services, gd, "广东省")              # filed on time
    late = await engine.handle(hb, "我们河北的赶上截止了没")
    assert late.kind == "own" and late.meta.verdict == "no"
    ok = await engine.handle(gd, "我们的材料算按时到了吗")
    assert ok.kind == "own" and ok.meta.verdict == "yes"


async def test_a_units_own_name_is_not_the_open_question(seeded, engine, bot_services):
    bt = tg("613")
    await bind(engine, bot_services, bt, "新疆生产建设兵团")
    r = await engine.handle(bt, "兵团的材料你们那边收到了吗")
    assert r.kind == "own" and "未申报" in r.text
    assert (await engine.handle(tg("614"), "兵团可以申报吗")).kind == "open"     # anyone else: O3


async def test_the_report_asked_about_stays_meant(db, engine):
    u = tg("615")
    await engine.handle(u, "去年有示范项目的省份要补交什么材料")
    r = await engine.handle(u, "那份报告占不占30页的篇幅")
    assert r.kind == "open" and "O2" in r.meta.open_ids and "可以：" not in r.text


async def test_one_mailbox_as_a_plan_is_the_open_question_as_a_status_is_the_record(seeded, engine, bot_services):
    hn = tg("616")
    await bind(engine, bot_services, hn, "湖南省")              # the seed's one-mailbox filing
    plan = await engine.handle(hn, "人社那个邮箱发不进去 我们光发财政部的 这样有效吧")
    assert plan.kind == "open" and "O1" in plan.meta.open_ids and "84208453" in plan.text
    status = await engine.handle(hn, "我们光发了财政部邮箱 你们收到了吗")
    assert status.kind == "own" and "湖南省" in status.text


def test_signature_bigrams_belong_to_one_intent_only():
    from bot.model import signatures

    corpus = [("方案要衔接吗", "R23"), ("怎么衔接", "R23"), ("方案几页", "R13"), ("方案最多几页", "R13"),
              ("债务一次", "R25")]
    sig = signatures(corpus)
    assert sig["衔接"] == "R23" and sig["几页"] == "R13"
    assert "方案" not in sig                     # two intents use it
    assert "债务" not in sig                     # used once: not enough to be a signature


def test_a_rare_rules_own_word_outweighs_a_common_one(und):
    (r,) = und.read(normalize("地方政府这块 项目会不会形成债务"))
    assert r.intent == "R25", r.why
    (r,) = und.read(normalize("通知对和其他项目衔接有啥要求"))
    assert r.intent == "R23", r.why


def test_a_year_is_not_a_period():
    from bot.numbers import months_in

    assert months_in("去年也就是22年的示范项目") is None
    assert months_in("我们省19年入选过") is None
    assert months_in("实施期10年可以吗") == 120
    assert months_in("项目干2年半") == 30


async def test_does_one_mailbox_count_is_open_for_anyone(db, engine):
    r = await engine.handle(tg("621"), "我们光发了财政部的 人社那个漏了 这样算报了吗")
    assert r.kind == "open" and "O1" in r.meta.open_ids


async def test_contacts_stated_count_and_cities_disagree(seeded, engine, bot_services):
    sd = tg("622")
    await bind(engine, bot_services, sd, "广东省")
    r = await engine.handle(sd, "我们报三个市 深圳")
    assert r.kind == "ask_back" and "可以：" not in r.text


async def test_our_record_changed_with_a_number_is_refused(seeded, engine, bot_services):
    gd = tg("623")
    await bind(engine, bot_services, gd, "广东省")
    assert (await engine.handle(gd, "帮我们把页数改成28页")).kind == "refuse"
    assert (await engine.handle(gd, "方案改成8页可以吗")).kind == "rule"


async def test_follow_ups_about_the_same_record(seeded, engine, bot_services):
    hn = tg("624")
    await bind(engine, bot_services, hn, "湖南省")
    await engine.handle(hn, "我们的材料都收到了吗")
    r = await engine.handle(hn, "那绩效表呢")
    assert r.kind == "own" and "湖南省" in r.text
    await engine.handle(officer(), "有几封来源不明的邮件")
    d = await engine.handle(officer(), "发件人叫啥")
    assert d.kind == "officer" and "S000004" in d.text


def test_digits_with_chinese_units_are_one_number():
    from bot.numbers import arabic, central_amount

    assert central_amount(arabic("中央给2千万够不够")) == 2000          # was read as 2 then 千万: 1.2亿
    assert central_amount(arabic("中央补助0.8千万")) == 800
    assert central_amount(arabic("中央补助三千4百万")) == 3400
    assert central_amount(arabic("中央补助9800万")) == 9800


def test_month_and_day_with_a_dot_or_slash_is_a_date():
    from datetime import datetime, timedelta, timezone

    from bot.when import when_in

    now = datetime(2023, 3, 24, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert when_in("3.28上午发行吗", now).at.date().isoformat() == "2023-03-28"
    assert when_in("3/25晚上传过去", now).at.date().isoformat() == "2023-03-25"
    assert when_in("实施期1.5年", now) is None and when_in("中央2.5千万", now) is None


async def test_a_follow_up_arguing_one_city_is_about_the_same_list(db, engine):
    u = tg("631")
    assert (await engine.handle(u, "辽宁报沈阳和锦州行吗")).meta.verdict == "no"
    r = await engine.handle(u, "沈阳可是副省级城市 也不行吗")
    assert r.meta.verdict == "no" and "计划单列市" in r.text
    assert (await engine.handle(u, "那只报沈阳呢")).meta.verdict == "yes"


async def test_asking_the_bot_to_change_our_record_is_refused_even_as_a_question(seeded, engine, bot_services):
    hb = tg("632")
    await bind(engine, bot_services, hb, "河北省")
    assert (await engine.handle(hb, "可不可以帮我们改成按时 邮件是提前发的")).kind == "refuse"
    r = await engine.handle(hb, "咱们是不是晚了")
    assert r.kind == "own" and r.meta.verdict == "no"


def test_a_remark_after_a_question_is_not_a_question(und):
    rs = und.read(normalize("申报要附哪些材料？麻烦了"))
    assert [r.intent for r in rs] == [und.read(normalize("申报要附哪些材料"))[0].intent]
    assert len(und.read(normalize("绩效目标由谁填？省厅还是市局"))) == 1
    assert len(und.read(normalize("截止几号？联系人电话？"))) == 2
