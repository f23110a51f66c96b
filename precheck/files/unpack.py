"""The caps every unpacking obeys (total size, member count, ratio, depth), safe member names, and the
forwarded message (``.eml``) as a container. The tools themselves are ``precheck.files.containers``
(zip/7z/RAR/tar) and ``precheck.files.outlook`` (winmail.dat, .msg).

Runs inside the sandbox. One call unpacks one level; the caller recurses (and caps the depth).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass


@dataclass(frozen=True)
class UnpackLimits:
    max_total: int = 150 * 1024 * 1024      # bytes unpacked from one archive
    max_member: int = 80 * 1024 * 1024
    max_files: int = 500
    max_ratio: float = 200.0                 # uncompressed / compressed, per archive
    max_depth: int = 3                       # nesting: archive in archive in archive


class LimitExceeded(Exception):
    """An archive tried to exceed a cap; the message says which, in Chinese."""


def safe_name(raw: str, index: int) -> str:
    """A relative POSIX path with no '..', no absolute part, no drive letter, no control characters."""
    s = (raw or "").replace("\\", "/")
    parts = []
    for p in s.split("/"):
        p = "".join(ch for ch in p if ch >= " " and ch != "\x7f").strip()
        if p in ("", ".", ".."):
            continue
        while len(p) > 1 and p[1] == ":":          # "C:" (and "f:f:x", found by fuzzing) is not a name part
            p = p[2:].strip()
        if not p or p in (".", ".."):
            continue
        parts.append(p[:200])
    name = posixpath.join(*parts) if parts else f"member-{index}"
    return name[:480]


def unpack_eml(data: bytes, limits: UnpackLimits) -> dict:
    """A forwarded message: its attachments become members; its HTML body is returned for link detection."""
    from precheck.parse import parse_mail

    parsed = parse_mail(data)
    if len(parsed.attachments) > limits.max_files:
        raise LimitExceeded(f"邮件内附件数 {len(parsed.attachments)} 超过上限 {limits.max_files}")
    members = [{"name": safe_name(a.filename, i), "data": a.data, "content_type": a.content_type}
               for i, a in enumerate(parsed.attachments)]
    return {"members": members, "problems": [], "fatal": None, "tool": "email", "html_body": parsed.html_body[:200_000],
            "subject": parsed.subject, "sender": parsed.sender or "", "sender_name": parsed.sender_name,
            "date": parsed.date_header, "message_id": parsed.message_id}
