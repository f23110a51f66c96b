"""Per-province kept state (issue 16): the register row stored on the dossier row in the transaction of each
change must equal a rebuild from the tables, over random sequences of arrivals, resubmissions, the other
mailbox's copy, late mail, unrelated mail and officer actions (hypothesis, derandomized in the suite)."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.call import load_call
from config.clock import FixedClock
from config.settings import load_settings
from core import officer
from core.archive import Archive
from core.province_row import compute_province_row
from core.province_state import rebuild_state, row_from_state
from core.register import build_register
from core.services import Services
from core.vocabulary import Source, TimeSource
from intake.envelope import RawMail
from intake.receiver import Receiver
from intake.worker import Worker
from models import close_db, init_db
from models.dossier import Dossier
from models.receipt import Receipt
from models.submission import Document, Submission

from .mailmaker import make_mail
from tests.conftest import PG_URL, _pg_create, _pg_drop

CST = timezone(timedelta(hours=8))
DEADLINE = datetime(2023, 3, 27, tzinfo=CST)
PROVINCES = ["广东省", "湖南省", "山东省"]
FILES = {"plan": "实施方案.pdf", "budget": "资金预算表.pdf", "cover_letter": "关于申报的请示.pdf"}

arrive = st.tuples(st.just("arrive"), st.sampled_from(PROVINCES + ["unknown", "news"]),
                   st.sampled_from(["mof", "mohrss"]), st.booleans(),
                   st.lists(st.sampled_from(sorted(FILES)), max_size=2, unique=True))
copy = st.tuples(st.just("copy"), st.integers(0, 9), st.booleans())
assign = st.tuples(st.just("assign"), st.integers(0, 9), st.sampled_from(PROVINCES))
override = st.tuples(st.just("override"), st.sampled_from(PROVINCES), st.sampled_from([None, "filed", "late"]))
paper = st.tuples(st.just("paper"), st.sampled_from(PROVINCES))
cities = st.tuples(st.just("cities"), st.sampled_from(PROVINCES), st.sampled_from([["广州市"], ["长沙市", "株洲市"]]))
kind = st.tuples(st.just("kind"), st.integers(0, 9), st.sampled_from(["plan", "budget", "evidence"]))
OPS = st.lists(st.one_of(arrive, arrive, copy, assign, override, paper, cities, kind), min_size=2, max_size=7)


def _mail(n: int, who: str, kinds: list[str]) -> bytes:
    if who == "news":                                   # unrelated: no province, no attachment, no call word
        return (f"From: news@example.com\r\nTo: sbsjyc@163.com\r\nSubject: 本周资讯 {n}\r\n"
                f"Message-ID: <news{n}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n订阅内容\r\n").encode()
    subject = "材料" if who == "unknown" else f"{who}关于推荐2023年示范项目的请示（第{n}次）"
    return make_mail(message_id=f"<m{n}@example.gov.cn>", subject=subject, sender=f"staff{n}@example.com",
                     attachments=[(FILES[k], b"%PDF-1.4\n%fake " + k.encode() + b"\n") for k in kinds] or [])


async def _deliver(services, raw: bytes, box: str, when: datetime) -> None:
    worker = Worker(services)
    await Receiver(services.archive, services.clock, worker.submit).accept(
        RawMail(Source.SMTP, box, raw, when, TimeSource.SMTP_END_OF_DATA))
    await worker.drain()


async def _submission_of(raw: bytes) -> Submission | None:
    mid = raw.split(b"Message-ID: ", 1)[1].split(b"\n", 1)[0].strip().decode()
    r = await Receipt.filter(message_id=mid).first()
    return await Submission.get_or_none(id=r.submission_id) if r and r.submission_id else None


async def _play(services, ops) -> None:
    sent: list[tuple[bytes, str]] = []
    for i, op in enumerate(ops):
        services.clock.advance(minutes=7)
        if op[0] == "arrive":
            _, who, box, late, kinds = op
            raw = _mail(i, who, kinds)
            sent.append((raw, box))
            await _deliver(services, raw, box, DEADLINE + timedelta(minutes=i) if late else
                           DEADLINE - timedelta(hours=5, minutes=-i))
        elif op[0] == "copy" and sent:
            raw, box = sent[op[1] % len(sent)]
            await _deliver(services, raw, "mohrss" if box == "mof" else "mof",
                           DEADLINE + timedelta(minutes=30 + i) if op[2] else DEADLINE - timedelta(minutes=30 - i))
        elif op[0] == "assign" and sent:
            sub = await _submission_of(sent[op[1] % len(sent)][0])
            if sub is not None:
                await officer.assign(services, sub.ref, op[2], reason="核实来源", actor="test")
        elif op[0] == "override":
            await officer.override_status(services, op[1], op[2], reason="处室决定", actor="test")
        elif op[0] == "paper":
            await officer.set_paper_copy(services, op[1], date=date(2023, 3, 28), tracking="SF123", actor="test")
        elif op[0] == "cities":
            await officer.set_cities(services, op[1], op[2], reason="更正", actor="test")
        elif op[0] == "kind" and sent:
            sub = await _submission_of(sent[op[1] % len(sent)][0])
            doc = await Document.filter(submission_id=sub.id).order_by("id").first() if sub else None
            if doc is not None:
                await officer.set_document_kind(services, doc.id, op[2], reason="更正", actor="test")


async def _check(services) -> None:
    call = services.call
    reg = await build_register(call, services.clock.now())
    for name in call.province_names():
        d = await Dossier.get_or_none(call_id=call.id, province=name)
        fresh = await compute_province_row(call, name, d, dossier_known=True)
        if d is not None:
            assert row_from_state(d) == fresh, name                  # kept state == rebuild from the tables
            assert d.n_submissions == len(fresh.submissions) and d.pages_total == fresh.pages_total
            assert d.n_errors == sum(1 for f in fresh.findings if f.severity == "error")
        else:
            assert fresh.submissions == [], name
        assert reg.row(name) == fresh
    assert await rebuild_state(services, check=True) == []
    before = {p: reg.row(p) for p in PROVINCES}
    await rebuild_state(services)                                    # re-deriving everything changes nothing
    after = await build_register(call, services.clock.now())
    assert {p: after.row(p) for p in PROVINCES} == before
    news = await Submission.filter(unrelated=True).count()
    assert reg.unrelated == news and not any(u.subject.startswith("本周资讯") for u in reg.unidentified)


def _services(root: Path) -> Services:
    settings = load_settings({"SHENBAO_DATA_DIR": str(root / "data")})
    return Services(settings=settings, call=load_call("2023"), clock=FixedClock(DEADLINE - timedelta(hours=12)),
                    archive=Archive(root / "data" / "archive"))


async def _example(backend: str, ops) -> None:
    root = Path(tempfile.mkdtemp(prefix="kept-state-"))
    pg = None
    url = f"sqlite://{root}/db.sqlite3"
    if backend == "postgres":
        pg = await _pg_create()
        url = f"{PG_URL.rstrip('/')}/{pg}"
    from tortoise.backends.base import executor
    executor.EXECUTOR_CACHE.clear()
    await init_db(url)
    try:
        services = _services(root)
        await _play(services, ops)
        await _check(services)
    finally:
        await close_db()
        if pg:
            await _pg_drop(pg)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"] if PG_URL else ["sqlite"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ops=OPS)
def test_kept_state_equals_a_rebuild(backend, ops):
    asyncio.run(_example(backend, ops))
