"""The background OCR queue: scans whose analysis says ``ocr: pending`` get their next pages read by a warm OCR
worker, their kinds and facts updated (a stronger reading only), and their province's dossier re-checked.
Never on the intake path (~4.5 CPU s a page).

Order (``precheck.reading.ocr_plan.priority``): on-time filings before late ones; cover letters, then budgets,
targets tables, plans, others; a document already started before a fresh one of its kind; then arrival. A round
reads at most ``chunk`` pages of one document, so a long plan never holds back a cover letter that arrives
meanwhile. Resumable: the pages read so far are kept in the archive (``ocr/…`` JSON, referenced from
``analysis.ocr.pages_ref``) and every round re-reads the facts from all of them; a restart loses at most a round.
"""
from __future__ import annotations

import json
import logging
import time

from core.dossier import refresh_dossier
from core.services import Services
from intake.priority import GATE
from intake.write_baton import BATON
from models.submission import Document
from precheck.analysis import ocr_document


async def _write(fn):
    """A write of the background step: after the arrival being recorded, if any, holding the write baton
    (intake.priority, intake.write_baton) — OCR is deferred work, the recording of mail is not."""
    await GATE.quiet()
    return await BATON.run(fn)


log = logging.getLogger("shenbao.intake.ocr")


def _ocr(doc) -> dict:
    return (doc.analysis or {}).get("ocr") or {}


async def pending_documents(limit: int = 20, exclude: set[int] = frozenset()) -> list:
    """The next ``limit`` scans to read, in ``priority`` order, from the queue's index alone: on-time filings
    first, then by ``ocr_rank`` (kind, a started document before a fresh one), then by id (arrival order: a
    submission's documents are written when it is processed). Costs the same however long the queue is."""
    out: list = []
    for on_time in (True, False):
        q = Document.filter(ocr_status="pending", submission__on_time=on_time)
        if exclude:
            q = q.exclude(id__in=sorted(exclude))                # the documents being read now: a handful
        out += await q.order_by("ocr_rank", "id").limit(limit - len(out)).prefetch_related("submission")
        if len(out) >= limit:
            break
    return out


def _load_pages(services: Services, doc) -> list[dict]:
    ref = _ocr(doc).get("pages_ref")
    if not ref:
        return []
    try:
        return json.loads(services.archive.read(ref))
    except (OSError, ValueError) as exc:
        log.warning("document %s: stored OCR pages unreadable (%s); reading them again", doc.id, exc)
        return []


async def ocr_one(services: Services, doc, *, chunk: int = 3, pool=None) -> bool:
    """One round on one document; True when it was read (even if OCR failed and was recorded)."""
    try:
        data = services.archive.read(doc.archive_path)
    except OSError as exc:
        log.warning("document %s: archive read failed: %s", doc.id, exc)
        return False
    stored = _load_pages(services, doc)
    if stored and len(stored) != len(_ocr(doc).get("done") or []):
        stored = []
    upd, pages = await ocr_document(data, doc.filename, doc.content_type or "", doc.analysis or {}, services.call,
                                    kind=doc.kind or "other", kind_source=doc.kind_source, stored=stored, pool=pool,
                                    chunk=chunk)
    if pages is not stored and pages:
        _sha, ref = services.archive.put(json.dumps(pages, ensure_ascii=False).encode("utf-8"), "ocr", ".json")
        upd["analysis"]["ocr"]["pages_ref"] = ref
    for k, v in upd.items():
        setattr(doc, k, v)
    await _write(doc.save)
    o = upd["analysis"]["ocr"]
    log.info("document %s: OCR %s (pages %s), kind %s", doc.id, o.get("status"), o.get("done"), doc.kind)
    return True


async def run_background_ocr(services: Services, *, limit: int = 20, chunk: int = 3, refresh: bool = True,
                             pool=None, budget_seconds: float | None = None, on_round=None) -> list[int]:
    """Up to ``limit`` rounds, each the most urgent pending document's next pages, as many at once as the pool
    has workers; returns the ids of the documents read (in order). Re-checks the dossier of each touched on-time
    province when one of its documents is finished, and at the end. ``on_round(doc)`` (optional, plain
    function) is told after each round, the document saved with its new ``analysis.ocr`` (``shenbao ocr``
    prints a line per round from it)."""
    import asyncio

    from precheck.ocr_worker import default_pool

    pool = pool or default_pool()
    done: list[int] = []
    provinces: set[str] = set()
    claimed: set[int] = set()
    rounds = {"left": limit}
    t0 = time.monotonic()
    lock, refreshing = asyncio.Lock(), asyncio.Lock()

    async def lane() -> None:
        while True:
            async with lock:
                if rounds["left"] <= 0 or (budget_seconds is not None and time.monotonic() - t0 >= budget_seconds):
                    return
                nxt = await pending_documents(1, exclude=claimed)
                if not nxt:
                    return
                doc = nxt[0]
                claimed.add(doc.id)
                rounds["left"] -= 1
            try:
                ok = await ocr_one(services, doc, chunk=chunk, pool=pool)
                if not ok:                           # the file cannot be read: do not retry it forever
                    a = dict(doc.analysis or {})
                    a["ocr"] = dict(_ocr(doc), status="failed", reason="存档文件无法读取")
                    doc.analysis = a
                    await _write(doc.save)
                    if on_round:
                        on_round(doc)
                    continue
                done.append(doc.id)
                if on_round:
                    on_round(doc)
                sub = doc.submission
                if sub.province and sub.on_time:
                    provinces.add(sub.province)
                    if refresh and _ocr(doc).get("status") != "pending":
                        async with refreshing:
                            await _write(lambda: refresh_dossier(services, sub.province))
            finally:
                claimed.discard(doc.id)

    await asyncio.gather(*(lane() for _ in range(len(pool.workers))))
    if refresh:
        for p in sorted(provinces):
            await _write(lambda: refresh_dossier(services, p))
    return done
