"""Time sanity (issue 12 point 3): an arrival time that the mail's own headers contradict is flagged for review.

Real Dovecot, mail APPENDed with an INTERNALDATE an attacker (or a broken import) chose; the watcher records that
INTERNALDATE as the arrival time (policy: the server's time rules), and ``arrival_time_inconsistent`` says the
``Date:``/``Received:`` headers prove it impossible — in both directions, beyond the documented 15 min skew.
"""
from __future__ import annotations

import asyncio
import uuid

from core.register import build_register
from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from intake.worker import Worker
from models.receipt import Receipt
from precheck.checks.submission import TIME_SKEW_MINUTES
from tests.faults.fault_helpers import account, append, at_least, wait_until

from .mailmaker import make_mail


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def mail(mid: str, subject: str, date: str, received: str) -> bytes:
    return crlf(make_mail(message_id=mid, subject=subject, date=date, received=received))


async def test_internaldate_contradicting_the_headers_is_flagged_both_ways(db, services, dovecot_server):
    assert TIME_SKEW_MINUTES == 15
    user = f"timesanity-{uuid.uuid4().hex[:8]}"     # one mailbox per run: both backends share the server
    # 1. Date: and topmost Received: 8 h after the deadline, APPENDed with an on-time INTERNALDATE (the case)
    await append(dovecot_server, user, mail("<backdated@x>", "湖北省关于推荐示范项目的请示",
                                            "Mon, 27 Mar 2023 08:00:00 +0800",
                                            "from mail.hb.gov.cn by mx.163.com; Mon, 27 Mar 2023 08:00:03 +0800"),
                 "26-Mar-2023 20:00:00 +0800")
    # 2. the receiving server's own Received: is on time, the INTERNALDATE 5 h later (moved / re-delivered)
    await append(dovecot_server, user, mail("<redelivered@x>", "湖南省关于推荐示范项目的请示",
                                            "Sun, 26 Mar 2023 21:00:00 +0800",
                                            "from mail.hn.gov.cn by mx.163.com; Sun, 26 Mar 2023 21:00:05 +0800"),
                 "27-Mar-2023 02:00:00 +0800")
    # 3. consistent within the skew: no finding
    await append(dovecot_server, user, mail("<fine@x>", "广东省关于推荐示范项目的请示",
                                            "Sun, 26 Mar 2023 21:59:00 +0800",
                                            "from mail.gd.gov.cn by mx.163.com; Sun, 26 Mar 2023 22:00:00 +0800"),
                 "26-Mar-2023 22:10:00 +0800")
    worker = Worker(services)
    w = MailboxWatcher(account(dovecot_server.host, dovecot_server.port, user, dovecot_server.password),
                       Receiver(services.archive, services.clock, worker.submit), services.clock)
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 3), 30)
    finally:
        w.stop()
        await task
    await worker.drain()
    assert {r.message_id: r.received_at.isoformat() for r in await Receipt.all()} == {
        "<backdated@x>": "2023-03-26T12:00:00+00:00", "<redelivered@x>": "2023-03-26T18:00:00+00:00",
        "<fine@x>": "2023-03-26T14:10:00+00:00"}

    def inconsistent(row):
        return [f for f in row.findings if f.code == "arrival_time_inconsistent"]

    async def row(province):
        return (await build_register(services.call, services.clock.now(), province)).rows[0]

    hb, hn, gd = await row("湖北省"), await row("湖南省"), await row("广东省")
    # the server's time still decides the status; the finding puts it before an officer
    assert hb.status == "filed" and hn.status == "late" and gd.status == "filed"
    [f] = inconsistent(hb)
    assert f.severity == "review" and f.figures["direction"] == "earlier"
    assert f.figures["header_at"] == "2023-03-27T00:00:03+00:00"
    [f] = inconsistent(hn)
    assert f.figures["direction"] == "later" and f.figures["header"] == "Received"
    assert inconsistent(gd) == []
