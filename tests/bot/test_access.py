"""Authorization matrix (unbound / contact of A / contact of B / officer × commands and free-text intents) and
binding codes (hashed, single-use, expiring, rate-limited; rebinding and revocation)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot import answer_types as A
from bot.access import MAX_FAILED, Caller, hash_code, issue_code
from models.audit import AuditEntry
from models.chat import BindingCode, ChatBinding
from tests.bot.conftest import officer, tg

HN, GD = tg("501"), tg("502")           # bound below to 湖南省 and 广东省
UNBOUND = tg("503")

PUBLIC_QUESTIONS = ["/help", "/rules", "/rules 实施方案几页", "/deadline", "/contacts", "截止时间是什么时候？",
                    "实施方案最多几页？", "需要附哪些材料？", "山东能报青岛和济南两个吗？", "联系人电话？", "发到哪个邮箱？",
                    "只发了一个邮箱可以吗", "离截止还有多久", "你好", "乱七八糟"]
OWN_DATA = ["/status", "我们的材料收到了吗？", "哪里有问题？", "还差什么？", "我省情况怎么样", "纸质版登记了吗"]
OFFICER_ONLY = ["/overview", "总览", "/unidentified", "未识别的邮件", "/assign S000004 广东省 主题写明",
                "/kind 1 plan 标题", "/cities 广东省 深圳市 核实", "/paper 广东省 2023-03-25 SF1",
                "/override 广东省 late 测试", "/code 湖南省", "/revoke 广东省", "/bindings"]


async def bind(engine, services, caller: Caller, province: str):
    code, _ = await issue_code(services, province, actor="test")
    r = await engine.handle(caller, f"/bind {code}")
    assert isinstance(r.answer, A.Bound) and r.answer.province == province
    return code


@pytest.fixture
async def bound(seeded, engine, bot_services):
    await bind(engine, bot_services, HN, "湖南省")
    await bind(engine, bot_services, GD, "广东省")


def other_province_phrasings(call, own: str) -> list[str]:
    out = []
    for p in call.provinces:
        if p.name == own:
            continue
        for form in {p.name, *p.aliases}:
            out += [f"{form}的呢？", f"{form}的材料收到了吗", f"/status {form}", f"/dossier {form}",
                    f"{form}还差什么", f"{form}哪里有问题", f"看看{form}情况怎么样", f"{form}"]
    for cp in call.cp_cities:
        if cp.province != own:
            out += [f"{cp.city.removesuffix('市')}的呢", f"{cp.city}的材料收到了吗"]
    return out


async def test_public_questions_for_everyone(bound, engine):
    for who in (UNBOUND, HN, GD, officer()):
        for q in PUBLIC_QUESTIONS:
            r = await engine.handle(who, q)
            assert not isinstance(r.answer, (A.Refusal, A.DossierAnswer, A.OverviewAnswer)), (who, q, r.text)


async def test_own_data(bound, engine):
    for q in OWN_DATA:
        assert isinstance((await engine.handle(UNBOUND, q)).answer, A.Refusal)
        for who, prov in ((HN, "湖南省"), (GD, "广东省")):
            a = (await engine.handle(who, q)).answer
            assert isinstance(a, A.DossierAnswer) and a.province == prov, (who, q)
        assert isinstance((await engine.handle(officer(), q)).answer, (A.OverviewAnswer, A.DossierAnswer))


async def test_officer_only(bound, engine):
    for q in OFFICER_ONLY:
        for who in (UNBOUND, HN, GD):
            r = await engine.handle(who, q)
            assert isinstance(r.answer, A.Refusal) and r.answer.reason == "officer_only", (who, q, r.text)


async def test_officer_answers(bound, engine):
    for q in OFFICER_ONLY[:4] + ["/dossier 广东", "湖南的情况"]:
        r = await engine.handle(officer(), q)
        assert not isinstance(r.answer, (A.Refusal, A.ActionFailed)), (q, r.text)


async def test_contact_never_sees_another_province(bound, engine, call2023):
    for who, own, other_file in ((HN, "湖南省", "广东省申报文件.pdf"), (GD, "广东省", "湖南实施方案.pdf")):
        for q in other_province_phrasings(call2023, own):
            r = await engine.handle(who, q)
            a = r.answer
            assert not (isinstance(a, A.DossierAnswer) and a.province != own), (own, q)
            assert other_file not in r.text and not isinstance(a, (A.OverviewAnswer, A.UnidentifiedAnswer))
    r = await engine.handle(HN, "广东的呢？")
    assert r.answer == A.Refusal("other_province", asked="广东省", own="湖南省")
    assert "只能查询湖南省" in r.text


async def test_unbound_never_sees_data(bound, engine, call2023):
    for q in other_province_phrasings(call2023, "") + OWN_DATA:
        a = (await engine.handle(UNBOUND, q)).answer
        assert not isinstance(a, (A.DossierAnswer, A.OverviewAnswer, A.UnidentifiedAnswer)), q


# --- binding codes ----------------------------------------------------------------------------

async def test_code_is_stored_hashed_and_single_use(seeded, engine, bot_services):
    code, row = await issue_code(bot_services, "湖南", actor="telegram:9001")
    assert row.province == "湖南省" and row.code_hash == hash_code(code)
    assert not await BindingCode.filter(code_hash__contains=code.replace("-", "")).exists()
    r1 = await engine.handle(tg("700"), code.lower())          # the bare code, lower case, also binds
    assert isinstance(r1.answer, A.Bound)
    r2 = await engine.handle(tg("701"), f"/bind {code}")
    assert isinstance(r2.answer, A.ActionFailed) and "已被使用" in r2.text
    assert await AuditEntry.filter(action="binding.bound", target="湖南省").count() == 1


async def test_code_expires(seeded, engine, bot_services, clock):
    code, _ = await issue_code(bot_services, "湖南省", actor="t")
    clock.advance(hours=73)
    r = await engine.handle(tg("702"), f"/bind {code}")
    assert isinstance(r.answer, A.ActionFailed) and "过期" in r.text


async def test_guessing_is_rate_limited(seeded, engine, bot_services, clock):
    good, _ = await issue_code(bot_services, "湖南省", actor="t")
    for i in range(MAX_FAILED):
        r = await engine.handle(tg("703"), f"/bind ABCD-{2345 + i}")
        assert "不正确" in r.text
    r = await engine.handle(tg("703"), f"/bind {good}")          # even the right code is refused now
    assert isinstance(r.answer, A.ActionFailed) and "尝试次数过多" in r.text
    assert await BindingCode.filter(used_at__isnull=True).count() == 1
    clock.advance(minutes=16)
    assert isinstance((await engine.handle(tg("703"), f"/bind {good}")).answer, A.Bound)


async def test_rebind_and_revoke(seeded, engine, bot_services):
    who = tg("704")
    await bind(engine, bot_services, who, "湖南省")
    code, _ = await issue_code(bot_services, "广东省", actor="t")
    r = await engine.handle(who, f"/bind {code}")
    assert r.answer == A.Bound("广东省", "湖南省")
    assert (await engine.handle(who, "/status")).answer.province == "广东省"
    r = await engine.handle(officer(), "/revoke 广东省")
    assert "1 个绑定" in r.text
    assert isinstance((await engine.handle(who, "/status")).answer, A.Refusal)
    await bind(engine, bot_services, who, "湖南省")
    assert (await engine.handle(who, "/unbind")).text.startswith("已完成")
    assert not await ChatBinding.filter(user_id="704", revoked_at__isnull=True).exists()


async def test_officer_issues_code_in_chat(seeded, engine):
    r = await engine.handle(officer(), "/code 粤")
    assert isinstance(r.answer, A.CodeIssued) and r.answer.province == "广东省"
    assert isinstance((await engine.handle(tg("705"), f"/bind {r.answer.code}")).answer, A.Bound)


async def test_issued_codes_are_always_recognised_bare(seeded, bot_services):
    from bot.access import looks_like_code

    for _ in range(60):
        code, _ = await issue_code(bot_services, "湖南省", actor="t")
        assert looks_like_code(code) and looks_like_code(code.lower().replace("-", ""))


def test_officer_list_is_parsed_once_for_notices_and_authorisation(tmp_path, clock, call2023):
    """"9001 9002" (space separated) both notifies and authorises both officers (one parser in config)."""
    from bot.access import officer_ids
    from config.settings import load_settings
    from core.archive import Archive
    from core.services import Services

    s = Services(settings=load_settings({"SHENBAO_DATA_DIR": str(tmp_path), "SHENBAO_OFFICERS_TELEGRAM": "9001 9002",
                                         "SHENBAO_OFFICERS_WECOM": "zhang；li"}),
                 call=call2023, clock=clock, archive=Archive(tmp_path / "a"))
    assert officer_ids(s) == {"telegram": {"9001", "9002"}, "wecom": {"zhang", "li"}, "dingtalk": set()}
    assert s.settings.outgoing.officer_chats() == [("telegram", "9001"), ("telegram", "9002"),
                                                   ("wecom", "zhang"), ("wecom", "li")]


async def test_thirty_concurrent_guesses_are_locked_out(seeded, engine, bot_services):
    """Check-then-insert let 30 simultaneous /bind tries all pass the limit (0 lockouts); now the try is
    recorded first, so at most MAX_FAILED of them are even checked."""
    import asyncio

    good, _ = await issue_code(bot_services, "湖南省", actor="t")
    guesses = [f"/bind ABCD-{2345 + i}" for i in range(29)] + [f"/bind {good}"]
    results = await asyncio.gather(*(engine.handle(tg("777"), g) for g in guesses))
    locked = sum("尝试次数过多" in r.text for r in results)
    checked = sum("不正确" in r.text for r in results) + sum(isinstance(r.answer, A.Bound) for r in results)
    assert checked <= MAX_FAILED and locked >= 30 - MAX_FAILED, (checked, locked)
