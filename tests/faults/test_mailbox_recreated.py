"""The watched folder deleted and recreated on the server (new UIDVALIDITY, UIDs restart at 1, the same mail
re-delivered with new INTERNALDATEs): full rescan, nothing duplicated, recorded times unchanged, one alert.
Meanwhile the other mailbox's server name does not resolve (DNS failure): that watcher retries with backoff
and records the error; this one is unaffected. (The UIDVALIDITY-only change and bad credentials are in
tests/intake/test_imap_watcher.py.)"""
from __future__ import annotations

import asyncio
import uuid

from config.settings import ImapAccount
from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from models.receipt import MailboxCursor, Receipt

from fault_helpers import at_least, imap_login, mail, wait_until

FOLDER = "Filings"


async def _append(dc, user, raw, when):
    c = await imap_login(dc, user)
    r = await c.append(raw, mailbox=FOLDER, date=f'"{when}"')
    assert r.result == "OK", r
    await c.logout()


async def test_folder_recreated_rescans_dedupes_keeps_times_and_alerts(db, services, dovecot_server, caplog):
    dc, user = dovecot_server, f"recreate-{uuid.uuid4().hex[:8]}"
    assert dc.doveadm("mailbox", "create", "-u", user, FOLDER).returncode == 0
    first = {"<r1@x>": "26-Mar-2023 21:00:00 +0800", "<r2@x>": "26-Mar-2023 22:00:00 +0800"}
    msgs = {mid: mail(mid) for mid in list(first) + ["<r3@x>"]}
    for mid, when in first.items():
        await _append(dc, user, msgs[mid], when)
    alerts = []

    async def on_alert(kind, text, detail):
        alerts.append((kind, detail))
    receiver = Receiver(services.archive, services.clock)
    acc = ImapAccount(mailbox="mof", host=dc.host, port=dc.port, user=user, password=dc.password, ssl=False,
                      folder=FOLDER, poll_seconds=0.5, idle_seconds=0.5)
    dns = ImapAccount(mailbox="mohrss", host="imap.no-such-host.invalid", port=993, user="x", password="y",
                      ssl=True, poll_seconds=0.5)
    w = MailboxWatcher(acc, receiver, services.clock, backoff_base=0.2, on_alert=on_alert)
    broken = MailboxWatcher(dns, receiver, services.clock, backoff_base=0.2, backoff_max=1.0)
    tasks = [asyncio.create_task(w.run()), asyncio.create_task(broken.run())]
    try:
        await wait_until(at_least("mof", 2), timeout=30)
        before = {r.sha256: r.received_at for r in await Receipt.filter(mailbox="mof")}
        old = (await MailboxCursor.get(account=w.account_key)).uidvalidity
        w.stop()
        await asyncio.wait_for(tasks[0], 20)
        await asyncio.sleep(1.1)                          # Dovecot derives UIDVALIDITY from the clock
        assert dc.doveadm("mailbox", "delete", "-u", user, FOLDER).returncode == 0
        assert dc.doveadm("mailbox", "create", "-u", user, FOLDER).returncode == 0
        for mid, when in [("<r1@x>", "27-Mar-2023 09:00:00 +0800"), ("<r2@x>", "27-Mar-2023 09:00:01 +0800"),
                          ("<r3@x>", "27-Mar-2023 09:00:02 +0800")]:
            await _append(dc, user, msgs[mid], when)      # re-delivered (e.g. restored from a backup)
        w = MailboxWatcher(acc, receiver, services.clock, backoff_base=0.2, on_alert=on_alert)
        tasks[0] = asyncio.create_task(w.run())
        await wait_until(at_least("mof", 3), timeout=30)
        await wait_until(lambda: _cursor_at(w.account_key, 3), timeout=30)
        await asyncio.sleep(1.0)
    finally:
        w.stop()
        broken.stop()
        await asyncio.wait_for(asyncio.gather(*tasks), 30)
    rs = await Receipt.filter(mailbox="mof")
    assert len(rs) == 3
    after = {r.sha256: r.received_at for r in rs}
    assert all(after[s] == t for s, t in before.items())   # recorded times unchanged by the re-delivery
    cur = await MailboxCursor.get(account=w.account_key)
    assert cur.uidvalidity != old and cur.last_uid == 3
    assert [k for k, _ in alerts] == ["uidvalidity_changed"]
    assert await Receipt.filter(mailbox="mohrss").count() == 0
    # it never connected: it retried with backoff (the log) and recorded its error (a cursor row for health)
    retries = [r for r in caplog.records if "imap.no-such-host.invalid" in r.getMessage()
               and "connect/login failed" in r.getMessage()]
    assert len(retries) >= 2
    err = await MailboxCursor.get(account=broken.account_key)
    assert "connect/login failed" in err.last_error and err.last_ok_at is None and err.last_uid == 0


async def _cursor_at(key, n):
    c = await MailboxCursor.filter(account=key).first()
    return c is not None and c.last_uid >= n
