"""Was this mail forwarded, and from whom? A province's filing often reaches the mailbox forwarded by a
colleague (or by the ministry's own staff): as an attached message (``message/rfc822``), or quoted in the
body under a client's forward banner (QQ邮箱, 网易, Foxmail, Outlook 中文/English, Gmail).

    fwd = inline_forward(text_body)              # Forward(how="inline", original_from=..., ...) or None
    fwd = attached_forward(inner_message)        # from the attached message's own headers
    fwd.describe(by="zhang@sd.gov.cn")           # "由 zhang@sd.gov.cn 转发；原邮件发件人 李四 <li@…>，主题「…」"
"""
from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass

SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:转发|转|fwd?|fw)\s*[:：]\s*)+", re.I)
_BANNERS = (
    r"-{3,}\s*转发邮件信息\s*-{3,}",                 # 网易 163/126
    r"-{3,}\s*原始邮件\s*-{3,}",                     # QQ邮箱, Foxmail
    r"-{3,}\s*Forwarded message\s*-{3,}",           # Gmail
    r"-{3,}\s*Original Message\s*-{3,}",            # Outlook (English)
    r"-{3,}\s*邮件原文\s*-{3,}",
    r"-{3,}\s*转发的邮件\s*-{3,}",
)
_BANNER = re.compile("|".join(f"(?:{b})" for b in _BANNERS), re.I)
_FIELD = {
    "from": r"(?:发件人|From|寄件者)",
    "date": r"(?:发送时间|发送日期|日期|时间|Date|Sent)",
    "to": r"(?:收件人|To)",
    "subject": r"(?:主题|主\s*题|Subject)",
}
_OUTLOOK_ZH = re.compile(r"^\s*发件人\s*[:：].+\n\s*(?:发送时间|发送日期)\s*[:：]", re.M)


@dataclass(frozen=True)
class Forward:
    how: str                          # attached / inline
    original_from: str | None         # lower-cased address of the original author
    original_name: str = ""
    original_subject: str = ""
    original_date: str | None = None
    original_message_id: str | None = None

    def describe(self, by: str | None) -> str:
        who = f"{self.original_name} <{self.original_from}>" if self.original_name and self.original_from else \
            (self.original_from or self.original_name or "（未写明）")
        parts = [f"由 {by} 转发" if by else "转发邮件"]
        parts.append(f"原邮件发件人 {who}")
        if self.original_subject:
            parts.append(f"主题「{self.original_subject[:80]}」")
        if self.original_date:
            parts.append(f"原发送时间 {self.original_date[:40]}")
        return "；".join(parts) + ("（原邮件作为附件转发）" if self.how == "attached" else "（原邮件内容在正文中转发）")

    def as_dict(self, by: str | None = None) -> dict:
        return {"how": self.how, "by": by, "original_from": self.original_from, "original_name": self.original_name,
                "original_subject": self.original_subject, "original_date": self.original_date,
                "original_message_id": self.original_message_id}


def is_forward_subject(subject: str) -> bool:
    return bool(SUBJECT_PREFIX.match(subject or ""))


def _field(block: str, key: str) -> str:
    m = re.search(rf"^\s*[*>]*\s*{_FIELD[key]}\s*[:：]\s*(.+?)\s*$", block, re.M | re.I)
    return m.group(1).strip(" *") if m else ""


def _address(value: str) -> tuple[str, str | None]:
    value = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", value or "")
    value = value.replace("&lt;", "<").replace("&gt;", ">").replace('"', "")
    name, addr = email.utils.parseaddr(value)
    if not addr or "@" not in addr:
        m = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value)
        addr = m.group(0) if m else ""
        name = name or value.split("<", 1)[0].strip()
    name = name.strip().strip("'\"")
    return (name if name != addr else ""), (addr.lower() or None)


def inline_forward(text: str) -> Forward | None:
    """The original mail quoted under a forward banner (or Outlook's 发件人/发送时间 block), if any."""
    if not text:
        return None
    m = _BANNER.search(text)
    start = m.end() if m else None
    if start is None:
        o = _OUTLOOK_ZH.search(text)
        if not o:
            return None
        start = o.start()
    block = text[start:start + 1200]
    frm = _field(block, "from")
    if not frm:
        return None
    name, addr = _address(frm)
    return Forward("inline", addr, name, _field(block, "subject")[:300], _field(block, "date")[:60] or None)


def attached_forward(inner, decode_header) -> Forward:
    """From an attached message's headers (``decode_header``: the parser's header decoder)."""
    def h(key):
        for k, v in inner.raw_items():
            if k.lower() == key:
                return decode_header(v) or ""
        return ""

    name, addr = _address(h("from"))
    return Forward("attached", addr, name, h("subject")[:300], h("date")[:60] or None,
                   (h("message-id") or "").strip()[:300] or None)
