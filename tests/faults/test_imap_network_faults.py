"""IMAP transport faults through our fault proxy, against a real Dovecot: a dead (black-holed) connection
during IDLE, ``* BYE`` instead of ``+ idling``, a cut and a reset in the middle of a 25 MB literal, and a
slow 25 MB download. After each: every message recorded exactly once, at its INTERNALDATE, within 60 s."""
from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from models.receipt import MailboxCursor
from tests_support.faultproxy import FaultProxy

from fault_helpers import account, append, assert_exact, at_least, mail, wait_until

RECOVERY = 60.0


@pytest.fixture
def proxy(dovecot_server):
    with FaultProxy(dovecot_server.host, dovecot_server.port) as p:
        yield p


def watcher(services, dc, proxy, user, *, poll=2.0):
    receiver = Receiver(services.archive, services.clock)
    return MailboxWatcher(account(proxy.host, proxy.port, user, dc.password, poll=poll), receiver, services.clock,
                          backoff_base=0.2, backoff_max=2.0)


async def stop(w, task):
    w.stop()
    await asyncio.wait_for(task, 30)


async def test_blackholed_idle_connection_is_noticed_and_replaced(db, services, dovecot_server, proxy):
    dc, user = dovecot_server, f"hole-{uuid.uuid4().hex[:8]}"
    sent = {"<h1@x>": "26-Mar-2023 23:10:00 +0800"}
    await append(dc, user, mail("<h1@x>"), sent["<h1@x>"])
    w = watcher(services, dc, proxy, user, poll=2.0)
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 1))
        await asyncio.sleep(0.5)                          # in IDLE now
        conns = proxy.connections
        proxy.blackhole_existing()                        # no FIN, no RST: the packets just vanish
        sent["<h2@x>"] = "26-Mar-2023 23:20:00 +0800"
        await append(dc, user, mail("<h2@x>"), sent["<h2@x>"])   # the push is lost in the hole
        t0 = time.monotonic()
        await wait_until(at_least("mof", 2), timeout=RECOVERY)
        took = time.monotonic() - t0
        assert proxy.connections > conns                  # it reconnected, not waited forever
        print(f"black-holed IDLE: recovered after {took:.1f}s")
        assert took < RECOVERY
    finally:
        await stop(w, task)
    await assert_exact("mof", sent)


async def test_bye_instead_of_idling_does_not_hang(db, services, dovecot_server, proxy):
    """aioimaplib#110: idle_start never returns if the server closes after BYE; we must reconnect."""
    dc, user = dovecot_server, f"bye-{uuid.uuid4().hex[:8]}"
    sent = {"<b1@x>": "26-Mar-2023 23:30:00 +0800"}
    await append(dc, user, mail("<b1@x>"), sent["<b1@x>"])
    proxy.replace_once(b"+ idling", b"* BYE Server shutting down.", close=True)
    w = watcher(services, dc, proxy, user, poll=30.0)     # a long safety poll: only the BYE handling helps
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 1))
        await asyncio.to_thread(proxy.replaced.wait, 20)
        assert proxy.replaced.is_set()
        t0 = time.monotonic()
        sent["<b2@x>"] = "26-Mar-2023 23:40:00 +0800"
        await append(dc, user, mail("<b2@x>"), sent["<b2@x>"])
        await wait_until(at_least("mof", 2), timeout=RECOVERY)
        took = time.monotonic() - t0
        print(f"BYE instead of + idling: next mail recorded after {took:.1f}s, {proxy.connections} connections")
        assert took < 15, f"took {took:.1f}s: the watcher hung in idle_start"
    finally:
        await stop(w, task)
    await assert_exact("mof", sent)


@pytest.mark.parametrize("how", ["fin", "rst"])
async def test_cut_mid_literal_of_25mb_fetch(db, services, dovecot_server, proxy, how):
    dc, user = dovecot_server, f"cut{how}-{uuid.uuid4().hex[:8]}"
    sent = {"<c1@x>": "26-Mar-2023 23:59:30 +0800", "<c2@x>": "26-Mar-2023 23:59:40 +0800"}
    await append(dc, user, mail("<c1@x>", size=25_000_000), sent["<c1@x>"])
    await append(dc, user, mail("<c2@x>"), sent["<c2@x>"])
    proxy.cut_after(7_000_000, rst=(how == "rst"))      # mid-literal of the first message
    w = watcher(services, dc, proxy, user)
    t0 = time.monotonic()
    task = asyncio.create_task(w.run())
    try:
        await asyncio.to_thread(proxy.cut_done.wait, 60)
        assert proxy.cut_done.is_set()
        await wait_until(at_least("mof", 2), timeout=RECOVERY)
        took = time.monotonic() - t0
        print(f"cut ({how}) after 7 MB of a 25 MB literal: both recorded {took:.1f}s after start")
    finally:
        await stop(w, task)
    rs = await assert_exact("mof", sent)
    assert max(r.size for r in rs) > 25_000_000
    cur = await MailboxCursor.get(account=w.account_key)
    assert cur.last_uid == 2


async def test_slow_25mb_download_is_not_cut_by_a_fixed_timeout(db, services, dovecot_server, proxy):
    """Zammad#2554: a download longer than a fixed command timeout (aioimaplib's is 30 s here) must finish."""
    dc, user = dovecot_server, f"slow-{uuid.uuid4().hex[:8]}"
    sent = {"<s1@x>": "26-Mar-2023 23:59:59 +0800"}
    await append(dc, user, mail("<s1@x>", size=25_000_000), sent["<s1@x>"])
    proxy.throttle(760_000)                               # ~6 Mbit/s: the transfer takes ~34 s
    w = watcher(services, dc, proxy, user, poll=60.0)
    t0 = time.monotonic()
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 1), timeout=120)
        took = time.monotonic() - t0
    finally:
        proxy.throttle(None)
        await stop(w, task)
    print(f"slow download: 25 MB recorded after {took:.1f}s over {proxy.connections} connection(s)")
    assert took > 30                                      # it really was slower than the command timeout
    assert proxy.connections == 1                         # finished on the first connection, no retry loop
    await assert_exact("mof", sent)
