"""Mail the provider files as spam is seen (issue 12 point 8, DESIGN.md policy 7): the junk folder found by
SPECIAL-USE \\Junk on a real Dovecot is watched beside INBOX; a filing there counts, with found_outside_inbox;
the register reconciles each folder's message count with its receipts."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace

from core.register import build_register
from intake.daemon import watched_folders
from intake.imap import MailboxWatcher, decode_folder, stored_uidvalidity
from intake.receiver import Receiver
from intake.worker import Worker
from models.receipt import MailboxCursor, Receipt
from tests.faults.fault_helpers import account, imap_login, wait_until

from .mailmaker import make_mail


async def test_a_filing_moved_to_junk_is_recorded_and_flagged(db, services, dovecot_server):
    dc, user = dovecot_server, f"junk-{uuid.uuid4().hex[:8]}"     # one mailbox per run: both backends share the server
    c = await imap_login(dc, user)
    inbox = make_mail(message_id="<in@x>", subject="湖南省申报材料")
    junk = make_mail(message_id="<junk@x>", subject="湖北省关于推荐示范项目的请示（附件较大）")
    assert (await c.append(inbox, mailbox="INBOX", date='"26-Mar-2023 21:00:00 +0800"')).result == "OK"
    assert (await c.append(junk, mailbox="Junk", date='"26-Mar-2023 22:00:00 +0800"')).result == "OK"
    # a byte-identical second copy in INBOX: no receipt of its own (receipts are unique per mailbox and sha256),
    # so the reconciliation shows one message without a receipt
    assert (await c.append(inbox, mailbox="INBOX", date='"26-Mar-2023 21:00:00 +0800"')).result == "OK"
    await c.logout()
    acc = account(dc.host, dc.port, user, dc.password)
    folders = watched_folders([acc])
    assert [a.folder for a in folders] == ["INBOX", "\\Junk"]
    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    watchers = [MailboxWatcher(a, receiver, services.clock) for a in folders]
    tasks = [asyncio.create_task(w.run()) for w in watchers]
    try:
        await wait_until(lambda: Receipt.filter(mailbox="mof").count(), 30)
        await wait_until(lambda: _count(2), 30)
        await wait_until(_rounds_done, 30)               # both folders counted after their last message
    finally:
        for w in watchers:
            w.stop()
        await asyncio.gather(*tasks)
    await worker.drain()
    rs = {r.message_id: r for r in await Receipt.all()}
    assert rs["<junk@x>"].imap_folder == "Junk" and rs["<in@x>"].imap_folder == "INBOX"
    assert rs["<junk@x>"].received_at.isoformat() == "2023-03-26T14:00:00+00:00"      # its INTERNALDATE
    cursors = {c.folder: c.last_uid for c in await MailboxCursor.all()}
    assert cursors == {"INBOX": 2, "Junk": 1}
    folders = {f.folder: f for f in (await build_register(services.call, services.clock.now())).folders}
    assert {k: (f.messages, f.receipts, f.missing) for k, f in folders.items()} == {"INBOX": (2, 1, 1),
                                                                                   "Junk": (1, 1, 0)}
    from cli.register_cmds import format_register
    text = format_register(await build_register(services.call, services.clock.now()), services)
    assert "mof\tINBOX\t邮箱 2 封 / 登记 1 封  ← 1 封没有收件记录" in text and "mof\tJunk\t邮箱 1 封 / 登记 1 封" in text
    hb = (await build_register(services.call, services.clock.now(), "湖北省")).rows[0]
    assert hb.status == "filed" and "found_outside_inbox" in {f.code for f in hb.findings}
    # the two folders' UID 1 are different receipts even if their UIDVALIDITY is the same
    assert rs["<junk@x>"].imap_uid == rs["<in@x>"].imap_uid == 1
    assert rs["<junk@x>"].imap_uidvalidity & 0xFFFFFFFF == cursors_uidvalidity(await MailboxCursor.get(folder="Junk"))


async def _count(n):
    return await Receipt.all().count() >= n


async def _rounds_done():
    cur = {c.folder: c for c in await MailboxCursor.all()}
    return (set(cur) == {"INBOX", "Junk"} and cur["INBOX"].last_uid == 2 and cur["INBOX"].messages == 2
            and cur["Junk"].messages == 1)


def cursors_uidvalidity(cur):
    return cur.uidvalidity


def test_folder_names():
    assert decode_folder("&V4NXPpCuTvY-") == "垃圾邮件" and decode_folder("INBOX") == "INBOX"
    assert stored_uidvalidity("INBOX", 7) == 7
    tagged = stored_uidvalidity("&V4NXPpCuTvY-", 7)
    assert tagged != 7 and tagged & 0xFFFFFFFF == 7 and tagged != stored_uidvalidity("Junk", 7)
