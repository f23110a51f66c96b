"""Shared pieces of the fault suite: messages (small and 25 MB), APPEND, accounts, waiting, checks."""
from __future__ import annotations

import asyncio
import os
import time
from datetime import datetime
from email.message import EmailMessage

from aioimaplib import aioimaplib

from config.settings import ImapAccount
from intake.imap_fetch import parse_internaldate
from models.receipt import Receipt
from tests_support.peek import rows  # noqa: F401  (used by the fault tests)


def mail(mid: str, *, subject: str = "湖北省关于推荐2023年公共就业服务能力提升示范项目的请示",
         size: int = 0, sender: str = "hbczt@example.hb.gov.cn") -> bytes:
    """A filing-shaped message; ``size`` > 0 adds a random attachment so the message is about that big."""
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "sbsjyc@163.com, jysmohrss@163.com"
    m["Subject"] = subject
    m["Date"] = "Sun, 26 Mar 2023 22:00:00 +0800"
    m["Message-ID"] = mid
    m.set_content("请查收。")
    payload = os.urandom(size * 3 // 4) if size else b"%PDF-1.4\n%fake\n"
    m.add_attachment(payload, maintype="application", subtype="pdf", filename="实施方案.pdf")
    return m.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


async def imap_login(dc, user: str) -> aioimaplib.IMAP4:
    c = aioimaplib.IMAP4(dc.host, dc.port, timeout=60)
    await c.wait_hello_from_server()
    r = await c.login(user, dc.password)
    assert r.result == "OK", r
    return c


async def append(dc, user: str, raw: bytes, when: str, client=None) -> None:
    c = client or await imap_login(dc, user)
    r = await c.append(raw, mailbox="INBOX", date=f'"{when}"')
    assert r.result == "OK", r
    if client is None:
        await c.logout()


def account(host: str, port: int, user: str, password: str, mailbox: str = "mof", *, poll: float = 2.0,
            idle: bool = True) -> ImapAccount:
    return ImapAccount(mailbox=mailbox, host=host, port=port, user=user, password=password, ssl=False,
                       idle=idle, poll_seconds=poll, idle_seconds=poll)


async def wait_until(pred, timeout: float = 60.0, step: float = 0.05):
    """Await ``pred()`` (a coroutine function) until truthy; return (value, seconds waited)."""
    t0 = time.monotonic()
    while True:
        v = await pred()
        if v:
            return v, time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"condition not reached within {timeout:.0f}s")
        await asyncio.sleep(step)


def count(mailbox: str):
    async def f():
        return await Receipt.filter(mailbox=mailbox).count()
    return f


def at_least(mailbox: str, n: int):
    async def f():
        return (await Receipt.filter(mailbox=mailbox).count()) >= n
    return f


async def assert_exact(mailbox: str, expected: dict[str, str]) -> list[Receipt]:
    """Exactly one receipt per expected Message-ID (by sha of the archived bytes), with its INTERNALDATE."""
    rs = await Receipt.filter(mailbox=mailbox).order_by("imap_uid")
    assert len(rs) == len(expected), f"{len(rs)} receipts for {len(expected)} messages"
    got = sorted(r.received_at.timestamp() for r in rs)
    want = sorted(parse_internaldate(v).timestamp() for v in expected.values())
    assert got == want, (got, want)
    assert len({r.sha256 for r in rs}) == len(rs)
    return rs


def internaldate(text: str) -> datetime:
    return parse_internaldate(text)


# --- the real `shenbao intake` process ---------------------------------------------------------------
import signal  # noqa: E402
import smtplib  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def start_intake(data: Path, imap: tuple[str, int, str, str] | None, smtp_port: int, *, fault: str | None = None,
                 extra: dict | None = None) -> subprocess.Popen:
    """``python -m cli.main intake`` with its own data dir; ``imap`` = (host, port, user, password) for mof."""
    env = dict(os.environ, SHENBAO_DATA_DIR=str(data), SHENBAO_SMTP_PORT=str(smtp_port),
               SHENBAO_IMAP_POLL_SECONDS="1")
    for k in [k for k in env if k.startswith("SHENBAO_IMAP_") and k != "SHENBAO_IMAP_POLL_SECONDS"]:
        env.pop(k)
    env.pop("DATABASE_URL", None)
    if imap:
        env.update(SHENBAO_IMAP_MOF_HOST=imap[0], SHENBAO_IMAP_MOF_PORT=str(imap[1]), SHENBAO_IMAP_MOF_USER=imap[2],
                   SHENBAO_IMAP_MOF_PASSWORD=imap[3], SHENBAO_IMAP_MOF_SSL="false")
    if fault:
        env.update(SHENBAO_FAULT_PAUSE=fault, SHENBAO_FAULT_MARKER=str(data / "fault.marker"))
    env.update(extra or {})
    log = open(data.parent / f"{data.name}.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "cli.main", "intake"], env=env, stdout=log, stderr=log, cwd=REPO)


def sigkill(p: subprocess.Popen) -> None:
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
    p.wait(10)


def sigterm(p: subprocess.Popen) -> int:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    return p.wait(30)


def wait_for(pred, timeout: float = 30.0, step: float = 0.05) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if pred():
            return time.monotonic() - t0
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s")


def smtp_send(port: int, raw: bytes, rcpt=("sbsjyc@163.com",), timeout: float = 30) -> tuple[int, bytes]:
    """One SMTP transaction; returns the DATA reply (code, text); raises on a dropped connection."""
    with smtplib.SMTP("127.0.0.1", port, timeout=timeout) as s:
        s.ehlo()
        s.mail("sender@example.cn")
        for r in rcpt:
            s.rcpt(r)
        return s.data(raw)


def smtp_up(port: int) -> bool:
    try:
        smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
        return True
    except (OSError, smtplib.SMTPException):
        return False
