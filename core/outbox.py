"""The outbox's write half: queue a message (mail or chat) as a row, idempotent by key, from either process.

The bot process sends the rows (``bot.outbox.drain``); the intake process only writes them, so a chat or
relay outage never stalls intake. An e-mail row's ``payload`` is ``email_payload(...)``: its Message-ID is
fixed when the row is queued, so a retry after a crash resends the same message.
"""
from __future__ import annotations

import email.utils
import hashlib
import logging
from datetime import datetime

from tortoise.exceptions import IntegrityError

from core.vocabulary import OutboxStatus
from models.outbox import OutboxMessage
from models.retry import with_retry

log = logging.getLogger("shenbao.core.outbox")


def new_message_id(key: str, mail_from: str) -> str:
    domain = email.utils.parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<shenbao.{hashlib.sha256(key.encode()).hexdigest()[:24]}@{domain}>"


def email_payload(*, key: str, mail_from: str, html: str | None = None, attachments: list[dict] | None = None,
                  in_reply_to: str | None = None, auto_submitted: str = "auto-generated",
                  inline: list[dict] | None = None) -> dict:
    out = {"message_id": new_message_id(key, mail_from), "html": html, "attachments": attachments or [],
           "in_reply_to": in_reply_to, "auto_submitted": auto_submitted}
    if inline:
        out["inline"] = inline
    return out


async def enqueue(*, key: str, channel: str, recipient: str, body: str, now: datetime, subject: str | None = None,
                  payload: dict | None = None) -> tuple[OutboxMessage, bool]:
    """Queue one message unless a row with ``key`` exists; return ``(row, created)``."""
    if not key or len(key) > 255:
        raise ValueError(f"outbox key must be 1..255 characters: {key!r}")

    async def once():
        existing = await OutboxMessage.filter(key=key).first()
        if existing:
            return existing, False
        try:
            row = await OutboxMessage.create(key=key, channel=channel, recipient=recipient, subject=subject,
                                             body=body, payload=payload, status=OutboxStatus.PENDING, attempts=0,
                                             next_attempt_at=now, created_at=now)
            return row, True
        except IntegrityError:
            return await OutboxMessage.get(key=key), False
    row, created = await with_retry(once, what="outbox enqueue")
    if created:
        log.info("outbox %s: queued %s to %s", key, channel, recipient)
    return row, created
