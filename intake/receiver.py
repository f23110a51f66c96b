"""receiver.accept: the only write path shared by SMTP, IMAP and import. Durable first, idempotent."""
from __future__ import annotations

import asyncio
import logging
from datetime import timezone
from typing import Callable

from tortoise.exceptions import IntegrityError

from config.clock import Clock
from intake.archive import Archive
from intake.envelope import RawMail
from intake.errors import StorageUnavailable
from intake.faults import pause_point
from models.receipt import Receipt
from models.retry import with_retry

log = logging.getLogger("shenbao.intake.receipt")


class Receiver:
    """Write raw bytes to the archive (fsynced), then commit the receipt row; dedupe per mailbox."""

    def __init__(self, archive: Archive, clock: Clock, on_new: Callable[[int], None] | None = None):
        self.archive = archive
        self.clock = clock
        self.on_new = on_new

    async def _existing(self, mail: RawMail, sha: str) -> Receipt | None:
        found = await Receipt.filter(mailbox=mail.mailbox, sha256=sha).first()
        if found is None and mail.imap_uid is not None:
            found = await Receipt.filter(mailbox=mail.mailbox, imap_uidvalidity=mail.imap_uidvalidity,
                                         imap_uid=mail.imap_uid).first()
        return found

    async def accept(self, mail: RawMail) -> tuple[Receipt, bool]:
        """Return ``(receipt, created)``. Raises StorageUnavailable if it could not be made durable."""
        await pause_point("before_archive")
        sha, rel = await asyncio.to_thread(self.archive.put, mail.raw, "raw", ".eml")
        await pause_point("after_archive")

        async def insert() -> tuple[Receipt, bool]:
            existing = await self._existing(mail, sha)
            if existing is not None:
                return existing, False
            try:
                r = await Receipt.create(
                    mailbox=mail.mailbox, source=mail.source, sha256=sha, size=len(mail.raw), archive_path=rel,
                    received_at=mail.received_at.astimezone(timezone.utc), time_source=mail.time_source,
                    imap_account=mail.imap_account, imap_folder=mail.imap_folder,
                    imap_uidvalidity=mail.imap_uidvalidity, imap_uid=mail.imap_uid,
                    envelope_from=(mail.envelope_from or "")[:512] or None, peer=mail.peer,
                    created_at=self.clock.now())
                return r, True
            except IntegrityError:
                existing = await self._existing(mail, sha)
                if existing is None:
                    raise
                return existing, False
        try:
            receipt, created = await with_retry(insert, what="receipt insert")
        except IntegrityError:
            raise
        except Exception as exc:  # database down, disk full under the DB, ...
            raise StorageUnavailable(f"receipt not committed: {type(exc).__name__}: {exc}") from exc
        await pause_point("after_commit")
        if created:
            log.info("%s: recorded %s mail for %s, %d bytes, received_at %s (%s)", receipt.ref, mail.source,
                     mail.mailbox, len(mail.raw), receipt.received_at.isoformat(), mail.time_source)
            if self.on_new:
                self.on_new(receipt.id)
        else:
            log.info("%s: duplicate %s delivery for %s ignored (sha256 %s)", receipt.ref, mail.source,
                     mail.mailbox, sha[:12])
        return receipt, created
