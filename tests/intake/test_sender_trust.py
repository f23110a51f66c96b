"""Sender trust (issue 12 point 1, DESIGN.md policy 8) with an attacker's SMTP sessions and IMAP APPENDs.

Real aiosmtpd sessions and a real Dovecot; DKIM signed offline with the tests' own keys (tests_support/dkimkeys),
verified through dkimpy with an injected resolver.
"""
from __future__ import annotations

import asyncio
import smtplib
from dataclasses import replace
from datetime import timedelta

from bot.digest.job import collect_digest, render_all
from bot.engine import Engine
from core import officer
from core.register import build_register
from intake.receiver import Receiver
from intake.smtp import IntakeHandler, start_smtp_server
from intake.worker import Worker
from models.dossier import KnownSender
from models.submission import Document, Submission
from tests_support.dkimkeys import Resolver, sign

from .mailmaker import make_mail

DEADLINE = None
GD = "gdczt@gd.gov.cn"


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def filing(mid: str, *, sender: str, subject: str, plan: bytes, signed_by: str | None = None, length=False,
           headers: bytes = b"") -> bytes:
    raw = crlf(make_mail(message_id=mid, sender=sender, subject=subject,
                         attachments=[("实施方案.pdf", plan), ("资金预算表.xlsx", b"PK\x03\x04budget")]))
    if signed_by:
        raw = sign(raw, signed_by, length=length)
    return headers + raw


