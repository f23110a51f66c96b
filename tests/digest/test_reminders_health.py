"""Reminders' rules (who, when, never after the deadline) and watcher-health alerts (down once, up once)."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.health import check_health, mailbox_health
from bot.reminders import queue_reminders
from models.chat import ChatBinding
from models.outbox import OutboxMessage
from models.receipt import MailboxCursor
from tests.digest import fixture_units
from tests.digest.conftest import make_services

SLOT_AT = datetime.fromisoformat("2023-03-26T00:00:00+08:00")


async def bind(channel, user, chat, province, revoked=None):
    await ChatBinding.create(channel=channel, user_id=user, chat_id=chat, province=province, bound_at=SLOT_AT,
                             revoked_at=revoked)


async def test_reminders_go_to_unfiled_and_erroneous_provinces_only(outdb, tmp_path, call):
    s = make_services(tmp_path, call, SLOT_AT)
    out = s.settings.outgoing
    await fixture_units.build(s, "morning")
    await bind("telegram", "u11", "11", "江苏省")          # not filed
    await bind("wecom", "hebei", "hebei", "河北省")        # filed, error missing_plan
    await bind("telegram", "u12", "12", "山东省")          # filed cleanly
    await bind("telegram", "u14", "14", "北京市")          # filed, only a warning (paper copy)
    await bind("telegram", "u15", "15", "上海市", revoked=SLOT_AT)   # revoked binding
    slot = "reminder:24h:2023-03-26T00:00+08:00"
    assert await queue_reminders(s, out, slot=slot, now=SLOT_AT) == 2
    rows = {m.recipient: m for m in await OutboxMessage.all()}
    assert set(rows) == {"11", "hebei"} and rows["hebei"].channel == "wecom"
    assert rows["11"].body.startswith("【申报提醒】江苏省：截至03月26日00:00，两个邮箱均未收到贵省公共就业服务能力提升示范项目的申报材料。")
    assert "申报截止时间为2023年3月26日24时前（北京时间，剩余1天0小时）" in rows["11"].body
    assert "逾期发送的视为未申报" in rows["11"].body
    assert "1. 缺实施方案：missing_plan 的说明（测试）" in rows["hebei"].body
    assert "纸质版" not in rows["hebei"].body                 # warnings are not what to fix
    assert await queue_reminders(s, out, slot=slot, now=SLOT_AT + timedelta(minutes=1)) == 0   # never twice


async def test_no_reminders_at_or_after_the_deadline(outdb, tmp_path, call):
    s = make_services(tmp_path, call, call.deadline)
    await fixture_units.build(s, "morning")
    await bind("telegram", "u11", "11", "江苏省")
    out = s.settings.outgoing
    assert await queue_reminders(s, out, slot="reminder:x", now=call.deadline) == 0
    assert await queue_reminders(s, out, slot="reminder:y", now=call.deadline + timedelta(hours=1)) == 0
    assert await OutboxMessage.all().count() == 0


async def cursor(mailbox, last_ok, error=None):
    await MailboxCursor.update_or_create(account=f"{mailbox}@163.com", folder="INBOX", defaults=dict(
        mailbox=mailbox, uidvalidity=1, last_uid=5, updated_at=last_ok, last_ok_at=last_ok, last_error=error))


async def test_watcher_down_told_once_and_recovery_told_once(outdb, tmp_path, call):
    t0 = datetime.fromisoformat("2023-03-26T20:00:00+08:00")
    s = make_services(tmp_path, call, t0)
    out = s.settings.outgoing
    await cursor("mof", t0)
    await cursor("mohrss", t0)
    assert await check_health(s, out, t0 + timedelta(minutes=1)) == []
    await cursor("mohrss", t0 + timedelta(minutes=6))          # MOHRSS keeps working; MOF stops at t0
    assert await check_health(s, out, t0 + timedelta(minutes=5)) == []      # exactly 5 min: not yet
    await cursor("mof", t0, error="imap.163.com: ConnectionRefusedError")
    assert await check_health(s, out, t0 + timedelta(minutes=5, seconds=1)) == ["health:mof:1:down"]
    assert await check_health(s, out, t0 + timedelta(minutes=7)) == []    # told once
    alerts = await OutboxMessage.filter(key__startswith="health:mof:1:down")
    assert {(m.channel, m.recipient) for m in alerts} == {("telegram", "1001"), ("wecom", "liming"),
                                                          ("email", "staff1@mof.example.cn"), ("email", "staff2@mof.example.cn")}
    text = alerts[0].body
    assert text.startswith("【收件监视告警】财政部社会保障司邮箱 sbsjyc@163.com 已超过5分钟没有成功连接（最近一次成功：03-26 20:00:00）")
    assert "ConnectionRefusedError" in text
    health = {h.key: h.state for h in await mailbox_health(s, t0 + timedelta(minutes=7), out)}
    assert health == {"mof": "down", "mohrss": "ok"}
    await cursor("mof", t0 + timedelta(minutes=9))
    assert await check_health(s, out, t0 + timedelta(minutes=9)) == ["health:mof:1:up"]
    assert await check_health(s, out, t0 + timedelta(minutes=10)) == []
    up = await OutboxMessage.filter(key__startswith="health:mof:1:up", channel="telegram").first()
    assert up.body.startswith("【收件监视恢复】财政部社会保障司邮箱 sbsjyc@163.com 已恢复（03-26 20:09:00 成功连接）")
    assert await check_health(s, out, t0 + timedelta(minutes=20)) == ["health:mof:2:down", "health:mohrss:1:down"]


async def test_configured_mailbox_that_never_connected_alerts_after_the_window(outdb, tmp_path, call):
    t0 = datetime.fromisoformat("2023-03-26T20:00:00+08:00")
    env = {"SHENBAO_IMAP_MOF_HOST": "imap.163.com", "SHENBAO_IMAP_MOF_USER": "sbsjyc@163.com",
           "SHENBAO_IMAP_MOF_PASSWORD": "AUTHCODE123"}
    s = make_services(tmp_path, call, t0, env)
    out = s.settings.outgoing
    assert await check_health(s, out, t0) == []                 # first look: the window starts now
    assert await check_health(s, out, t0 + timedelta(minutes=4)) == []
    assert await check_health(s, out, t0 + timedelta(minutes=6)) == ["health:mof:1:down"]
    states = {h.key: h.state for h in await mailbox_health(s, t0, out)}
    assert states["mohrss"] == "unwatched"                       # no IMAP account and no cursor: not alerted
