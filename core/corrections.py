"""Officer corrections the checks depend on: a document's kind, a province's cities (audited; dossier re-run)."""
from __future__ import annotations

from config.call import DOCUMENT_KINDS
from core.services import Services
from models import audit_log
from models.dossier import Dossier
from models.submission import Document


class CorrectionError(ValueError):
    """The correction is not valid; the message is Chinese, for the officer."""


async def set_document_kind(services: Services, doc_id: int, kind: str, *, reason: str, actor: str) -> Document:
    if kind not in DOCUMENT_KINDS:
        raise CorrectionError(f"未知的文件类型 {kind}；可选：{'、'.join(DOCUMENT_KINDS)}")
    if not reason.strip():
        raise CorrectionError("请说明更正理由（--reason）")
    doc = await Document.get_or_none(id=doc_id).prefetch_related("submission")
    if doc is None:
        raise CorrectionError(f"找不到文件 {doc_id}")
    old = {"kind": doc.kind, "kind_source": doc.kind_source, "kind_confidence": doc.kind_confidence}
    doc.kind, doc.kind_source, doc.kind_confidence = kind, "officer", 1.0
    ev = dict(doc.kind_evidence or {})
    ev["officer"] = {"actor": actor, "reason": reason, "previous": old}
    doc.kind_evidence = ev
    await doc.save()
    await audit_log.append(at=services.clock.now(), actor=actor, action="document.kind", target=f"document:{doc.id}",
                           detail={"kind": kind, "previous": old, "reason": reason, "filename": doc.filename})
    sub = doc.submission
    if sub.province and sub.on_time:
        await _refresh(services, sub.province)
    return doc


async def set_cities(services: Services, province: str, cities: list[str], *, reason: str, actor: str) -> Dossier:
    try:
        province = services.call.province(province).name
    except KeyError:
        raise CorrectionError(f"未知的省份 {province}") from None
    if not reason.strip():
        raise CorrectionError("请说明更正理由（--reason）")
    cities = [c.strip() for c in cities if c.strip()]
    now = services.clock.now()
    dossier, _ = await Dossier.get_or_create(call_id=services.call.id, province=province,
                                             defaults={"updated_at": now})
    old = {"cities": dossier.cities, "cities_source": dossier.cities_source}
    dossier.cities, dossier.cities_source, dossier.updated_at = cities or None, "officer" if cities else None, now
    await dossier.save()
    await audit_log.append(at=now, actor=actor, action="dossier.cities", target=f"dossier:{province}",
                           detail={"cities": cities, "previous": old, "reason": reason})
    await _refresh(services, province)
    return dossier


async def _refresh(services: Services, province: str) -> None:
    try:
        from core.dossier import refresh_dossier
    except ImportError:       # the lead's dossier module not on main yet
        return
    await refresh_dossier(services, province)
