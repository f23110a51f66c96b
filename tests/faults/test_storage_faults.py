"""Storage faults with the real intake process: the archive disk full (a 1 MB tmpfs), SQLite held locked by a
second process, PostgreSQL restarted mid-run. The mail is never consumed while storage is down (IMAP cursor
does not move, SMTP answers 451), an alert is recorded once, and everything is recorded once afterwards."""
from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest

from tests_support.dovecot import free_port

from fault_helpers import (REPO, append, internaldate, mail, rows, sigterm, smtp_send, smtp_up, start_intake,
                           wait_for)


OFFICERS = {"SHENBAO_OFFICERS_TELEGRAM": "9001", "SHENBAO_DIGEST_TO": "ops@example.cn"}
ALERTS = "select channel, body from outbox_message where subject like '%storage_unavailable%'"


def _mount_tmpfs(path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)


def test_archive_disk_full_consumes_nothing_alerts_and_recovers(tmp_path, dovecot_server):
    dc = dovecot_server
    data = tmp_path / f"full-{uuid.uuid4().hex[:8]}"
    archive = data / "archive"
    _mount_tmpfs(archive, "1m")
    port = free_port()
    p = None
    try:
        when = "26-Mar-2023 23:59:00 +0800"
        asyncio.run(append(dc, data.name, mail("<full-imap@x>", size=3_000_000), when))
        p = start_intake(data, (dc.host, dc.port, data.name, dc.password), port, extra=OFFICERS)
        wait_for(lambda: smtp_up(port), timeout=30)
        code, text = smtp_send(port, mail("<full-smtp@x>", size=3_000_000))
        assert code == 451, (code, text)
        wait_for(lambda: rows(data, "select last_uid, last_error from mailbox_cursor where folder = 'INBOX'"), timeout=30)
        wait_for(lambda: rows(data, "select last_error from mailbox_cursor where last_error is not null"))
        time.sleep(3)                                     # several retries while the disk stays full
        assert rows(data, "select last_uid from mailbox_cursor where folder = 'INBOX'") == [(0,)]          # not consumed
        assert rows(data, "select count(*) from receipt") == [(0,)]
        alerts = rows(data, ALERTS)
        assert sorted(a[0] for a in alerts) == ["email", "telegram"], alerts      # once per outage, each channel
        assert all("收件存储不可用" in a[1] for a in alerts), alerts
        subprocess.run(["mount", "-o", "remount,size=200m", str(archive)], check=True)   # space freed
        t0 = time.monotonic()
        wait_for(lambda: rows(data, "select count(*) from receipt") == [(1,)], timeout=60)
        took = time.monotonic() - t0
        code, _ = smtp_send(port, mail("<full-smtp@x>", size=3_000_000))   # the sender's MTA retries
        assert code == 250
        wait_for(lambda: rows(data, "select last_uid from mailbox_cursor where folder = 'INBOX'") == [(1,)])
        print(f"disk full: SMTP 451, cursor stayed 0, 1 alert; IMAP recorded {took:.1f}s after space was freed")
        assert sigterm(p) == 0
    finally:
        if p is not None and p.poll() is None:
            p.kill()
        subprocess.run(["umount", "-l", str(archive)], check=False)
    got = rows(data, "select source, received_at, time_source, status from receipt order by id")
    assert len(got) == 2 and [g[3] for g in got] == ["processed", "processed"], got   # processed, not only counted
    assert got[0][0] == "imap" and got[0][1].startswith("2023-03-26 15:59:00")
    assert len(rows(data, ALERTS)) == 2


