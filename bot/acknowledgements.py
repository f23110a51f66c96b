"""回执: an e-mail to the sender of each new submission saying what arrived, when, in which mailbox, what
the pre-check found, and that the paper copy must be sent too.

Rules: at most one per submission (outbox key ``receipt:<ref>`` and a ScheduledRun ``receipt``/<ref>);
never to an auto-responder (the raw message re-parsed: Auto-Submitted, Precedence: bulk/junk/list); never
for imported/backfilled mail (Receipt.source == import) or mail older than SHENBAO_RECEIPT_MAX_AGE_HOURS;
never for an unidentified submission (no province: answering unknown senders is backscatter). It waits
until every copy is processed and both mailboxes have the mail, or SHENBAO_RECEIPT_DELAY_MINUTES passed.
A late submission's receipt says plainly that it was recorded as 逾期视为未申报.

Never abusable (DESIGN.md policy 8, issue 12): only to a registered sender (the address's owner learns of a
mail sent in its name) or an authenticated one (aligned DKIM / trusted Authentication-Results: From is real);
never quoting what the sender wrote beyond the subject, cut to SUBJECT_MAX characters with every link,
address and domain removed — no file names, no finding texts (they quote file names), only our own labels;
at most SHENBAO_RECEIPT_MAX_PER_DAY receipts to one address in 24 hours.
"""
from __future__ import annotations

import asyncio
import email.utils
import logging
import re
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.findings import code_zh
from core.vocabulary import SEVERITY_ZH, kind_zh
from core.outbox import email_payload, enqueue
from config.settings import OutgoingSettings
from precheck.parse import parse_mail
from core.register import build_register
from core.services import Services
from core.vocabulary import ReceiptStatus, Source
from models.outbox import OutboxMessage
from models.receipt import Receipt
from models.schedule import ScheduledRun
from models.submission import Document, Submission

log = logging.getLogger("shenbao.bot.acknowledgements")

