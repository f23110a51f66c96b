"""Watcher health: a mailbox with no successful IMAP round-trip for 5 minutes is down; officers are told
once when it goes down and once when it recovers (state kept in ScheduledRun, kind ``health``)."""
from __future__ import annotations

import logging
from datetime import datetime

from tortoise.exceptions import IntegrityError

from bot.digest.data import MailboxHealth
from core.notify import notify_officers
from config.settings import OutgoingSettings
from core.services import Services
from models.receipt import MailboxCursor
from models.schedule import ScheduledRun

log = logging.getLogger("shenbao.bot.health")


def _label(services: Services, key: str) -> str:
    try:
        m = services.call.mailbox(key)
        return f"{m.org}邮箱 {m.address}"
    except KeyError:
        return key


async def mailbox_health(services: Services, now: datetime, out: OutgoingSettings,
                         first_seen: dict[str, datetime] | None = None) -> list[MailboxHealth]:
    """One entry per call mailbox: ``ok``, ``down`` (no round-trip within the window) or ``unwatched``.

    A mailbox is watched when an IMAP account is configured for it or a cursor row exists. A watched
    mailbox without any round-trip yet counts from ``first_seen`` (when the health check first looked).
    """
    configured = {a.mailbox for a in services.settings.imap_accounts}
    cursors = await MailboxCursor.all()
    out_rows = []
    for m in services.call.mailboxes:
        mine = [c for c in cursors if c.mailbox == m.key]
        if not mine and m.key not in configured:
            out_rows.append(MailboxHealth(m.key, _label(services, m.key), "unwatched"))
            continue
        oks = [c.last_ok_at for c in mine if c.last_ok_at]
        last_ok = max(oks) if oks else None
        errors = [c for c in mine if c.last_error]
        last_error = max(errors, key=lambda c: c.updated_at).last_error if errors else None
        ref = last_ok or (first_seen or {}).get(m.key)
        state = "ok" if ref is not None and now - ref <= out.health_stale else "down"
        out_rows.append(MailboxHealth(m.key, _label(services, m.key), state, last_ok, last_error))
    return out_rows


async def _state(key: str, now: datetime) -> ScheduledRun:
    slot = f"state:{key}"
    row = await ScheduledRun.filter(kind="health", slot=slot).first()
    if row is None:
        try:
            row = await ScheduledRun.create(kind="health", slot=slot, at=now,
                                            detail={"down": False, "episode": 0, "first_seen": now.isoformat()})
        except IntegrityError:
            row = await ScheduledRun.get(kind="health", slot=slot)
    return row


async def check_health(services: Services, out: OutgoingSettings, now: datetime) -> list[str]:
    """Compare each watched mailbox with its recorded state; queue a notice on each transition."""
    states = {m.key: await _state(m.key, now) for m in services.call.mailboxes}
    first_seen = {k: datetime.fromisoformat(r.detail["first_seen"]) for k, r in states.items()}
    notices = []
    for h in await mailbox_health(services, now, out, first_seen):
        if h.state == "unwatched":
            continue
        row = states[h.key]
        d = dict(row.detail)
        down = h.state == "down"
        if down == d.get("down", False):
            continue
        local = services.call.to_local
        if down:
            d["episode"] = d.get("episode", 0) + 1
            since = local(h.last_ok_at).strftime("%m-%d %H:%M:%S") if h.last_ok_at else "启动以来"
            text = (f"【收件监视告警】{h.label} 已超过{int(out.health_stale.total_seconds() // 60)}分钟没有成功连接"
                    f"（最近一次成功：{since}）。" + (f"错误：{h.last_error}。" if h.last_error else "") +
                    "在此期间到达的邮件仍在邮箱中，恢复后会按服务器收件时间补收；请检查网络和邮箱授权码。")
            subject = f"【告警】收件监视中断：{h.label}"
        else:
            text = (f"【收件监视恢复】{h.label} 已恢复（{local(h.last_ok_at):%m-%d %H:%M:%S} 成功连接）。"
                    "中断期间的来信按服务器收件时间登记。")
            subject = f"【恢复】收件监视：{h.label}"
        key = f"health:{h.key}:{d['episode']}:{'down' if down else 'up'}"
        await notify_officers(out, key=key, now=now, text=text, subject=subject)
        d["down"], d["changed_at"] = down, now.isoformat()
        row.detail, row.at = d, now
        await row.save(update_fields=["detail", "at"])
        log.warning("watcher health: %s is %s", h.key, "DOWN" if down else "back up")
        notices.append(key)
    return notices
