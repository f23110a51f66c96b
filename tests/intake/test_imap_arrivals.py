"""Per IDLE arrival the watcher does one FETCH round trip and no whole-folder count, yet keeps the cursor's count
of messages exact across arrivals and an expunge (real Dovecot); the worker steps aside while one is recorded."""
from __future__ import annotations

import asyncio
import imaplib
import uuid

from intake import imap as imap_mod
from intake.imap import MailboxWatcher
from intake.priority import ArrivalGate
from intake.receiver import Receiver
from models.receipt import MailboxCursor, Receipt

from .mailmaker import make_mail
from .test_imap_watcher import account, append, wait_until


def expunge_first(dc, user: str) -> None:
    """Another client deletes the folder's first message (the watcher only EXAMINEs)."""
    c = imaplib.IMAP4(dc.host, dc.port)
    c.login(user, dc.password)
    c.select("INBOX")
    c.store("1", "+FLAGS", "\\Deleted")
    c.expunge()
    c.logout()


async def _cursor(w) -> MailboxCursor | None:
    return await MailboxCursor.filter(account=w.account_key).first()


async def test_idle_arrivals_one_fetch_each_count_exact_across_expunge(db, services, dovecot_server, monkeypatch):
    dc = dovecot_server
    user = f"arr-{uuid.uuid4().hex[:8]}"
    for i in range(3):
        await append(dc, user, make_mail(message_id=f"<old{i}@x>"), "26-Mar-2023 21:00:00 +0800")
    counts, pushed = [], []
    real_count, real_pushed = MailboxWatcher._count_through, MailboxWatcher._fetch_pushed

    async def counting(self, c, last_uid):
        counts.append(last_uid)
        return await real_count(self, c, last_uid)

    async def fast(self, c, cursor):
        n = await real_pushed(self, c, cursor)
        pushed.append(n)
        return n
    monkeypatch.setattr(MailboxWatcher, "_count_through", counting)
    monkeypatch.setattr(MailboxWatcher, "_fetch_pushed", fast)
    w = MailboxWatcher(account(dc, user, "mof", poll=60.0), Receiver(services.archive, services.clock),
                       services.clock, backoff_base=0.2)
    task = asyncio.create_task(w.run())
    try:
        async def messages(n):
            cur = await _cursor(w)
            return cur is not None and cur.messages == n and await Receipt.filter(mailbox="mof").count() >= n

        await wait_until(lambda: messages(3), timeout=20)
        assert len(counts) == 1                        # the session's start counts the folder once
        for i in range(3):                             # arrivals while idling: pushed, fetched in one round trip
            await append(dc, user, make_mail(message_id=f"<new{i}@x>"), "26-Mar-2023 23:00:00 +0800")
            await wait_until(lambda: messages(4 + i), timeout=20)
        assert len(counts) == 1, counts                # ... and never a whole-folder SEARCH for them
        assert sum(pushed) == 3 and all(n <= 1 for n in pushed), pushed
        await asyncio.to_thread(expunge_first, dc, user)
        await wait_until(lambda: messages(5), timeout=20)   # EXPUNGE pushed: counted again, exact
        assert len(counts) == 2
        await append(dc, user, make_mail(message_id="<after@x>"), "26-Mar-2023 23:30:00 +0800")
        await wait_until(lambda: messages(6), timeout=20)
    finally:
        w.stop()
        await asyncio.wait_for(task, 20)
    cur = await _cursor(w)
    rs = await Receipt.filter(mailbox="mof").order_by("imap_uid")
    assert len(rs) == 7 and cur.last_uid == rs[-1].imap_uid == 7 and cur.last_error is None
    assert cur.last_ok_at is not None


