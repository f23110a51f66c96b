"""Intake benchmark against a real Dovecot: arrival-to-recorded latency on IDLE, and backfill throughput.

Usage: .venv/bin/python benchmarks/bench_intake.py [--latency 50] [--backfill 2000] [--size 100000]
Prints p50/p99 latency (APPEND returned OK → receipt committed), backfill messages/s and peak RSS.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


async def backfill(dc, root: Path, n: int, size: int) -> tuple[float, float]:
    c = await client(dc, "fill")
    t = time.monotonic()
    for i in range(n):
        r = await c.append(message(i, size), mailbox="INBOX")
        assert r.result == "OK"
    append_s = time.monotonic() - t
    await c.logout()
    print(f"  appended {n} x {size // 1000} kB in {append_s:.1f}s (setup, not measured)", flush=True)
    receiver = Receiver(Archive(root / "archive2"), SystemClock())
    acc = ImapAccount("mohrss", dc.host, dc.port, "fill", dc.password, ssl=False, idle=True, poll_seconds=45)
    w = MailboxWatcher(acc, receiver, SystemClock())
    t0 = time.monotonic()
    task = asyncio.create_task(w.run())
    last = -1
    while (got := await Receipt.filter(mailbox="mohrss").count()) < n:
        if got // 500 != last // 500:
            print(f"  backfill progress {got}/{n}", flush=True)
        last = got
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - t0
    w.stop()
    await task
    return n / elapsed, elapsed


async def main(args) -> None:
    load_call()
    root = Path(tempfile.mkdtemp(prefix="shenbao-bench-"))
    dc = Dovecot()
    dc.start()
    try:
        await init_db(f"sqlite://{root}/bench.sqlite3")
        lat = await latency(dc, root, args.latency)
        q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
        print(f"arrival-to-recorded on IDLE over {len(lat)} messages: p50 {statistics.median(lat):.3f}s "
              f"p99 {q[98]:.3f}s max {max(lat):.3f}s (target p50 <= 1.5s, p99 <= 5s)")
        rate, secs = await backfill(dc, root, args.backfill, args.size)
        print(f"backfill {args.backfill} messages of {args.size // 1000} kB: {secs:.1f}s = {rate:.0f} messages/s "
              f"(target >= 50/s)")
        print(f"peak RSS {rss_mb():.0f} MB")
    finally:
        await close_db()
        dc.cleanup()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency", type=int, default=50)
    ap.add_argument("--backfill", type=int, default=2000)
    ap.add_argument("--size", type=int, default=100_000)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    asyncio.run(main(ap.parse_args()))
