"""Kill the real intake process (SIGKILL by pid) at each step of accept; restart; exactly one receipt."""
from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests_support.dovecot import free_port
from tests_support.peek import rows

from .mailmaker import make_mail
from .test_imap_watcher import append


def start_intake(data: Path, dc, smtp_port: int, fault: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, SHENBAO_DATA_DIR=str(data), SHENBAO_SMTP_PORT=str(smtp_port),
               SHENBAO_IMAP_MOF_HOST=dc.host, SHENBAO_IMAP_MOF_PORT=str(dc.port), SHENBAO_IMAP_MOF_USER=data.name,
               SHENBAO_IMAP_MOF_PASSWORD=dc.password, SHENBAO_IMAP_MOF_SSL="false", SHENBAO_IMAP_POLL_SECONDS="1")
    env.pop("DATABASE_URL", None)
    if fault:
        env.update(SHENBAO_FAULT_PAUSE=fault, SHENBAO_FAULT_MARKER=str(data / "fault.marker"))
    log = open(data.parent / f"{data.name}.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "cli.main", "intake"], env=env, stdout=log, stderr=log,
                            cwd=Path(__file__).resolve().parents[2])


def wait_for(pred, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.parametrize("fault", ["before_archive", "after_archive", "after_commit"])
def test_imap_kill_at_each_step_loses_and_duplicates_nothing(tmp_path, dovecot_server, fault):
    dc = dovecot_server
    data = tmp_path / f"crash-{fault}-{os.getpid()}"
    data.mkdir()
    asyncio.run(append(dc, data.name, make_mail(message_id=f"<{fault}@x>", subject="湖北省申报"),
                       "26-Mar-2023 23:59:58 +0800"))
    p = start_intake(data, dc, free_port(), fault)
    try:
        wait_for(lambda: (data / "fault.marker").exists())
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
    finally:
        if p.poll() is None:
            p.kill()
    before = rows(data, "select count(*) from receipt")
    p = start_intake(data, dc, free_port())
    try:
        wait_for(lambda: rows(data, "select count(*) from receipt where status='processed'") == [(1,)])
        wait_for(lambda: rows(data, "select last_uid from mailbox_cursor where folder = 'INBOX'") == [(1,)])
        time.sleep(1.5)                                   # a few more poll rounds: nothing new appears
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(20)
    assert rows(data, "select count(*) from receipt") == [(1,)], f"before restart: {before}"
    got = rows(data, "select received_at, time_source from receipt")
    assert got[0][1] == "imap_internaldate" and got[0][0].startswith("2023-03-26 15:59:58")
    assert p.returncode == 0


def test_smtp_kill_after_commit_then_sender_retries(tmp_path, dovecot_server):
    dc = dovecot_server
    data = tmp_path / f"smtpcrash-{os.getpid()}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, dc, port, "after_commit")
    raw = make_mail(message_id="<smtpcrash@x>", subject="陕西省申报").replace(b"\n", b"\r\n")
    try:
        def connectable():
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
                return True
            except OSError:
                return False
        wait_for(connectable)
        client = smtplib.SMTP("127.0.0.1", port, timeout=30)
        client.ehlo()
        client.mail("sxczt@example.cn")
        client.rcpt("sbsjyc@163.com")
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(raw + b".\r\n")                   # framed exactly as smtplib.data() frames it
        wait_for(lambda: (data / "fault.marker").exists())
        os.kill(p.pid, signal.SIGKILL)                   # committed, but the 250 was never sent
        p.wait(10)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            client.getreply()
    finally:
        if p.poll() is None:
            p.kill()
    p = start_intake(data, dc, port)
    try:
        wait_for(lambda: rows(data, "select count(*) from receipt where status='processed'") == [(1,)])
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:      # the sender's MTA retries
            s.sendmail("sxczt@example.cn", ["sbsjyc@163.com"], raw)
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(20)
    assert rows(data, "select count(*) from receipt") == [(1,)]
