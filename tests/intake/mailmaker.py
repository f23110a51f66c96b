"""Small RFC 5322 messages for intake tests (the big realistic ones live in demo/samples)."""
from __future__ import annotations

import email.utils
from email.message import EmailMessage


def make_mail(*, subject: str = "广东省关于推荐2023年公共就业服务能力提升示范项目的请示",
              sender: str = "gdczt@example.gd.gov.cn", to: str = "sbsjyc@163.com, jysmohrss@163.com",
              date: str = "Sun, 26 Mar 2023 22:00:00 +0800", message_id: str | None = "<t1@example.gd.gov.cn>",
              attachments: list[tuple[str, bytes]] | None = None, body: str = "请查收。",
              received: str | None = None) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    if date:
        m["Date"] = date
    if message_id:
        m["Message-ID"] = message_id
    m.set_content(body)
    for name, data in attachments or [("实施方案.pdf", b"%PDF-1.4\n%fake\n")]:
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    raw = m.as_bytes()
    if received:
        raw = f"Received: {received}\r\n".encode() + raw
    return raw


def imap_date(text: str) -> str:
    """'26-Mar-2023 23:59:59 +0800' → the quoted form aioimaplib APPEND takes."""
    return f'"{text}"'


def fmt(dt) -> str:
    return email.utils.format_datetime(dt)
