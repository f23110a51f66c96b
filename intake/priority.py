"""Arrivals first: the worker's processing steps aside while a message is being recorded.

Recording an arrival is what the sender waits for (SMTP 250) and what the arrival latency measures;
processing is deferred work. On SQLite the database has one write lock: a worker transaction that is open
when a message arrives makes the recording of that message wait for it. So the receiver marks the time it
is recording (``recording()``), and the worker waits for a quiet moment (``quiet()``) before each receipt
and before its write transaction — at most ``max_wait`` seconds, so that a constant stream of arrivals
cannot starve it.

The worker runs in a process of its own (``intake.worker_process``): the receiving process ``share()``s its
gate — one byte of shared memory (a memfd) that says whether it is recording — and passes the descriptor to
the worker process, which ``attach()``es to it; there ``quiet()`` polls that byte every ``POLL_SECONDS``.
In one process (tests, ``shenbao ingest``) the gate works as before, with futures.

A worker transaction begun in a quiet moment gives way to an arrival that begins while it runs: at each of its
``give_way`` points it raises ``GaveWay`` when the gate is set, the transaction is rolled back (nothing of it
is written; its work was all done before it began) and run again once the arrival is recorded, at most
``GIVE_WAY_MAX`` times per receipt. One begun after ``max_wait`` (arrivals without a pause) does not give way.
With the write baton (``intake.write_baton``) the arrival then waits only for the worker's statement in flight.
"""
from __future__ import annotations

import asyncio
import contextlib
import mmap
import os

POLL_SECONDS = 0.002              # how often the worker process looks at the shared byte while it is set
GIVE_WAY_MAX = 3                  # a receipt's transaction gives way at most this often, then runs through


class GaveWay(Exception):
    """A worker transaction stepped aside for an arrival (rolled back; run again)."""


class ArrivalGate:
    def __init__(self) -> None:
        self._busy = 0
        self._waiters: list[asyncio.Future] = []     # futures, not an Event: no loop bound at import time
        self.waited = 0.0                      # seconds the worker stood aside in total (tests, logs)
        self._shared: mmap.mmap | None = None   # the receiving process's byte (shared, or attached)
        self._attached = False                 # True in the worker process: the byte is the only truth

    def share(self) -> int:
        """In the receiving process: from now on mirror the state into a shared byte; return its descriptor
        (for the worker process's ``pass_fds``)."""
        if self._shared is None:
            fd = os.memfd_create("shenbao-arrivals")      # close-on-exec: only the worker gets it
            os.ftruncate(fd, 1)
            self._shared = mmap.mmap(fd, 1)
            self._fd = fd
        self._shared[0] = 1 if self._busy else 0
        return self._fd

    def attach(self, fd: int) -> None:
        """In the worker process: read the receiving process's byte from ``fd``."""
        self._shared = mmap.mmap(fd, 1, prot=mmap.PROT_READ)
        os.close(fd)
        self._attached = True

    @property
    def busy(self) -> bool:
        if self._attached:
            return self._shared[0] != 0
        return self._busy > 0

    @contextlib.asynccontextmanager
    async def recording(self):
        self._busy += 1
        if self._shared is not None:
            self._shared[0] = 1
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy and self._shared is not None:
                self._shared[0] = 0
            if not self._busy:
                for f in self._waiters:
                    if not f.done():
                        f.set_result(None)

    def give_way(self, armed: bool) -> None:
        """In a worker transaction begun in a quiet moment (``armed``): raise GaveWay if an arrival began since."""
        if armed and self.busy:
            raise GaveWay()

    async def quiet(self, max_wait: float = 1.0) -> bool:
        """Wait until nothing is being recorded, at most ``max_wait`` s; return whether it became quiet."""
        if not self.busy:
            return True
        if self._attached:
            return await self._poll(max_wait)
        loop = asyncio.get_running_loop()
        t0, fut = loop.time(), loop.create_future()
        self._waiters.append(fut)
        try:
            await asyncio.wait_for(fut, max_wait)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            self._waiters.remove(fut)
            self.waited += loop.time() - t0

    async def _poll(self, max_wait: float) -> bool:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        try:
            while self.busy:
                if loop.time() - t0 >= max_wait:
                    return False
                await asyncio.sleep(POLL_SECONDS)
            return True
        finally:
            self.waited += loop.time() - t0


GATE = ArrivalGate()
