"""Excel formula injection: a subject starting with ``=`` arrived over SMTP was stored as a formula in 收件记录."""
from __future__ import annotations

import asyncio
import io
import smtplib
import zipfile

import openpyxl

from bot.digest.job import collect_digest, render_all
from intake.receiver import Receiver
from intake.smtp import IntakeHandler, start_smtp_server
from intake.worker import Worker
from tests.intake.mailmaker import make_mail

PAYLOADS = ['=HYPERLINK("http://evil.example/login","广东省申报回执")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "＝HYPERLINK(\"http://evil.example\")"]


async def test_sender_text_is_never_a_formula_in_the_register_workbook(db, services):
    worker = Worker(services)
    server = await start_smtp_server(IntakeHandler(services.call, Receiver(services.archive, services.clock,
                                                                          worker.submit), services.clock),
                                     "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    def send(i, subject):
        raw = make_mail(message_id=f"<xl{i}@x>", subject=subject, sender=f"=cmd{i}@evil.example")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
            s.sendmail("a@evil.example", ["sbsjyc@163.com"], raw)
    try:
        for i, p in enumerate(PAYLOADS):
            await asyncio.to_thread(send, i, p)
    finally:
        server.close()
    await worker.drain()
    d = await collect_digest(services, services.settings.outgoing, services.clock.now(), kind="manual")
    data = render_all(d)["xlsx"]
    z = zipfile.ZipFile(io.BytesIO(data))
    sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    subjects = {c.value for row in wb["收件记录"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert set(PAYLOADS) <= subjects
    cells = [c for row in wb["收件记录"].iter_rows(min_row=2) for c in row if c.value in PAYLOADS]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
