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
