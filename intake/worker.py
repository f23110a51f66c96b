"""The processing worker: one consumer, never dies; work that fails transiently is retried until it finishes.

A failure is classified (``failure_kind``): a transient one — the archive or the database unavailable, disk
full, too many open files — marks the receipt ``retrying`` with ``next_attempt_at`` (backoff two retry rounds — 30 s —
doubling to 30 min, for as long as it takes); anything else is ``shunted`` (permanent: needs a fix and ``shenbao replay``).
While running, ``retry_loop`` re-queues receipts whose retry is due and receipts left ``received`` (a failure
that could not even be recorded, e.g. during a database outage) — not only at start (Mailman's runner, made
to finish its work).
"""
from __future__ import annotations

import asyncio
import errno
import logging
import time
import traceback
from datetime import timedelta

from core.archive import StorageUnavailable
from core import metrics
from core.services import Services
from core.vocabulary import ReceiptStatus
from intake.faults import pause_point
from intake.pipeline import process_receipt
from models.receipt import Receipt
from models.retry import TRANSIENT, _transient, with_retry

log = logging.getLogger("shenbao.intake.worker")

RETRY_BASE_ROUNDS = 2                       # first retry after two retry rounds (30 s at the default 15 s) ...
RETRY_MAX = timedelta(minutes=30)           # ... doubling up to this
STUCK_ROUNDS = 2                            # a `received` receipt older than this many retry rounds, not queued,
                                            # is picked up again (30 s at the default 15 s)
TRANSIENT_TEXT = ("disk is full", "no space left", "disk i/o error", "out of memory", "too many open files",
                  "read-only file system")
TRANSIENT_ERRNO = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EAGAIN,
                   errno.EROFS, errno.ETIMEDOUT, errno.ECONNREFUSED, errno.ECONNRESET}


def failure_kind(exc: BaseException) -> str:
    """``"transient"`` (retry by itself) or ``"permanent"`` (shunted until replayed)."""
    for e in (exc, exc.__cause__, exc.__context__):
        if e is None:
            continue
        if isinstance(e, (StorageUnavailable, MemoryError)):
            return "transient"
        if isinstance(e, TRANSIENT) and not isinstance(e, OSError) and (
                _transient(e) or any(t in str(e).lower() for t in TRANSIENT_TEXT)):
            return "transient"
        if isinstance(e, OSError) and (e.errno in TRANSIENT_ERRNO or isinstance(e, ConnectionError)):
            return "transient"
        if type(e).__module__.startswith("asyncpg") and ("connection" in str(e).lower()
                                                         or type(e).__name__.endswith("ConnectionError")):
            return "transient"
    return "permanent"


def backoff(attempts: int, base: timedelta = timedelta(seconds=30)) -> timedelta:
    return min(base * (2 ** max(0, min(attempts, 30) - 1)), RETRY_MAX)


class Worker:
    def __init__(self, services: Services):
        self.services = services
        self.stuck_after = timedelta(seconds=STUCK_ROUNDS * services.settings.retry_seconds)
        self.retry_base = timedelta(seconds=RETRY_BASE_ROUNDS * services.settings.retry_seconds)
        self.queue: asyncio.Queue[int] = asyncio.Queue()
        self.queued: set[int] = set()
        self.idle = asyncio.Event()
        self.idle.set()
        self.depth = metrics.gauge("worker_queue", "receipts waiting for the worker")
        self.processed = metrics.counter("worker_processed_total", "receipts processed")
        self.shunted = metrics.counter("worker_shunted_total", "receipts shunted after a processing error")
        self.seconds = metrics.histogram("worker_process_seconds", "wall time to process one receipt",
                                         (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))

    def submit(self, receipt_id: int) -> None:
        if receipt_id in self.queued:
            return
        self.queued.add(receipt_id)
        self.idle.clear()
        self.queue.put_nowait(receipt_id)
        self.depth.set(self.queue.qsize())

    async def requeue_pending(self) -> int:
        """On start: everything received but not processed, and every retry, goes back on the queue."""
        ids = await Receipt.filter(status__in=[ReceiptStatus.RECEIVED, ReceiptStatus.RETRYING]) \
            .order_by("id").values_list("id", flat=True)
        for rid in ids:
            self.submit(rid)
        if ids:
            log.info("re-queued %d received-but-unprocessed receipts", len(ids))
        return len(ids)

    async def requeue_due(self) -> int:
        """While running: retries whose time has come, and `received` receipts nobody is working on."""
        now = self.services.clock.now()
        due = await Receipt.filter(status=ReceiptStatus.RETRYING, next_attempt_at__lte=now) \
            .order_by("next_attempt_at", "id").limit(500).values_list("id", flat=True)
        stuck = await Receipt.filter(status=ReceiptStatus.RECEIVED, created_at__lte=now - self.stuck_after) \
            .order_by("id").limit(500).values_list("id", flat=True)
        n = 0
        for rid in [*due, *stuck]:
            if rid not in self.queued:
                self.submit(rid)
                n += 1
        if n:
            log.info("retry: re-queued %d receipts (%d due, %d left received)", n, len(due), len(stuck))
        return n

    async def retry_loop(self, interval: float = 15.0) -> None:
        """Forever: ``requeue_due`` every ``interval`` seconds; a database outage only skips a round."""
        while True:
            await asyncio.sleep(interval)
            try:
                await self.requeue_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("retry round skipped: %s: %s", type(exc).__name__, exc)

    async def process_one(self, receipt_id: int) -> bool:
        t0 = time.monotonic()
        try:
            await pause_point("before_process")
            await process_receipt(self.services, receipt_id)
            self.processed.inc()
            self.seconds.observe(time.monotonic() - t0)
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            kind = failure_kind(exc)
            err = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]
            now = self.services.clock.now()

            async def mark():
                r = await Receipt.get(id=receipt_id)
                attempts = (r.attempts or 0) + 1
                if kind == "transient":
                    await Receipt.filter(id=receipt_id).update(
                        status=ReceiptStatus.RETRYING, error=err, attempts=attempts,
                        next_attempt_at=now + backoff(attempts, self.retry_base))
                    return attempts
                await Receipt.filter(id=receipt_id).update(status=ReceiptStatus.SHUNTED, error=err,
                                                           attempts=attempts, next_attempt_at=None)
                return attempts
            try:
                attempts = await with_retry(mark, what="mark failure")
                if kind == "transient":
                    log.warning("R%06d: processing failed (transient, attempt %d), retry in %s: %s", receipt_id,
                                attempts, backoff(attempts, self.retry_base), exc)
                else:
                    log.error("R%06d: processing failed, shunted: %s", receipt_id, exc, exc_info=True)
                    self.shunted.inc()
            except Exception:
                log.exception("R%06d: processing failed (%s) and could not be marked; it stays received and the "
                              "retry loop picks it up", receipt_id, exc)
            return False

    async def run(self) -> None:
        while True:
            rid = await self.queue.get()
            try:
                await self.process_one(rid)
            finally:
                self.queued.discard(rid)
                self.queue.task_done()
                self.depth.set(self.queue.qsize())
                if self.queue.empty():
                    self.idle.set()

    async def drain(self) -> None:
        """Process everything queued now (for CLI commands and tests)."""
        while not self.queue.empty():
            rid = self.queue.get_nowait()
            try:
                await self.process_one(rid)
            finally:
                self.queued.discard(rid)
                self.queue.task_done()
        self.idle.set()
