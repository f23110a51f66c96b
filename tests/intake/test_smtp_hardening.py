"""The SMTP intake against hostile clients (issue 12 point 4 and the SMTP items of point 7), over real sockets.

Attacks are raw-socket sessions (tests_support/hostile_smtp.py); the intake is the real aiosmtpd server in
this loop, or the real ``shenbao intake`` process where memory or a SIGKILL is measured.
"""
from __future__ import annotations

import asyncio
import os
import smtplib
import time
from dataclasses import replace

import psutil
import pytest

from config.settings import SmtpLimits
from intake.receiver import Receiver
from intake.smtp import IntakeHandler, start_smtp_server
from intake.worker import Worker
from models.receipt import Receipt
from models.submission import Submission
from tests_support import hostile_smtp as hs
from tests_support.dovecot import free_port
from tests_support.peek import rows

from .mailmaker import make_mail

LIMITS = SmtpLimits(max_size=2 * 2**20, max_connections=12, max_per_ip=4, idle_seconds=1.5, session_seconds=4.0,
                    min_rate=64 * 1024)


async def serve(services, limits=LIMITS):
    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    server = await start_smtp_server(IntakeHandler(services.call, receiver, services.clock), "127.0.0.1", 0,
                                     limits=limits)
    return server, server.sockets[0].getsockname()[1], worker


def _send(port, raw, rcpts=("sbsjyc@163.com",), mail_from="gdczt@example.gd.gov.cn"):
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.ehlo("gd.example")
        s.mail(mail_from)
        for r in rcpts:
            s.rcpt(r)
        return s.data(raw)


async def test_dot_stuffed_lines_and_long_lines_arrive_byte_exact(db, services):
    server, port, _ = await serve(services)
    body = ".leading dot\r\n..two dots\r\n.\r\nnot the end\r\n" + "长" * 3000 + "\r\n"   # a 9 kB line too
    raw = make_mail(message_id="<dots@x>", body=body).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    try:
        code, _ = await asyncio.to_thread(_send, port, raw)
    finally:
        server.close()
    assert code == 250
    r = await Receipt.get(mailbox="mof")
    stored = services.archive.read(r.archive_path)
    assert stored == raw + (b"" if raw.endswith(b"\r\n") else b"\r\n")
    assert r.size == len(stored)
    assert list(services.archive.spool_dir.iterdir()) == []          # the spool file was moved, not left


async def test_pipelined_quit_after_data_is_answered(db, services):
    server, port, _ = await serve(services)

    def attack():
        s = hs.Session(port)
        try:
            s.envelope()
            assert s.cmd("DATA")[0] == 354
            s.sock.sendall(make_mail(message_id="<pipe@x>").replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
                           + b"\r\n.\r\nQUIT\r\n")
            return s.reply(), s.reply()
        finally:
            s.close()
    try:
        (c1, _), (c2, _) = await asyncio.to_thread(attack)
    finally:
        server.close()
    assert (c1, c2) == (250, 221)
    assert await Receipt.all().count() == 1


async def test_over_size_cap_is_552_nothing_kept_and_an_endless_sender_is_cut(db, services):
    limits = replace(LIMITS, max_size=200_000, session_seconds=30, idle_seconds=10)
    server, port, _ = await serve(services, limits)
    try:
        code, _ = await asyncio.to_thread(hs.one_byte_lines, port, 300_000, chunk=30_000)
        assert code == 552

        def endless():                           # keeps sending past twice the cap without a terminator
            s = hs.Session(port)
            try:
                s.envelope()
                assert s.cmd("DATA")[0] == 354
                sent = 0
                try:
                    while sent < 60_000_000:
                        s.sock.sendall(b"z" * 65536)
                        sent += 65536
                except OSError:
                    pass
                try:
                    return sent, s.reply()
                except OSError:
                    return sent, (0, "reset")
            finally:
                s.close()
        sent, (code2, _) = await asyncio.to_thread(endless)
    finally:
        server.close()
    assert sent < 60_000_000 and code2 in (552, 0)
    assert await Receipt.all().count() == 0
    assert list(services.archive.spool_dir.iterdir()) == []