def test_sqlite_locked_by_another_process_then_released(tmp_path, dovecot_server):
    dc = dovecot_server
    data = tmp_path / f"locked-{uuid.uuid4().hex[:8]}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, (dc.host, dc.port, data.name, dc.password), port)
    try:
        wait_for(lambda: smtp_up(port) and rows(data, "select count(*) from mailbox_cursor where folder = 'INBOX'") == [(1,)], timeout=30)
        con = sqlite3.connect(data / "shenbao.sqlite3", timeout=30, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")                   # a second process holding the write lock
        when = "26-Mar-2023 23:59:30 +0800"
        asyncio.run(append(dc, data.name, mail("<lock-imap@x>"), when))
        reply = {}
        t = threading.Thread(target=lambda: reply.setdefault("r", smtp_send(port, mail("<lock-smtp@x>"), timeout=120)))
        t.start()
        time.sleep(15)                                   # longer than SQLite's 10 s busy timeout
        assert "r" not in reply                          # no 250 while nothing is committed
        con.execute("ROLLBACK")
        con.close()
        t0 = time.monotonic()
        t.join(120)
        code = reply["r"][0]
        if code != 250:                                  # 451: the sender's MTA retries
            code = smtp_send(port, mail("<lock-smtp@x>"))[0]
        assert code == 250
        wait_for(lambda: rows(data, "select status, count(*) from receipt group by status") == [("processed", 2)],
                 timeout=60)
        took = time.monotonic() - t0
        print(f"SQLite locked 15 s: SMTP reply {reply['r'][0]}; both recorded {took:.1f}s after release")
        time.sleep(2)
        assert sigterm(p) == 0
    finally:
        if p.poll() is None:
            p.kill()
    got = rows(data, "select source, received_at from receipt order by id")
    assert sorted(g[0] for g in got) == ["imap", "smtp"]
    assert [g[1] for g in got if g[0] == "imap"][0].startswith("2023-03-26 15:59:30")


def _pg(cmd: str, d, port: int) -> str:
    return subprocess.run(["bash", str(REPO / "scripts/pg.sh"), cmd, str(d), str(port)], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_postgresql_restarted_mid_run(tmp_path, dovecot_server):
    dc = dovecot_server
    pgdir, pgport = Path(tempfile.mkdtemp(prefix="shenbao-faults-pg-")), free_port()   # postgres must reach it
    url = _pg("start", pgdir, pgport)
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pgport), "-U", "postgres", "-c", "CREATE DATABASE faults"],
                   check=True, capture_output=True)
    dsn = f"{url}/faults"
    data = tmp_path / f"pgrestart-{uuid.uuid4().hex[:8]}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, (dc.host, dc.port, data.name, dc.password), port, extra={"DATABASE_URL": dsn})

    def q(sql):
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pgport), "-U", "postgres", "-d", "faults", "-tAc",
                            sql], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    try:
        wait_for(lambda: smtp_up(port) and q("select count(*) from mailbox_cursor where folder = 'INBOX'") == "1", timeout=40)
        asyncio.run(append(dc, data.name, mail("<pg1@x>"), "26-Mar-2023 23:50:00 +0800"))
        wait_for(lambda: q("select count(*) from receipt") == "1", timeout=30)
        _pg("stop", pgdir, pgport)                        # the database goes away mid-run
        asyncio.run(append(dc, data.name, mail("<pg2@x>"), "26-Mar-2023 23:55:00 +0800"))
        code_down = smtp_send(port, mail("<pg-smtp@x>"), timeout=120)[0]
        assert code_down == 451
        time.sleep(2)
        _pg("start", pgdir, pgport)
        t0 = time.monotonic()
        wait_for(lambda: q("select count(*) from receipt where source='imap'") == "2", timeout=60)
        took = time.monotonic() - t0
        assert smtp_send(port, mail("<pg-smtp@x>"))[0] == 250
        wait_for(lambda: q("select count(*) from receipt where status = 'processed'") == "3", timeout=120)
        time.sleep(2)
        print(f"PostgreSQL restart: SMTP 451 while down; IMAP caught up {took:.1f}s after PostgreSQL came back")
        assert sigterm(p) == 0
        got = q("select imap_uid || ' ' || to_char(received_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                "from receipt where source='imap' order by imap_uid")
        assert got.splitlines() == ["1 2023-03-26 15:50:00", "2 2023-03-26 15:55:00"]
        assert q("select last_uid from mailbox_cursor where folder = 'INBOX'") == "2"
    finally:
        if p.poll() is None:
            p.kill()
        _pg("stop", pgdir, pgport)
        shutil.rmtree(pgdir, ignore_errors=True)


def _fill(path: Path, chunk: int) -> None:
    with open(path, "ab", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * chunk)
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            pass


def test_processing_that_fails_on_a_full_disk_is_retried_while_running(tmp_path):
    """The raw mail is safe, then the disk fills before it is processed — first leaving the database a little
    room (the documents cannot be archived), then none at all (not even the failure can be recorded).
    Receipts used to stay `received` until a restart or `shunted` until a manual replay; now they wait as
    `retrying` (the register says so) and finish once space is back, the intake running all along."""
    data = tmp_path / f"procfull-{uuid.uuid4().hex[:8]}"
    _mount_tmpfs(data, "40m")
    port = free_port()
    marker = data.parent / f"{data.name}.marker"
    arm = Path(f"{marker}.arm")
    filler = data / "filler"
    p = start_intake(data, None, port, extra={"SHENBAO_RETRY_SECONDS": "0.5", "SHENBAO_OCR": "false",
                                              "SHENBAO_FAULT_HOLD": "before_process",
                                              "SHENBAO_FAULT_MARKER": str(marker)})
    try:
        wait_for(lambda: smtp_up(port), timeout=60)
        # round 1: the worker holds before processing; the disk fills but leaves the database ~160 kB
        arm.touch()
        assert smtp_send(port, mail("<procfull-1@x>", size=600_000))[0] == 250
        wait_for(lambda: marker.exists(), timeout=60)
        _fill(filler, 16 * 1024)
        os.truncate(filler, filler.stat().st_size - 160 * 1024)
        marker.unlink()
        wait_for(lambda: (rows(data, "select attempts from receipt where status='retrying'") or [(0,)])[0][0] >= 2,
                 timeout=60)                                # retried with backoff while the disk stays full
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
        reg = subprocess.run([str(REPO / ".venv/bin/python"), "-m", "cli.main", "--data-dir", str(data), "register",
                              "--json"], cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
        import json
        assert json.loads(reg.stdout)["processing"]["retrying"] == 1, reg.stderr[-2000:]
        filler.unlink()
        t0 = time.monotonic()
        wait_for(lambda: rows(data, "select status from receipt") == [("processed",)], timeout=60)
        took1 = time.monotonic() - t0
        # round 2: the disk full to the last byte while a mail is being processed
        arm.touch()
        assert smtp_send(port, mail("<procfull-2@x>", size=600_000))[0] == 250
        wait_for(lambda: marker.exists(), timeout=60)
        _fill(filler, 4096)
        marker.unlink()
        time.sleep(5)                                       # processing fails; it cannot even be marked
        assert rows(data, "select status from receipt where id = 2") in ([("received",)], [])
        filler.unlink()
        t0 = time.monotonic()
        wait_for(lambda: rows(data, "select status, count(*) from receipt group by status") == [("processed", 2)],
                 timeout=120)
        took2 = time.monotonic() - t0
        print(f"processing on a full disk: finished {took1:.1f}s / {took2:.1f}s after space came back, no restart")
        assert p.poll() is None
        assert sigterm(p) == 0
    finally:
        if p.poll() is None:
            p.kill()
        subprocess.run(["umount", "-l", str(data)], check=False)
