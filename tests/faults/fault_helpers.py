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
