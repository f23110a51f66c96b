"""The intake process: SMTP intake + one IMAP watcher per account + the worker, in one event loop."""
from __future__ import annotations

import asyncio
import logging
import signal

from core import metrics
from core.loop_lag import LoopLagMonitor
from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from core.services import Services
from intake.smtp import IntakeHandler, start_smtp_server
from intake.worker import Worker

log = logging.getLogger("shenbao.intake")


async def alert(services: Services, kind: str, text: str, detail: dict) -> None:
    """Queue an operational alert to every officer chat and the staff list (the bot process sends it)."""
    from core.notify import notify_officers

    now = services.clock.now()
    key = f"alert:{kind}:{detail.get('account', '')}:{detail.get('new', now.isoformat())}"
    try:
        await notify_officers(services.settings.outgoing, key=key, now=now, text=text,
                              subject=f"shenbao 告警：{kind}")
    except Exception:
        log.exception("could not queue alert %s (it is in the log above)", key)


def watched_folders(accounts):
    """One watcher per folder: each account's folder (INBOX) and its extra folders (the junk folder: DESIGN.md
    policy 7, every folder where a filing can land is watched)."""
    from dataclasses import replace

    out = []
    for a in accounts:
        out.append(a)
        out += [replace(a, folder=f) for f in a.extra_folders if f and f != a.folder]
    return out


class IntakeDaemon:
    def __init__(self, services: Services, *, smtp: bool = True, backoff_base: float = 1.0):
        self.services = services
        self.retry_seconds = services.settings.retry_seconds
        self.worker = Worker(services)
        self.receiver = Receiver(services.archive, services.clock, self.worker.submit,
                                 on_alert=lambda k, t, d: alert(services, k, t, d))
        self.watchers = [MailboxWatcher(a, self.receiver, services.clock, backoff_base=backoff_base,
                                        on_alert=lambda k, t, d: alert(services, k, t, d))
                         for a in watched_folders(services.settings.imap_accounts)]
        self.smtp_enabled = smtp
        self.smtp_server = None
        self.stopped = asyncio.Event()

    @property
    def smtp_port(self) -> int:
        return self.smtp_server.sockets[0].getsockname()[1]

    async def start(self) -> None:
        from core.province_state import rebuild_state

        await rebuild_state(self.services, only_stale=True)     # state written by an older release
        from intake.pipeline import clean_spool

        clean_spool(self.services.archive)
        await self.worker.requeue_pending()
        s = self.services.settings
        if self.smtp_enabled:
            handler = IntakeHandler(self.services.call, self.receiver, self.services.clock)
            removed = self.services.archive.clean_spool()
            if removed:
                log.info("removed %d spool files of unfinished SMTP sessions (never acknowledged)", removed)
            self.smtp_server = await start_smtp_server(handler, s.smtp_host, s.smtp_port, limits=s.smtp_limits)
        self.lag = LoopLagMonitor("intake")
        self.tasks = [asyncio.create_task(self.worker.run(), name="worker"),
                      asyncio.create_task(self.worker.retry_loop(self.retry_seconds), name="worker-retry"),
                      asyncio.create_task(self.lag.run(), name="loop-lag"),
                      asyncio.create_task(metrics.SnapshotWriter(
                          metrics.snapshot_path(s.data_dir, "intake"), "intake").run(), name="metrics")]
        self.tasks += [asyncio.create_task(w.run(), name=f"imap:{w.account.mailbox}:{w.account.folder}")
                       for w in self.watchers]
        if s.ocr:
            self.tasks.append(asyncio.create_task(self.ocr_loop(s.ocr_interval),
                                                  name="ocr"))
        if not self.watchers:
            log.info("no IMAP accounts configured (SHENBAO_IMAP_MOF_HOST / SHENBAO_IMAP_MOHRSS_HOST)")

    async def ocr_loop(self, interval: float) -> None:
        """Background OCR of scanned pages, only while the worker has nothing queued (intake first): a few rounds
        at a time, again at once while there is more to read, else after ``interval`` seconds."""
        from intake.ocr_backlog import run_background_ocr
        from precheck.ocr_worker import OcrPool

        self.ocr_pool = OcrPool(self.services.settings.ocr_workers)
        try:
            while True:
                await asyncio.sleep(interval)
                while self.worker.idle.is_set():
                    try:
                        done = await run_background_ocr(self.services, limit=2 * len(self.ocr_pool.workers),
                                                        pool=self.ocr_pool)
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("background OCR round failed; will retry")
                        break
                    if not done:
                        break
                    log.info("background OCR read documents %s", done)
        finally:
            self.ocr_pool.close()

    async def stop(self) -> None:
        for w in self.watchers:
            w.stop()
        if self.smtp_server is not None:
            self.smtp_server.close()
        await asyncio.sleep(0)
        try:                                   # finish what was accepted (the rest is re-queued on start)
            await asyncio.wait_for(self.worker.idle.wait(), 20)
        except asyncio.TimeoutError:
            log.warning("stopping with %d receipts still queued; they are processed on next start",
                        self.worker.queue.qsize())
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.stopped.set()


def raise_fd_limit() -> None:
    """Use the hard file-descriptor limit: SMTP sessions are capped well below it, IMAP reconnects need headroom."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit from %d to %d", soft, hard)


GIL_SWITCH_SECONDS = 0.001


def tune_gil() -> None:
    """Hand the GIL over every 1 ms instead of 5: the loop thread (IMAP, SMTP, every aiosqlite query's return)
    shares the GIL with the worker's parsing threads, and each hop back to the loop waited up to the whole
    interval behind them. Measured on bench_load.py --units 18 --unrelated 1000 --hour-seconds 75: IMAP
    shenbao-minus-floor p50 348 -> 124 ms, and the worker drained sooner."""
    import sys

    sys.setswitchinterval(GIL_SWITCH_SECONDS)


async def run_daemon(services: Services) -> None:
    """Run until SIGINT/SIGTERM; the database is opened here, in this loop."""
    from models import close_db, init_db

    from core.heap import bound_heap

    bound_heap()                                 # freed large buffers go back to the system (core.heap)
    tune_gil()
    await init_db(services.settings.database_url)
    raise_fd_limit()
    daemon = IntakeDaemon(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await daemon.start()
    print(f"shenbao intake running: SMTP {services.settings.smtp_host}:{daemon.smtp_port}, "
          f"{len(daemon.watchers)} IMAP watcher(s), data {services.settings.data_dir}", flush=True)
    try:
        await stop.wait()
    finally:
        await daemon.stop()
        await close_db()
