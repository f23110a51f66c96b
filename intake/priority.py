"""Arrivals first: the worker's processing steps aside while a message is being recorded.

The intake runs the IMAP watchers, the SMTP sessions and the worker on one event loop and, on SQLite, one
database connection (tortoise serialises every query and transaction on it). A worker transaction that is
open when a message arrives makes the recording of that message wait for it, and every query of the worker's
read phase is one more in front of it. Recording an arrival is what the sender waits for (SMTP 250) and what
the arrival latency measures; processing is deferred work. So the receiver marks the time it is recording
(``recording()``), and the worker waits for a quiet moment (``quiet()``) before each receipt and before its
write transaction — at most ``max_wait`` seconds, so that a constant stream of arrivals cannot starve it.
"""
from __future__ import annotations

import asyncio
import contextlib


class ArrivalGate:
    def __init__(self) -> None:
        self._busy = 0
        self._waiters: list[asyncio.Future] = []     # futures, not an Event: no loop bound at import time
        self.waited = 0.0                      # seconds the worker stood aside in total (tests, logs)

    @property
    def busy(self) -> bool:
        return self._busy > 0

    @contextlib.asynccontextmanager
    async def recording(self):
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            if not self._busy:
                for f in self._waiters:
                    if not f.done():
                        f.set_result(None)

    async def quiet(self, max_wait: float = 1.0) -> bool:
        """Wait until nothing is being recorded, at most ``max_wait`` s; return whether it became quiet."""
        if not self._busy:
            return True
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


GATE = ArrivalGate()
