"""Deadline-night load: 37 units each sending 2–4 filings of 5–25 MB to both mailboxes within the last hour
(compressed), plus 2,000 unrelated messages in the same mailboxes, through a real Dovecot (IMAP APPEND, watched
by the intake's IMAP watcher) and the real SMTP intake, with the real ``shenbao intake`` process.

Each filing goes to both mailboxes: the 财政部 (mof) copy is APPENDed to Dovecot with its INTERNALDATE set to
the simulated arrival time (23:00–23:59:59 Beijing); the 人社部 (mohrss) copy is sent over SMTP (our clock).
Checked: every arrival recorded exactly once, IMAP received_at = the INTERNALDATE set, SMTP received_at within
the SMTP transaction; the chat engine keeps answering (officer /overview and a rule question) during the load;
peak RSS of the intake process, of its worker process and of the whole process tree (sandbox children included).

Usage: .venv/bin/python benchmarks/bench_load.py [--small] [--hour-seconds 150] [--seed 1]
Default run: ~5–9 min on 2 cores; --small: ~1 min.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import smtplib
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests_support.scratch import scratch_dir  # noqa: E402

from aioimaplib import aioimaplib  # noqa: E402

from config.call import load_call  # noqa: E402
from tests_support.dovecot import Dovecot  # noqa: E402
from tests_support.peek import query  # noqa: E402

CST = timezone(timedelta(hours=8))
HOUR_START = datetime(2023, 3, 26, 23, 0, 0, tzinfo=CST)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_pdf() -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(3):
        c.drawString(72, 720, f"Implementation plan page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def filing(unit: str, n: int, size: int, pdf: bytes, rng: random.Random) -> bytes:
    m = EmailMessage()
    m["From"] = f"czt{abs(hash(unit)) % 10000}@example.gov.cn"
    m["To"] = "sbsjyc@163.com, jysmohrss@163.com"
    m["Subject"] = f"{unit}关于推荐2023年公共就业服务能力提升示范项目的请示" + ("（补充材料）" if n else "")
    m["Date"] = "Sun, 26 Mar 2023 23:00:00 +0800"
    m["Message-ID"] = f"<load-{abs(hash(unit)) % 10**8}-{n}-{rng.getrandbits(40)}@example.gov.cn>"
    m.set_content("请查收。")
    m.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{unit}实施方案.pdf")
    m.add_attachment(rng.randbytes(size * 3 // 4), maintype="application", subtype="octet-stream",
                     filename=f"{unit}佐证材料.zip")
    return m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def unrelated(i: int, rng: random.Random) -> bytes:
    blob = rng.randbytes(rng.randrange(1_000, 40_000)).hex()
    body = "\r\n".join(blob[i:i + 76] for i in range(0, len(blob), 76))    # SMTP lines ≤ 998 octets
    return (f"From: news{i}@example.com\r\nTo: sbsjyc@163.com\r\nSubject: newsletter {i}\r\n"
            f"Message-ID: <unrelated-{i}-{rng.getrandbits(40)}@example.com>\r\nDate: Sun, 26 Mar 2023 23:00:00 +0800"
            f"\r\n\r\n{body}\r\n").encode()


def _proc_mb(pid: int, file: str, key: str) -> float:
    """A ``key: N kB`` line of /proc/PID/FILE in MiB (0 when the process is gone)."""
    try:
        for line in open(f"/proc/{pid}/{file}"):
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (libraries, the forkserver's preloaded parsers its children share
    copy-on-write) counted once across the processes that share them, not once per process as in RSS."""
    return _proc_mb(pid, "smaps_rollup", "Pss:")


def _role(pid: int) -> str:
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
    except OSError:
        return "?"
    for key, name in ((b"intake.worker_main", "worker"), (b"forkserver", "forkserver"), (b"cli.main", "intake"),
                      (b"resource_tracker", "tracker"), (b"spawn", "ocr")):
        if key in cmd:
            return name
    return "child"


