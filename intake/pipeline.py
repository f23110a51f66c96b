"""process_receipt: parse → group → documents → attribute → decide on time → findings → dossier.

Idempotent: a replay of the same receipt re-derives everything and changes no recorded time.
"""
from __future__ import annotations

import asyncio
import logging

from precheck.attribution import attribute
from intake.documents import store_documents
from core.dossier import refresh_dossier
from core.findings_store import replace_findings
from intake.grouping import submission_for
from precheck.parse import ParsedMail, parse_mail
from core.services import Services
from core.submission_findings import refresh_submission_findings
from models.dossier import KnownSender
from core.vocabulary import ReceiptStatus
from models.receipt import Receipt
from models.submission import Document, Submission

log = logging.getLogger("shenbao.intake.pipeline")


async def _record_headers(r: Receipt, parsed: ParsedMail) -> None:
    r.message_id = parsed.message_id
    r.sender = (parsed.sender or "")[:512] or None
    r.subject = parsed.subject
    r.date_header = (parsed.date_header or "")[:255] or None
    r.date_sent = parsed.date_sent
    r.received_chain = [{"by": h.by, "from": h.from_, "at": h.at.isoformat() if h.at else None} for h in
                        parsed.received[:30]]
    await r.save(update_fields=["message_id", "sender", "subject", "date_header", "date_sent", "received_chain"])


async def _attribute(services: Services, sub: Submission, parsed: ParsedMail, docs: list[Document]) -> None:
    if sub.attribution and sub.attribution.get("method") == "officer":
        return
    confirmed = {k.address: k.province for k in await KnownSender.all()}
    cover = " ".join((d.analysis or {}).get("text", "") for d in docs if d.kind == "cover_letter")
    att = attribute(services.call, sender=parsed.sender, subject=parsed.subject,
                    filenames=[d.filename for d in docs], cover_text=cover, confirmed=confirmed)
    sub.province = att.province
    sub.attribution = att.as_json()


async def process_receipt(services: Services, receipt_id: int) -> Submission:
    """Process one durable receipt; raises on failure (the worker shunts it)."""
    call, now = services.call, services.clock.now()
    r = await Receipt.get(id=receipt_id)
    raw = await asyncio.to_thread(services.archive.read, r.archive_path)
    parsed = parse_mail(raw)
    await _record_headers(r, parsed)
    sub, _created = await submission_for(r, parsed, call_id=call.id, now=now)
    receipts = list(await Receipt.filter(submission_id=sub.id).order_by("received_at", "id"))
    old_province = sub.province
    sub.first_received_at = min(x.received_at for x in receipts)
    sub.on_time = any(call.is_on_time(x.received_at) for x in receipts)
    docs, doc_findings = await store_documents(sub, parsed, call=call, archive=services.archive, now=now)
    if doc_findings:
        await replace_findings(scope="document", submission_id=sub.id, now=now, province=None, call_id=sub.call_id,
                               specs=[f for _, f in doc_findings],
                               document_ids=[d.id if d else None for d, _ in doc_findings])
    await _attribute(services, sub, parsed, docs)
    sub.updated_at = now
    await sub.save()
    await refresh_submission_findings(services, sub, receipts)
    r.status, r.error, r.processed_at = ReceiptStatus.PROCESSED, None, now
    r.attempts += 1
    await r.save(update_fields=["status", "error", "processed_at", "attempts"])
    log.info("%s: processed into %s (%s, %s)", r.ref, sub.ref, sub.province or "unidentified",
             "on time" if sub.on_time else "LATE")
    for province in {p for p in (sub.province, old_province) if p}:
        await refresh_dossier(services, province)
    return sub
