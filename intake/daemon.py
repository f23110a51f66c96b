"""The intake process: SMTP intake + one IMAP watcher per account in one event loop, and the worker process
it starts and watches (``intake.worker_process``): receiving mail never waits behind processing it."""
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
from intake.worker_process import WorkerProcess

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
    def __init__(self, services: Services, *, smtp: bool = True, backoff_base: float = 1.0, verbose: bool = False):
        self.services = services
        self.worker = WorkerProcess(services.settings, verbose=verbose)
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
        s = self.services.settings
        await self.worker.start()              # it re-queues what was received but not processed
        if self.smtp_enabled:
            handler = IntakeHandler(self.services.call, self.receiver, self.services.clock)
            removed = self.services.archive.clean_spool()
            if removed:
                log.info("removed %d spool files of unfinished SMTP sessions (never acknowledged)", removed)
            self.smtp_server = await start_smtp_server(handler, s.smtp_host, s.smtp_port, limits=s.smtp_limits)
        self.lag = LoopLagMonitor("intake")
        self.tasks = [asyncio.create_task(self.lag.run(), name="loop-lag"),
                      asyncio.create_task(metrics.SnapshotWriter(
                          metrics.snapshot_path(s.data_dir, "intake"), "intake").run(), name="metrics")]
        self.tasks += [asyncio.create_task(w.run(), name=f"imap:{w.account.mailbox}:{w.account.folder}")
                       for w in self.watchers]
        if not self.watchers:
            log.info("no IMAP accounts configured (SHENBAO_IMAP_MOF_HOST / SHENBAO_IMAP_MOHRSS_HOST)")

    async def stop(self) -> None:
        for w in self.watchers:
            w.stop()
        if self.smtp_server is not None:
            self.smtp_server.close()
        await asyncio.sleep(0)
        await self.worker.stop()               # it finishes what was accepted; the rest is re-queued on start
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
    shares the GIL with the threads that write and fsync archive files and with aiosqlite's thread, and each
    hop back to the loop could wait the whole interval. (Measured when the worker's parsing threads were in
    this process too: bench_load IMAP shenbao-minus-floor p50 348 -> 124 ms; the worker has its own process now.)"""
    import sys

    sys.setswitchinterval(GIL_SWITCH_SECONDS)


async def run_daemon(services: Services) -> None:
    """Run until SIGINT/SIGTERM; the database is opened here, in this loop."""
    from models import close_db, init_db

    from core.heap import bound_heap

    bound_heap()                                 # freed large buffers go back to the system (core.heap)
    tune_gil()
    await init_db(services.settings.database_url)
    from intake.write_baton import BATON

    BATON.configure(services.settings.sqlite_path)    # shared with the worker process (SQLite: one writer)
    raise_fd_limit()
    daemon = IntakeDaemon(services, verbose=logging.getLogger().isEnabledFor(logging.DEBUG))
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
