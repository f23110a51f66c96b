"""Outgoing e-mail through a real aiosmtpd sink on loopback, parsed back and checked."""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from bot.digest.job import queue_digest
from bot.mail import EmailOutboxSender, SmtpRelay
from config.settings import RelaySettings
from bot.outbox import Senders, drain
from core.vocabulary import OutboxStatus
from models.outbox import OutboxMessage
from tests.digest import fixture_units
from tests.digest.conftest import make_services

MORNING = datetime.fromisoformat("2023-03-26T08:30:00+08:00")


def email_only(s, host, port):
    out = s.settings.outgoing
    return Senders(email=EmailOutboxSender(SmtpRelay(RelaySettings(host, port, security="none")), mail_from=out.mail_from,
                                           archive=s.archive, clock=s.clock))


async def test_digest_mail_headers_parts_and_xlsx(outdb, tmp_path, call, smtp_sink):
    host, port, sink = smtp_sink
    s = make_services(tmp_path, call, MORNING)
    await fixture_units.build(s, "morning")
    await queue_digest(s, s.settings.outgoing, slot="daily:2023-03-26T08:30+08:00", kind="daily",
                       slot_at=MORNING, now=MORNING)
    res = await drain(email_only(s, host, port), s.clock)
    assert (res.sent, res.skipped) == (2, 4)             # chat rows (text; the WeCom card and xlsx) wait for the bot
    assert len(sink.messages) == 2
    mail_from, rcpts, msg = sink.messages[0]
    assert mail_from == "shenbao@mof.example.cn" and rcpts == ["staff1@mof.example.cn"]
    assert msg["Subject"] == "财办社〔2023〕22号 每日收件汇总 2023-03-26 08:30：已申报13 未申报19 逾期0"
    raw_headers = sink.raw[0].split(b"\r\n\r\n", 1)[0]
    subject_line = raw_headers.split(b"Subject: ", 1)[1].split(b"\r\n")[0]
    assert subject_line.startswith(b"=?utf-8?b?") and raw_headers.isascii()   # RFC 2047, 7-bit headers
    assert msg["From"].addresses[0].display_name == "申报收件系统"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Message-ID"].startswith("<shenbao.") and msg["Date"].datetime == MORNING
    assert msg.get_content_type() == "multipart/mixed"
    alt = msg.get_payload()[0]
    assert alt.get_content_type() == "multipart/alternative"
    plain, html = alt.get_payload()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert "已申报 13 · 逾期视为未申报 0 · 未申报 19" in plain.get_content()
    assert html.get_content_type() == "text/html" and "<table" in html.get_content()
    att = msg.get_payload()[1]
    assert att.get_filename() == "收件登记表_20230326_0830.xlsx"
    assert att.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(att.get_content()))
    assert wb.sheetnames == ["全部单位", "问题清单", "未识别来信", "收件记录"]
    assert wb["全部单位"].freeze_panes == "B3" and wb["全部单位"].auto_filter.ref == "A2:Q34"
    rows = await OutboxMessage.filter(channel="email").order_by("id")
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.SENT]


async def test_smtp_outage_delays_and_never_drops(outdb, tmp_path, call, smtp_sink):
    host, port, sink = smtp_sink
    s = make_services(tmp_path, call, MORNING)
    await fixture_units.build(s, "morning")
    await queue_digest(s, s.settings.outgoing, slot="d1", kind="daily", slot_at=MORNING, now=MORNING)
    sink.refuse = "451 4.3.0 local problem, try later"
    res = await drain(email_only(s, host, port), s.clock)
    assert (res.sent, res.delayed) == (0, 1)              # the relay is down: the second mail is not even tried
    first = await OutboxMessage.filter(channel="email").order_by("id").first()
    assert first.status == OutboxStatus.PENDING and "451" in first.last_error and first.attempts == 1
    dead = email_only(s, "127.0.0.1", 1)                    # nothing listens on port 1: connection refused
    s.clock.advance(seconds=31)
    res = await drain(dead, s.clock)
    assert (res.sent, res.delayed) == (0, 1)
    again = await OutboxMessage.get(id=first.id)
    assert again.attempts == 2 and (again.next_attempt_at - s.clock.now()).total_seconds() == 60   # backoff doubles
    sink.refuse = None
    s.clock.advance(seconds=61)
    res = await drain(email_only(s, host, port), s.clock)
    assert res.sent == 2 and len(sink.messages) == 2
    rows = await OutboxMessage.filter(channel="email").order_by("id")
    assert [m["Message-ID"] for _, _, m in sink.messages] == [r.payload["message_id"] for r in rows]
    assert [r.attempts for r in rows] == [3, 1] and all(r.status == OutboxStatus.SENT for r in rows)
