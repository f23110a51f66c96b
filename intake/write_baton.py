"""One writer at a time on SQLite, handed over the moment it is free: an advisory file lock (``flock``) the
intake and worker processes take around their write transactions.

SQLite has one write lock. A writer that finds it taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15, 20,
25 ms …) and looks again, so an arrival that meets the worker's transaction waited well past its end: measured
on the deadline-night run, the 7 % of pushed arrivals that met a worker transaction spent 21 ms p50 getting the
lock, for transactions of 3 ms p50. A process blocked in ``flock`` is woken by the kernel when the holder
releases it. Together with the arrival gate (``intake.priority``: the worker begins no transaction while an
arrival is being recorded, and rolls back one that an arrival interrupts) the intake waits at most for the
worker's statement in flight.

Advisory only: SQLite's own locking still decides what is written; a write that does not take the baton (a
watcher's health row, an alert) waits in the busy handler as before, and a baton that cannot be made (no
file, another file system) is simply absent. The kernel drops a dead holder's lock. PostgreSQL has no
database-wide write lock: there is no baton.

In one process every coroutine shares the one ``flock``: the first takes it, the last out gives it back
(tortoise serialises the process's transactions on its connection anyway).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import logging
import os
from pathlib import Path

log = logging.getLogger("shenbao.intake.baton")

SUFFIX = "-writer.lock"


class WriteBaton:
    def __init__(self) -> None:
        self._fd: int | None = None
        self.path: Path | None = None
        self._locked = False                 # this process holds the flock
        self._holders = 0                    # coroutines inside ``held()``
        self._waiting = 0                    # coroutines waiting for a blocking flock in flight
        self._taking: asyncio.Future | None = None
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self.waited = 0.0                    # seconds spent waiting for the other process (tests, logs)

    def configure(self, sqlite_path: Path | None) -> None:
        """Use the baton of the SQLite database at ``sqlite_path`` (None: PostgreSQL, no baton)."""
        self.close()
        if sqlite_path is None:
            return
        path = Path(f"{sqlite_path}{SUFFIX}")
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            log.warning("write baton %s not available (%s); SQLite's busy handler alone orders writers", path, exc)
            return
        self.path = path
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="write-baton")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)                  # drops the flock if held
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self.__init__()

    @property
    def enabled(self) -> bool:
        return self._fd is not None

    @contextlib.asynccontextmanager
    async def held(self):
        """Hold the baton for the body (a write transaction). Re-entrant across this process's coroutines."""
        if self._fd is None:
            yield
            return
        await self._take()
        self._holders += 1
        try:
            yield
        finally:
            self._holders -= 1
            if not self._holders and self._locked:
                self._unlock()

    async def run(self, fn):
        """``await fn()`` holding the baton (``fn`` is called only once it is held: a wait that is cancelled leaves
        no coroutine never awaited)."""
        async with self.held():
            return await fn()

    async def _take(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._locked:
            if self._taking is None:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    self._locked = True
                    return
                except BlockingIOError:
                    pass
                self._taking = loop.run_in_executor(self._pool, fcntl.flock, self._fd, fcntl.LOCK_EX)
                self._taking.add_done_callback(self._taken)
            fut = self._taking
            self._waiting += 1
            t0 = loop.time()
            try:
                # a waiter that is cancelled does not cancel the thread: _taken gives the lock back if no one waits
                await asyncio.shield(fut)
                # the future may be done with its callback not yet run (awaiting a done future does not yield:
                # without this the loop would spin here and never run it)
                self._taken(fut)
            except OSError:
                log.warning("write baton: flock failed; going on without it", exc_info=True)
                return
            finally:
                self._waiting -= 1
                self.waited += loop.time() - t0

    def _taken(self, fut: asyncio.Future) -> None:
        """The blocking flock returned (called by its waiter or as its done callback, whichever comes first)."""
        if self._taking is not fut:
            return
        self._taking = None
        if fut.cancelled() or fut.exception() is not None:
            return
        if self._waiting or self._holders:
            self._locked = True
        else:                                   # every waiter was cancelled meanwhile
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _unlock(self) -> None:
        self._locked = False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        except OSError:
            log.warning("write baton: unlock failed", exc_info=True)


BATON = WriteBaton()