async def test_connection_caps_total_and_per_address(db, services):
    server, port, _ = await serve(services)

    def attack():
        held, codes = [], []
        for _ in range(6):                                        # per address cap is 4
            s = hs.Session(port, source="127.0.0.1")
            codes.append(s.greeting[0])
            held.append(s)
        for i in range(2, 12):                                    # other addresses fill the total cap of 12
            s = hs.Session(port, source=f"127.0.0.{i}")
            codes.append(s.greeting[0])
            held.append(s)
        return held, codes
    try:
        held, codes = await asyncio.to_thread(attack)
        assert codes[:6] == [220] * 4 + [421] * 2
        assert codes[6:].count(220) == 8 and codes[6:].count(421) == 2     # 4 + 8 = 12 open
        assert server.gate.total == 12 and server.gate.refused == 4
        # an honest client gets in as soon as a slot is free
        for s in held:
            s.close()
        await asyncio.sleep(0.3)
        assert server.gate.total == 0
        code, _ = await asyncio.to_thread(_send, port, make_mail(message_id="<after-cap@x>"))
        assert code == 250
    finally:
        server.close()


async def test_noop_does_not_keep_a_session_alive(db, services):
    server, port, _ = await serve(services)
    try:
        lasted = await asyncio.to_thread(hs.noop_forever, port, 0.3, 20)
    finally:
        server.close()
    assert 1.2 < lasted < 3.0, lasted                       # idle 1.5 s: NOOP is not progress


async def test_slow_moving_data_finishes_but_a_slow_loris_is_cut(db, services):
    limits = replace(LIMITS, session_seconds=2.0, idle_seconds=2.0, min_rate=100_000)
    server, port, _ = await serve(services, limits)
    try:
        # 600 kB over ~5 s: longer than the 2 s budget, but each byte buys 10 µs more (6 s in all)
        (code, _), took = await asyncio.to_thread(hs.slow_data, port, 600_000, 5.0)
        assert code == 250 and took > 4.0
        # 2 kB over ~10 s: the bytes buy 0.02 s; the session ends near its 2 s deadline
        (code2, text2), took2 = await asyncio.to_thread(hs.slow_data, port, 2_000, 10.0, pieces=100)
    finally:
        server.close()
    assert code2 in (0, 421) and took2 < 4.0, (code2, text2, took2)
    assert await Receipt.all().count() == 1


async def test_nul_in_mail_from_and_headers_is_recorded_and_processed(db, services):
    """NUL gave 451 forever (MAIL FROM) or a permanent shunt (header) on PostgreSQL."""
    server, port, worker = await serve(services)
    raw = make_mail(message_id="<nul@x>").replace(b"Subject: ", b"Subject: \xe6\xb9\x96\xe5\x8c\x97\x00\r", 1)

    def attack():
        s = hs.Session(port)
        try:
            s.envelope(mail_from=b"ev\x00il@example.cn")
            assert s.cmd("DATA")[0] == 354
            s.sock.sendall(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b".\r\n")
            return s.reply()
        finally:
            s.close()
    try:
        code, text = await asyncio.to_thread(attack)
    finally:
        server.close()
    assert code == 250, text
    await worker.drain()
    r = await Receipt.get(mailbox="mof")
    assert r.status == "processed", r.error
    assert "\x00" not in (r.envelope_from or "") and r.envelope_from == "ev il@example.cn"
    assert "\x00" not in r.subject and "\r" not in r.subject and r.subject.startswith("湖北")


async def test_bare_cr_never_survives_in_a_subject(db, services):
    server, port, worker = await serve(services)
    raw = make_mail(message_id="<cr@x>", subject="广东省申报=?utf-8?q?=0D=E8=AF=B7?=登录 =HYPERLINK")
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    raw = raw.replace(b"Subject: ", b"Subject: \r\r", 1)
    try:
        code, _ = await asyncio.to_thread(_send, port, raw)
    finally:
        server.close()
    assert code == 250
    await worker.drain()
    s = await Submission.get()
    assert "\r" not in s.subject and "\n" not in s.subject


