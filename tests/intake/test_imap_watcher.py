"""The IMAP watcher against a real Dovecot: exact INTERNALDATE times and verdicts, IDLE and poll."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aioimaplib import aioimaplib

from config.settings import ImapAccount
from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from intake.worker import Worker
from core.register import build_register
from models.receipt import MailboxCursor, Receipt
from tests_support.dovecot import Dovecot

from .mailmaker import make_mail

CST = timezone(timedelta(hours=8))


async def append(dc, user: str, raw: bytes, when: str) -> None:
    c = aioimaplib.IMAP4(dc.host, dc.port, timeout=10)
    await c.wait_hello_from_server()
    assert (await c.login(user, dc.password)).result == "OK"
    r = await c.append(raw, mailbox="INBOX", date=f'"{when}"')
    assert r.result == "OK", r
    await c.logout()


def account(dc, user: str, mailbox: str, *, idle: bool = True, poll: float = 30.0) -> ImapAccount:
    return ImapAccount(mailbox=mailbox, host=dc.host, port=dc.port, user=user, password=dc.password, ssl=False,
                       idle=idle, poll_seconds=poll, idle_seconds=poll)


async def wait_until(pred, timeout: float = 15.0, step: float = 0.05):
    end = asyncio.get_running_loop().time() + timeout
    while True:
        v = await pred()
        if v:
            return v
        if asyncio.get_running_loop().time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(step)


async def count(mailbox: str) -> int:
    return await Receipt.filter(mailbox=mailbox).count()


@pytest.mark.parametrize("idle", [True, False], ids=["idle", "poll"])
async def test_internaldate_is_the_arrival_time_and_decides(db, services, dovecot_server, idle):
    dc = dovecot_server
    user = f"mof-{'idle' if idle else 'poll'}-{uuid.uuid4().hex[:8]}"
    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    w = MailboxWatcher(account(dc, user, "mof", idle=idle, poll=1.0), receiver, services.clock, backoff_base=0.2)
    await append(dc, user, make_mail(message_id="<a1@x>", date="Sun, 26 Mar 2023 23:59:00 +0800"),
                 "26-Mar-2023 23:59:59 +0800")
    task = asyncio.create_task(w.run())
    try:
        await wait_until(lambda: count("mof"))
        await append(dc, user, make_mail(message_id="<a2@x>", subject="广东省补充材料",
                                         date="Sun, 26 Mar 2023 23:59:50 +0800"), "27-Mar-2023 00:00:00 +0800")
        await wait_until(lambda: _ge(count("mof"), 2))
    finally:
        w.stop()
        await asyncio.wait_for(task, 20)
    rs = await Receipt.filter(mailbox="mof").order_by("imap_uid")
    assert [r.received_at for r in rs] == [datetime(2023, 3, 26, 23, 59, 59, tzinfo=CST),
                                           datetime(2023, 3, 27, 0, 0, 0, tzinfo=CST)]
    assert [r.time_source for r in rs] == ["imap_internaldate"] * 2
    cur = await MailboxCursor.get(account=w.account_key)
    assert cur.last_uid == rs[-1].imap_uid and cur.last_ok_at is not None
    await worker.drain()
    reg = await build_register(services.call, services.clock.now())
    gd = reg.row("广东省")
    assert gd.status == "filed"
    late = [s for s in gd.submissions if not s.on_time]
    assert len(late) == 1 and late[0].first_received_at == datetime(2023, 3, 27, tzinfo=CST)
    codes = {f.code for f in gd.findings}
    assert "late_arrival" in codes and "borderline_sent_before_deadline" in codes
    assert "one_mailbox_only" in codes


async def _ge(coro, n):
    return (await coro) >= n


async def test_never_sets_flags_or_deletes(db, services, dovecot_server):
    dc = dovecot_server
    user = f"flags-{uuid.uuid4().hex[:8]}"
    receiver = Receiver(services.archive, services.clock)
    await append(dc, user, make_mail(message_id="<f1@x>"), "26-Mar-2023 10:00:00 +0800")
    w = MailboxWatcher(account(dc, user, "mof", poll=0.5), receiver, services.clock)
    task = asyncio.create_task(w.run())
    await wait_until(lambda: count("mof"))
    w.stop()
    await asyncio.wait_for(task, 20)
    c = aioimaplib.IMAP4(dc.host, dc.port, timeout=10)
    await c.wait_hello_from_server()
    await c.login(user, dc.password)
    await c.select("INBOX")
    r = await c.uid("fetch", "1:*", "(FLAGS)")
    flags = b" ".join(x for x in r.lines if isinstance(x, bytes))
    assert b"\\Seen" not in flags and b"\\Deleted" not in flags
    await c.logout()


async def test_restart_mid_idle_misses_nothing(db, services):
    dc = Dovecot()
    dc.start()
    try:
        receiver = Receiver(services.archive, services.clock)
        w = MailboxWatcher(account(dc, "restart", "mohrss", poll=30), receiver, services.clock, backoff_base=0.2)
        task = asyncio.create_task(w.run())
        await append(dc, "restart", make_mail(message_id="<r1@x>"), "26-Mar-2023 20:00:00 +0800")
        await wait_until(lambda: count("mohrss"))
        await wait_until(lambda: _is_set(w.connected))
        await asyncio.sleep(0.5)                      # now in IDLE
        await asyncio.to_thread(dc.stop)
        await asyncio.to_thread(dc.start)
        await append(dc, "restart", make_mail(message_id="<r2@x>"), "26-Mar-2023 20:05:00 +0800")
        await wait_until(lambda: _ge(count("mohrss"), 2), timeout=30)
        w.stop()
        await asyncio.wait_for(task, 20)
        assert await count("mohrss") == 2
    finally:
        dc.cleanup()


async def _is_set(ev):
    return ev.is_set()


async def test_uidvalidity_change_rescans_without_duplicates(db, services, dovecot_server):
    dc = dovecot_server
    user = f"uidv-{uuid.uuid4().hex[:8]}"
    receiver = Receiver(services.archive, services.clock)
    await append(dc, user, make_mail(message_id="<u1@x>"), "26-Mar-2023 09:00:00 +0800")
    w = MailboxWatcher(account(dc, user, "mof", poll=0.5), receiver, services.clock, backoff_base=0.2)
    task = asyncio.create_task(w.run())
    await wait_until(lambda: count("mof"))
    w.stop()
    await asyncio.wait_for(task, 20)
    before = await MailboxCursor.get(account=w.account_key)
    r = dc.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(before.uidvalidity + 7), "INBOX")
    assert r.returncode == 0, r.stderr
    await append(dc, user, make_mail(message_id="<u2@x>"), "26-Mar-2023 09:30:00 +0800")
    alerts = []

    async def on_alert(kind, text, detail):
        alerts.append(kind)
    w2 = MailboxWatcher(account(dc, user, "mof", poll=0.5), receiver, services.clock, on_alert=on_alert)
    task = asyncio.create_task(w2.run())
    await wait_until(lambda: _ge(count("mof"), 2))
    await asyncio.sleep(1.0)
    w2.stop()
    await asyncio.wait_for(task, 20)
    assert await count("mof") == 2                       # the old message was re-read but not duplicated
    assert alerts == ["uidvalidity_changed"]
    cur = await MailboxCursor.get(account=w.account_key)
    assert cur.uidvalidity == before.uidvalidity + 7


async def test_bad_credentials_on_one_mailbox_do_not_stop_the_other(db, services, dovecot_server):
    dc = dovecot_server
    receiver = Receiver(services.archive, services.clock)
    good = MailboxWatcher(account(dc, f"good-{uuid.uuid4().hex[:8]}", "mof", poll=0.5), receiver, services.clock)
    bad_acc = ImapAccount(mailbox="mohrss", host=dc.host, port=dc.port, user="bad", password="wrong", ssl=False,
                          poll_seconds=0.5)
    bad = MailboxWatcher(bad_acc, receiver, services.clock, backoff_base=0.1)
    await append(dc, good.account.user, make_mail(message_id="<g1@x>"), "26-Mar-2023 09:00:00 +0800")
    tasks = [asyncio.create_task(good.run()), asyncio.create_task(bad.run())]
    await wait_until(lambda: count("mof"))
    good.stop()
    bad.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 20)
    assert await count("mohrss") == 0
