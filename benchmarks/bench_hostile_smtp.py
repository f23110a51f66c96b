"""Hostile SMTP load on the real ``shenbao intake`` while both IMAP watchers record from a real Dovecot.

Usage: .venv/bin/python benchmarks/bench_hostile_smtp.py [--conns 20] [--mb 16] [--idle 1100] [--repo PATH]

Phase 1: ``--conns`` sessions at once (each from its own loopback address), each a DATA of ``--mb`` MB of
1-byte lines (``x\\r\\n``: aiosmtpd kept one object per line); phase 2: ``--idle`` connections opened and
held (1,100 at a 1,024-descriptor limit gave EMFILE to the IMAP reconnects). During both, one message is
APPENDed to each mailbox every 0.5 s and the time from APPEND OK to its receipt row is measured.
Prints the intake's peak RSS, the SMTP replies, the refused connections and the IMAP latencies.
``--repo`` runs another checkout's intake (e.g. the main branch before this change) for comparison.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
from tests_support.scratch import scratch_dir  # noqa: E402

import psutil  # noqa: E402
from aioimaplib import aioimaplib  # noqa: E402

from tests_support import hostile_smtp as hs  # noqa: E402
from tests_support.dovecot import Dovecot, free_port  # noqa: E402
from tests_support.peek import rows  # noqa: E402


def start_intake(repo: Path, data: Path, dc: Dovecot, port: int, fd_limit: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    env.update(SHENBAO_DATA_DIR=str(data), SHENBAO_SMTP_PORT=str(port), SHENBAO_OCR="false",
               SHENBAO_IMAP_POLL_SECONDS="5", PYTHONPATH=str(repo))
    for key in ("MOF", "MOHRSS"):
        env.update({f"SHENBAO_IMAP_{key}_HOST": dc.host, f"SHENBAO_IMAP_{key}_PORT": str(dc.port),
                    f"SHENBAO_IMAP_{key}_USER": f"bench-{key.lower()}", f"SHENBAO_IMAP_{key}_PASSWORD": dc.password,
                    f"SHENBAO_IMAP_{key}_SSL": "false"})
    log = open(data.parent / "intake.log", "ab")

    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))
    return subprocess.Popen([sys.executable, "-m", "cli.main", "intake"], env=env, stdout=log, stderr=log,
                            cwd=repo, preexec_fn=limit)


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.02)


async def imap_prober(dc: Dovecot, data: Path, stop: asyncio.Event, out: list[float]) -> None:
    """APPEND one message per mailbox every 0.5 s; record APPEND-OK → receipt-row seconds."""
    clients = {}
    for box in ("mof", "mohrss"):
        c = aioimaplib.IMAP4(dc.host, dc.port, timeout=30)
        await c.wait_hello_from_server()
        await c.login(f"bench-{box}", dc.password)
        clients[box] = c
    i = 0
    while not stop.is_set():
        for box, c in clients.items():
            i += 1
            before = (rows(data, "select count(*) from receipt where mailbox=? and source='imap'", (box,))
                      or [(0,)])[0][0]
            raw = (f"From: probe@example.cn\r\nSubject: probe {i}\r\nMessage-ID: <probe-{i}-{time.time_ns()}@x>\r\n"
                   f"\r\nprobe\r\n").encode()
            r = await c.append(raw, mailbox="INBOX")
            t0 = time.monotonic()
            assert r.result == "OK", r
            while True:
                n = (rows(data, "select count(*) from receipt where mailbox=? and source='imap'", (box,))
                     or [(0,)])[0][0]
                if n > before:
                    out.append(time.monotonic() - t0)
                    break
                if time.monotonic() - t0 > 60:
                    out.append(float("inf"))
                    break
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)
    for c in clients.values():
        await c.logout()


def hold_idle(port: int, n: int) -> tuple[list, dict]:
    held, codes = [], {}
    for i in range(n):
        try:
            s = hs.Session(port, source=f"127.0.{2 + i // 200}.{1 + i % 200}", timeout=10)
            codes[s.greeting[0]] = codes.get(s.greeting[0], 0) + 1
            held.append(s)
        except OSError as exc:
            codes[type(exc).__name__] = codes.get(type(exc).__name__, 0) + 1
    return held, codes


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conns", type=int, default=20)
    ap.add_argument("--mb", type=float, default=16)
    ap.add_argument("--idle", type=int, default=1100)
    ap.add_argument("--fd-limit", type=int, default=1024)
    ap.add_argument("--repo", type=Path, default=HERE)
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, a.idle + 500)), hard))
    dc = Dovecot()
    dc.start()
    root = scratch_dir("bench-hostile-")
    data = root / "data"
    data.mkdir()
    port = free_port()
    p = start_intake(a.repo.resolve(), data, dc, port, a.fd_limit)
    try:
        t0 = time.monotonic()
        while not hs_up(port):
            if p.poll() is not None or time.monotonic() - t0 > 60:
                raise SystemExit("intake did not start; see " + str(root / "intake.log"))
            time.sleep(0.1)
        time.sleep(2)                                     # watchers connect
        sampler = Sampler(p.pid)
        base = psutil.Process(p.pid).memory_info().rss
        sampler.start()
        stop = asyncio.Event()
        lat1: list[float] = []
        prober = asyncio.create_task(imap_prober(dc, data, stop, lat1))
        total = int(a.mb * 2**20)
        t1 = time.monotonic()
        barrier = threading.Barrier(a.conns + 1)
        with ThreadPoolExecutor(a.conns) as ex:
            futs = [ex.submit(_flood, port, total, f"127.0.1.{i + 1}", barrier) for i in range(a.conns)]
            spool = data / "archive" / "spool"
            streaming = (a.repo / "intake" / "smtp_data.py").exists()   # an intake without a spool: just wait
            while streaming and time.monotonic() - t1 < 600:  # the intake has read every session's bulk
                got = sum(f.stat().st_size for f in spool.glob("*.part")) if spool.exists() else 0
                if got >= a.conns * (total - 300 * 1024):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3 if streaming else 5.0)
            in_flight = sampler.peak                          # all sessions in flight, nothing parsed yet
            barrier_s = time.monotonic() - t1
            await asyncio.to_thread(_wait_barrier, barrier)   # now the terminators
            while not all(f.done() for f in futs):
                await asyncio.sleep(0.1)
        replies = [f.result() for f in futs]
        flood_s = time.monotonic() - t1
        lat_receive = list(lat1)
        t2 = time.monotonic()
        while (rows(data, "select count(*) from receipt where source='smtp' and status!='received'") or [(0,)])[0][0] \
                < sum(1 for c in replies if c == 250) and time.monotonic() - t2 < 900:
            await asyncio.sleep(0.5)
        process_s = time.monotonic() - t2
        stop.set()
        await prober
        peak1 = sampler.peak
        # phase 2: idle connections
        lat2: list[float] = []
        stop2 = asyncio.Event()
        prober2 = asyncio.create_task(imap_prober(dc, data, stop2, lat2))
        held, codes = await asyncio.to_thread(hold_idle, port, a.idle)
        await asyncio.sleep(8)                            # the watchers' safety poll and a reconnect or two
        stop2.set()
        await prober2
        for s in held:
            s.close()
        sampler.stop.set()
        smtp_ok = sum(1 for c in replies if c == 250)
        statuses = dict(rows(data, "select status, count(*) from receipt where source='smtp' group by status"))
        print(f"repo {a.repo.resolve()}")
        print(f"phase 1: {a.conns} sessions x {a.mb:g} MB of 1-byte lines; bulk sent in {barrier_s:.1f} s, all "
              f"replies after {flood_s:.1f} s: {sorted(set(map(str, replies)))} ({smtp_ok} accepted); receipts {statuses}")
        print(f"intake RSS: base {base / 2**20:.0f} MiB, all {a.conns} DATA in flight {in_flight / 2**20:.0f} MiB "
              f"({(in_flight - base) / max(1, a.conns) / 2**10:.0f} KiB per session), peak through processing "
              f"{peak1 / 2**20:.0f} MiB ({process_s:.0f} s to process)")
        print(f"IMAP probes while receiving: {len(lat_receive)}, max {max(lat_receive, default=0):.3f} s; "
              f"whole phase: {len(lat1)}, p50 {_p(lat1, 50):.3f} s, max {max(lat1, default=0):.3f} s")
        print(f"phase 2: {a.idle} idle connections at fd limit {a.fd_limit}: greetings {codes}")
        print(f"IMAP during idle flood: {len(lat2)} probes, p50 {_p(lat2, 50):.3f} s, max {max(lat2, default=0):.3f} s")
        print(f"intake peak RSS overall {sampler.peak / 2**20:.0f} MiB; alive {p.poll() is None}")
    finally:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
        dc.cleanup()


def _flood(port: int, total: int, source: str, barrier: threading.Barrier):
    def wait():
        try:
            barrier.wait(600)
        except threading.BrokenBarrierError:
            pass
    try:
        return hs.one_byte_lines(port, total, source=source, before_end=wait)[0]
    except (OSError, AssertionError) as exc:
        barrier.abort()
        return type(exc).__name__


def _wait_barrier(barrier: threading.Barrier) -> None:
    try:
        barrier.wait(600)
    except threading.BrokenBarrierError:
        pass


def _p(xs: list[float], q: int) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q / 100))]


def hs_up(port: int) -> bool:
    try:
        s = hs.Session(port, timeout=2)
        s.cmd("QUIT")
        s.close()
        return True
    except OSError:
        return False


if __name__ == "__main__":
    asyncio.run(main())