def _start(tmp_path, name, extra=None, fault=None):
    from tests.faults.fault_helpers import start_intake

    data = tmp_path / name
    data.mkdir()
    port = free_port()
    env = {"SHENBAO_OCR": "false", "SHENBAO_SMTP_MAX_PER_IP": "40", "SHENBAO_SMTP_MAX_CONNECTIONS": "60"}
    env.update(extra or {})
    p = start_intake(data, None, port, fault=fault, extra=env)
    from tests.faults.fault_helpers import smtp_up, wait_for
    wait_for(lambda: smtp_up(port) or p.poll() is not None, 60)
    assert p.poll() is None, "intake did not start"
    return p, data, port


def test_memory_stays_bounded_under_concurrent_one_byte_line_floods(tmp_path):
    """8 sessions × 6 MB of 1-byte lines at once into the real intake: aiosmtpd kept one object per line
    (1.97 GB for 4 × 16 MB; bench_hostile_smtp.py measured 1,549 MiB on main). Measured while all 8 DATA are
    in flight (before the worker parses anything); every message is then recorded."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.faults.fault_helpers import sigterm

    import threading

    p, data, port = _start(tmp_path, "flood", {"SHENBAO_SMTP_MAX_SIZE": str(8 * 2**20)})
    proc = psutil.Process(p.pid)
    barrier = threading.Barrier(9)                       # 8 sessions + this test
    try:
        assert hs.one_byte_lines(port, 2**20)[0] == 250      # warm-up: imports, thread pool, first parse
        time.sleep(2)
        base = proc.memory_info().rss
        peak = base
        spool = data / "archive" / "spool"
        with ThreadPoolExecutor(8) as ex:
            futs = [ex.submit(hs.one_byte_lines, port, 6 * 2**20, before_end=lambda: barrier.wait(300))
                    for _ in range(8)]
            t0 = time.monotonic()
            while time.monotonic() - t0 < 120:          # until the intake has read every session's bulk
                peak = max(peak, proc.memory_info().rss)
                spooled = sum(f.stat().st_size for f in spool.glob("*.part")) if spool.exists() else 0
                if spooled >= 8 * (6 * 2**20 - 300 * 1024):
                    break
                time.sleep(0.02)
            for _ in range(10):
                peak = max(peak, proc.memory_info().rss)
                time.sleep(0.02)
            in_flight = len(list(spool.glob("*.part")))
            barrier.wait(300)                            # now the terminators: 250 each
            codes = [f.result()[0] for f in futs]
        assert codes == [250] * 8 and in_flight == 8
        growth = (peak - base) / 2**20
        assert growth < 40, f"RSS grew {growth:.0f} MiB with 8 sessions in flight (base {base / 2**20:.0f} MiB)"
        sizes = [r[0] for r in rows(data, "select size from receipt")]
        assert len(sizes) == 9 and sum(s >= 6 * 2**20 for s in sizes) == 8
    finally:
        sigterm(p)


def test_both_mailboxes_one_transaction_one_stamp_across_a_crash(tmp_path):
    """SIGKILL between the two mailboxes' receipts: neither is kept (no 250 was sent), and the client's retry
    records both with one and the same received_at."""
    from tests.faults.fault_helpers import sigkill, sigterm, smtp_send, wait_for

    p, data, port = _start(tmp_path, "onetx", fault="between_copies")
    raw = make_mail(message_id="<onetx@x>").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    rcpts = ("sbsjyc@163.com", "jysmohrss@163.com")
    try:
        with pytest.raises((smtplib.SMTPException, OSError)):
            import threading

            threading.Timer(0.1, lambda: (wait_for(lambda: (data / "fault.marker").exists(), 30), sigkill(p))).start()
            smtp_send(port, raw, rcpts, timeout=60)
        assert (data / "fault.marker").exists()
        assert rows(data, "select count(*) from receipt") in ([(0,)], [])
    finally:
        sigkill(p)
    os.unlink(data / "fault.marker")
    from tests.faults.fault_helpers import smtp_up, start_intake

    p = start_intake(data, None, port, extra={"SHENBAO_OCR": "false"})
    try:
        wait_for(lambda: smtp_up(port), 60)
        code, _ = smtp_send(port, raw, rcpts)
        assert code == 250
        got = rows(data, "select mailbox, received_at from receipt order by mailbox")
        assert [m for m, _ in got] == ["mof", "mohrss"] and got[0][1] == got[1][1]
        assert list((data / "archive" / "spool").iterdir()) == []
    finally:
        sigterm(p)
