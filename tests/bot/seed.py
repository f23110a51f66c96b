"""Real rows for the bot tests: submissions, receipts and documents stored like the pipeline does, then the real
submission findings and dossier refresh (the checks run) — the bot reads them through core.register."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from core.dossier import refresh_dossier
from core.submission_findings import refresh_submission_findings
from core.vocabulary import Source, TimeSource
from models.receipt import Receipt
from models.submission import Document, Submission

ON_TIME = datetime(2023, 3, 25, 6, 30, tzinfo=timezone.utc)      # 2023-03-25 14:30 Beijing
LATE = datetime(2023, 3, 27, 1, 0, tzinfo=timezone.utc)          # 2023-03-27 09:00 Beijing


async def add_submission(services, province: str | None, *, at: datetime, mailboxes=("mof", "mohrss"),
                         docs: list[tuple[str, str, int]] = (), subject: str = "", n: int = 0) -> Submission:
    call = services.call
    key = f"{province}-{at.isoformat()}-{n}"
    sub = await Submission.create(call_id=call.id, group_key=f"mid:<{key}@test>", message_id=f"<{key}@test>",
                                  sender=f"sender{n}@example.gov.cn", subject=subject or f"{province or ''}申报材料",
                                  province=province, attribution={"method": "subject" if province else "none",
                                                                  "evidence": {}},
                                  first_received_at=at, on_time=call.is_on_time(at), created_at=at, updated_at=at)
    for i, mb in enumerate(mailboxes):
        sha = hashlib.sha256(f"{key}:{mb}".encode()).hexdigest()
        await Receipt.create(mailbox=mb, source=Source.IMPORT, sha256=sha, size=1000, archive_path=f"raw/{sha}",
                             received_at=at + timedelta(seconds=7 * i), time_source=TimeSource.IMAP_INTERNALDATE,
                             created_at=at, message_id=sub.message_id, subject=sub.subject, sender=sub.sender,
                             status="processed", submission=sub)
    for fname, kind, pages in docs:
        sha = hashlib.sha256(f"{key}:{fname}".encode()).hexdigest()
        await Document.create(submission=sub, filename=fname, content_type="application/pdf", sha256=sha, size=1000,
                              archive_path=f"files/{sha}", kind=kind, kind_source="filename", kind_confidence=0.9,
                              pages=pages, page_detail={"arithmetic": f"{pages} × A4"}, analysis={"is_scan": True},
                              created_at=at)
    await refresh_submission_findings(services, sub)
    if province:
        await refresh_dossier(services, province)
    return sub


FULL = [("广东省申报文件.pdf", "cover_letter", 3), ("实施方案.pdf", "plan", 12), ("资金预算表.pdf", "budget", 2),
        ("绩效目标表.pdf", "performance_targets", 1), ("佐证材料.pdf", "evidence", 5)]


async def seed(services) -> dict:
    """广东 filed (plan over the page limit), 湖南 filed in one mailbox with documents missing, 河北 late,
    and one unidentified submission."""
    gd = await add_submission(services, "广东省", at=ON_TIME, docs=FULL, n=1)
    hn = await add_submission(services, "湖南省", at=ON_TIME + timedelta(hours=1), mailboxes=("mof",),
                              docs=[("湖南省请示.pdf", "cover_letter", 2), ("湖南实施方案.pdf", "plan", 8)], n=2)
    hb = await add_submission(services, "河北省", at=LATE, docs=FULL, n=3)
    un = await add_submission(services, None, at=ON_TIME + timedelta(hours=2), subject="申报材料（见附件）",
                              docs=[("材料.pdf", "other", 4)], n=4)
    return {"广东省": gd, "湖南省": hn, "河北省": hb, "unidentified": un}


async def seed_all(services) -> None:
    """Every unit of the call filed with the full set (for the benchmark: 37 provinces' worth of rows)."""
    for i, p in enumerate(services.call.provinces):
        await add_submission(services, p.name, at=ON_TIME + timedelta(minutes=i), docs=FULL, n=100 + i)
