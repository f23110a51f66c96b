"""RFC 5322 messages as provinces really send them: RFC 2047 subjects, RFC 2231 / raw GBK / 2047-in-param
file names, a zip with GBK member names, NetEase "超大附件" links in the HTML body, Coremail Received lines.

Addresses are fictitious (``*.gov.cn.example``, ``example.com``); the two call mailboxes come from config.
"""
from __future__ import annotations

import base64
import hashlib
import io
import textwrap
import urllib.parse
import zipfile
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")
COREMAIL_MAILER = "Coremail Webmail Server Version XT5.0.14 build 20230109(dcb5de15)"


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    name_style: str = "rfc2231"  # rfc2231 (UTF-8), rfc2047 (=?GBK?B?…?= in the param), raw_gbk (8-bit), ascii


@dataclass(frozen=True)
class LargeLink:
    """A NetEase 超大附件: a link in the HTML body instead of a MIME part."""

    filename: str
    size_text: str      # e.g. "1.2G"
    expiry_text: str    # e.g. "2023年04月10日 18:30" or "无限期"
    url: str


def _cst(dt: datetime) -> str:
    return format_datetime(dt.astimezone(CST))


def encode_words(text: str, charset: str = "UTF-8") -> str:
    """RFC 2047 B-encoded words, each ≤ 75 characters, folded with CRLF + space."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for ch in text:
        if len((chunk + ch).encode(charset)) > 39:
            words.append(chunk)
            chunk = ""
        chunk += ch
    words.append(chunk)
    return "\r\n ".join(f"=?{charset}?B?{base64.b64encode(w.encode(charset)).decode()}?=" for w in words)


def _name_params(name: str, style: str) -> tuple[bytes, bytes]:
    """(Content-Type name param, Content-Disposition filename param) as raw header bytes."""
    if style == "ascii" or name.isascii():
        q = name.replace('"', "")
        return f'; name="{q}"'.encode(), f'; filename="{q}"'.encode()
    if style == "raw_gbk":
        raw = name.encode("gbk")
        return b'; name="' + raw + b'"', b'; filename="' + raw + b'"'
    if style == "rfc2047":
        ew = encode_words(name, "GBK").replace("\r\n ", "")
        return f'; name="{ew}"'.encode(), f'; filename="{ew}"'.encode()
    quoted = urllib.parse.quote(name.encode("utf-8"), safe="")
    pieces = textwrap.wrap(quoted, 60, break_on_hyphens=False) if len(quoted) > 60 else [quoted]
    # Keep %XX escapes whole across continuation boundaries.
    fixed, carry = [], ""
    for p in pieces:
        p = carry + p
        cut = p.rfind("%", len(p) - 2)
        carry, p = (p[cut:], p[:cut]) if cut != -1 and len(p) - cut < 3 else ("", p)
        fixed.append(p)
    if carry:
        fixed[-1] += carry
    if len(fixed) == 1:
        return f"; name*=UTF-8''{quoted}".encode(), f"; filename*=UTF-8''{quoted}".encode()
    cont = "".join(f";\r\n filename*{i}*={'UTF-8' + chr(39) * 2 if i == 0 else ''}{p}" for i, p in enumerate(fixed))
    return f'; name="{encode_words(name)}"'.encode().replace(b"\r\n ", b""), cont.encode()


def _b64(data: bytes) -> bytes:
    return b"\r\n".join(base64.encodebytes(data).splitlines()) + b"\r\n"


def large_attachment_html(body_text: str, links: list[LargeLink]) -> str:
    """NetEase webmail's markup for 超大附件 (see domain-facts §7.2)."""
    paras = "".join(f"<div>{escape(line) or '<br>'}</div>" for line in body_text.splitlines())
    blocks = "".join(
        '<div style="clear:both;height:36px;padding:6px 4px;border:1px solid #e3e3e3;margin-bottom:4px;">'
        '<div style="float:left;font-size:12px;line-height:18px;">'
        f'<a download filename="{escape(l.filename)}" href="{escape(l.url)}" target="_blank" '
        f'style="color:#1a6bbb;text-decoration:none;">{escape(l.filename)}</a><br>'
        f'<span style="color:#bbb">({escape(l.size_text)}, {escape(l.expiry_text)}到期)</span></div>'
        '</div>' for l in links)
    return ('<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial">' + paras + '</div><br><br>'
            '<div style="clear:both;padding:8px 0;font-size:14px;">'
            '<div style="padding:0 0 8px 0;color:#666;">从网易163邮箱发来的超大附件</div>' + blocks + '</div>')


def message_id(seed: str, sender: str) -> str:
    h = hashlib.sha1(seed.encode()).hexdigest()
    local, _, domain = sender.partition("@")
    return f"<{h[:8]}.{h[8:12]}.{int(h[12:23], 16):d}.Coremail.{local}@{domain}>"


