"""Event-loop lag: how late a short sleep wakes up. Anything that blocks the loop (parsing a large mail on
it, a full-table scan, a synchronous file write) shows here as lag, and every watcher and SMTP session on
that loop waits that long.

The monitor sleeps ``interval`` seconds in a loop and records the overshoot as metrics (current, maximum,
a histogram, and a count of stalls over ``warn``); a stall over ``warn`` (100 ms) is logged, at most one
line per second (the lines in between are counted in the next one).
"""
from __future__ import annotations

import asyncio
import logging
import time

from core import metrics

log = logging.getLogger("shenbao.loop")
WARN_SECONDS = 0.1
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class LoopLagMonitor:
    def __init__(self, process: str = "intake", *, interval: float = 0.05, warn: float = WARN_SECONDS,
                 registry: metrics.Registry = metrics.REGISTRY):
        self.process = process
        self.interval = interval
        self.warn = warn
        self.current = registry.gauge("loop_lag_seconds", "event loop lag of the last probe", process=process)
        self.max = registry.gauge("loop_lag_max_seconds", "largest event loop lag since start", process=process)
        self.hist = registry.histogram("loop_lag_probe_seconds", "event loop lag per probe", BUCKETS,
                                       process=process)
        self.stalls = registry.counter("loop_stalls_total", f"probes with lag over {warn:g} s", process=process)
        self.worst = 0.0
        self.worst_cpu = 0.0           # CPU the loop's own thread used during the worst probes: code on the loop
        self._last_log = 0.0
        self._unlogged = 0

    def observe(self, lag: float, cpu: float | None = None) -> None:
        """One probe: ``lag`` seconds late; ``cpu`` seconds of it the loop thread was computing (the rest it was
        waiting: a blocking call on the loop, or a machine too busy to schedule it)."""
        lag = max(0.0, lag)
        if cpu is not None:
            self.worst_cpu = max(self.worst_cpu, min(lag, max(0.0, cpu)))
        self.current.set(lag)
        self.max.set_max(lag)
        self.worst = max(self.worst, lag)
        self.hist.observe(lag)
        if lag <= self.warn:
            return
        self.stalls.inc()
        now = time.monotonic()
        if now - self._last_log < 1.0:
            self._unlogged += 1
            return
        extra = f" (+{self._unlogged} more stalls since the last line)" if self._unlogged else ""
        on_cpu = f", {min(lag, cpu) * 1000:.0f} ms of it computing on the loop" if cpu is not None else ""
        log.warning("%s event loop lag %.0f ms (over %.0f ms%s)%s", self.process, lag * 1000, self.warn * 1000, on_cpu,
                    extra)
        self._last_log, self._unlogged = now, 0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            t0, c0 = loop.time(), time.thread_time()
            await asyncio.sleep(self.interval)
            self.observe(loop.time() - t0 - self.interval, time.thread_time() - c0)
