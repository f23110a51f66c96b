"""parse_mail(raw) -> ParsedMail: a pure function that never raises on bad MIME or headers."""
from __future__ import annotations

import email
import email.message
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from precheck.forwarded import attached_forward, inline_forward
from precheck.mailtext import decode_bytes, decode_header_text, decode_param, safe_filename, unescape_raw


@dataclass(frozen=True)
class AttachmentPart:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str = ""


@dataclass(frozen=True)
class ReceivedHop:
    by: str
    from_: str
    at: datetime | None
    raw: str


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender: str | None             # lower-cased address from From:
    sender_name: str
    subject: str
    date_header: str | None
    date_sent: datetime | None
    received: tuple[ReceivedHop, ...]
    attachments: tuple[AttachmentPart, ...]
    text_body: str
    html_body: str
    auto_submitted: bool
    defects: tuple[str, ...]
    forwarded: tuple[dict, ...] = ()   # precheck.forwarded.Forward.as_dict(by=sender), attached or inline

    @property
    def attachment_hashes(self) -> tuple[str, ...]:
        return tuple(sorted(a.sha256 for a in self.attachments))


def parse_date(value: str | None) -> datetime | None:
    """RFC 5322 date to aware UTC; ``None`` when absent or unparseable (never raises)."""
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None or dt.tzinfo is None:
        return None
    try:
        return dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


_BY = re.compile(r"\bby\s+(\S+)", re.I)
_FROM = re.compile(r"^\s*from\s+(\S+)", re.I)


def parse_received(value: str) -> ReceivedHop:
    text = " ".join(value.split())
    at = parse_date(text.rsplit(";", 1)[1].strip()) if ";" in text else None
    by = _BY.search(text)
    fr = _FROM.search(text)
    return ReceivedHop(by=by.group(1) if by else "", from_=fr.group(1) if fr else "", at=at, raw=text[:1000])


def _walk(msg: email.message.Message, depth: int = 0):
    """Leaf parts, and attached messages as one part each: a forwarded mail's own files are its members
    (unpacked from the ``.eml`` once), never also this mail's attachments."""
    if depth > 20:
        return
    if depth > 0 and _is_message(msg):
        yield msg
        return
    if msg.is_multipart():
        payload = msg.get_payload()
        for part in payload if isinstance(payload, list) else []:
            yield from _walk(part, depth + 1)
    else:
        yield msg


def raw_header(msg: email.message.Message, name: str) -> str | None:
    """A header's value with raw 8-bit octets recovered (GBK names sent unencoded), never a Header object."""
    for k, v in msg.raw_items():
        if k.lower() == name.lower():
            return unescape_raw(v) if isinstance(v, str) else str(v)
    return None


def _param(msg: email.message.Message, header: str, param: str):
    value = raw_header(msg, header)
    if value is None:
        return None
    tmp = email.message.Message()
    tmp[header] = value
    return tmp.get_param(param, header=header)


def _part_filename(part: email.message.Message) -> str | None:
    try:
        raw = _param(part, "Content-Disposition", "filename")
        if raw is None:
            raw = _param(part, "Content-Type", "name")
        return decode_param(raw)
    except Exception:
        return None


def _is_message(part) -> bool:
    try:
        return part.get_content_type() == "message/rfc822" and isinstance(part.get_payload(), list)
    except Exception:
        return False


def _attached_message(part, defects: list[str], forwards: list[dict]) -> AttachmentPart | None:
    inner = part.get_payload()[0]
    try:
        blob = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
    except Exception as exc:  # e.g. raw 8-bit in a header the generator cannot re-encode (fuzzing)
        defects.append(f"forwarded message not re-serialisable: {type(exc).__name__}")
        return None
    forwards.append(attached_forward(inner, decode_header_text).as_dict())
    subject = decode_header_text(raw_header(inner, "Subject")) or "forwarded"
    fname = safe_filename(_part_filename(part) or f"{subject}.eml", "forwarded.eml")
    return AttachmentPart(fname, "message/rfc822", blob, hashlib.sha256(blob).hexdigest())


def _attachments_and_bodies(msg, defects: list[str], forwards: list[dict]):
    atts, texts, htmls = [], [], []
    for i, part in enumerate(_walk(msg)):
        if _is_message(part):
            att = _attached_message(part, defects, forwards)
            if att is not None:
                atts.append(att)
            continue
        try:
            ctype = part.get_content_type()
        except Exception:
            ctype = "application/octet-stream"
        name = _part_filename(part)
        disp = (raw_header(part, "Content-Disposition") or "").lower()
        try:
            data = part.get_payload(decode=True) or b""
        except Exception as exc:
            defects.append(f"part {i}: payload not decodable: {type(exc).__name__}")
            data = b""
        is_body = name is None and "attachment" not in disp and ctype in ("text/plain", "text/html")
        if is_body:
            text = decode_bytes(data, part.get_content_charset())
            (htmls if ctype == "text/html" else texts).append(text)
            continue
        if not data and name is None:
            continue
        fname = safe_filename(name, f"attachment-{i + 1}")
        atts.append(AttachmentPart(fname, ctype, bytes(data), hashlib.sha256(data).hexdigest()))
    return tuple(atts), "\n".join(texts), "\n".join(htmls)


def parse_mail(raw: bytes) -> ParsedMail:
    """Parse raw message bytes. Bad headers give ``None``/empty fields plus a recorded defect."""
    defects: list[str] = []
    try:
        msg = email.message_from_bytes(raw)
    except Exception as exc:  # pragma: no cover - the compat32 parser is very tolerant
        msg = email.message.Message()
        defects.append(f"unparseable message: {type(exc).__name__}")
    defects.extend(type(d).__name__ for d in getattr(msg, "defects", []))

    def header(name: str) -> str | None:
        try:
            v = raw_header(msg, name)
        except Exception:
            return None
        return decode_header_text(v) if v is not None else None

    from_text = header("From") or ""
    try:
        name, addr = email.utils.parseaddr(from_text)
    except Exception:
        name, addr = "", ""
    mid = (header("Message-ID") or "").strip()
    received = []
    for v in [v for k, v in msg.raw_items() if k.lower() == "received"]:
        try:
            received.append(parse_received(decode_header_text(v)))
        except Exception:
            defects.append("bad Received header")
    forwards: list[dict] = []
    atts, text, html = _attachments_and_bodies(msg, defects, forwards)
    inline = inline_forward(text) if not forwards else None
    if inline is not None:
        forwards.append(inline.as_dict())
    sender = addr.strip().lower() or None
    forwards = [{**f, "by": sender} for f in forwards]
    auto = (header("Auto-Submitted") or "no").strip().lower() not in ("", "no") or \
        (header("Precedence") or "").strip().lower() in ("bulk", "junk", "list")
    date_header = header("Date")
    return ParsedMail(
        message_id=mid[:998] or None, sender=addr.strip().lower() or None, sender_name=name,
        subject=header("Subject") or "", date_header=date_header, date_sent=parse_date(date_header),
        received=tuple(received), attachments=atts, text_body=text, html_body=html, auto_submitted=auto,
        defects=tuple(defects), forwarded=tuple(forwards))
