"""回执 over real receipts (Receiver.accept + process_receipt): once per submission, never to auto-responders
or imported mail, late ones say 逾期视为未申报; sent through the aiosmtpd sink and read back."""
from __future__ import annotations

import email.header
import email.utils
from datetime import datetime, timedelta

from bot.outbox import drain
from bot.acknowledgements import queue_receipts
from bot.scheduler import tick
from intake.envelope import RawMail
from intake.pipeline import process_receipt
from intake.receiver import Receiver
from demo.samples.mail import Attachment, build_message
from core.vocabulary import Source, TimeSource
from models.outbox import OutboxMessage
from models.schedule import ScheduledRun
from tests.checks.builders import text_pdf
from tests.digest.conftest import make_services
from tests.digest.test_outgoing_mail import email_only

SENT = datetime.fromisoformat("2023-03-25T10:00:00+08:00")


def filing(province: str, sender: str, sent_at: datetime, extra_headers: bytes = b"") -> bytes:
    plan = text_pdf([[f"{province}实施方案", "一、项目背景"], ["二、建设内容"], ["三、资金安排"]])
    raw = build_message(sender=sender, sender_name=f"{province}财政厅", to=["sbsjyc@163.com", "jysmohrss@163.com"],
                        subject=f"{province}关于推荐2023年公共就业服务能力提升示范项目的请示", sent_at=sent_at,
                        body_text="现将申报材料报送你们，请查收。",
                        attachments=[Attachment(f"{province}实施方案.pdf", plan, "application/pdf")])
    return extra_headers + raw


async def arrive(s, raw: bytes, mailbox: str, at: datetime, source=Source.IMAP, *, register: bool = True):
    """One copy arrives and is processed; ``register``: its From address is a province's registered sender
    (回执 go only to registered or authenticated senders)."""
    if register:
        import email

        from models.dossier import KnownSender
        from precheck.attribution import find_provinces

        msg = email.message_from_bytes(raw)
        sender = email.utils.parseaddr(msg["From"])[1].lower()
        subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
        province = next(iter(find_provinces(subject, s.call)))
        await KnownSender.get_or_create(address=sender, defaults={"province": province, "confirmed_by": "test",
                                                                  "created_at": s.clock.now()})
    r, _ = await Receiver(s.archive, s.clock).accept(RawMail(source, mailbox, raw, at, TimeSource.IMAP_INTERNALDATE))
    return await process_receipt(s, r.id)


async def test_on_time_submission_gets_one_receipt_with_times_documents_findings_and_paper_rule(
        outdb, tmp_path, call, smtp_sink):
    host, port, sink = smtp_sink
    s = make_services(tmp_path, call, SENT + timedelta(minutes=1))
    out = s.settings.outgoing
    raw = filing("广东省", "sbc@gd.gov.cn", SENT)
    sub = await arrive(s, raw, "mof", SENT + timedelta(seconds=8))
    assert await queue_receipts(s, out, s.clock.now()) == []          # the MOHRSS copy may still come
    await arrive(s, raw, "mohrss", SENT + timedelta(seconds=11))
    assert await queue_receipts(s, out, s.clock.now()) == [sub.ref]
    s.clock.advance(hours=1)
    assert await queue_receipts(s, out, s.clock.now()) == []          # at most one per submission
    await tick(s, out)
    rows = await OutboxMessage.filter(key__startswith="receipt:")
    assert len(rows) == 1 and rows[0].recipient == "sbc@gd.gov.cn"
    body = rows[0].body
    assert f"报送编号：{sub.ref}" in body
    assert "  财政部社会保障司邮箱 sbsjyc@163.com：2023-03-25 10:00:08" in body
    assert "  人力资源社会保障部就业促进司邮箱 jysmohrss@163.com：2023-03-25 10:00:11" in body
    assert "结论：按时收到（截止时间为2023年3月26日24时前，即北京时间2023-03-27 00:00之前）。" in body
    assert "  1. [实施方案] PDF  3页" in body and "广东省实施方案.pdf" not in body     # no sender-written names
    assert "[错误] 缺申报文件" in body and "[错误] 缺资金预算表" in body          # the pre-check, as recorded
    assert "纸质版：通知要求“各省应在发送电子版文件同时报送纸质版文件。”" in body
    await drain(email_only(s, host, port), s.clock)          # (the tick also queued the 08:30 digest)
    [(_, rcpts, msg)] = [m for m in sink.messages if "回执" in m[2]["Subject"]]
    assert rcpts == ["sbc@gd.gov.cn"]
    assert msg["Subject"] == f"【回执】财办社〔2023〕22号 已收到广东省报送材料（{sub.ref}）"
    assert msg["Auto-Submitted"] == "auto-replied" and msg["In-Reply-To"] == sub.message_id
    assert f"报送编号：{sub.ref}" in msg.get_body(("plain",)).get_content()


async def test_one_mailbox_only_is_answered_after_the_delay(outdb, tmp_path, call):
    s = make_services(tmp_path, call, SENT + timedelta(minutes=5))
    out = s.settings.outgoing
    sub = await arrive(s, filing("四川省", "sbc@sc.gov.cn", SENT), "mof", SENT + timedelta(seconds=5))
    assert await queue_receipts(s, out, s.clock.now()) == []
    s.clock.advance(minutes=6)
    assert await queue_receipts(s, out, s.clock.now()) == [sub.ref]
    row = await OutboxMessage.get(key=f"receipt:{sub.ref}")
    assert "jysmohrss@163.com：未收到（通知要求发送财政部、人力资源社会保障部两个邮箱）" in row.body


