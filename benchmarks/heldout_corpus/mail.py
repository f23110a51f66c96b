"""The e-mail a province sends: the attachments in truth's order, names encoded as the sender's client does, and the
receiving 163 MX's Received line stamped with the arrival time."""
from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from email import policy
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

from benchmarks.heldout_corpus.words import finance

TYPES = {"pdf": ("application", "pdf"), "tif": ("image", "tiff"), "jpg": ("image", "jpeg")}


def _b(s: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(s.encode(charset)).decode()}?="


def message(f: dict, attachments: list[tuple[str, bytes]]) -> bytes:
    client = (f.get("render") or {}).get("client", "outlook")
    prov = f["province"]
    cities = "、".join(p["city"] for p in f["projects"])
    subject = (f.get("render") or {}).get("subject") or f"{prov}报送2023年公共就业服务能力提升示范项目申报材料（{cities}）"
    charset = "gb18030" if client == "foxmail" else "utf-8"
    msg = MIMEMultipart("mixed")
    arrival, date = datetime.fromisoformat(f["arrival"]), datetime.fromisoformat(f["date_header"])
    tid = hashlib.sha1(f["eml"].encode()).hexdigest()[:22]
    msg["Received"] = (f"from mail.{f['from'].split('@')[1]} (unknown [{61 + len(prov)}.{len(f['eml'])}.18.77]) by "
                       f"mx{3 + len(cities) % 7} (Coremail) with SMTP id {tid}--.1S2; {format_datetime(arrival)} (CST)")
    msg["X-CM-TRANSID"] = f"{tid}--.1S2"
    msg.set_boundary(f"----=_NextPart_{tid}")          # fixed: the same seed gives the same bytes
    msg["From"] = f"{Header(finance(prov).replace('财政厅', '财政厅社会保障处'), charset).encode()} <{f['from']}>"
    msg["To"] = ", ".join(f["to"])
    msg["Subject"] = Header(subject, charset).encode()
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{tid}@{f['from'].split('@')[1]}>"
    msg["X-Mailer"] = {"outlook": "Microsoft Outlook 16.0", "foxmail": "Foxmail 7.2.23.121[cn]",
                       "coremail": "Coremail Webmail Server Version XT5.0.13"}[client]
    body = (f"财政部社会保障司、人力资源社会保障部就业促进司：\n\n　　现将{prov}2023年公共就业服务能力提升示范项目申报材料"
            f"（正式盖章版扫描件）报送，纸质材料另行报送，请查收。\n\n{finance(prov)}社会保障处")
    msg.attach(MIMEText(body, "plain", charset))
    for name, data in attachments:
        main, sub = TYPES[name.rsplit(".", 1)[1].lower()]
        part = MIMEBase(main, sub)
        part.set_payload(base64.encodebytes(data).decode())
        part["Content-Transfer-Encoding"] = "base64"
        if client == "outlook":
            part.set_param("name", ("utf-8", "", name))
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        else:
            enc = _b(name, charset)
            part.set_param("name", enc)
            part.add_header("Content-Disposition", "attachment", filename=enc)
        msg.attach(part)
    return msg.as_bytes(policy=policy.compat32)
