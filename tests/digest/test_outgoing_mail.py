"""Outgoing e-mail through a real aiosmtpd sink on loopback, parsed back and checked."""
from __future__ import annotations

import io
import re
from datetime import datetime

import numpy
import openpyxl
from PIL import Image

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
    plain, related = alt.get_payload()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert "已申报 13 · 逾期视为未申报 0 · 未申报 19" in plain.get_content()
    assert related.get_content_type() == "multipart/related"           # the HTML and the chart it shows
    html = related.get_payload()[0]
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


FINAL = datetime.fromisoformat("2023-03-27T00:15:00+08:00")
NEXT_MORNING = datetime.fromisoformat("2023-03-27T08:30:00+08:00")


def chart_of(msg) -> tuple[str, Image.Image]:
    """The digest mail's HTML and its inline chart, found the way a mail client finds it: by Content-ID."""
    related = msg.get_payload()[0].get_payload()[1]
    assert related.get_content_type() == "multipart/related"
    html, *images = related.get_payload()
    body = html.get_content()
    src = re.search(r'<img src="cid:([^"]+)" width="560" alt="([^"]+)"', body)
    assert src, "the HTML shows the chart by cid: with alt text"
    part = next(i for i in images if i["Content-ID"] == f"<{src.group(1)}>")
    assert part.get_content_type() == "image/png" and part.get_content_disposition() == "inline"
    img = Image.open(io.BytesIO(part.get_content()))
    img.load()
    return body, img


def colour_pixels(img: Image.Image, hex_colour: str, box) -> int:
    """How many pixels of the plot area ``box`` have exactly this colour."""
    want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return int((numpy.asarray(img.convert("RGB").crop(box)) == want).all(axis=2).sum())


async def test_digest_mail_shows_the_status_chart_as_an_inline_png(outdb, tmp_path, call, smtp_sink):
    """The web desk's chart, as a PNG inside the mail (mail clients drop SVG): the HTML references it by
    Content-ID, it decodes at 640 × 320, and its bands follow the counts — more filed after the deadline,
    and the late band only once units were late."""
    from bot.digest.chart import COLORS

    host, port, sink = smtp_sink
    s = make_services(tmp_path, call, MORNING)
    await fixture_units.build(s, "morning")
    await queue_digest(s, s.settings.outgoing, slot="daily:m", kind="daily", slot_at=MORNING, now=MORNING)
    await drain(email_only(s, host, port), s.clock)
    s.clock.set(FINAL)
    await fixture_units.build(s, "final")
    s.clock.set(NEXT_MORNING)                                         # the late unit's band: 8 h wide by then
    await queue_digest(s, s.settings.outgoing, slot="daily:n", kind="daily", slot_at=NEXT_MORNING, now=NEXT_MORNING)
    await drain(email_only(s, host, port), s.clock)
    assert len(sink.messages) == 4
    (html_m, morning), (_, final) = chart_of(sink.messages[0][2]), chart_of(sink.messages[2][2])
    assert morning.format == "PNG" and morning.size == final.size == (640, 320)
    assert "申报进度图：已申报 13，逾期视为未申报 0，未申报 19（截止 03-27 00:00）" in html_m
    plot = (52, 40, 620, 256)                                        # inside the axes (chart_png.MARGINS)
    green_m, green_f = colour_pixels(morning, COLORS["filed"], plot), colour_pixels(final, COLORS["filed"], plot)
    red_m, red_f = colour_pixels(morning, COLORS["late"], plot), colour_pixels(final, COLORS["late"], plot)
    assert green_m > 2000 and green_f > green_m                      # the filed band grew with the filings
    assert red_m == 0 and red_f > 50                                  # late units appear only in the final one
    rows = await OutboxMessage.filter(channel="email").order_by("id")
    assert rows[0].payload["inline"][0]["content_type"] == "image/png"


def test_chart_png_without_a_cjk_font_draws_latin_labels_and_warns(call, caplog, monkeypatch):
    from datetime import timedelta

    from bot.digest import chart_png
    from bot.digest.chart import Point

    pts = [Point(call.deadline - timedelta(days=3), 0, 0, 32), Point(call.deadline - timedelta(days=1), 20, 0, 12),
           Point(call.deadline + timedelta(days=1), 20, 0, 12)]
    with_font = chart_png.render_png(pts, call)
    monkeypatch.setattr(chart_png, "CJK_FONTS", (("/nonexistent/font.ttc", "none"),))
    chart_png.cjk_font.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="shenbao.bot.digest"):
            bare = chart_png.render_png(pts, call)
    finally:
        chart_png.cjk_font.cache_clear()
    assert "no CJK font found" in caplog.text and "fonts-noto-cjk" in caplog.text
    a, b = Image.open(io.BytesIO(with_font)), Image.open(io.BytesIO(bare))
    assert a.size == b.size == (640, 320) and with_font != bare
