"""A mailbox that already holds thousands of messages when the watcher first starts (a ministry mailbox
with years of mail, or a long outage): recorded completely, in bounded chunks, progress persisted."""
from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from core import metrics
from intake.imap import META_CHUNK, MailboxWatcher, uid_set
from intake.receiver import Receiver
from models.receipt import MailboxCursor, Receipt

from .mailmaker import make_mail
from .test_imap_watcher import account, append, wait_until

CST = timezone(timedelta(hours=8))
BACKLOG = 5_000


def old_mail(i: int) -> bytes:
    return (f"From: news{i % 97}@example.com\r\nTo: sbsjyc@163.com\r\nSubject: 旧邮件 {i}\r\n"
            f"Message-ID: <old-{i}@example.com>\r\nDate: Mon, 1 Mar 2021 10:00:00 +0800\r\n\r\n"
            f"body {i}\r\n").encode()


def test_uid_set_compresses_runs():
    assert uid_set([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
    assert uid_set([5]) == "5"
    assert uid_set(list(range(1, 201))) == "1:200"


@pytest.mark.slow
async def test_backlog_of_5000_is_recorded_in_bounded_chunks(sqlite_only_db_url, services, dovecot_server):
    from models import close_db, init_db

    await init_db(sqlite_only_db_url)
    try:
        dc = dovecot_server
        user = f"backlog-{uuid.uuid4().hex[:8]}"
        when = datetime(2021, 3, 1, 10, 0, 0, tzinfo=CST)
        assert dc.fill(user, (old_mail(i) for i in range(BACKLOG)), when) == BACKLOG
        receiver = Receiver(services.archive, services.clock)
        w = MailboxWatcher(account(dc, user, "mof", poll=60.0), receiver, services.clock, backoff_base=0.2)
        fetches: list[str] = []
        orig = MailboxWatcher._batches

        async def spy(self, c, uids):                    # every metadata FETCH covers one bounded chunk
            fetches.append(uid_set(uids))
            assert len(uids) <= META_CHUNK
            return await orig(self, c, uids)
        MailboxWatcher._batches = spy
        t0 = time.monotonic()
        task = asyncio.create_task(w.run())
        try:
            # stopped part-way (a restart during the backfill): the persisted cursor is exactly what was recorded
            await wait_until(lambda: _at_least(1_500), timeout=600, step=0.2)
            w.stop()
            await asyncio.wait_for(task, 30)
            part = await Receipt.filter(mailbox="mof").count()
            assert (await MailboxCursor.get(account=w.account_key)).last_uid == part < BACKLOG
            w = MailboxWatcher(account(dc, user, "mof", poll=60.0), receiver, services.clock, backoff_base=0.2)
            task = asyncio.create_task(w.run())
            await wait_until(lambda: _at_least(BACKLOG), timeout=600, step=0.5)
            elapsed = time.monotonic() - t0
            # a filing arriving after the backlog is recorded too (IDLE resumes)
            await append(dc, user, make_mail(message_id="<after-backlog@x>"), "26-Mar-2023 23:00:00 +0800")
            await wait_until(lambda: _at_least(BACKLOG + 1), timeout=60)
        finally:
            MailboxWatcher._batches = orig
            w.stop()
            await asyncio.wait_for(task, 30)
        cur = await MailboxCursor.get(account=w.account_key)
        rs = Receipt.filter(mailbox="mof")
        assert await rs.count() == BACKLOG + 1
        assert cur.last_uid == BACKLOG + 1 and cur.last_error is None
        assert await Receipt.filter(mailbox="mof", received_at=when.astimezone(timezone.utc)).count() == BACKLOG
        assert len(fetches) >= BACKLOG // META_CHUNK
        assert w.rounds >= 1
        assert metrics.gauge("imap_backlog", mailbox="mof").value == 0
        print(f"backlog {BACKLOG}: {elapsed:.1f}s = {BACKLOG / elapsed:.0f} messages/s")
    finally:
        await close_db()


async def _at_least(n: int) -> bool:
    return await Receipt.filter(mailbox="mof").count() >= n
