"""Server-side faults against a real Dovecot: killed by pid while paused mid-literal of a 25 MB FETCH and
restarted; the local clock skewed ±5 minutes (IMAP records the server's INTERNALDATE; SMTP has no server
stamp and records our own clock at end-of-DATA, which is why the host must run NTP)."""
from __future__ import annotations

import asyncio
import smtplib
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from intake.imap import MailboxWatcher
from intake.imap_fetch import parse_fetch
from intake.receiver import Receiver
from intake.smtp import IntakeHandler, start_smtp_server
from models.receipt import Receipt
from tests_support.dovecot import Dovecot
from tests_support.faultproxy import FaultProxy

from fault_helpers import account, append, assert_exact, at_least, imap_login, mail, wait_until


class SkewedClock:
    """The host's clock, wrong by ``offset`` (an unsynchronised server)."""

    def __init__(self, offset: timedelta):
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


async def test_dovecot_killed_mid_fetch_of_25mb_and_restarted(db, services):
    dc = Dovecot()
    dc.start()
    proxy = FaultProxy(dc.host, dc.port).start()
    try:
        user = "killed"
        sent = {"<k1@x>": "26-Mar-2023 23:58:00 +0800", "<k2@x>": "26-Mar-2023 23:58:30 +0800"}
        await append(dc, user, mail("<k1@x>", size=25_000_000), sent["<k1@x>"])
        await append(dc, user, mail("<k2@x>"), sent["<k2@x>"])
        proxy.throttle(4_000_000)
        receiver = Receiver(services.archive, services.clock)
        w = MailboxWatcher(account(proxy.host, proxy.port, user, dc.password, poll=2.0), receiver,
                           services.clock, backoff_base=0.2, backoff_max=2.0)
        task = asyncio.create_task(w.run())
        try:
            await wait_until(_bytes_over(proxy, 10_000_000), timeout=60)
            proxy.set_mode("pause")                        # hold the literal mid-way...
            at_kill = proxy.down_bytes
            pids = dc.doveadm("who", "-1").stdout           # the imap process serving our session
            assert user in pids, pids
            await asyncio.to_thread(dc.kill)               # ...and kill the server (SIGKILL, by pid)
            assert await Receipt.filter(mailbox="mof").count() == 0
            proxy.throttle(None)
            proxy.set_mode("pass")
            await asyncio.sleep(1.0)
            t0 = time.monotonic()
            await asyncio.to_thread(dc.start)
            await wait_until(at_least("mof", 2), timeout=60)
            took = time.monotonic() - t0
            print(f"Dovecot killed at {at_kill / 1e6:.1f} MB into the FETCH: both recorded "
                  f"{took:.1f}s after restart")
            assert took < 60
            await asyncio.sleep(2.5)                       # another safety-poll round: nothing new
        finally:
            w.stop()
            await asyncio.wait_for(task, 30)
        await assert_exact("mof", sent)
    finally:
        proxy.close()
        dc.cleanup()


async def test_ssl_account_fails_as_a_connection_error_not_a_crash(dovecot_server):
    """Regression: aioimaplib's IMAP4_SSL takes no conn_lost_cb, so every SSL account raised TypeError.
    Against a plain-text server the TLS handshake must fail as MailboxGone (retried with backoff)."""
    from config.settings import ImapAccount
    from intake.errors import MailboxGone
    from intake.imap import connect

    acc = ImapAccount(mailbox="mof", host=dovecot_server.host, port=dovecot_server.port, user="x",
                      password="pw-never-logged", ssl=True)
    with pytest.raises(MailboxGone) as err:
        await connect(acc, lambda exc: None)
    assert "SSL" in str(err.value) or "ssl" in str(err.value).lower()


def _bytes_over(proxy, n):
    async def f():
        return proxy.down_bytes > n
    return f


@pytest.mark.parametrize("minutes", [5, -5])
async def test_clock_skew_imap_records_internaldate_smtp_records_our_clock(db, services, dovecot_server,
                                                                          call2023, minutes):
    dc, user = dovecot_server, f"skew{minutes}-{uuid.uuid4().hex[:6]}"
    clock = SkewedClock(timedelta(minutes=minutes))
    receiver = Receiver(services.archive, clock)
    # IMAP: APPEND without a date, so INTERNALDATE is the server's own time of arrival.
    c = await imap_login(dc, user)
    assert (await c.append(mail("<skew@x>"), mailbox="INBOX")).result == "OK"
    await c.select("INBOX")
    server_time = parse_fetch((await c.uid("fetch", "1:*", "(UID INTERNALDATE BODY.PEEK[])")).lines)[0].internaldate
    await c.logout()
    w = MailboxWatcher(account(dc.host, dc.port, user, dc.password, poll=1.0), receiver, clock, backoff_base=0.2)
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 1), timeout=30)
    finally:
        w.stop()
        await asyncio.wait_for(task, 30)
    r = await Receipt.get(mailbox="mof")
    assert r.received_at == server_time and r.time_source == "imap_internaldate"
    skew_seen = (r.created_at - r.received_at).total_seconds()
    assert abs(skew_seen - minutes * 60) < 30              # both stored: the difference shows the skew
    # SMTP: our clock at end-of-DATA is the only stamp there is (documented: the host must run NTP).
    handler = IntakeHandler(call2023, receiver, clock)
    server = await start_smtp_server(handler, "127.0.0.1", 0, max_size=40_000_000)
    port = server.sockets[0].getsockname()[1]
    try:
        before = clock.now()
        await asyncio.to_thread(_send, port, mail("<skew-smtp@x>"))
        after = clock.now()
    finally:
        server.close()
    s = await Receipt.get(source="smtp")
    assert before - timedelta(seconds=1) <= s.received_at <= after + timedelta(seconds=1)
    assert s.time_source == "smtp_end_of_data"
    print(f"skew {minutes:+d} min: IMAP received_at {r.received_at.isoformat()} = INTERNALDATE, created_at "
          f"{skew_seen:+.0f}s off; SMTP received_at {s.received_at.isoformat()} (our clock)")


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.sendmail("hbczt@example.hb.gov.cn", ["sbsjyc@163.com"], raw)
