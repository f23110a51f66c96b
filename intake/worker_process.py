"""The worker in a process of its own, seen from the intake process: start it, feed it, restart it, stop it.

Why a process: recording an arrival (IMAP FETCH, SMTP DATA, the archive's fsync, the receipt's commit) is
what a sender waits for and what the arrival latency measures; parsing a 25 MB filing, checking DKIM and
writing its findings is deferred work. In one process they shared one GIL and one event loop, and the loop
that received mail waited behind the parsing (bench_load: shenbao's IDLE path 170–190 ms behind a minimal
IDLE client at p50). In a process of its own the worker cannot hold up the receiving loop; the kernel
schedules the two, and the receiving process, asleep on its sockets most of the time, is woken first.

    link = WorkerProcess(settings)
    await link.start()           # python -m intake.worker_main, stdin a pipe of receipt ids
    link.submit(receipt_id)      # after each commit (Receiver's callback); never blocks, never raises
    await link.stop()            # stdin closed: the worker finishes what it was given and exits

Nothing depends on an id reaching the worker: the receipt row is the record, ``received`` receipts are
re-queued when the worker starts and by its retry loop. The worker dies with this process (PDEATHSIG) and
is restarted here (backoff 1 s doubling to 30 s) whenever it exits unasked.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

from core import metrics
from intake.priority import GATE

log = logging.getLogger("shenbao.intake.worker")

STOP_TIMEOUT = 30.0              # the worker's own STOP_WAIT (20 s of queue) and the receipt in hand
RESTART_MIN, RESTART_MAX = 1.0, 30.0
CODE_ROOT = str(Path(__file__).resolve().parents[1])     # the worker runs the very code this process runs


class WorkerProcess:
    def __init__(self, settings, *, verbose: bool = False):
        self.settings = settings
        self.verbose = verbose
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._stopping = False
        self._supervisor: asyncio.Task | None = None
        self.restarts = metrics.counter("worker_restarts_total", "worker process exits the intake restarted it after")

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.settings.environ)                   # what the settings were read from (.env included)
        env["SHENBAO_DATA_DIR"] = str(self.settings.data_dir)   # --data-dir wins, as it did here
        env["DATABASE_URL"] = self.settings.database_url
        env["PYTHONPATH"] = os.pathsep.join([CODE_ROOT, *filter(None, [env.get("PYTHONPATH")])])
        return env

    async def _spawn(self) -> None:
        fd = GATE.share()
        argv = [sys.executable, "-m", "intake.worker_main", "--parent", str(os.getpid()), "--arrivals-fd", str(fd)]
        if self.verbose:
            argv.append("--verbose")
        self.proc = await asyncio.create_subprocess_exec(*argv, stdin=asyncio.subprocess.PIPE, env=self._env(),
                                                         pass_fds=(fd,))
        self.starts += 1
        log.info("worker process %d started", self.proc.pid)

    async def start(self) -> None:
        await self._spawn()
        self._supervisor = asyncio.create_task(self._supervise(), name="worker-supervisor")

    async def _supervise(self) -> None:
        delay = RESTART_MIN
        while True:
            proc = self.proc
            started = asyncio.get_running_loop().time()
            code = await proc.wait()
            if self._stopping:
                return
            self.restarts.inc()
            log.error("worker process %d exited (code %s); restarting it in %.0f s — received mail waits, "
                      "nothing is lost", proc.pid, code, delay)
            await asyncio.sleep(delay)
            if self._stopping:
                return
            try:
                await self._spawn()
            except OSError as exc:
                log.error("could not start the worker process: %s", exc)
            ran = asyncio.get_running_loop().time() - started
            delay = RESTART_MIN if ran > 60 else min(delay * 2, RESTART_MAX)

    def submit(self, receipt_id: int) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None or proc.stdin is None or proc.stdin.is_closing():
            return                                   # the worker re-queues `received` receipts when it starts
        try:
            proc.stdin.write(b"%d\n" % receipt_id)
        except (BrokenPipeError, ConnectionResetError, RuntimeError):
            pass

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.returncode is None else None

    async def stop(self) -> None:
        """Close the worker's stdin: it finishes what it was given (even if it is still starting up, when a
        signal could kill it before its handler is in place), then exits; killed after ``STOP_TIMEOUT``."""
        self._stopping = True
        proc = self.proc
        if proc is not None and proc.returncode is None:
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
            except asyncio.TimeoutError:
                log.warning("worker process %d did not stop within %.0f s; killed", proc.pid, STOP_TIMEOUT)
                proc.kill()
                await proc.wait()
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
