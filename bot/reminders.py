"""Deadline reminders to bound provincial contacts (ChatBinding), at configured offsets before the deadline.

Who gets one: a province that has not filed ("尚未收到"), and a province that filed but has open errors
(what to fix). Never a province that filed without errors; never at or after the deadline.
"""
from __future__ import annotations

import logging
from datetime import datetime

from bot.digest.data import format_left
from core.findings import code_zh
from core.outbox import enqueue
from config.settings import OutgoingSettings
from core.register import ProvinceRow, build_register
from core.services import Services
from models.chat import ChatBinding

log = logging.getLogger("shenbao.bot.reminders")


def reminder_text(services: Services, row: ProvinceRow, now: datetime) -> str | None:
    """The reminder for one province at ``now``, or None when it needs none."""
    call = services.call
    if now >= call.deadline:
        return None
    deadline = f"{call.deadline_text}（北京时间，{format_left(call.deadline - now)}）"
    boxes = "、".join(f"{m.address}（{m.org}）" for m in call.mailboxes)
    if row.status == "not_filed":
        return (f"【申报提醒】{row.province}：截至{call.to_local(now):%m月%d日%H:%M}，两个邮箱均未收到贵省"
                f"{call.programme}的申报材料。申报截止时间为{deadline}，请发送至{boxes}；"
                f"逾期发送的{call.late_outcome}（以服务器收到时间为准）。")
    errors = [f for f in row.findings if f.severity == "error"]
    if row.status != "filed" or not errors:
        return None
    lines = [f"【申报提醒】{row.province}：已收到贵省申报材料，预审发现以下问题，请在截止前（{deadline}）"
             "修改后重新发送完整材料（以最后一次按时报送为准）："]
    lines += [f"{i}. {code_zh(f.code)}：{f.message}" for i, f in enumerate(errors, 1)]
    lines.append(f"发送邮箱：{boxes}。")
    return "\n".join(lines)


async def queue_reminders(services: Services, out: OutgoingSettings, *, slot: str, now: datetime) -> int:
    """Queue this slot's reminders to every bound contact who needs one; return how many were queued."""
    if now >= services.call.deadline:
        return 0
    bindings = await ChatBinding.filter(revoked_at__isnull=True, chat_id__not_isnull=True).order_by("id")
    if not bindings:
        return 0
    reg = await build_register(services.call, now)
    by_province = {r.province: r for r in reg.rows}
    n = 0
    for b in bindings:
        row = by_province.get(b.province)
        text = reminder_text(services, row, now) if row else None
        if not text:
            continue
        _, created = await enqueue(key=f"{slot}:{b.province}:{b.channel}:{b.chat_id}", channel=b.channel,
                                   recipient=b.chat_id, body=text, now=now, subject="申报提醒")
        n += created
    log.info("reminders %s: %d queued", slot, n)
    return n