def build_message(*, sender: str, sender_name: str, to: list[str], subject: str, sent_at: datetime,
                  body_text: str, attachments: list[Attachment] = (), large_links: list[LargeLink] = (),
                  msgid: str | None = None, received: list[str] = (), body_charset: str = "GBK",
                  subject_charset: str = "UTF-8") -> bytes:
    """Raw message bytes (CRLF line ends). ``received`` are Received header values, newest first."""
    seed = f"{sender}|{subject}|{sent_at.isoformat()}"
    boundary = "----=_Part_" + hashlib.md5(seed.encode()).hexdigest()[:20]
    alt = "----=_Alt_" + hashlib.md5((seed + "alt").encode()).hexdigest()[:20]
    h: list[bytes] = [f"Received: {r}".encode() for r in received]
    h += [f"Date: {_cst(sent_at)}".encode(),
          f"From: {encode_words(sender_name, 'GBK')} <{sender}>".encode(),
          ("To: " + ",\r\n ".join(to)).encode(),
          f"Subject: {encode_words(subject, subject_charset)}".encode(),
          f"Message-ID: {msgid or message_id(seed, sender)}".encode(),
          f"X-Mailer: {COREMAIL_MAILER}".encode(),
          b"X-Priority: 3", b"MIME-Version: 1.0",
          f'Content-Type: multipart/mixed; boundary="{boundary}"'.encode()]
    parts: list[bytes] = []
    html = large_attachment_html(body_text, list(large_links)) if large_links else \
        "".join(f"<div>{escape(x) or '<br>'}</div>" for x in body_text.splitlines())
    cs = body_charset
    alt_part = (f'Content-Type: multipart/alternative; boundary="{alt}"\r\n\r\n'.encode()
                + f"--{alt}\r\nContent-Type: text/plain; charset={cs}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
                + _b64(body_text.replace("\n", "\r\n").encode(cs))
                + f"--{alt}\r\nContent-Type: text/html; charset={cs}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
                + _b64(html.encode(cs, "xmlcharrefreplace")) + f"--{alt}--\r\n".encode())
    parts.append(alt_part)
    for a in attachments:
        name_p, file_p = _name_params(a.filename, a.name_style)
        parts.append(b"Content-Type: " + a.content_type.encode() + name_p + b"\r\n"
                     b"Content-Transfer-Encoding: base64\r\n"
                     b"Content-Disposition: attachment" + file_p + b"\r\n\r\n" + _b64(a.data))
    body = b"".join(f"--{boundary}\r\n".encode() + p for p in parts) + f"--{boundary}--\r\n".encode()
    return b"\r\n".join(h) + b"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n" + body


def sender_received(sender: str, sent_at: datetime, seed: str) -> str:
    """The hop added by the province's own (Coremail) mail server when its staff pressed send."""
    domain = sender.partition("@")[2]
    sid = base64.b32encode(hashlib.sha1(("s" + seed).encode()).digest()).decode()[:22]
    return (f"from DESKTOP-{sid[:7]} (unknown [10.{len(domain)}.12.{7 + len(seed) % 200}])\r\n\tby mail.{domain} "
            f"(Coremail) with SMTP id {sid}--.2S2;\r\n\t{_cst(sent_at)} (CST)")


def netease_received(sender: str, arrived_at: datetime, seed: str) -> tuple[str, str]:
    """(Received value, X-CM-TRANSID) as stamped by the NetEase MX that accepted the mail (§7.1)."""
    domain = sender.partition("@")[2]
    digest = hashlib.sha1(("mx" + seed).encode()).digest()
    trans = base64.b64encode(digest, altchars=b"_-").decode().rstrip("=")[:22] + f"--.{digest[0] * 97}S2"
    mx = 1 + digest[1] % 30
    ip = f"203.0.113.{1 + digest[2] % 250}"
    return (f"from mail.{domain} (unknown [{ip}])\r\n\tby mx{mx} (Coremail) with SMTP id {trans};\r\n\t"
            f"{_cst(arrived_at)} (CST)", trans)


def as_delivered(raw: bytes, *, sender: str, arrived_at: datetime, mailbox: str) -> bytes:
    """The message as it sits in a 163.com mailbox: NetEase's MX stamp and X-CM-TRANSID on top."""
    value, trans = netease_received(sender, arrived_at, f"{mailbox}|{hashlib.sha1(raw).hexdigest()}")
    top = (f"Received: {value}\r\nX-CM-TRANSID:{trans}\r\n"
           f"Authentication-Results: mx; spf=pass smtp.mail={sender}\r\n").encode()
    return top + raw


def gbk_zip(files: list[tuple[str, bytes]], when: datetime) -> bytes:
    """A zip as Windows' built-in 'send to compressed folder' makes on a Chinese system: member names in
    GBK, without the UTF-8 flag (bit 11). zipfile always writes UTF-8, so ASCII placeholders of the same
    byte length are written and then replaced in the local headers and the central directory."""
    out = io.BytesIO()
    names = []
    dt = when.astimezone(CST).timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(files):
            raw = name.encode("gbk")
            ph = f"#PH{i:03d}#".encode().ljust(len(raw), b"_")
            if len(ph) != len(raw):
                raise ValueError(f"member name too short for placeholder: {name!r}")
            names.append((ph, raw))
            info = zipfile.ZipInfo(ph.decode(), date_time=dt)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # MS-DOS, as Windows writes it
            z.writestr(info, data)
    blob = out.getvalue()
    for ph, raw in names:
        if blob.count(ph) != 2:
            raise ValueError("placeholder collision while writing a GBK zip")
        blob = blob.replace(ph, raw)
    return blob
