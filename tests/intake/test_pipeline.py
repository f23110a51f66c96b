"""From receipt to register: grouping, province attribution, time verdicts, findings, officer assignment."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from intake.envelope import RawMail
from core.officer import assign
from intake.receiver import Receiver
from core.register import build_register
from intake.worker import Worker
from models import audit_log
from core.vocabulary import Source, TimeSource
from models.receipt import Receipt

from .mailmaker import make_mail

CST = timezone(timedelta(hours=8))
DEADLINE = datetime(2023, 3, 27, tzinfo=CST)


async def deliver(services, raw: bytes, mailbox: str, when: datetime, worker: Worker | None = None):
    worker = worker or Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    receipt, created = await receiver.accept(RawMail(Source.SMTP, mailbox, raw, when, TimeSource.SMTP_END_OF_DATA))
    await worker.drain()
    return receipt, created


def codes(row) -> set[str]:
    return {f.code for f in row.findings}


async def test_one_second_before_and_at_the_deadline(db, services):
    on_time = make_mail(message_id="<hn1@x>", subject="湖南省关于推荐示范项目的请示")
    late = make_mail(message_id="<zj1@x>", subject="浙江省关于推荐示范项目的请示", date="Sun, 26 Mar 2023 23:59:40 +0800")
    await deliver(services, on_time, "mof", DEADLINE - timedelta(seconds=1))
    await deliver(services, on_time, "mohrss", DEADLINE - timedelta(seconds=1))
    await deliver(services, late, "mof", DEADLINE)
    reg = await build_register(services.call, services.clock.now())
    hn, zj = reg.row("湖南省"), reg.row("浙江省")
    assert hn.status == "filed" and hn.status_zh == "已申报"
    assert hn.first_on_time == {"mof": DEADLINE - timedelta(seconds=1), "mohrss": DEADLINE - timedelta(seconds=1)}
    assert "one_mailbox_only" not in codes(hn) and "late_arrival" not in codes(hn)
    assert zj.status == "late" and zj.status_zh == "逾期视为未申报"
    assert {"late_arrival", "borderline_sent_before_deadline"} <= codes(zj)
    assert zj.first_on_time == {"mof": None, "mohrss": None}
    late_msg = next(f for f in zj.findings if f.code == "late_arrival")
    assert "2023-03-27 00:00:00" in late_msg.message and late_msg.section == "二（三）"
    assert reg.counts() == {"not_filed": 30, "filed": 1, "late": 1, "unidentified": 0}


async def test_late_copy_does_not_enter_the_dossier_but_on_time_copy_counts(db, services):
    raw = make_mail(message_id="<sd1@x>", subject="山东省关于推荐示范项目的请示")
    await deliver(services, raw, "mof", DEADLINE - timedelta(minutes=5))
    await deliver(services, raw, "mohrss", DEADLINE + timedelta(minutes=3))
    row = (await build_register(services.call, services.clock.now())).row("山东省")
    assert row.status == "filed"
    assert row.first_on_time["mof"] == DEADLINE - timedelta(minutes=5) and row.first_on_time["mohrss"] is None
    assert "one_mailbox_only" in codes(row)
    assert len(row.submissions) == 1 and len(row.submissions[0].receipts) == 2


async def test_qinghai_is_not_qingdao_and_ningxia_is_not_ningbo(db, services):
    await deliver(services, make_mail(message_id="<qd@x>", subject="青岛市申报材料"), "mof",
                  DEADLINE - timedelta(hours=2))
    await deliver(services, make_mail(message_id="<nb@x>", subject="宁波市人力资源和社会保障局报送"), "mof",
                  DEADLINE - timedelta(hours=2))
    reg = await build_register(services.call, services.clock.now())
    assert reg.row("山东省").status == "filed" and reg.row("青海省").status == "not_filed"
    assert reg.row("浙江省").status == "filed" and reg.row("宁夏回族自治区").status == "not_filed"
    assert "unknown_sender" in codes(reg.row("山东省"))


async def test_unidentified_waits_until_an_officer_assigns_it(db, services):
    raw = make_mail(message_id="<u@x>", subject="申报材料", sender="zhangwei1987@example.com",
                    attachments=[("附件1.pdf", b"%PDF-1.4\n")])
    receipt, _ = await deliver(services, raw, "mof", DEADLINE - timedelta(hours=1))
    reg = await build_register(services.call, services.clock.now())
    assert len(reg.unidentified) == 1 and reg.counts()["unidentified"] == 1
    ref = reg.unidentified[0].submission
    msg = await assign(services, receipt.ref, "贵州", reason="电话确认为贵州省财政厅经办人", actor="cli:test",
                       confirm_sender=True)
    assert "贵州省" in msg
    reg = await build_register(services.call, services.clock.now())
    assert reg.unidentified == [] and reg.row("贵州省").status == "filed"
    assert reg.row("贵州省").submissions[0].ref == ref
    ok, n, _ = await audit_log.verify()
    assert ok and n == 1
    # the confirmed sender now attributes the next mail directly
    await deliver(services, make_mail(message_id="<u2@x>", subject="补充", sender="zhangwei1987@example.com"),
                  "mohrss", DEADLINE - timedelta(minutes=30))
    reg = await build_register(services.call, services.clock.now())
    assert len(reg.row("贵州省").submissions) == 2 and "unknown_sender" not in codes(reg.row("贵州省"))


async def test_grouping_without_message_id_uses_sender_and_attachments(db, services):
    raw = make_mail(message_id=None, subject="河北省申报", attachments=[("实施方案.pdf", b"%PDF-1.4 hb\n")])
    await deliver(services, raw, "mof", DEADLINE - timedelta(hours=3))
    raw2 = make_mail(message_id=None, subject="河北省申报（抄送）", attachments=[("实施方案.pdf", b"%PDF-1.4 hb\n")])
    await deliver(services, raw2, "mohrss", DEADLINE - timedelta(hours=3) + timedelta(minutes=2))
    row = (await build_register(services.call, services.clock.now())).row("河北省")
    assert len(row.submissions) == 1 and {r.mailbox for r in row.submissions[0].receipts} == {"mof", "mohrss"}


async def test_processing_failure_is_shunted_and_replayable(db, services):
    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    raw = make_mail(message_id="<sh@x>", subject="四川省申报")
    receipt, _ = await receiver.accept(RawMail(Source.SMTP, "mof", raw, DEADLINE - timedelta(hours=1),
                                               TimeSource.SMTP_END_OF_DATA))
    path = services.archive.path_for(receipt.archive_path)
    saved = path.read_bytes()
    path.unlink()                               # the archive file vanished: processing must fail, not crash
    await worker.drain()
    r = await Receipt.get(id=receipt.id)
    assert r.status == "shunted" and "FileNotFoundError" in r.error
    path.write_bytes(saved)
    assert await worker.process_one(receipt.id)
    r = await Receipt.get(id=receipt.id)
    assert r.status == "processed" and r.received_at == DEADLINE - timedelta(hours=1)
    assert (await build_register(services.call, services.clock.now())).row("四川省").status == "filed"


async def test_replay_never_changes_recorded_time(db, services):
    raw = make_mail(message_id="<rp@x>", subject="云南省申报")
    receipt, _ = await deliver(services, raw, "mof", DEADLINE - timedelta(seconds=10))
    services.clock.advance(days=3)
    w = Worker(services)
    assert await w.process_one(receipt.id)
    again, created = await deliver(services, raw, "mof", DEADLINE + timedelta(days=3))
    assert not created and again.id == receipt.id
    r = await Receipt.get(id=receipt.id)
    assert r.received_at == DEADLINE - timedelta(seconds=10)
    assert (await build_register(services.call, services.clock.now())).row("云南省").status == "filed"


async def test_register_json_is_stable(db, services):
    await deliver(services, make_mail(message_id="<j@x>", subject="广西壮族自治区申报"), "mof",
                  DEADLINE - timedelta(hours=1))
    j = (await build_register(services.call, services.clock.now())).as_json(services.call)
    assert j["format"] == 1 and len(j["provinces"]) == 32
    assert set(j["counts"]) == {"not_filed", "filed", "late", "unidentified"}
    gx = next(p for p in j["provinces"] if p["province"] == "广西壮族自治区")
    assert gx["status"] == "filed" and gx["first_on_time"]["mof"] == "2023-03-26T23:00:00+08:00"
    assert set(gx) >= {"province", "status", "status_zh", "first_on_time", "submissions", "documents", "findings",
                       "pages_total", "cities", "paper_copy_date"}
    assert [p["province"] for p in j["provinces"]][-1] == "新疆生产建设兵团"


async def test_encrypted_archive_reaches_the_register_and_a_resend_clears_it(db, services):
    """Issue 14: a container's problem was stored but the register only read current (leaf) documents."""
    from tests.checks import builders as b

    plan = b.text_pdf([["广东省公共就业服务能力提升示范项目实施方案"]])
    locked = bytearray(b.zip_utf8({"实施方案.pdf": plan}))
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):       # ZipCrypto flag, as 密码另发 archives have
        pos = locked.find(sig)
        locked[pos + at] |= 1
    raw = make_mail(message_id="<enc@x>", attachments=[("申报材料.zip", bytes(locked))])
    await deliver(services, raw, "mof", DEADLINE - timedelta(hours=3))
    row = (await build_register(services.call, services.clock.now())).row("广东省")
    assert "encrypted_attachment" in codes(row) and "missing_plan" in codes(row)
    enc = next(f for f in row.findings if f.code == "encrypted_attachment")
    assert "「申报材料.zip」已加密" in enc.message and "实施方案.pdf" in enc.message
    # the province sends the files again, unencrypted: the old archive's problem is history
    again = make_mail(message_id="<plain@x>", attachments=[("实施方案.pdf", plan)])
    await deliver(services, again, "mof", DEADLINE - timedelta(hours=2))
    row = (await build_register(services.call, services.clock.now())).row("广东省")
    assert "encrypted_attachment" not in codes(row) and "missing_plan" not in codes(row)