async def test_never_to_auto_responders(outdb, tmp_path, call):
    s = make_services(tmp_path, call, SENT + timedelta(hours=1))
    out = s.settings.outgoing
    a = await arrive(s, filing("河南省", "sbc@henan.gov.cn", SENT, b"Auto-Submitted: auto-replied\r\n"), "mof", SENT)
    b = await arrive(s, filing("湖南省", "sbc@hunan.gov.cn", SENT, b"Precedence: bulk\r\n"), "mof", SENT)
    assert a.province == "河南省" and b.province == "湖南省"
    assert await queue_receipts(s, out, s.clock.now()) == []
    assert await OutboxMessage.filter(key__startswith="receipt:").count() == 0
    skipped = {r.slot: r.detail["skipped"] for r in await ScheduledRun.filter(kind="receipt")}
    assert skipped[a.ref].startswith("auto-responder") and skipped[b.ref].startswith("auto-responder")


async def test_never_for_imported_or_old_mail(outdb, tmp_path, call):
    s = make_services(tmp_path, call, SENT + timedelta(hours=1))
    out = s.settings.outgoing
    imp = await arrive(s, filing("湖北省", "sbc@hubei.gov.cn", SENT), "mof", SENT, source=Source.IMPORT)
    old = await arrive(s, filing("江西省", "sbc@jx.gov.cn", SENT - timedelta(days=5)), "mof", SENT - timedelta(days=5))
    assert await queue_receipts(s, out, s.clock.now()) == []
    assert (await ScheduledRun.get(kind="receipt", slot=imp.ref)).detail["skipped"] == "imported (backfill)"
    assert not await ScheduledRun.filter(kind="receipt", slot=old.ref).exists()
    assert await OutboxMessage.filter(key__startswith="receipt:").count() == 0


async def test_late_submission_receipt_says_recorded_as_late(outdb, tmp_path, call):
    at = call.deadline + timedelta(minutes=1)
    s = make_services(tmp_path, call, at + timedelta(minutes=15))
    out = s.settings.outgoing
    raw = filing("浙江省", "sbc@zj.gov.cn", call.deadline - timedelta(seconds=25))
    sub = await arrive(s, raw, "mof", at)
    await arrive(s, raw, "mohrss", at + timedelta(seconds=2))
    assert not sub.on_time
    assert await queue_receipts(s, out, s.clock.now()) == [sub.ref]
    row = await OutboxMessage.get(key=f"receipt:{sub.ref}")
    assert row.subject == f"【回执】财办社〔2023〕22号 逾期收到浙江省报送材料（{sub.ref}）"
    assert "已登记为【逾期视为未申报】" in row.body and "逾期发送的视为未申报" in row.body
    assert "[错误] 截止后到达" in row.body and "缺申报文件" not in row.body


async def test_receipts_can_be_switched_off(outdb, tmp_path, call):
    s = make_services(tmp_path, call, SENT + timedelta(hours=1), {"SHENBAO_SEND_RECEIPTS": "false"})
    await arrive(s, filing("福建省", "sbc@fj.gov.cn", SENT), "mof", SENT)
    await tick(s, s.settings.outgoing)
    assert await OutboxMessage.filter(key__startswith="receipt:").count() == 0


async def test_forged_senders_get_no_receipt_and_a_registered_address_gets_no_attacker_text(
        outdb, tmp_path, call, smtp_sink):
    """Backscatter: five forged From: addresses got five 回执 quoting "请…登录 http://…" from the ministry's account."""
    import asyncio
    import smtplib

    from intake.smtp import IntakeHandler, start_smtp_server
    from intake.worker import Worker

    s = make_services(tmp_path, call, SENT + timedelta(minutes=20))
    worker = Worker(s)
    server = await start_smtp_server(IntakeHandler(s.call, Receiver(s.archive, s.clock, worker.submit), s.clock),
                                     "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lure = "广东省申报材料 请立即登录 http://evil.example/login 核对 或访问 evil。example 联系 admin@evil.example"
    victims = [f"victim{i}@third-party.example" for i in range(5)]

    def attack(sender, subject):
        raw = build_message(sender=sender, sender_name="财政厅", to=["sbsjyc@163.com", "jysmohrss@163.com"],
                            subject=subject, sent_at=SENT, body_text="点击链接 http://evil.example/x",
                            attachments=[Attachment("实施方案.pdf", b"%PDF-1.4 x", "application/pdf")])
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as c:
            c.sendmail(sender, ["sbsjyc@163.com", "jysmohrss@163.com"], raw)
    try:
        for v in victims:
            await asyncio.to_thread(attack, v, lure)
        from models.dossier import KnownSender
        await KnownSender.create(address="sbc@gd.gov.cn", province="广东省", confirmed_by="test", created_at=s.clock.now())
        for i in range(7):                                   # a forged registered From, again and again
            await asyncio.to_thread(attack, "sbc@gd.gov.cn", lure + f" #{i}")
    finally:
        server.close()
    await worker.drain()
    answered = await queue_receipts(s, s.settings.outgoing, s.clock.now())
    rows = await OutboxMessage.filter(key__startswith="receipt:").order_by("id")
    assert {r.recipient for r in rows} == {"sbc@gd.gov.cn"} and len(rows) == len(answered) == 5   # rate limit 5/day
    skipped = [r.detail["skipped"] for r in await ScheduledRun.filter(kind="receipt") if "skipped" in r.detail]
    assert sum(x.startswith("sender neither registered nor authenticated") for x in skipped) == 5
    assert sum(x.startswith("rate limit") for x in skipped) == 2
    for r in rows:
        assert "http" not in r.body and "evil" not in r.body and "@evil" not in r.body and "点击链接" not in r.body
        line = next(x for x in r.body.splitlines() if x.startswith("邮件主题："))
        assert len(line) <= len("邮件主题：") + 41 and line.startswith("邮件主题：广东省申报材料 请立即登录 …")
