"""Deliver the sample filings the way the real ones arrive: SMTP to the intake, IMAP APPEND to a mailbox."""
from __future__ import annotations

import asyncio
import smtplib
from datetime import datetime

from aioimaplib import aioimaplib

from core.vocabulary import ReceiptStatus
from models.receipt import Receipt


def _smtp_send(host: str, port: int, sender: str, rcpts: list[str], raw: bytes) -> str:
    with smtplib.SMTP(host, port, local_hostname="sender.example", timeout=60) as s:
        s.ehlo()
        refused = s.sendmail(sender, rcpts, raw)
        if refused:
            raise RuntimeError(f"SMTP intake refused {refused}")
        return s.noop()[1].decode("ascii", "replace")


async def smtp_deliver(host: str, port: int, sender: str, rcpts: list[str], raw: bytes) -> None:
    """One real SMTP transaction (stdlib client in a thread); raises if any recipient is refused."""
    await asyncio.to_thread(_smtp_send, host, port, sender, rcpts, raw)


async def imap_append(host: str, port: int, user: str, password: str, raw: bytes, when: datetime) -> None:
    """APPEND ``raw`` to the user's INBOX with INTERNALDATE = ``when`` (the receiving server's time)."""
    c = aioimaplib.IMAP4(host, port, timeout=30)
    await c.wait_hello_from_server()
    r = await c.login(user, password)
    if r.result != "OK":
        raise RuntimeError(f"IMAP login refused for {user}: {r.lines}")
    stamp = when.strftime('"%d-%b-%Y %H:%M:%S %z"')
    r = await c.append(raw, mailbox="INBOX", date=stamp)
    if r.result != "OK":
        raise RuntimeError(f"IMAP APPEND failed: {r.lines}")
    await c.logout()


async def wait_processed(total: int, timeout: float = 120.0, step: float = 0.05) -> int:
    """Wait until ``total`` receipts exist and none is still waiting for the worker; return the count."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        n = await Receipt.all().count()
        pending = await Receipt.filter(status=ReceiptStatus.RECEIVED).count()
        if n >= total and pending == 0:
            return n
        if loop.time() > end:
            raise TimeoutError(f"{n}/{total} receipts recorded, {pending} not processed after {timeout:.0f} s")
        await asyncio.sleep(step)
