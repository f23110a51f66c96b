"""Group receipts into submissions: same Message-ID; fallback same sender and attachments within an hour."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from precheck.parse import ParsedMail
from models.receipt import Receipt
from models.submission import Submission

FALLBACK_WINDOW = timedelta(hours=1)


def group_key(parsed: ParsedMail, receipt: Receipt) -> str:
    if parsed.message_id:
        return "mid:" + hashlib.sha256(parsed.message_id.strip().encode()).hexdigest()
    body = "|".join([parsed.sender or "", *parsed.attachment_hashes]) if parsed.attachment_hashes else receipt.sha256
    return "fp:" + hashlib.sha256(body.encode()).hexdigest()


async def _lookup(receipt: Receipt, parsed: ParsedMail) -> tuple[str, Submission | None]:
    key = group_key(parsed, receipt)
    sub = await Submission.filter(group_key=key).first()
    if sub and key.startswith("fp:") and abs(sub.first_received_at - receipt.received_at) > FALLBACK_WINDOW:
        key = f"{key}:{receipt.id}"
        sub = await Submission.filter(group_key=key).first()
    return key, sub


async def existing_submission(receipt: Receipt, parsed: ParsedMail) -> Submission | None:
    """The submission this receipt belongs to if there is one already (reads only)."""
    if receipt.submission_id:
        return await Submission.get_or_none(id=receipt.submission_id)
    return (await _lookup(receipt, parsed))[1]


async def submission_for(receipt: Receipt, parsed: ParsedMail, *, call_id: str, now) -> tuple[Submission, bool]:
    """Find or create the receipt's submission; return ``(submission, created)``."""
    if receipt.submission_id:
        return await Submission.get(id=receipt.submission_id), False
    key, sub = await _lookup(receipt, parsed)
    created = False
    if sub is None:
        try:
            sub = await Submission.create(
                call_id=call_id, group_key=key, message_id=parsed.message_id, sender=parsed.sender,
                subject=parsed.subject, first_received_at=receipt.received_at, on_time=False,
                date_sent=parsed.date_sent, created_at=now, updated_at=now)
            created = True
        except IntegrityError:
            sub = await Submission.get(group_key=key)
    receipt.submission_id = sub.id
    await receipt.save(update_fields=["submission_id"])
    return sub, created
