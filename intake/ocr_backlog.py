"""The background OCR step: scans whose analysis says ``ocr: pending`` get their first pages read, kinds and
facts updated, and their province's dossier re-checked. Never on the intake path (1.3–7 s a page)."""
from __future__ import annotations

import logging

from precheck.analysis import ocr_document
from core.dossier import refresh_dossier
from core.services import Services
from models.submission import Document

log = logging.getLogger("shenbao.intake.ocr")


async def pending_documents(limit: int = 20) -> list:
    """The next ``limit`` scans waiting for OCR, cover letters first: one indexed query (ocr_status, ocr_rank, id),
    however many documents the database holds."""
    return list(await Document.filter(ocr_status="pending").order_by("ocr_rank", "id").limit(limit)
                .prefetch_related("submission"))


async def run_background_ocr(services: Services, *, pages: int = 2, limit: int = 20, refresh: bool = True) -> list[int]:
    """OCR up to ``limit`` pending documents; return their ids. Re-runs the dossier of each touched province."""
    done, provinces = [], set()
    for doc in await pending_documents(limit):
        try:
            data = services.archive.read(doc.archive_path)
        except OSError as exc:
            log.warning("document %s: archive read failed: %s", doc.id, exc)
            continue
        upd = await ocr_document(data, doc.filename, doc.content_type or "", doc.analysis or {}, services.call,
                                 kind_source=doc.kind_source, pages=pages)
        for k, v in upd.items():
            setattr(doc, k, v)
        await doc.save()
        done.append(doc.id)
        if doc.submission.province and doc.submission.on_time:
            provinces.add(doc.submission.province)
        log.info("document %s: OCR %s, kind %s", doc.id, upd["analysis"]["ocr"]["status"], doc.kind)
    if refresh:
        for p in sorted(provinces):
            await refresh_dossier(services, p)
    return done
