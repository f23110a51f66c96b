"""Helpers the dossier checks share: documents by kind, counted pages, a document's label, prior rounds."""
from __future__ import annotations

from config.call import CallConfig
from core.vocabulary import kind_zh


def of_kind(docs, *kinds: str) -> list:
    return [d for d in docs if getattr(d, "kind", None) in kinds]


def counted(docs) -> list:
    """Documents that have pages (archives and unreadable files have ``pages`` None)."""
    return [d for d in docs if getattr(d, "pages", None) is not None]


def analysis(doc) -> dict:
    return getattr(doc, "analysis", None) or {}


def label(doc) -> str:
    return f"{kind_zh(doc.kind)}「{doc.filename}」"


def ocr_pending(doc) -> bool:
    return (analysis(doc).get("ocr") or {}).get("status") == "pending"


def prior_rounds(call: CallConfig):
    """Selection rounds before this call (已被评为示范项目); all rounds when the call id is not a year."""
    try:
        year = int(call.id)
    except ValueError:
        return list(call.selected)
    return [s for s in call.selected if s.year < year]


SOURCE_ZH = {"text_layer": "文字层", "ocr": "文字识别", "ocr_layer": "扫描件自带文字层", "officer": "处室更正"}


def evidence_zh(fact: dict | None) -> str:
    """Where a fact was read, for people: 第2页“中央财政补助资金 8,500.00万元”（文字识别）."""
    if not fact:
        return ""
    ev = fact.get("evidence")
    if isinstance(ev, list):
        ev = ev[0] if ev else {}
    if not isinstance(ev, dict):
        return f"“{ev}”" if ev else ""
    page = f"第{ev['page']}页" if ev.get("page") else ""
    src = SOURCE_ZH.get(ev.get("source") or "", "")
    return f"{page}“{(ev.get('text') or '')[:60]}”" + (f"（{src}）" if src else "")


def correction(ctx, key: str) -> dict | None:
    """An officer's correction of a dossier fact (``Dossier.corrections[key]``): it beats what was read."""
    d = getattr(ctx, "dossier", None)
    return ((getattr(d, "corrections", None) or {}).get(key)) if d is not None else None
