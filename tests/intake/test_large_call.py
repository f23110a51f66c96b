"""A call with more submissions than PostgreSQL accepts query arguments (32,767): the register, a status
question, the overview, the digest, a dossier refresh and the OCR queue all still answer, because they use
joins and indexes, never lists of ids; and unrelated mail stays out of the unidentified queue."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from bot import compose
from bot.digest.job import collect_digest
from core.dossier import refresh_dossier
from core.register import build_register
from core.vocabulary import ReceiptStatus, Source, TimeSource
from intake.ocr_backlog import pending_documents
from models.receipt import Receipt
from models.submission import Submission

from .mailmaker import make_mail
from .test_pipeline import DEADLINE, deliver

N = 33_000
T = datetime(2023, 3, 20, 8, 0, tzinfo=timezone.utc)


async def _bulk_unrelated(call_id: str, n: int) -> None:
    subs = [Submission(call_id=call_id, group_key=f"mid:bulk-{call_id}-{i}", message_id=f"<bulk-{i}@news.example>",
                       sender=f"news{i % 50}@news.example", subject=f"newsletter {i}", first_received_at=T,
                       on_time=True, unrelated=True, created_at=T, updated_at=T) for i in range(n)]
    await Submission.bulk_create(subs, batch_size=2000)
    first = (await Submission.filter(group_key=f"mid:bulk-{call_id}-0").first()).id
    await Receipt.bulk_create([
        Receipt(mailbox="mof", source=Source.IMAP, sha256=f"{call_id}{i:060d}", size=1000, archive_path="raw/x",
                received_at=T, time_source=TimeSource.IMAP_INTERNALDATE, imap_account="a", imap_folder="INBOX",
                imap_uidvalidity=1, imap_uid=i + 1 if call_id == "2023" else 10**6 + i,
                status=ReceiptStatus.PROCESSED, created_at=T, submission_id=first + i) for i in range(n)],
        batch_size=2000)


@pytest.mark.slow
async def test_over_32767_submissions_in_one_call(db, services):
    await _bulk_unrelated(services.call.id, N)
    await deliver(services, make_mail(message_id="<gd-big@x>", subject="广东省关于推荐示范项目的请示"), "mof",
                  DEADLINE - timedelta(hours=2))
    await deliver(services, make_mail(message_id="<who@x>", subject="材料", sender="someone@example.com"), "mof",
                  DEADLINE - timedelta(hours=1))
    assert await Submission.filter(call_id=services.call.id).count() == N + 2
    t0 = time.perf_counter()
    reg = await build_register(services.call, services.clock.now())
    took = time.perf_counter() - t0
    assert reg.unrelated == N and [u.subject for u in reg.unidentified] == ["材料"]
    assert reg.row("广东省").status == "filed" and reg.counts()["filed"] == 1
    assert (await compose.status_line(services, "广东省")) == "广东省：已申报（来源待核实）"   # an unregistered sender (policy 8)
    ov = await compose.overview(services)
    assert ov.counts["filed"] == 1 and ov.unidentified == 1
    d = await refresh_dossier(services, "广东省")
    assert d.n_submissions == 1 and d.status == "filed"
    assert [x.filename for x in await pending_documents(5)] == []
    digest = await collect_digest(services, services.settings.outgoing, services.clock.now())
    assert digest.counts["filed"] == 1 and digest.counts["unidentified"] == 1
    assert took < 5.0, f"register took {took:.2f}s with {N} unrelated submissions"
