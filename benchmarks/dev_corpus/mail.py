"""The e-mails: Python's email.mime classes, attachment names as RFC 2231 (Thunderbird) or RFC 2047 words inside
quotes (Foxmail), a GB18030 or UTF-8 subject and sender name, and the receiving 163 MX's Received line."""
from __future__ import annotations

import email.utils
import mimetypes
from datetime import datetime
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText


def build(*, sender: str, sender_name: str, to: list[str], subject: str, date: datetime, arrival: datetime,
          body: str, attachments: list[tuple[str, bytes]], style: str = "rfc2231", charset: str = "utf-8",
          msgid: str) -> bytes:
    msg = MIMEMultipart("mixed")
    msg["Received"] = (f"from mail.{sender.split('@')[1]} (unknown [202.100.{len(sender) % 250}.{len(subject) % 250}])"
                       f" by mx{len(to) + 20} (Coremail) with SMTP id {msgid[:12]}; "
                       f"{email.utils.format_datetime(arrival)} (CST)")
    msg["From"] = email.utils.formataddr((Header(sender_name, charset).encode(), sender))
    msg["To"] = ", ".join(to)
    msg["Subject"] = Header(subject, charset)
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = f"<{msgid}@{sender.split('@')[1]}>"
    msg["MIME-Version"] = "1.0"
    msg["X-Mailer"] = "Foxmail 7.2.25.228[cn]" if style == "rfc2047" else "Mozilla Thunderbird 102.8.0"
    alt = MIMEMultipart("alternative")
    alt.attach(MIMEText(body, "plain", "utf-8"))
    alt.attach(MIMEText("<html><body>" + "".join(f"<p>{x}</p>" for x in body.splitlines() if x.strip()) +
                        "</body></html>", "html", "utf-8"))
    msg.attach(alt)
    for name, data in attachments:
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        part = MIMEBase(maintype, subtype)
        part.set_payload(data)
        encoders.encode_base64(part)
        if style == "rfc2047":
            word = Header(name, "utf-8").encode().replace("\n", "").replace("\r", "")
            part.set_param("name", word)
            part.add_header("Content-Disposition", f'attachment; filename="{word}"')
        else:
            part.set_param("name", ("utf-8", "", name))
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()
