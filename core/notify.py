"""Queue one notice to every officer chat and, for e-mail, to the staff list (idempotent per key prefix)."""
from __future__ import annotations

from datetime import datetime

from core.outbox import email_payload, enqueue
from config.settings import OutgoingSettings


async def notify_officers(out: OutgoingSettings, *, key: str, now: datetime, text: str, subject: str,
                          chat_parts: list[str] | None = None, email: bool = True, html: str | None = None,
                          attachments: list[dict] | None = None, inline: list[dict] | None = None,
                          card: dict | None = None,
                          file_channels: frozenset[str] = frozenset({"wecom"})) -> list[str]:
    """Queue ``text`` to each officer chat (split in ``chat_parts`` if given) and e-mail the staff list.

    ``inline``: images the e-mail's HTML shows by ``cid:`` (e-mail only; chats get the text and the files).
    Keys are ``{key}:{channel}:{recipient}[:part]`` so a re-run of the same slot queues nothing new.
    Returns the keys of the rows now in the outbox for this notice.
    """
    keys = []
    parts = chat_parts or [text]
    for channel, chat_id in out.officer_chats():
        for i, part in enumerate(parts, 1):
            k = f"{key}:{channel}:{chat_id}" + (f":{i}/{len(parts)}" if len(parts) > 1 else "")
            await enqueue(key=k, channel=channel, recipient=chat_id, body=part, now=now, subject=subject)
            keys.append(k)
        if card and channel in file_channels:          # a summary card (WeCom template card) after the text
            k = f"{key}:{channel}:{chat_id}:card"
            await enqueue(key=k, channel=channel, recipient=chat_id, body=card.get("title", subject), now=now,
                          subject=subject, payload={"card": card})
            keys.append(k)
        if attachments and channel in file_channels:   # the register itself (xlsx) as a file message
            k = f"{key}:{channel}:{chat_id}:file"
            await enqueue(key=k, channel=channel, recipient=chat_id, body="、".join(a["filename"] for a in attachments),
                          now=now, subject=subject, payload={"attachments": attachments})
            keys.append(k)
    if email:
        for addr in out.digest_to:
            k = f"{key}:email:{addr}"
            await enqueue(key=k, channel="email", recipient=addr, body=text, subject=subject, now=now,
                          payload=email_payload(key=k, mail_from=out.mail_from, html=html, attachments=attachments,
                                                  inline=inline))
            keys.append(k)
    return keys
