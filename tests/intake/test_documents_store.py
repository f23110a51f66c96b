"""Storing documents: the same file twice in one submission (e.g. two folders of a zip) is kept, not a crash."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone

from intake.envelope import RawMail
from intake.receiver import Receiver
from intake.worker import Worker
from core.vocabulary import Source, TimeSource
from models.receipt import Receipt
from models.submission import Document

from .mailmaker import make_mail


async def test_zip_with_the_same_file_twice(db, services):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/佐证材料.txt", "同一文件")
        z.writestr("b/佐证材料.txt", "同一文件")
    raw = make_mail(message_id="<zip2@x>", subject="福建省申报", attachments=[("材料.zip", buf.getvalue())])
    worker = Worker(services)
    r, _ = await Receiver(services.archive, services.clock, worker.submit).accept(RawMail(
        Source.SMTP, "mof", raw, datetime(2023, 3, 26, 12, tzinfo=timezone(timedelta(hours=8))),
        TimeSource.SMTP_END_OF_DATA))
    await worker.drain()
    assert (await Receipt.get(id=r.id)).status == "processed"
    docs = await Document.all()
    assert len([d for d in docs if "佐证材料" in d.filename]) == 2