async def test_a_large_message_after_a_push_is_streamed_whole(db, services, dovecot_server, monkeypatch):
    """The push path fetches only a first chunk; a larger message is streamed on and archived byte-exact."""
    dc = dovecot_server
    user = f"arrbig-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(imap_mod, "CHUNK", 4096)
    w = MailboxWatcher(account(dc, user, "mof", poll=60.0), Receiver(services.archive, services.clock),
                       services.clock, backoff_base=0.2)
    await append(dc, user, make_mail(message_id="<first@x>"), "26-Mar-2023 21:00:00 +0800")
    task = asyncio.create_task(w.run())
    big = make_mail(message_id="<big@x>", body="申报材料。" * 4000)
    assert len(big) > 5 * 4096
    try:
        await wait_until(lambda: Receipt.filter(mailbox="mof").exists(), timeout=20)
        await append(dc, user, make_mail(message_id="<s1@x>"), "26-Mar-2023 22:00:00 +0800")
        await append(dc, user, big, "26-Mar-2023 22:30:00 +0800")
        await wait_until(lambda: _ge(Receipt.filter(mailbox="mof").count(), 3), timeout=20)
    finally:
        w.stop()
        await asyncio.wait_for(task, 20)
    rs = await Receipt.filter(mailbox="mof").order_by("imap_uid")
    assert [r.imap_uid for r in rs] == [1, 2, 3]
    assert services.archive.read(rs[2].archive_path).replace(b"\r\n", b"\n") == big.replace(b"\r\n", b"\n")
    assert (await _cursor(w)).messages == 3


async def _ge(coro, n):
    return (await coro) >= n


async def test_the_worker_waits_while_an_arrival_is_recorded_but_not_for_ever():
    gate = ArrivalGate()
    assert await gate.quiet(0.01)                      # nothing recorded: at once
    order = []

    async def record():
        async with gate.recording():
            await asyncio.sleep(0.05)
            order.append("recorded")

    async def work():
        await asyncio.sleep(0)
        assert gate.busy
        assert await gate.quiet(1.0)
        order.append("processed")
    await asyncio.gather(record(), work())
    assert order == ["recorded", "processed"]
    async with gate.recording():                       # a recording that does not end: bounded wait
        assert not await gate.quiet(0.05)
    assert not gate.busy and gate.waited >= 0.05


async def test_small_mail_is_recorded_before_a_large_one_but_the_cursor_never_passes_it(db, services, dovecot_server,
                                                                                       monkeypatch):
    """One push announcing small, large, small: both small ones are committed before the large one is streamed,
    the cursor row stays below the large one until it is recorded, and a crash meanwhile records nothing twice."""
    from aioimaplib import aioimaplib

    from intake.imap import connect
    from intake.imap_fetch import parse_uidvalidity

    dc = dovecot_server
    user = f"arrord-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(imap_mod, "CHUNK", 4096)
    big = make_mail(message_id="<big@x>", body="申报材料。" * 4000)
    for raw in (make_mail(message_id="<s1@x>"), big, make_mail(message_id="<s2@x>", subject="补充")):
        await append(dc, user, raw, "26-Mar-2023 22:00:00 +0800")
    w = MailboxWatcher(account(dc, user, "mof", poll=60.0), Receiver(services.archive, services.clock),
                       services.clock)
    c = await connect(w.account, lambda exc: None)
    try:
        r = await c.examine("INBOX")
        c.protocol.state = aioimaplib.SELECTED
        cursor = await w._cursor(parse_uidvalidity(r.lines))
        cursor.messages = 0
        while_streaming = []
        real_rest = MailboxWatcher._spool_rest

        async def rest(self, c, uid, m):
            row = await MailboxCursor.get(id=cursor.id)
            while_streaming.append((row.last_uid, row.messages,
                                    sorted(await Receipt.filter(mailbox="mof").values_list("imap_uid", flat=True))))
            return await real_rest(self, c, uid, m)
        monkeypatch.setattr(MailboxWatcher, "_spool_rest", rest)
        assert await w._fetch_pushed(c, cursor) == 3
        assert while_streaming == [(1, 1, [1, 3])]      # small ones on record, the cursor below the large one
        row = await MailboxCursor.get(id=cursor.id)
        assert (row.last_uid, row.messages) == (3, 3)
        # a crash while the large one streamed: the cursor row said 1; fetched again, nothing recorded twice
        cursor.last_uid, cursor.messages = 1, 1
        await w._fetch_pushed(c, cursor)
        assert await Receipt.filter(mailbox="mof").count() == 3
        assert (cursor.last_uid, cursor.messages) == (3, 3)
    finally:
        await c.logout()
    rs = await Receipt.filter(mailbox="mof").order_by("id")
    assert [x.imap_uid for x in rs] == [1, 3, 2]
    assert services.archive.read(rs[2].archive_path).replace(b"\r\n", b"\n") == big.replace(b"\r\n", b"\n")