def tree_rss_mb(pid: int) -> tuple[float, float, float, str]:
    """(RSS of pid, RSS of pid and all its descendants, their PSS, what the tree held) in MiB, from /proc."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            kids.setdefault(int(parts[1]), []).append(int(d))
            rss[int(d)] = int(parts[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, pss, stack, held = 0, 0.0, [(pid, "")], {}
    while stack:
        p, parent_role = stack.pop()
        total += rss.get(p, 0)
        pss += _pss_mb(p)
        role = "child" if parent_role == "forkserver" else _role(p)     # forked children share its cmdline
        n, mb = held.get(role, (0, 0.0))
        held[role] = (n + 1, mb + rss.get(p, 0) / 2**20)
        stack += [(k, role) for k in kids.get(p, [])]
    what = ", ".join(f"{role}{'×%d' % n if n > 1 else ''} {mb:.0f}" for role, (n, mb) in sorted(held.items()))
    return rss.get(pid, 0) / 2**20, total / 2**20, pss, what


def vm_hwm_mb(pid: int) -> float:
    return _proc_mb(pid, "status", "VmHWM:")


def worker_pid(intake_pid: int) -> int | None:
    """The intake's worker process (intake.worker_main), a child of the intake process."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == intake_pid and b"intake.worker_main" in cmd:
            return int(d)
    return None


def q(db: Path, sql: str):
    return query(db, sql, timeout=30)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


async def imap_pool(dc, user: str, n: int) -> asyncio.Queue:
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(n):
        c = aioimaplib.IMAP4(dc.host, dc.port, timeout=120)
        await c.wait_hello_from_server()
        assert (await c.login(user, dc.password)).result == "OK"
        pool.put_nowait(c)
    return pool


def smtp_send(port: int, raw: bytes, rcpt: str) -> tuple[int, float, float]:
    t0 = time.time()
    for attempt in range(20):
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=300) as s:
                code, _ = s.ehlo()
                s.mail("sender@example.gov.cn")
                s.rcpt(rcpt)
                code, _ = s.data(raw)
                if code == 250:
                    return code, t0, time.time()
        except (OSError, smtplib.SMTPException):
            pass
        time.sleep(0.5 * (attempt + 1))
    return 0, t0, time.time()


async def chat_probe(db_url: str, stop: asyncio.Event, out: list[tuple[str, float]]) -> None:
    """The chat engine in its own process role (as the bot runs), answering while the intake works."""
    from config.clock import SystemClock
    from config.settings import load_settings
    from core.archive import Archive
    from core.services import Services
    from models import close_db, init_db

    from bot.access import Caller
    from bot.engine import Engine

    settings = load_settings({"DATABASE_URL": db_url, "SHENBAO_OFFICERS_TELEGRAM": "9001",
                              "SHENBAO_DATA_DIR": str(scratch_dir("bench-chat-"))})
    services = Services(settings, load_call("2023"), SystemClock(), Archive(settings.data_dir / "archive"))
    await init_db(db_url)
    engine = Engine(services)
    engine.warm()
    officer = Caller("telegram", "9001", chat_id="9001")
    public = Caller("telegram", "77", chat_id="77")
    try:
        while not stop.is_set():
            for who, text in ((officer, "/overview"), (public, "实施方案最多几页？")):
                t0 = time.monotonic()
                try:
                    reply = await engine.handle(who, text)
                    ok = bool(reply.text)
                except Exception as exc:  # noqa: BLE001 - a failed answer is a measured failure
                    ok = False
                    print(f"  chat error: {type(exc).__name__}: {exc}", flush=True)
                out.append((text if ok else "ERROR " + text, time.monotonic() - t0))
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except asyncio.TimeoutError:
                pass
    finally:
        await close_db()


