"""Outlook's own containers: ``winmail.dat`` (TNEF, ``tnefparse``) and ``.msg`` (``extract-msg``).

Their attachments become members like a zip's, so each file is counted and checked like any other; an
attached ``.msg`` inside a ``.msg`` becomes a member too (unpacked one level further by the caller).

    res = unpack_tnef(data, limits)   # {"members", "problems", "fatal", "tool", "subject", "html_body"}
"""
from __future__ import annotations

import logging

from precheck.files.unpack import LimitExceeded, UnpackLimits
from precheck.files.containers import _Collector, _fatal
from precheck.files.problems import Problem, explain

TNEF_MAGIC = b"\x78\x9f\x3e\x22"

logging.getLogger("extract_msg").setLevel(logging.ERROR)


def _result(col: _Collector, tool: str, subject: str = "", html: str = "", sender: str = "") -> dict:
    res = col.result(tool)
    res.update(subject=subject[:300], html_body=html[:200_000], sender=sender[:200])
    return res


def unpack_tnef(data: bytes, limits: UnpackLimits | None = None) -> dict:
    """``winmail.dat``: the files Outlook wrapped in TNEF when it sent "rich text" mail."""
    limits = limits or UnpackLimits()
    try:
        import tnefparse

        t = tnefparse.TNEF(data)
        if not t.attachments and not (getattr(t, "body", None) or getattr(t, "htmlbody", None)
                                      or getattr(t, "rtfbody", None)):
            return _fatal(Problem("corrupt", "winmail.dat（Outlook 格式邮件内容）中没有可读取的附件或正文，文件可能已损坏",
                                  f"TNEF with {len(getattr(t, 'objects', []) or [])} objects"), "tnefparse")
        col = _Collector(limits, len(data))
        col.count(len(t.attachments))
        col.declared(sum(len(a.data or b"") for a in t.attachments))
        for n, a in enumerate(t.attachments):
            name = _tnef_name(a) or f"attachment-{n + 1}"
            blob = a.data or b""
            if not blob:
                col.problem(Problem("empty", f"winmail.dat 中的「{name}」是空的"), name)
                continue
            col.add(name, blob)
        html = t.htmlbody if isinstance(getattr(t, "htmlbody", None), str) else \
            (getattr(t, "htmlbody", b"") or b"").decode("utf-8", "replace")
        subject = getattr(t, "subject", "") or ""
        return _result(col, "tnefparse", subject if isinstance(subject, str) else "", html)
    except LimitExceeded as exc:
        return _fatal(Problem("over_limit", str(exc)), "caps")
    except Exception as exc:
        p = explain(exc)
        return _fatal(Problem(p.kind if p.kind != "corrupt" else "corrupt",
                              "winmail.dat（Outlook 格式邮件内容）已损坏，无法取出其中的附件", p.detail), "tnefparse")


def _tnef_name(a) -> str:
    try:
        name = a.long_filename() or ""
    except Exception:
        name = ""
    if not name:
        raw = getattr(a, "name", b"") or b""
        name = raw.decode("gb18030", "replace") if isinstance(raw, bytes) else str(raw)
    return name.strip("\x00").strip()


def unpack_msg(data: bytes, limits: UnpackLimits | None = None) -> dict:
    """An Outlook ``.msg`` saved and attached: its attachments (an attached message as ``主题.msg``)."""
    limits = limits or UnpackLimits()
    try:
        import extract_msg

        msg = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:
        p = explain(exc)
        return _fatal(Problem("corrupt", "Outlook 邮件文件（.msg）已损坏，无法取出其中的附件", p.detail), "extract-msg")
    try:
        col = _Collector(limits, len(data))
        atts = list(msg.attachments)
        col.count(len(atts))
        for n, a in enumerate(atts):
            inner = getattr(a, "data", None)
            name = (getattr(a, "longFilename", None) or getattr(a, "shortFilename", None) or "").strip()
            if inner is not None and not isinstance(inner, (bytes, bytearray)) and hasattr(inner, "exportBytes"):
                subject = (getattr(inner, "subject", "") or "").strip() or f"attachment-{n + 1}"
                blob = inner.exportBytes()
                name = f"{subject}.msg"
            elif isinstance(inner, (bytes, bytearray)):
                blob = bytes(inner)
            else:
                col.problem(Problem("unsupported", f".msg 中的附件「{name or n + 1}」是链接或对象，没有文件内容"), name)
                continue
            col.declared(col.total + len(blob))
            col.add(name or f"attachment-{n + 1}", blob)
        html = msg.htmlBody or b""
        html = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
        return _result(col, "extract-msg", msg.subject or "", html, str(msg.sender or ""))
    except LimitExceeded as exc:
        return _fatal(Problem("over_limit", str(exc)), "caps")
    except Exception as exc:
        p = explain(exc)
        return _fatal(Problem("corrupt", "Outlook 邮件文件（.msg）中的附件无法取出", p.detail), "extract-msg")
    finally:
        try:
            msg.close()
        except Exception:
            pass


def is_tnef(data: bytes) -> bool:
    return data[:4] == TNEF_MAGIC
