"""Outgoing e-mail: build the MIME message of an outbox row, and send it through the SMTP relay.

An e-mail row's ``payload``: ``{"message_id", "html", "attachments": [{"filename", "content_type",
"archive_path", "sha256"}], "inline": [{"cid", …the same keys}], "in_reply_to", "auto_submitted"}``;
``inline`` images are parts of the HTML (multipart/related, shown where the HTML says ``cid:<cid>``). The Message-ID is fixed when the row is
queued, so a retry after a crash resends the same message (clients show it once).
"""
from __future__ import annotations

import asyncio
import email.policy
import email.utils
import hashlib
import logging
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage

from bot.outbox import SendError
from core.archive import Archive
from config.settings import RelaySettings
from core.outbox import new_message_id
from models.outbox import OutboxMessage

log = logging.getLogger("shenbao.bot.mail")
# RCPT-level refusals retrying cannot fix; anything else (4xx, auth, connection) is an outage: retry.
PERMANENT_CODES = frozenset({550, 551, 553, 501})


def _address(text: str) -> Address | str:
    name, addr = email.utils.parseaddr(text)
    if not addr or "@" not in addr:
        return text
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def build_email(row: OutboxMessage, *, mail_from: str, archive: Archive, date) -> EmailMessage:
    """multipart/mixed( multipart/alternative(text/plain, multipart/related(text/html, inline images…)),
    attachments… ), UTF-8 throughout (without inline images the HTML is a plain text/html part).

    The default policy encodes a Chinese Subject and display names as RFC 2047 and attachment names as
    RFC 2231, which Outlook, Foxmail, 163 and Apple Mail all read.
    """
    p = row.payload or {}
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = _address(mail_from)
    msg["To"] = _address(row.recipient)
    msg["Subject"] = row.subject or ""
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = p.get("message_id") or new_message_id(row.key, mail_from)
    if p.get("in_reply_to"):
        msg["In-Reply-To"] = p["in_reply_to"]
        msg["References"] = p["in_reply_to"]
    msg["Auto-Submitted"] = p.get("auto_submitted") or "auto-generated"     # RFC 3834: no auto-replies to us
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(row.body, subtype="plain", charset="utf-8")
    if p.get("html"):
        msg.add_alternative(p["html"], subtype="html", charset="utf-8")
        html_part = msg.get_payload()[1]
        for a in p.get("inline") or []:
            maintype, subtype, data = _stored(a, archive)
            html_part.add_related(data, maintype=maintype, subtype=subtype, cid=f"<{a['cid']}>",
                                  disposition="inline", filename=a["filename"])
    for a in p.get("attachments") or []:
        maintype, subtype, data = _stored(a, archive)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=a["filename"])
    return msg


def _stored(a: dict, archive: Archive) -> tuple[str, str, bytes]:
    """(maintype, subtype, bytes) of an attachment or inline image kept in the archive, checked by hash."""
    data = archive.read(a["archive_path"])
    if a.get("sha256") and hashlib.sha256(data).hexdigest() != a["sha256"]:
        raise SendError(f"attachment {a['filename']} changed in the archive", permanent=True)
    maintype, _, subtype = (a.get("content_type") or "application/octet-stream").partition("/")
    return maintype, subtype, data


class SmtpRelay:
    """The relay for outgoing mail (``config.settings.RelaySettings``), one blocking session per message."""

    def __init__(self, conf: RelaySettings, timeout: float = 30.0):
        self.conf, self.timeout = conf, timeout

    @classmethod
    def from_settings(cls, settings) -> "SmtpRelay | None":
        return cls(settings.relay) if settings.relay else None

    def send_blocking(self, msg: EmailMessage, from_addr: str, to_addrs: list[str]) -> None:
        c, ctx = self.conf, ssl.create_default_context()
        if c.security == "ssl":
            client = smtplib.SMTP_SSL(c.host, c.port, timeout=self.timeout, context=ctx)
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=self.timeout)
        try:
            client.ehlo()
            if c.security == "starttls" or (c.security == "auto" and client.has_extn("starttls")):
                client.starttls(context=ctx)
                client.ehlo()
            if c.user:
                client.login(c.user, c.password)
            client.send_message(msg, from_addr=from_addr, to_addrs=to_addrs)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


class EmailOutboxSender:
    """The outbox's e-mail sender: build the message, send it via the relay in a thread, classify errors."""

    def __init__(self, relay: SmtpRelay, *, mail_from: str, archive: Archive, clock):
        self.relay, self.mail_from, self.archive, self.clock = relay, mail_from, archive, clock

    async def __call__(self, row: OutboxMessage) -> None:
        msg = build_email(row, mail_from=self.mail_from, archive=self.archive, date=self.clock.now())
        from_addr = email.utils.parseaddr(self.mail_from)[1]
        to_addr = email.utils.parseaddr(row.recipient)[1] or row.recipient
        try:
            await asyncio.to_thread(self.relay.send_blocking, msg, from_addr, [to_addr])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {c for c, _ in exc.recipients.values()}
            raise SendError(f"recipient refused: {exc.recipients}",
                            permanent=all(c in PERMANENT_CODES for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            raise SendError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP relay {self.relay.host}:{self.relay.port} unavailable: {exc}") from exc