async def main(a) -> int:
    rng = random.Random(a.seed)
    call = load_call("2023")
    units = list(call.province_names()) + [c.city for c in call.cp_cities]      # 32 + 5 = 37 units
    units = units[: a.units]
    root = scratch_dir("bench-load-")
    data = root / "data"
    data.mkdir()
    db = data / "shenbao.sqlite3"
    dc = Dovecot()
    dc.start()
    smtp_port = free_port()
    env = dict(os.environ, SHENBAO_DATA_DIR=str(data), SHENBAO_SMTP_PORT=str(smtp_port),
               SHENBAO_SMTP_MAX_SIZE=str(40 * 2**20), SHENBAO_IMAP_POLL_SECONDS="30",
               SHENBAO_IMAP_MOF_HOST=dc.host, SHENBAO_IMAP_MOF_PORT=str(dc.port), SHENBAO_IMAP_MOF_USER="mof",
               SHENBAO_IMAP_MOF_PASSWORD=dc.password, SHENBAO_IMAP_MOF_SSL="false")
    env.pop("DATABASE_URL", None)
    log = open(root / "intake.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "intake"], env=env, cwd=REPO, stdout=log, stderr=log)
    floor_dir = root / "floor"          # a minimal IDLE client on the same folder: the latency floor
    floor = subprocess.Popen([sys.executable, str(REPO / "benchmarks" / "idle_floor.py"), dc.host, str(dc.port), "mof",
                              dc.password, str(floor_dir)], stdout=subprocess.DEVNULL, stderr=open(root / "floor.log", "wb"))
    pdf = small_pdf()
    # the plan: (real offset s, kind, payload factory args)
    plan = []
    for u in units:
        for n in range(rng.randint(a.min_filings, a.max_filings)):
            plan.append((rng.uniform(0, 3600), "filing", (u, n, rng.randint(a.min_mb, a.max_mb) * 1_000_000)))
    for i in range(a.unrelated):
        plan.append((rng.uniform(0, 3600), "unrelated", (i,)))
    plan.sort()
    n_filings = sum(1 for p in plan if p[1] == "filing")
    total_mb = sum(p[2][2] for p in plan if p[1] == "filing") / 1e6
    print(f"plan: {len(units)} units, {n_filings} filings ({total_mb:.0f} MB, each to both mailboxes), "
          f"{a.unrelated} unrelated; last hour compressed into {a.hour_seconds:.0f}s; data in {root}", flush=True)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", smtp_port), 1).close()
            break
        except OSError:
            await asyncio.sleep(0.1)
    pool = await imap_pool(dc, "mof", 4)
    scale = a.hour_seconds / 3600
    expected_imap: dict[str, datetime] = {}         # message-id → INTERNALDATE
    smtp_windows: list[tuple[float, float]] = []
    append_done: dict[str, float] = {}
    failures: list[str] = []
    sem_smtp = asyncio.Semaphore(4)
    gen_sem = asyncio.Semaphore(2)
    big_sem = asyncio.Semaphore(6)
    peak = {"rss": 0.0, "tree": 0.0, "pss": 0.0, "what": ""}
    stop = asyncio.Event()
    chat: list[tuple[str, float]] = []

    async def sample():
        while not stop.is_set():
            r, t, pss, what = tree_rss_mb(proc.pid)
            peak["rss"], peak["pss"] = max(peak["rss"], r), max(peak["pss"], pss)
            if t > peak["tree"]:
                peak["tree"], peak["what"] = t, what
            await asyncio.sleep(0.5)

    async def deliver(offset: float, kind: str, args: tuple) -> None:
        await asyncio.sleep(max(0.0, t_start + offset * scale - time.monotonic()))
        when = HOUR_START + timedelta(seconds=int(offset))          # INTERNALDATE has whole seconds
        if kind == "filing":
            await big_sem.acquire()                  # bound memory: few big messages in flight
            async with gen_sem:                      # and at most 2 being built (CPU)
                raw = await asyncio.to_thread(filing, *args, pdf, random.Random(hash(args)))
        else:
            raw = unrelated(*args, rng)
        try:
            mid = raw.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()
            to_imap = kind == "filing" or args[0] % 2 == 0
            to_smtp = kind == "filing" or args[0] % 2 == 1
            jobs = []
            if to_imap:
                async def imap():
                    c = await pool.get()
                    try:
                        r = await c.append(raw, mailbox="INBOX", date=f'"{when:%d-%b-%Y %H:%M:%S %z}"')
                        if r.result != "OK":
                            failures.append(f"APPEND {mid}: {r}")
                        else:
                            expected_imap[mid] = when
                            append_done[mid] = time.time()
                    finally:
                        pool.put_nowait(c)
                jobs.append(imap())
            if to_smtp:
                async def smtp():
                    async with sem_smtp:
                        code, t0, t1 = await asyncio.to_thread(smtp_send, smtp_port, raw, "jysmohrss@163.com")
                    if code != 250:
                        failures.append(f"SMTP {mid}: no 250")
                    else:
                        smtp_windows.append((t0, t1))
                jobs.append(smtp())
            await asyncio.gather(*jobs)
        finally:
            if kind == "filing":
                big_sem.release()

    t_start = time.monotonic()
    sampler = asyncio.create_task(sample())
    prober = asyncio.create_task(chat_probe(f"sqlite://{db}", stop, chat))
    try:
        await asyncio.gather(*(deliver(*p) for p in plan))
        t_sent = time.monotonic()
        n_imap, n_smtp = len(expected_imap), len(smtp_windows)
        print(f"all sent after {t_sent - t_start:.0f}s ({n_imap} APPENDs, {n_smtp} SMTP 250s); waiting for intake",
              flush=True)
        while True:
            got = q(db, "select source, count(*) from receipt group by source")
            counts = dict(got)
            if counts.get("imap", 0) >= n_imap and counts.get("smtp", 0) >= n_smtp:
                break
            if time.monotonic() - t_sent > 600:
                failures.append(f"not all recorded: {counts} for imap {n_imap} smtp {n_smtp}")
                break
            await asyncio.sleep(0.5)
        t_recorded = time.monotonic()
        while q(db, "select count(*) from receipt where status='received'") != [(0,)]:
            if time.monotonic() - t_recorded > 900:
                failures.append("worker did not drain within 15 min")
                break
            await asyncio.sleep(1.0)
        t_processed = time.monotonic()
    finally:
        stop.set()
        await asyncio.gather(sampler, prober, return_exceptions=True)
        hwm = vm_hwm_mb(proc.pid)
        wpid = worker_pid(proc.pid)
        worker_hwm = vm_hwm_mb(wpid) if wpid else 0.0
        floor.terminate()
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        while not pool.empty():
            c = pool.get_nowait()
            try:
                await c.logout()
            except Exception:  # noqa: BLE001
                pass
        dc.cleanup()
    from core.metrics import read_snapshot, sample

    snaps = {p: read_snapshot(data / "run" / f"metrics-{p}.json", max_age=None) for p in ("intake", "worker")}
    lag_max = {p: sample(snaps[p], "loop_lag_max_seconds", process=p) for p in snaps}
    gave_way = sample(snaps["worker"], "worker_gave_way_total") or 0
    lag_lines = [ln for ln in (root / "intake.log").read_text(errors="replace").splitlines() if "event loop lag" in ln]
    rows = q(db, "select source, message_id, received_at, created_at, imap_uid, sha256 from receipt")
    imap_rows = [r for r in rows if r[0] == "imap"]
    smtp_rows = [r for r in rows if r[0] == "smtp"]
    dup = len(rows) - len({(r[0], r[5]) for r in rows})
    wrong_time = 0
    lat_imap = []
    for r in imap_rows:
        want = expected_imap.get(r[1])
        got = datetime.fromisoformat(r[2].replace(" ", "T"))
        if want is None or got != want:
            wrong_time += 1
        elif r[1] in append_done:
            created = datetime.fromisoformat(r[3].replace(" ", "T")).timestamp()
            lat_imap.append(created - append_done[r[1]])
    floor_lat, paired = [], []
    shenbao_at = {r[1]: datetime.fromisoformat(r[3].replace(" ", "T")).timestamp() for r in imap_rows}
    if (floor_dir / "arrivals.tsv").exists():
        for line in (floor_dir / "arrivals.tsv").read_text().splitlines():
            mid, at = line.split("\t")
            if mid in append_done:
                floor_lat.append(float(at) - append_done[mid])
                if mid in shenbao_at:
                    paired.append(shenbao_at[mid] - float(at))
    smtp_lat = [t1 - t0 for t0, t1 in smtp_windows]
    lo, hi = min(w[0] for w in smtp_windows), max(w[1] for w in smtp_windows)
    smtp_out = sum(1 for r in smtp_rows if not lo - 1 <= datetime.fromisoformat(r[2].replace(" ", "T")).timestamp()
                   <= hi + 1)
    chat_ok = [t for name, t in chat if not name.startswith("ERROR")]
    print("\n== deadline-night load ==")
    print(f"filings: {n_filings} ({total_mb:.0f} MB payload) × 2 mailboxes; unrelated: {a.unrelated}")
    print(f"receipts: imap {len(imap_rows)} / {n_imap} appended, smtp {len(smtp_rows)} / {n_smtp} accepted; "
          f"duplicates {dup}; IMAP times ≠ INTERNALDATE: {wrong_time}; SMTP times outside the session: {smtp_out}")
    print(f"sending took {t_sent - t_start:.0f}s; all recorded {t_recorded - t_sent:.1f}s after the last send; "
          f"worker drained {t_processed - t_sent:.0f}s after the last send")
    print(f"IMAP APPEND-returned → receipt committed: p50 {pct(lat_imap, 50):.2f}s p99 {pct(lat_imap, 99):.2f}s "
          f"max {max(lat_imap, default=float('nan')):.2f}s (n={len(lat_imap)})")
    print(f"minimal IDLE client (benchmarks/idle_floor.py) on the same folder: p50 {pct(floor_lat, 50):.3f}s "
          f"p99 {pct(floor_lat, 99):.2f}s (n={len(floor_lat)}); shenbao minus floor per message: p50 "
          f"{pct(paired, 50) * 1000:.0f} ms, p99 {pct(paired, 99) * 1000:.0f} ms (target p50 <= 20 ms)")
    print(f"SMTP transaction (DATA → 250 after commit): p50 {pct(smtp_lat, 50):.2f}s p99 {pct(smtp_lat, 99):.2f}s "
          f"max {max(smtp_lat):.2f}s (n={len(smtp_lat)})")
    print(f"chat engine during load: {len(chat_ok)}/{len(chat)} answered; p50 {pct(chat_ok, 50) * 1000:.0f} ms "
          f"p99 {pct(chat_ok, 99) * 1000:.0f} ms max {max(chat_ok, default=float('nan')) * 1000:.0f} ms")
    ms = lambda v: "n/a" if v is None else f"{v * 1000:.0f} ms"      # noqa: E731
    print(f"event-loop lag, largest: intake process {ms(lag_max['intake'])}, worker process {ms(lag_max['worker'])} "
          f"(target intake <= 500 ms); log lines 'event loop lag' (over 100 ms): "
          f"{sum('intake event loop lag' in ln for ln in lag_lines)} intake, "
          f"{sum('worker event loop lag' in ln for ln in lag_lines)} worker; "
          f"worker transactions that gave way to an arrival: {gave_way:.0f}")
    print(f"memory: intake process peak RSS {hwm:.0f} MiB (VmHWM), sampled peak {peak['rss']:.0f} MiB; its worker "
          f"process {worker_hwm:.0f} MiB (VmHWM); process tree (intake, worker, sandbox children) sampled peak "
          f"RSS {peak['tree']:.0f} MiB ({peak['what']}), PSS {peak['pss']:.0f} MiB")
    print(f"wall time {time.monotonic() - t_start:.0f}s")
    if failures:
        print("FAILURES:\n  " + "\n  ".join(failures[:20]))
    bad = failures or dup or wrong_time or smtp_out or len(imap_rows) != n_imap or len(smtp_rows) != n_smtp \
        or len(chat_ok) != len(chat)
    return 1 if bad else 0


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--small", action="store_true", help="6 units, 1–2 filings of 1–3 MB, 200 unrelated, 30 s hour")
    p.add_argument("--units", type=int, default=37)
    p.add_argument("--min-filings", type=int, default=2)
    p.add_argument("--max-filings", type=int, default=4)
    p.add_argument("--min-mb", type=int, default=5)
    p.add_argument("--max-mb", type=int, default=25)
    p.add_argument("--unrelated", type=int, default=2000)
    p.add_argument("--hour-seconds", type=float, default=150.0, help="real seconds the simulated hour takes")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    if a.small:
        a.units, a.min_filings, a.max_filings, a.min_mb, a.max_mb, a.unrelated, a.hour_seconds = 6, 1, 2, 1, 3, 200, 30
    return a


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    sys.exit(asyncio.run(main(parse())))