class Intake:
    """The SMTP intake of this loop plus its worker; ``send`` is one attacker-or-province SMTP session."""

    def __init__(self, services):
        self.services = services
        self.worker = Worker(services)

    async def __aenter__(self):
        receiver = Receiver(self.services.archive, self.services.clock, self.worker.submit)
        self.server = await start_smtp_server(IntakeHandler(self.services.call, receiver, self.services.clock),
                                              "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()

    async def send(self, raw: bytes, mail_from: str = "bounce@example.cn") -> int:
        def go():
            with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as s:
                return s.sendmail(mail_from, ["sbsjyc@163.com", "jysmohrss@163.com"], raw) or 250
        code = await asyncio.to_thread(go)
        await self.worker.drain()
        return code


def with_dns(services, *domains):
    return replace(services, dns_txt=Resolver(*domains))


async def plan_of(services, province):
    row = (await build_register(services.call, services.clock.now(), province)).rows[0]
    plan = next(d for d in row.documents if d.filename == "实施方案.pdf")
    return row, (await Document.get(id=plan.id)).sha256


async def test_a_strangers_mail_files_but_says_unconfirmed_in_register_digest_and_chat(db, services):
    async with Intake(services) as intake:
        await intake.send(filing("<stranger@x>", sender="someone@evil.example", subject="湖北省申报材料",
                                 plan=b"%PDF-1.4 stranger"))
    reg = await build_register(services.call, services.clock.now())
    hb = reg.row("湖北省")
    assert hb.status == "filed" and hb.status_zh == "已申报（来源待核实）" and hb.source_trust == "unknown"
    assert "unknown_sender" in {f.code for f in hb.findings}
    assert reg.as_json(services.call)["filed_unconfirmed"] == ["湖北省"]
    d = await collect_digest(services, services.settings.outgoing, services.clock.now(), kind="manual")
    assert any(line.startswith("湖北省｜已申报（来源待核实）") for line in render_all(d)["text"].splitlines())
    from bot.terminal import ask, terminal_caller
    text = await ask(Engine(services), terminal_caller(officer=True), "/dossier 湖北")
    assert "【湖北省】已申报（来源待核实）" in text


async def test_later_mail_from_anyone_never_replaces_a_verified_plan(db, services):
    services = with_dns(services, "gd.gov.cn")
    await KnownSender.create(address=GD, province="广东省", confirmed_by="officer:test", created_at=services.clock.now())
    async with Intake(services) as intake:
        await intake.send(filing("<gd1@gd.gov.cn>", sender=GD, subject="广东省申报材料", plan=b"%PDF-1.4 real plan",
                                 signed_by="gd.gov.cn"))
        row, sha = await plan_of(services, "广东省")
        assert row.status_zh == "已申报" and row.source_trust == "verified"
        services.clock.advance(minutes=10)
        # the attacker: a stranger, then a forged From: of the registered address (unsigned), then a signature
        # of the attacker's own domain, then the real domain's signature with l= and an appended plan
        await intake.send(filing("<evil1@x>", sender="hr@evil.example", subject="广东省申报材料（更正）",
                                 plan=b"%PDF-1.4 evil plan 1"))
        await intake.send(filing("<evil2@x>", sender=GD, subject="广东省申报材料（更正）", plan=b"%PDF-1.4 evil plan 2"))
        await intake.send(filing("<evil3@x>", sender=GD, subject="广东省申报材料（更正）", plan=b"%PDF-1.4 evil plan 3",
                                 signed_by="evil.example"))
    row2, sha2 = await plan_of(services, "广东省")
    assert sha2 == sha and row2.status_zh == "已申报" and row2.source_trust == "verified"
    subs = {s.ref: s for s in row2.submissions}
    held = [s for s in row2.submissions if not s.applied]
    assert [s.sender_trust for s in held] == ["unknown", "registered", "registered"]
    codes = [f.code for f in row2.findings]
    assert codes.count("unconfirmed_submission_not_applied") == 3
    # the forged registered address after a verified mail from its domain: review, not a quiet info
    fails = [f for f in row2.findings if f.code == "sender_authentication_failed"]
    assert len(fails) == 2 and all("domain_authenticated_before" in f.figures["suspect"] for f in fails)
    assert len(subs) == 4


async def test_an_officer_confirms_a_held_submission_and_it_applies(db, services):
    services = with_dns(services, "gd.gov.cn")
    await KnownSender.create(address=GD, province="广东省", confirmed_by="officer:test", created_at=services.clock.now())
    async with Intake(services) as intake:
        await intake.send(filing("<gd1@gd.gov.cn>", sender=GD, subject="广东省申报材料", plan=b"%PDF-1.4 v1",
                                 signed_by="gd.gov.cn"))
        services.clock.advance(minutes=10)
        await intake.send(filing("<staff@qq>", sender="staff@qq.example", subject="广东省申报材料（补充）",
                                 plan=b"%PDF-1.4 v2 from a personal address"))
    held = await Submission.get(message_id="<staff@qq>")
    assert held.sender_trust == "unknown"
    msg = await officer.confirm_submission(services, held.ref, reason="电话核实为广东省财政厅工作人员", actor="officer:t")
    assert "已确认" in msg
    row, sha = await plan_of(services, "广东省")
    assert row.documents[0].submission == held.ref or held.ref in {d.submission for d in row.documents}
    assert "unconfirmed_submission_not_applied" not in {f.code for f in row.findings}
    from models.audit import AuditEntry
    assert await AuditEntry.filter(action="confirm_submission", target=held.ref).count() == 1


async def test_authentication_results_count_only_from_the_receiving_host_at_the_top(db, services, dovecot_server):
    from intake.imap import MailboxWatcher
    from tests.faults.fault_helpers import account, append, at_least, wait_until

    services = replace(services, settings=replace(services.settings, sender_auth=replace(
        services.settings.sender_auth, authserv_ids=("mx.163.com",))))
    await KnownSender.create(address=GD, province="广东省", confirmed_by="officer:test", created_at=services.clock.now())
    user = "artrust"
    top = (b"Authentication-Results: mx.163.com; dkim=pass header.d=gd.gov.cn; spf=pass smtp.mailfrom=gd.gov.cn\r\n"
           b"Received: from mail.gd.gov.cn by mx.163.com; Sun, 26 Mar 2023 22:00:05 +0800\r\n")
    forged = (b"Received: from evil by mx.163.com; Sun, 26 Mar 2023 22:00:05 +0800\r\n"
              b"Authentication-Results: mx.163.com; dmarc=pass header.from=gd.gov.cn\r\n")
    await append(dovecot_server, user, filing("<ar-ok@x>", sender=GD, subject="广东省申报", plan=b"%PDF ok", headers=top),
                 "26-Mar-2023 22:00:05 +0800")
    await append(dovecot_server, user, filing("<ar-forged@x>", sender=GD, subject="广东省申报", plan=b"%PDF forged",
                                              headers=forged), "26-Mar-2023 22:10:05 +0800")
    worker = Worker(services)
    w = MailboxWatcher(account(dovecot_server.host, dovecot_server.port, user, dovecot_server.password),
                       Receiver(services.archive, services.clock, worker.submit), services.clock)
    task = asyncio.create_task(w.run())
    try:
        await wait_until(at_least("mof", 2), 30)
    finally:
        w.stop()
        await task
    await worker.drain()
    ok = await Submission.get(message_id="<ar-ok@x>")
    bad = await Submission.get(message_id="<ar-forged@x>")
    assert ok.sender_trust == "verified" and ok.sender_auth["method"] == "dkim"
    assert bad.sender_trust == "registered" and not bad.sender_auth["authenticated"]


async def test_dkim_l_tag_and_a_broken_signature_do_not_authenticate(db, services):
    services = with_dns(services, "gd.gov.cn")
    await KnownSender.create(address=GD, province="广东省", confirmed_by="officer:test", created_at=services.clock.now())
    signed = filing("<ltag@gd.gov.cn>", sender=GD, subject="广东省申报材料", plan=b"%PDF-1.4 l", signed_by="gd.gov.cn",
                    length=True)
    appended = signed.replace(b"\r\n\r\n", b"\r\n\r\n", 1) + b"\r\n--extra--\r\n"
    tampered = filing("<tamper@gd.gov.cn>", sender=GD, subject="广东省申报材料", plan=b"%PDF-1.4 t",
                      signed_by="gd.gov.cn").replace(b"Subject: ", b"Subject: X", 1)
    async with Intake(services) as intake:
        await intake.send(appended)
        await intake.send(tampered)
    a = await Submission.get(message_id="<ltag@gd.gov.cn>")
    t = await Submission.get(message_id="<tamper@gd.gov.cn>")
    assert a.sender_trust == "registered" and a.sender_auth["dkim"][0]["detail"].startswith("l=")
    assert t.sender_trust == "registered" and t.sender_auth["dkim"][0]["result"] == "fail"
    assert "dkim_signature_failed" in t.sender_auth["suspect"]
    row = (await build_register(services.call, services.clock.now(), "广东省")).rows[0]
    assert "sender_authentication_failed" in {f.code for f in row.findings}