SUBJECT_MAX = 40
_LINKISH = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:/*\S*|www\.\S*|\S+@\S+|[\w-]+(?:[.。．][\w-]+)+|[<>\[\]{}|\\^`]+)")
TRUSTED_FOR_RECEIPT = ("verified", "registered", "officer")


def safe_subject(text: str | None) -> str:
    """The sender's subject as a receipt may quote it: no link, address or domain, at most SUBJECT_MAX chars."""
    t = _LINKISH.sub("…", " ".join((text or "").split()))
    t = re.sub(r"…(\s*…)+", "…", t).strip()
    return (t[:SUBJECT_MAX] + "…") if len(t) > SUBJECT_MAX else (t or "（无主题）")


def _ext(filename: str) -> str:
    m = re.search(r"\.([A-Za-z0-9]{1,5})$", filename or "")
    return m.group(1).upper() if m else "文件"


def _paper_rule(services: Services) -> str:
    call = services.call
    try:
        quote = call.rule("R07").clause.strip('"“”')
    except StopIteration:
        quote = "各省应在发送电子版文件同时报送纸质版文件。"
    where = call.paper_copy_address or "通知未明确纸质版寄送地址，请与下列联系人确认"
    contacts = "；".join(f"{c.org} {c.name} {c.phone}" for c in call.contacts)
    return f"纸质版：通知要求“{quote}”请同时报送纸质版文件（{where}：{contacts}）。"


async def receipt_text(services: Services, sub: Submission, receipts: list[Receipt], now: datetime) -> tuple[str, str]:
    """``(subject, body)`` of the receipt for one submission."""
    call = services.call
    local = call.to_local
    late = not sub.on_time
    head = "逾期收到" if late else "已收到"
    subject = f"【回执】{call.doc_no} {head}{sub.province}报送材料（{sub.ref}）"
    lines = [f"{sub.province}：", "",
             f"申报收件系统{head}贵单位发送的邮件，登记如下（时间为收件服务器收到时间，北京时间）：",
             f"报送编号：{sub.ref}", f"邮件主题：{safe_subject(sub.subject)}", f"发件人：{sub.sender}", "到达时间："]
    for m in call.mailboxes:
        mine = [r for r in receipts if r.mailbox == m.key]
        when = local(min(r.received_at for r in mine)).strftime("%Y-%m-%d %H:%M:%S") if mine else \
            "未收到（通知要求发送财政部、人力资源社会保障部两个邮箱）"
        lines.append(f"  {m.org}邮箱 {m.address}：{when}")
    cutoff = f"北京时间{local(call.deadline):%Y-%m-%d %H:%M}"
    if late:
        lines += ["", f"结论：逾期。本邮件到达时已过截止时间（{call.deadline_text}，即{cutoff}）。"
                      f"按通知“逾期发送的{call.late_outcome}”，本次报送已登记为【逾期视为未申报】，不作为申报材料。"]
    else:
        lines += ["", f"结论：按时收到（截止时间为{call.deadline_text}，即{cutoff}之前）。"]
    docs = [d for d in await Document.filter(submission_id=sub.id).order_by("id")
            if not (d.analysis or {}).get("container")]
    lines += ["", "附件（页数按A4单版面计）："]
    for i, d in enumerate(docs, 1):
        pages = f"{d.pages}页" if d.pages is not None else "页数未能计算"
        lines.append(f"  {i}. [{kind_zh(d.kind)}] {_ext(d.filename)}  {pages}")
    if not docs:
        lines.append("  （未收到附件）")
    counted = [d.pages for d in docs if d.pages is not None]
    if counted:
        lines.append(f"  合计 {sum(counted)} 页")
    reg = await build_register(call, now, sub.province)
    row = reg.rows[0]
    findings = [f for f in row.findings if f.ref == sub.ref or (not late and f.scope in ("dossier", "document"))]
    lines += ["", "预审结果（系统自动预审，供参考，以正式评审为准）："]
    lines += [f"  [{SEVERITY_ZH.get(f.severity, f.severity)}] {code_zh(f.code)}" for f in findings] or \
        ["  未发现问题。"]
    if findings:
        lines.append("  （详细说明请向部里联系人查询，或在对话机器人中查看本省材料。）")
    if not late:
        lines += ["", "如需修改，请在截止前重新发送完整材料，以最后一次按时报送为准。"]
    lines += ["", _paper_rule(services), "",
              "本回执由系统自动发送，请勿直接回复。如有疑问请联系：" +
              "；".join(f"{c.org} {c.name} {c.phone} {c.email}" for c in call.contacts)]
    return subject, "\n".join(lines)


async def _skip_reason(services: Services, out: OutgoingSettings, sub: Submission, receipts: list[Receipt],
                       now: datetime) -> str | None:
    if any(r.source == Source.IMPORT for r in receipts):
        return "imported (backfill)"
    if now - sub.first_received_at > out.receipt_max_age:
        return "older than SHENBAO_RECEIPT_MAX_AGE_HOURS"
    sender = (sub.sender or "").lower()
    ours = {m.address.lower() for m in services.call.mailboxes} | {email.utils.parseaddr(out.mail_from)[1].lower()}
    if not sender or "@" not in sender or sender in ours or sender.split("@")[0] in ("mailer-daemon", "postmaster"):
        return f"no replyable sender ({sender or 'none'})"
    if sub.sender_trust not in TRUSTED_FOR_RECEIPT and not (sub.sender_auth or {}).get("authenticated"):
        return f"sender neither registered nor authenticated ({sub.sender_trust or 'unknown'}): no backscatter"
    recent = await OutboxMessage.filter(key__startswith="receipt:", recipient=sub.sender,
                                        created_at__gte=now - timedelta(hours=24)).count()
    if recent >= out.receipt_max_per_day:
        return f"rate limit: {recent} receipts to {sender} in 24 h (SHENBAO_RECEIPT_MAX_PER_DAY)"
    for r in receipts:
        raw = await asyncio.to_thread(services.archive.read, r.archive_path)
        if parse_mail(raw).auto_submitted:
            return f"auto-responder ({r.ref}: Auto-Submitted/Precedence)"
    return None


async def queue_receipts(services: Services, out: OutgoingSettings, now: datetime) -> list[str]:
    """Queue a receipt for every new, settled, attributed submission; return the refs answered."""
    done = set(await ScheduledRun.filter(kind="receipt").values_list("slot", flat=True))
    subs = await Submission.filter(call_id=services.call.id, province__not_isnull=True,
                                   first_received_at__gte=now - out.receipt_max_age).order_by("id")
    answered = []
    for sub in subs:
        if sub.ref in done:
            continue
        receipts = list(await Receipt.filter(submission_id=sub.id).order_by("received_at", "id"))
        if not receipts or any(r.status != ReceiptStatus.PROCESSED for r in receipts):
            continue                                        # still being processed (or shunted)
        boxes = {r.mailbox for r in receipts}
        if len(boxes) < len(services.call.mailboxes) and now - sub.first_received_at < out.receipt_delay:
            continue                                        # the other mailbox's copy may still come
        reason = await _skip_reason(services, out, sub, receipts, now)
        detail: dict = {"skipped": reason} if reason else {}
        if not reason:
            subject, body = await receipt_text(services, sub, receipts, now)
            key = f"receipt:{sub.ref}"
            await enqueue(key=key, channel="email", recipient=sub.sender, subject=subject, body=body, now=now,
                          payload=email_payload(key=key, mail_from=out.mail_from, in_reply_to=sub.message_id,
                                                auto_submitted="auto-replied"))
            detail = {"outbox": key, "late": not sub.on_time}
            answered.append(sub.ref)
        else:
            log.info("%s: no receipt: %s", sub.ref, reason)
        try:
            await ScheduledRun.create(kind="receipt", slot=sub.ref, at=now, detail=detail)
        except IntegrityError:
            pass
    return answered
