"""The worker process: processes receipts the intake process recorded; started and watched by it.

    python -m intake.worker_main --parent PID [--arrivals-fd FD] [--verbose]

Receipt ids come one per line on stdin (``intake.worker_process`` writes them after each commit); the database
is the queue of record (``received`` receipts are re-queued at start and by the retry loop), so an id that
never arrives costs a delay, never a receipt. The process dies with its parent (``PR_SET_PDEATHSIG``) and
stops when stdin closes: a killed intake never leaves a worker writing behind a new one. The end of stdin (how the
intake stops it) or SIGTERM: finish what is queued (at most ``STOP_WAIT`` seconds), then exit 0. Background OCR runs here too, only
while the queue is empty (intake first).
"""
from __future__ import annotations

import argparse
import asyncio
import ctypes
import logging
import os
import signal
import sys

log = logging.getLogger("shenbao.intake.worker")

STOP_WAIT = 20.0
PR_SET_PDEATHSIG = 1
_stop_asked: list[int] = []          # a SIGTERM/SIGINT before the loop runs (start-up takes a second or two)


def _early_stop(signum, _frame) -> None:
    _stop_asked.append(signum)


def die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies; exit now if it is gone already."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):              # not Linux: the closed stdin still stops the worker
        pass
    if os.getppid() != parent:
        os._exit(0)


async def read_ids(worker, stopping: asyncio.Event) -> None:
    """Receipt ids from stdin into the worker's queue until EOF (the intake process is gone or stopping)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**16)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        try:
            worker.submit(int(line))
        except ValueError:
            log.warning("worker: ignored a line from the intake process: %r", line[:80])
    stopping.set()


async def ocr_loop(services, worker, interval: float) -> None:
    """Background OCR of scanned pages, only while the worker has nothing queued (intake first): a few rounds
    at a time, again at once while there is more to read, else after ``interval`` seconds."""
    from intake.ocr_backlog import run_background_ocr
    from precheck.ocr_worker import OcrPool

    pool = OcrPool(services.settings.ocr_workers)
    try:
        while True:
            await asyncio.sleep(interval)
            while worker.idle.is_set():
                try:
                    done = await run_background_ocr(services, limit=2 * len(pool.workers), pool=pool)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("background OCR round failed; will retry")
                    break
                if not done:
                    break
                log.info("background OCR read documents %s", done)
    finally:
        pool.close()


async def serve(services, arrivals_fd: int | None) -> None:
    from core import metrics
    from core.heap import bound_heap
    from core.loop_lag import LoopLagMonitor
    from intake.pipeline import clean_spool
    from intake.priority import GATE
    from intake.worker import Worker
    from models import close_db, init_db

    bound_heap()
    if arrivals_fd is not None:
        GATE.attach(arrivals_fd)
    await init_db(services.settings.database_url)
    from intake.write_baton import BATON

    BATON.configure(services.settings.sqlite_path)    # the intake process's, on the same database file
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    if _stop_asked:                    # asked to stop while starting: still finish what was received
        stopping.set()
    worker = Worker(services)
    removed = clean_spool(services.archive)
    if removed:
        log.info("removed %d parse spools of a worker that is gone", removed)
    await worker.requeue_pending()
    s = services.settings
    tasks = [asyncio.create_task(worker.run(), name="worker"),
             asyncio.create_task(worker.retry_loop(s.retry_seconds), name="worker-retry"),
             asyncio.create_task(read_ids(worker, stopping), name="worker-ids"),
             asyncio.create_task(LoopLagMonitor("worker").run(), name="loop-lag"),
             asyncio.create_task(metrics.SnapshotWriter(metrics.snapshot_path(s.data_dir, "worker"), "worker").run(),
                                 name="metrics")]
    if s.ocr:
        tasks.append(asyncio.create_task(ocr_loop(services, worker, s.ocr_interval), name="ocr"))
    log.info("worker process %d ready (%d receipts queued)", os.getpid(), worker.queue.qsize())
    try:
        await stopping.wait()
        try:                               # finish what was accepted (the rest is re-queued on the next start)
            await asyncio.wait_for(worker.idle.wait(), STOP_WAIT)
        except asyncio.TimeoutError:
            log.warning("worker stopping with %d receipts still queued; they are processed on next start",
                        worker.queue.qsize())
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await close_db()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m intake.worker_main")
    p.add_argument("--parent", type=int, required=True)
    p.add_argument("--arrivals-fd", type=int, default=None)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _early_stop)
    die_with_parent(args.parent)
    from config.call import load_call
    from config.clock import SystemClock
    from config.settings import load_settings
    from core.archive import Archive
    from core.logs import configure
    from core.services import Services
    from core import signing

    configure(verbose=args.verbose, daemon=True,
              json_logs=os.environ.get("SHENBAO_LOG_FORMAT", "").strip().lower() == "json")
    settings = load_settings(os.environ)
    from precheck.places import use_cache

    use_cache(settings.cache_dir)
    services = Services(settings=settings, call=load_call(settings.call), clock=SystemClock(),
                        archive=Archive(settings.archive_dir), signing_key=signing.install_signer(settings))
    asyncio.run(serve(services, args.arrivals_fd))
    return 0


if __name__ == "__main__":
    sys.exit(main())
