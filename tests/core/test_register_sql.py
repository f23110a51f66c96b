"""The one-shot SQL reader of the register (``core.register_sql``, used by ``shenbao ask``) gives the same
``Register`` as the ORM's ``build_register`` on the same database, SQLite and PostgreSQL, over a world with
filed, late, resubmitted, unidentified and unrelated mail, an unprocessed receipt and a watched folder; and
it declines (None: the caller reads through the ORM) where it cannot answer as the ORM would."""
from __future__ import annotations

from datetime import timedelta

from core.folders import decode_folder, stored_uidvalidity
from core.register import build_register
from core.register_sql import known_migrations, read_register
from core.vocabulary import Source, TimeSource
from intake.envelope import RawMail
from intake.receiver import Receiver
from intake.worker import Worker

from tests.intake.mailmaker import make_mail

JUNK = "&V4NXPpCuTvY-"              # 垃圾邮件, IMAP modified UTF-7
ACCOUNT = "sbsjyc@163.com"


def _pdf(kind: str) -> bytes:
    return b"%PDF-1.4\n%fake " + kind.encode() + b"\n"


def _mail(n: int, who: str) -> bytes:
    if who == "news":                   # unrelated: no province, no attachment, no call word
        return (f"From: news@example.com\r\nTo: sbsjyc@163.com\r\nSubject: 本周资讯 {n}\r\n"
                f"Message-ID: <news{n}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n订阅内容\r\n").encode()
    subject = "材料" if who == "unknown" else f"{who}关于推荐2023年示范项目的请示（第{n}次）"
    return make_mail(message_id=f"<m{n}@example.gov.cn>", subject=subject, sender=f"staff{n}@example.com",
                     attachments=[("实施方案.pdf", _pdf(f"plan{n}")), ("资金预算表.pdf", _pdf(f"budget{n}"))])


async def _world(services) -> None:
    from models.receipt import MailboxCursor

    call = services.call
    deadline = call.deadline
    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    junk_uv = stored_uidvalidity(JUNK, 7)

    async def smtp(n, who, box, at):
        await receiver.accept(RawMail(Source.SMTP, box, _mail(n, who), at, TimeSource.SMTP_END_OF_DATA))
        await worker.drain()

    async def imap(n, who, uid, at):
        await receiver.accept(RawMail(Source.IMAP, "mof", _mail(n, who), at, TimeSource.IMAP_INTERNALDATE,
                                      imap_account=ACCOUNT, imap_folder=decode_folder(JUNK),
                                      imap_uidvalidity=junk_uv, imap_uid=uid))
        await worker.drain()

    await smtp(1, "广东省", "mof", deadline - timedelta(hours=30))           # filed ...
    await smtp(1, "广东省", "mohrss", deadline - timedelta(hours=29))        # ... the other mailbox's copy
    await smtp(2, "广东省", "mof", deadline - timedelta(hours=3))            # resubmitted on time
    await smtp(3, "湖南省", "mof", deadline + timedelta(minutes=1))          # late
    await smtp(4, "山东省", "mof", deadline - timedelta(hours=5))
    await smtp(5, "山东省", "mohrss", deadline + timedelta(hours=2))         # resubmitted late
    await imap(6, "unknown", 1, deadline - timedelta(hours=8))               # unidentified, from the junk folder
    await imap(7, "news", 2, deadline - timedelta(hours=9))                  # unrelated, from the junk folder
    await smtp(8, "unknown", "mohrss", deadline + timedelta(hours=1))        # unidentified, late
    await smtp(9, "news", "mof", deadline - timedelta(days=2))
    # recorded, not processed yet (the worker never ran): counted in ``processing``
    await Receiver(services.archive, services.clock).accept(
        RawMail(Source.SMTP, "mof", _mail(10, "四川省"), deadline - timedelta(hours=1), TimeSource.SMTP_END_OF_DATA))
    await MailboxCursor.create(account=ACCOUNT, folder=JUNK, mailbox="mof", uidvalidity=7, last_uid=2,
                               updated_at=services.clock.now(), last_ok_at=services.clock.now(), messages=3)
    await MailboxCursor.create(account=ACCOUNT, folder="INBOX", mailbox="mof", uidvalidity=9, last_uid=0,
                               updated_at=services.clock.now(), last_ok_at=None, last_error="timeout")


async def test_sql_reader_equals_the_orm(db, services):
    await _world(services)
    call, now = services.call, services.clock.now()
    orm = await build_register(call, now)
    sql = await read_register(db, call, now)
    assert sql is not None
    # the world is what the test says (else equality proves little)
    statuses = {r.province: r.status for r in orm.rows}
    assert statuses["广东省"] == "filed" and statuses["湖南省"] == "late" and statuses["山东省"] == "filed"
    assert len(orm.row("广东省").submissions) == 2 and len(orm.row("广东省").submissions[0].receipts) == 2
    assert len(orm.unidentified) == 2 and orm.unrelated == 2 and orm.processing["received"] == 1
    assert [(f.folder, f.receipts, f.messages) for f in orm.folders] == [("垃圾邮件", 2, 3), ("INBOX", 0, None)]
    assert sql == orm
    for u in sql.unidentified:                       # aware UTC datetimes, as the ORM gives them
        assert u.first_received_at.utcoffset() == timedelta(0)
        assert all(r.received_at.utcoffset() == timedelta(0) for r in u.receipts)
    assert sql.as_json(call) == orm.as_json(call)
    for name in ("广东省", "湖南省", "浙江省"):       # one province's row (a status question)
        assert await read_register(db, call, now, province=name) == await build_register(call, now, province=name)


async def test_sql_reader_declines_what_it_cannot_answer_as_the_orm(db, services):
    from models.dossier import Dossier
    from models.finding import Finding
    from tortoise import connections

    await _world(services)
    call, now = services.call, services.clock.now()
    assert await read_register(db, call, now) is not None
    zj = await Finding.create(code="sender_unverified", severity="review", message="待核实", scope="dossier",
                              province="浙江省", call_id=None, created_at=now)    # a dossier finding, no dossier row
    assert await read_register(db, call, now, province="浙江省") is None
    await zj.delete()
    assert await read_register(db, call, now, province="浙江省") is not None
    await Dossier.filter(call_id=call.id, province="湖南省").update(state_shape="0" * 16)   # another release's row
    assert await read_register(db, call, now, province="湖南省") is None
    assert await read_register(db, call, now) is None
    assert await read_register(db, call, now, province="广东省") is not None
    await Dossier.filter(call_id=call.id, province="湖南省").delete()        # mail but no dossier row
    assert await read_register(db, call, now, province="湖南省") is None
    await connections.get("default").execute_query(
        "DELETE FROM tortoise_migrations WHERE name = '0005_ocr_queue_order'")   # schema behind: ORM migrates
    assert await read_register(db, call, now, province="广东省") is None


async def test_sql_reader_declines_no_database_and_not_sqlite(tmp_path, call2023, clock):
    assert await read_register(f"sqlite://{tmp_path}/none.sqlite3", call2023, clock.now()) is None
    (tmp_path / "text.sqlite3").write_text("not a database")
    assert await read_register(f"sqlite://{tmp_path}/text.sqlite3", call2023, clock.now()) is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert await read_register(f"sqlite://{tmp_path}/empty.sqlite3", call2023, clock.now()) is None
    assert await read_register("postgres://nobody@127.0.0.1:1/none", call2023, clock.now()) is None
    assert not (tmp_path / "none.sqlite3").exists()


def test_known_migrations_as_the_models_say():
    import models

    assert known_migrations() == models.known_migrations() and "0001_initial" in known_migrations()
