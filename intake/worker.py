"""The processing worker: one consumer, never dies; failures shunt the receipt (Mailman runner)."""
from __future__ import annotations

import asyncio
import logging
import time
import traceback

from core import metrics
from intake.pipeline import process_receipt
from core.services import Services
from core.vocabulary import ReceiptStatus
from models.receipt import Receipt
from models.retry import with_retry

log = logging.getLogger("shenbao.intake.worker")


class Worker:
    def __init__(self, services: Services):
        self.services = services
        self.queue: asyncio.Queue[int] = asyncio.Queue()
        self.idle = asyncio.Event()
        self.idle.set()
        self.depth = metrics.gauge("worker_queue", "receipts waiting for the worker")
        self.processed = metrics.counter("worker_processed_total", "receipts processed")
        self.shunted = metrics.counter("worker_shunted_total", "receipts shunted after a processing error")
        self.seconds = metrics.histogram("worker_process_seconds", "wall time to process one receipt",
                                         (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))

    def submit(self, receipt_id: int) -> None:
        self.idle.clear()
        self.queue.put_nowait(receipt_id)
        self.depth.set(self.queue.qsize())

    async def requeue_pending(self) -> int:
        """On start: everything received but not processed goes back on the queue."""
        ids = await Receipt.filter(status=ReceiptStatus.RECEIVED).order_by("id").values_list("id", flat=True)
        for rid in ids:
            self.submit(rid)
        if ids:
            log.info("re-queued %d received-but-unprocessed receipts", len(ids))
        return len(ids)

    async def process_one(self, receipt_id: int) -> bool:
        t0 = time.monotonic()
        try:
            await process_receipt(self.services, receipt_id)
            self.processed.inc()
            self.seconds.observe(time.monotonic() - t0)
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("R%06d: processing failed, shunted: %s", receipt_id, exc, exc_info=True)
            self.shunted.inc()
            err = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]

            async def shunt():
                await Receipt.filter(id=receipt_id).update(status=ReceiptStatus.SHUNTED, error=err)
            try:
                await with_retry(shunt, what="shunt")
            except Exception:
                log.exception("R%06d: could not mark shunted (stays received; re-queued on restart)", receipt_id)
            return False

    async def run(self) -> None:
        while True:
            rid = await self.queue.get()
            try:
                await self.process_one(rid)
            finally:
                self.queue.task_done()
                self.depth.set(self.queue.qsize())
                if self.queue.empty():
                    self.idle.set()

    async def drain(self) -> None:
        """Process everything queued now (for CLI commands and tests)."""
        while not self.queue.empty():
            rid = self.queue.get_nowait()
            await self.process_one(rid)
            self.queue.task_done()
        self.idle.set()
