"""The background OCR step: scans whose analysis says ``ocr: pending`` get their first pages read, kinds and
facts updated, and their province's dossier re-checked. Never on the intake path (1.3–7 s a page)."""
from __future__ import annotations

import asyncio
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
    """OCR up to ``limit`` pending documents; return their ids. Each result is stored with its province's
    dossier re-checked in one transaction (when ``refresh``), so the kept state follows every document."""
    from tortoise.transactions import in_transaction

    done = []
    for doc in await pending_documents(limit):
        try:
            data = await asyncio.to_thread(services.archive.read, doc.archive_path)
        except OSError as exc:
            log.warning("document %s: archive read failed: %s", doc.id, exc)
            continue
        upd = await ocr_document(data, doc.filename, doc.content_type or "", doc.analysis or {}, services.call,
                                 kind_source=doc.kind_source, pages=pages)
        del data
        async with in_transaction():
            for k, v in upd.items():
                setattr(doc, k, v)
            await doc.save()
            if refresh and doc.submission.province and doc.submission.on_time:
                await refresh_dossier(services, doc.submission.province)
        done.append(doc.id)
        log.info("document %s: OCR %s, kind %s", doc.id, upd["analysis"]["ocr"]["status"], doc.kind)
    return done
