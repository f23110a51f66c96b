"""Intake benchmark against a real Dovecot: arrival-to-recorded latency on IDLE, and backfill throughput.

Usage: .venv/bin/python benchmarks/bench_intake.py [--latency 50] [--backfill 20000] [--size 100000]
Prints p50/p99 latency (APPEND returned OK → receipt committed), backfill messages/s (a mailbox holding
20,000 messages when the watcher first starts, recorded in bounded UID chunks), RSS along the way and peak RSS.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests_support.scratch import scratch_dir  # noqa: E402

from aioimaplib import aioimaplib  # noqa: E402

from config.call import load_call  # noqa: E402
from config.clock import SystemClock  # noqa: E402
from config.settings import ImapAccount  # noqa: E402
from core.archive import Archive  # noqa: E402
from intake.imap import MailboxWatcher  # noqa: E402
from intake.receiver import Receiver  # noqa: E402
from models import close_db, init_db  # noqa: E402
from models.receipt import Receipt  # noqa: E402
from tests_support.dovecot import Dovecot  # noqa: E402


def message(i: int, size: int) -> bytes:
    body = (b"x" * 76 + b"\r\n") * max(1, size // 78)
    return (f"From: bench@example.cn\r\nTo: sbsjyc@163.com\r\nSubject: bench {i}\r\n"
            f"Message-ID: <bench-{i}-{time.time_ns()}@example.cn>\r\n\r\n").encode() + body


async def client(dc, user):
    c = aioimaplib.IMAP4(dc.host, dc.port, timeout=30)
    await c.wait_hello_from_server()
    await c.login(user, dc.password)
    return c


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def latency(dc, root: Path, n: int) -> list[float]:
    committed: dict[int, float] = {}
    ev = asyncio.Event()

    def on_new(rid: int) -> None:
        committed[rid] = time.monotonic()
        ev.set()
    receiver = Receiver(Archive(root / "archive"), SystemClock(), on_new)
    acc = ImapAccount("mof", dc.host, dc.port, "lat", dc.password, ssl=False, idle=True, poll_seconds=45)
    w = MailboxWatcher(acc, receiver, SystemClock())
    task = asyncio.create_task(w.run())
    await asyncio.wait_for(w.connected.wait(), 10)
    c = await client(dc, "lat")
    out = []
    for i in range(n):
        await asyncio.sleep(0.3)                       # let the watcher settle back into IDLE
        ev.clear()
        before = len(committed)
        r = await c.append(message(i, 20_000), mailbox="INBOX")
        t0 = time.monotonic()
        assert r.result == "OK"
        while len(committed) == before:
            await asyncio.wait_for(ev.wait(), 30)
            ev.clear()
        out.append(max(committed.values()) - t0)
    await c.logout()
    w.stop()
    await task
    return out


def rss_now_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def backfill(dc, root: Path, n: int, size: int) -> tuple[float, float, list[tuple[int, float, float]]]:
    """A mailbox that holds ``n`` messages when the watcher first starts (dropped into the Maildir: setup,
    not measured). Returns (messages/s, seconds, [(recorded, seconds, RSS MiB) every 10 %])."""
    from datetime import datetime, timezone

    t = time.monotonic()
    dc.fill("fill", (message(i, size) for i in range(n)), datetime(2022, 6, 1, tzinfo=timezone.utc))
    print(f"  {n} x {size // 1000} kB in the mailbox after {time.monotonic() - t:.1f}s (setup, not measured)",
          flush=True)
    receiver = Receiver(Archive(root / "archive2"), SystemClock())
    acc = ImapAccount("mohrss", dc.host, dc.port, "fill", dc.password, ssl=False, idle=True, poll_seconds=45)
    w = MailboxWatcher(acc, receiver, SystemClock())
    t0 = time.monotonic()
    task = asyncio.create_task(w.run())
    steps, mark = [], n // 10 or 1
    while (got := await Receipt.filter(mailbox="mohrss").count()) < n:
        if got >= mark * (len(steps) + 1):
            steps.append((got, time.monotonic() - t0, rss_now_mb()))
            print(f"  backfill {got}/{n} after {steps[-1][1]:.0f}s, RSS {steps[-1][2]:.0f} MiB", flush=True)
        await asyncio.sleep(0.5)
    elapsed = time.monotonic() - t0
    steps.append((n, elapsed, rss_now_mb()))
    w.stop()
    await task
    return n / elapsed, elapsed, steps


async def main(args) -> None:
    load_call()
    root = scratch_dir("shenbao-bench-")
    dc = Dovecot()
    dc.start()
    try:
        await init_db(f"sqlite://{root}/bench.sqlite3")
        lat = await latency(dc, root, args.latency)
        q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
        print(f"arrival-to-recorded on IDLE over {len(lat)} messages: p50 {statistics.median(lat):.3f}s "
              f"p99 {q[98]:.3f}s max {max(lat):.3f}s (target p50 <= 1.5s, p99 <= 5s)")
        rate, secs, steps = await backfill(dc, root, args.backfill, args.size)
        rates = [(b[0] - a[0]) / (b[1] - a[1]) for a, b in zip([(0, 0.0, 0.0)] + steps, steps) if b[1] > a[1]]
        print(f"backfill {args.backfill} messages of {args.size // 1000} kB: {secs:.1f}s = {rate:.0f} messages/s "
              f"(per tenth: min {min(rates):.0f}, max {max(rates):.0f}/s; target >= 50/s); RSS per tenth "
              f"{min(x[2] for x in steps):.0f}–{max(x[2] for x in steps):.0f} MiB")
        print(f"peak RSS {rss_mb():.0f} MB")
    finally:
        await close_db()
        dc.cleanup()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency", type=int, default=50)
    ap.add_argument("--backfill", type=int, default=20_000)
    ap.add_argument("--size", type=int, default=100_000)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    asyncio.run(main(ap.parse_args()))
