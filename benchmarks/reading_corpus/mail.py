"""The e-mail of a filing, as provincial mail clients write it (Python's email package): RFC 2047 subject
and sender name, attachment names in RFC 2231 (Outlook, iPhone) or RFC 2047 inside quotes (Foxmail,
Coremail webmail), plain + HTML body, the receiving 163.com MX's Received line; and the zip some
senders make with GBK member names (no UTF-8 flag), as Windows archivers do."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zipfile
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr
from pathlib import Path

CTYPES = {".pdf": ("application", "pdf"), ".jpg": ("image", "jpeg"), ".png": ("image", "png"), ".tif": ("image", "tiff"),
          ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
          ".zip": ("application", "x-zip-compressed")}


class GBKZipInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag (bit 11)."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def gbk_zip(members: list[tuple[str, bytes]], path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = GBKZipInfo(name, date_time=(2023, 3, 25, 19, 52, 10))
            zi.create_system = 0  # MS-DOS, as WinRAR / 360压缩 write it
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)


def _encoded_words(text: str, charset: str) -> str:
    """RFC 2047 B-encoded words of at most ~12 characters each, space separated (Foxmail style)."""
    words, chunk = [], ""
    for ch in text:
        if len((chunk + ch).encode(charset)) > 36:
            words.append(chunk)
            chunk = ""
        chunk += ch
    if chunk:
        words.append(chunk)
    cs = charset.upper()
    return " ".join(f"=?{cs}?B?{base64.b64encode(w.encode(charset)).decode()}?=" for w in words)


def _rfc2231(name: str, width: int = 60) -> str:
    """filename*0*=utf-8''…; filename*1*=… continuations, as Outlook writes a long non-ASCII name."""
    from urllib.parse import quote
    pct = quote(name.encode("utf-8"), safe="")
    chunks, cur = [], ""
    i = 0
    while i < len(pct):
        tok = pct[i:i + 3] if pct[i] == "%" else pct[i]
        if len(cur) + len(tok) > width:
            chunks.append(cur)
            cur = ""
        cur += tok
        i += len(tok)
    chunks.append(cur)
    parts = [f"filename*{k}*={'utf-8' + chr(39) * 2 if k == 0 else ''}{c}" for k, c in enumerate(chunks)]
    return "attachment;\n " + ";\n ".join(parts)


def _dt(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)


def build(filing: dict, mail: dict, attachments: list[tuple[str, bytes]], seed: int) -> bytes:
    """filing: truth.json filing; mail: recipe mail settings; attachments: (name, bytes) in order."""
    key = hashlib.sha256(f"{seed}/{filing['eml']}".encode()).hexdigest()
    domain = filing["from"].split("@", 1)[1]
    msg = MIMEMultipart("mixed", boundary=f"----=_NextPart_{key[:6]}_{key[6:14]}_{key[14:22]}")
    arrival = _dt(filing["arrival"])
    mx = int(key[22:24], 16) % 30 + 1
    cm_id = base64.b64encode(bytes.fromhex(key[24:48])).decode().rstrip("=").replace("+", "_").replace("/", "-")
    msg["Received"] = (f"from {('mail.' + domain) if 'gov.cn' in domain else 'localhost'} (unknown [{int(key[48:50], 16) % 200 + 20}.{int(key[50:52], 16)}.{int(key[52:54], 16)}.{int(key[54:56], 16) % 250 + 1}])"
                       f" by mx{mx} (Coremail) with SMTP id {cm_id}--.{int(key[56:60], 16)}S2;"
                       f" {format_datetime(arrival)} (CST)")
    msg["X-CM-TRANSID"] = f"{cm_id}--.{int(key[56:60], 16)}S2"
    msg["From"] = formataddr((mail["sender"], filing["from"]), charset="utf-8")
    msg["To"] = ", ".join(filing["to"])
    msg["Subject"] = Header(mail["subject"], mail.get("subject_charset", "utf-8")).encode()
    msg["Date"] = format_datetime(_dt(filing["date_header"]))
    msg["Message-ID"] = f"<{key[:16]}.{key[16:24]}@{domain}>"
    msg["X-Mailer"] = mail["mailer"]
    body = (f"财政部社会保障司、人力资源社会保障部就业促进司：\n\n"
            f"    现将{filing['province']}2023年公共就业服务能力提升示范项目申报材料（正式盖章版扫描件）发送给你们，纸质版已同步寄送，请查收。\n\n"
            f"{mail['sender']}\n{filing['arrival'][:10]}\n")
    alt = MIMEMultipart("alternative", boundary=f"----=_Alt_{key[30:40]}")
    cs = mail.get("charset", "utf-8")
    alt.attach(MIMEText(body, "plain", cs))
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip()) + "</body></html>"
    alt.attach(MIMEText(html, "html", cs))
    msg.attach(alt)
    for name, data in attachments:
        ext = Path(name).suffix.lower()
        ext = ".jpg" if ext == ".jpeg" else ext
        maintype, subtype = CTYPES[ext]
        part = MIMEBase(maintype, subtype)
        part.set_payload(data)
        encoders.encode_base64(part)
        del part["MIME-Version"]
        del part["Content-Type"]
        if mail["names"] == "rfc2231":
            # Outlook: RFC 2047 words in Content-Type's name, RFC 2231 continuations in the disposition
            part["Content-Type"] = f'{maintype}/{subtype}; name="{_encoded_words(name, "utf-8")}"'
            part["Content-Disposition"] = _rfc2231(name)
        else:
            enc = _encoded_words(name, "gb18030" if cs == "gb18030" else "utf-8")
            part["Content-Type"] = f'{maintype}/{subtype}; name="{enc}"'
            part["Content-Disposition"] = f'attachment; filename="{enc}"'
        msg.attach(part)
    for sub in (alt, *alt.get_payload()):
        del sub["MIME-Version"]
    # header order as a receiving server stores the message: its own lines first
    order = ["Received", "X-CM-TRANSID", "From", "To", "Subject", "Date", "Message-ID", "X-Mailer", "MIME-Version", "Content-Type"]
    saved = [(k, v) for k, v in msg.items()]
    for k in {k for k, _ in saved}:
        del msg[k]
    for k in order:
        for kk, v in saved:
            if kk == k:
                msg[kk] = v
    return msg.as_bytes()