def test_the_intake_hands_the_gil_to_its_loop_every_millisecond():
    import sys

    from intake.daemon import GIL_SWITCH_SECONDS, tune_gil

    before = sys.getswitchinterval()
    try:
        tune_gil()
        assert abs(sys.getswitchinterval() - GIL_SWITCH_SECONDS) < 1e-9 and GIL_SWITCH_SECONDS < before
    finally:
        sys.setswitchinterval(before)


async def test_a_message_announced_during_a_round_is_fetched_before_idling(db, services, dovecot_server,
                                                                             monkeypatch):
    """The server announces a new message (EXISTS) in the response to one of the round's own commands, after
    the round's SEARCH was answered: it will not announce it again once we IDLE. Here the round's last
    command is followed by a NOOP on the watcher's connection after another client APPENDed — the EXISTS comes
    with the NOOP's response. The watcher must look again at once, not wait for the safety poll (60 s)."""
    dc = dovecot_server
    user = f"ann-{uuid.uuid4().hex[:8]}"
    await append(dc, user, make_mail(message_id="<first@x>"), "26-Mar-2023 21:00:00 +0800")
    real_tail, injected = MailboxWatcher._tail, []

    async def tail_then_arrival(self, c, cursor, *, recorded):
        newer = await real_tail(self, c, cursor, recorded=recorded)
        # the round that found nothing after the one that recorded <first> — the last before IDLE: a message lands
        if not recorded and not injected and await Receipt.filter(mailbox="mof").count() == 1:
            injected.append(True)
            await append(dc, user, make_mail(message_id="<during@x>"), "26-Mar-2023 22:00:00 +0800")
            r = await c.noop()                         # its EXISTS arrives in this response, not during IDLE
            assert r.result == "OK"
        return newer
    monkeypatch.setattr(MailboxWatcher, "_tail", tail_then_arrival)
    w = MailboxWatcher(account(dc, user, "mof", poll=60.0), Receiver(services.archive, services.clock),
                       services.clock, backoff_base=0.2)
    task = asyncio.create_task(w.run())
    try:
        async def both():
            return await Receipt.filter(mailbox="mof").count() == 2
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        await wait_until(both, timeout=30)
        assert loop.time() - t0 < 10                   # not the 60 s safety poll
    finally:
        w.stop()
        await asyncio.wait_for(task, 20)
    assert injected == [True]


def test_untagged_exists_and_expunge_reach_the_watcher():
    class Proto:
        def __init__(self):
            self.seen = []

        def _untagged_response(self, line):
            self.seen.append(line)

    class Client:
        protocol = Proto()
    c, got = Client(), []
    imap_mod._watch_untagged(c, lambda: got.append("expunge"), lambda n: got.append(n))
    imap_mod._watch_untagged(c, lambda: got.append("twice"), lambda n: got.append("twice"))   # installed once
    for line in (b"* 12 EXISTS", b"* 3 EXPUNGE", b"* 4 RECENT", b"* SEARCH 1 2", b"13 EXISTS"):
        c.protocol._untagged_response(line)
    assert got == [12, "expunge", 13]
    assert len(Client.protocol.seen) == 5                       # every line still goes to aioimaplib
