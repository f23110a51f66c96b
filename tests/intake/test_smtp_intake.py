"""SMTP intake over real sockets: RCPT policy, end-of-DATA stamp, 250 only after durable, 451 on storage failure."""
from __future__ import annotations

import asyncio
import smtplib

import pytest

from core.archive import Archive
from intake.receiver import Receiver
from intake.smtp import IntakeHandler, start_smtp_server
from intake.worker import Worker
from models.receipt import Receipt
from models.submission import Submission

from .mailmaker import make_mail


async def serve(services, archive=None, max_size=64 * 2**20):
    worker = Worker(services)
    receiver = Receiver(archive or services.archive, services.clock, worker.submit)
    server = await start_smtp_server(IntakeHandler(services.call, receiver, services.clock), "127.0.0.1", 0,
                                     max_size=max_size)
    return server, server.sockets[0].getsockname()[1], worker


def send(port: int, rcpts: list[str], raw: bytes):
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.ehlo("gd.example")
        s.mail("gdczt@example.gd.gov.cn")
        codes = [s.rcpt(r) for r in rcpts]
        if not any(c[0] == 250 for c in codes):
            return codes, None
        return codes, s.data(raw)


async def test_same_message_to_both_mailboxes_is_two_receipts_one_submission(db, services):
    server, port, worker = await serve(services)
    try:
        raw = make_mail(message_id="<both@x>")
        codes, data = await asyncio.to_thread(send, port, ["sbsjyc@163.com", "JYSMOHRSS@163.com"], raw)
        assert data[0] == 250 and b"R000001" in data[1] and b"R000002" in data[1]
        # the province's server retries the same bytes: still one receipt per mailbox
        _, data2 = await asyncio.to_thread(send, port, ["sbsjyc@163.com"], raw)
        assert data2[0] == 250 and b"R000001" in data2[1]
    finally:
        server.close()
    await worker.drain()
    rs = await Receipt.all().order_by("id")
    assert [r.mailbox for r in rs] == ["mof", "mohrss"]
    assert {r.received_at for r in rs} == {services.clock.now()}
    assert all(r.time_source == "smtp_end_of_data" and r.status == "processed" for r in rs)
    assert await Submission.all().count() == 1
    assert services.archive.read(rs[0].archive_path).replace(b"\r\n", b"\n").rstrip() == raw.replace(b"\r\n", b"\n").rstrip()


async def test_unknown_recipient_is_refused(db, services):
    server, port, _ = await serve(services)
    try:
        codes, data = await asyncio.to_thread(send, port, ["someone@163.com"], make_mail())
    finally:
        server.close()
    assert codes[0][0] == 550 and data is None
    assert await Receipt.all().count() == 0


async def test_storage_failure_answers_451_and_records_nothing(db, services, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"x")                      # the archive root is a file: every write fails (ENOTDIR)
    server, port, _ = await serve(services, archive=Archive(blocker / "archive"))
    try:
        _, data = await asyncio.to_thread(send, port, ["sbsjyc@163.com"], make_mail())
    finally:
        server.close()
    assert data[0] == 451
    assert await Receipt.all().count() == 0


async def test_size_limit_is_configurable(db, services):
    server, port, _ = await serve(services, max_size=50_000)
    try:
        raw = make_mail() + (b"0" * 70 + b"\r\n") * 1200
        try:
            _, data = await asyncio.to_thread(send, port, ["sbsjyc@163.com"], raw)
            code = data[0]
        except smtplib.SMTPDataError as exc:
            code = exc.smtp_code
        except smtplib.SMTPServerDisconnected:
            code = 552   # some smtplib versions see the 552 only as a closed connection
    finally:
        server.close()
    assert code == 552, code
    assert await Receipt.all().count() == 0
