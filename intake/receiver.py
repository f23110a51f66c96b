"""receiver.accept: the only write path shared by SMTP, IMAP and import. Durable first, idempotent."""
from __future__ import annotations

import asyncio
import logging
from datetime import timezone
from typing import Awaitable, Callable

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from config.clock import Clock
from core import metrics
from core.archive import Archive, StorageUnavailable, digest
from intake.envelope import RawMail
from intake.faults import pause_point
from intake.priority import GATE
from intake.write_baton import BATON
from models import audit_log
from models.receipt import Receipt
from models.retry import with_retry
from precheck.mailtext import one_line

log = logging.getLogger("shenbao.intake.receipt")


class Receiver:
    """Write raw bytes to the archive (fsynced), then commit the receipt row; dedupe per mailbox."""

    def __init__(self, archive: Archive, clock: Clock, on_new: Callable[[int], None] | None = None, *,
                 on_alert: Callable[[str, str, dict], Awaitable[None]] | None = None):
        self.archive = archive
        self.clock = clock
        self.on_new = on_new
        self.on_alert = on_alert            # async (kind, text, detail): officers are told once per outage
        self.storage_down_since = None

    async def _storage_failed(self, exc: StorageUnavailable, mail: RawMail) -> None:
        await self.storage_failed(exc, mail.source, mail.mailbox)

    async def storage_failed(self, exc: StorageUnavailable, source: str, mailbox: str) -> None:
        """Log, and alert the officers once per outage. Also called by a transport whose own spool write
        failed before the mail reached ``accept`` (the IMAP watcher streaming a large message)."""
        log.error("storage unavailable, %s mail for %s not accepted (sender/server will retry): %s",
                  source, mailbox, exc)
        if self.storage_down_since is not None:
            return
        self.storage_down_since = self.clock.now()
        if self.on_alert is not None:
            try:
                await self.on_alert("storage_unavailable",
                                    f"收件存储不可用（{exc}），新邮件暂未入账；邮件未被消费，恢复后自动补收。",
                                    {"account": "archive", "new": self.storage_down_since.isoformat()})
            except Exception:
                log.exception("could not record the storage alert")

    def _storage_ok(self) -> None:
        if self.storage_down_since is not None:
            log.warning("storage available again (down since %s)", self.storage_down_since.isoformat())
            self.storage_down_since = None

    async def _existing(self, mail: RawMail, sha: str) -> Receipt | None:
        """The receipt ``mail.mailbox`` has for these bytes, else for this IMAP UID — one query (both pairs are
        unique, so at most two rows)."""
        match = Q(sha256=sha)
        if mail.imap_uid is not None:
            match |= Q(imap_uidvalidity=mail.imap_uidvalidity, imap_uid=mail.imap_uid)
        rows = await Receipt.filter(Q(mailbox=mail.mailbox) & match).order_by("id")
        return next((r for r in rows if r.sha256 == sha), rows[0] if rows else None)

    async def _existing_all(self, mails: list[RawMail], shas: list[str]) -> list[Receipt | None]:
        return [await self._existing(mail, sha) for mail, sha in zip(mails, shas)]

    async def accept_many(self, mails: list[RawMail], *, also: Callable[[], Awaitable[None]] | None = None
                          ) -> list[tuple[Receipt, bool]]:
        """``accept`` for a batch (an IMAP FETCH of up to 20 messages, or one large message the watcher streamed
        to a spool file, which is renamed into the archive): the files are written and fsynced
        concurrently with one directory fsync per directory, then every receipt row — and ``also`` (the
        watcher's cursor) — is committed in ONE transaction. Durable first as ``accept``: nothing is
        committed before every file is on disk. A conflict (the same bytes arrived by SMTP meanwhile) rolls
        the batch back and falls back to ``accept`` one by one, which resolves it."""
        if not mails:
            return []
        async with GATE.recording():
            return await self._accept_many(mails, also)

    async def _accept_many(self, mails: list[RawMail], also: Callable[[], Awaitable[None]] | None
                           ) -> list[tuple[Receipt, bool]]:
        for _ in mails:
            await pause_point("before_archive")
        shas = await asyncio.to_thread(lambda: [m.spooled.sha256 if m.spooled is not None else digest(m.raw)
                                                for m in mails])
        # look first, outside the transaction (SQLite: a transaction that reads before it writes is told
        # "database is locked" at once by a busy writer instead of waiting its busy timeout) — and while the
        # files are written: the lookup needs only the digests
        looked = [asyncio.ensure_future(self._existing_all(mails, shas))]
        try:
            stored = await asyncio.gather(*(
                asyncio.to_thread(self.archive.put_spooled, m.spooled, "raw", ".eml") if m.spooled is not None
                else asyncio.to_thread(self.archive.put, m.raw, "raw", ".eml", sync_dir=False, sha256=sha)
                for m, sha in zip(mails, shas)))
        except StorageUnavailable as exc:
            await asyncio.gather(*looked, return_exceptions=True)
            await self._storage_failed(exc, mails[0])
            raise
        await pause_point("after_archive")
        dirs_synced = self._sync_dirs([rel for _, rel in stored])

        async def insert_all() -> list[tuple[Receipt, bool]]:
            # the lookup begun with the writes; a retry (a transient database error) looks again
            found = await (looked.pop() if looked else self._existing_all(mails, shas))
            out = []
            made: dict[tuple[str, str], Receipt] = {}      # a batch may hold byte-identical copies: one receipt
            async with BATON.held(), in_transaction():
                for mail, (sha, rel), existing in zip(mails, stored, found):
                    existing = existing or made.get((mail.mailbox, sha))
                    if existing is not None:
                        out.append((existing, False))
                        continue
                    made[(mail.mailbox, sha)] = r = await self._create(mail, sha, rel)
                    out.append((r, True))
                if also is not None:
                    await also()
                await dirs_synced                      # the files' directory entries durable before the commit
            return out
        try:
            results = await with_retry(insert_all, what="receipt batch insert")
        except StorageUnavailable as exc:
            await self._storage_failed(exc, mails[0])
            raise
        except IntegrityError:
            log.info("receipt batch of %d conflicted with a concurrent arrival; accepting one by one", len(mails))
            await dirs_synced
            results = [await self.accept(m) for m in mails]
            if also is not None:
                await with_retry(also, what="after receipt batch")
            return results
        except Exception as exc:  # database down, disk full under the DB, ...
            await asyncio.gather(*looked, return_exceptions=True)
            err = StorageUnavailable(f"receipts not committed: {type(exc).__name__}: {exc}")
            await self._storage_failed(err, mails[0])
            raise err from exc
        self._storage_ok()
        await pause_point("after_commit")
        for mail, (receipt, created) in zip(mails, results):
            self._recorded(mail, receipt, created)
        return results

    def _sync_dirs(self, rels: list[str]) -> asyncio.Future:
        """fsync the archive directories of ``rels`` (one per directory, concurrently) while the caller looks
        up and writes the receipt rows; the caller awaits it inside the transaction, before the commit: what
        is committed is durable, and the directory fsync no longer adds to the time a sender waits. (Its
        StorageUnavailable is raised where it is awaited, rolling the transaction back.)"""
        one_per_dir = list({rel.rsplit("/", 1)[0]: rel for rel in rels}.values())
        fut = asyncio.ensure_future(asyncio.gather(*(asyncio.to_thread(self.archive.sync_dirs, [r])
                                                     for r in one_per_dir)))
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())   # awaited; never "not retrieved"
        return fut

    async def _create(self, mail: RawMail, sha: str, rel: str, *, mailbox: str | None = None) -> Receipt:
        """The receipt row and its ``receipt_recorded`` entry in the hash chain, in the caller's transaction:
        no receipt without an anchor. Raises IntegrityError when the bytes or the chain's tip were taken."""
        r = await Receipt.create(
            mailbox=mailbox or mail.mailbox, source=mail.source, sha256=sha, size=mail.size, archive_path=rel,
            received_at=mail.received_at.astimezone(timezone.utc), time_source=mail.time_source,
            imap_account=mail.imap_account, imap_folder=mail.imap_folder,
            imap_uidvalidity=mail.imap_uidvalidity, imap_uid=mail.imap_uid,
            envelope_from=one_line(mail.envelope_from or "")[:512] or None,
            peer=one_line(mail.peer or "")[:255] or None, created_at=self.clock.now())
        await audit_log.append_once(at=r.created_at, actor="system:intake", action="receipt_recorded",
                                    target=r.ref, detail=audit_log.receipt_detail(r))
        return r

    def _recorded(self, mail: RawMail, receipt: Receipt, created: bool) -> None:
        metrics.counter("receipts_total", "arrivals recorded (duplicates counted apart)", source=str(mail.source),
                        outcome="new" if created else "duplicate").inc()
        if created:
            log.info("%s: recorded %s mail for %s, %d bytes, received_at %s (%s)", receipt.ref, mail.source,
                     receipt.mailbox, receipt.size, receipt.received_at.isoformat(), mail.time_source)
            if self.on_new:
                self.on_new(receipt.id)
        else:
            log.info("%s: duplicate %s delivery for %s ignored (sha256 %s)", receipt.ref, mail.source,
                     receipt.mailbox, receipt.sha256[:12])

    async def accept(self, mail: RawMail) -> tuple[Receipt, bool]:
        """Return ``(receipt, created)``. Raises StorageUnavailable if it could not be made durable."""
        return (await self.accept_copies(mail, [mail.mailbox]))[0]

    async def accept_copies(self, mail: RawMail, mailboxes: list[str]) -> list[tuple[Receipt, bool]]:
        """One message addressed to several mailboxes (an SMTP envelope naming both): the bytes are archived
        once and every mailbox's receipt is committed in ONE transaction with ONE ``received_at``, so a crash
        can never leave one mailbox recorded and the other stamped later at the client's retry.
        Return ``[(receipt, created)]`` in the order of ``mailboxes``. Raises StorageUnavailable."""
        async with GATE.recording():
            return await self._accept_copies(mail, mailboxes)

    async def _accept_copies(self, mail: RawMail, mailboxes: list[str]) -> list[tuple[Receipt, bool]]:
        await pause_point("before_archive")
        sha = mail.spooled.sha256 if mail.spooled is not None else await asyncio.to_thread(digest, mail.raw)

        async def look() -> dict[str, Receipt | None]:
            # Look first, outside the transaction: on SQLite a transaction that reads and then writes gets
            # "database is locked" at once from a busy writer instead of waiting its busy timeout.
            rows = await Receipt.filter(sha256=sha, mailbox__in=list(mailboxes))   # one query for every copy
            return {m: next((r for r in rows if r.mailbox == m), None) for m in mailboxes}
        looked = [asyncio.ensure_future(look())]          # while the file is written: it needs only the digest
        try:
            if mail.spooled is not None:
                sha, rel = await asyncio.to_thread(self.archive.put_spooled, mail.spooled, "raw", ".eml")
            else:
                sha, rel = await asyncio.to_thread(self.archive.put, mail.raw, "raw", ".eml", sync_dir=False,
                                                   sha256=sha)
        except StorageUnavailable as exc:
            await asyncio.gather(*looked, return_exceptions=True)
            await self._storage_failed(exc, mail)
            raise
        await pause_point("after_archive")
        dir_synced = self._sync_dirs([rel])

        async def insert() -> list[tuple[Receipt, bool]]:
            found = await (looked.pop() if looked else look())
            for _ in range(20):
                new: dict[str, Receipt] = {}
                try:
                    async with BATON.held(), in_transaction():
                        for i, mailbox in enumerate(m for m in mailboxes if found[m] is None):
                            if i:
                                await pause_point("between_copies")
                            new[mailbox] = await self._create(mail, sha, rel, mailbox=mailbox)
                        await dir_synced               # the file's directory entry durable before the commit
                except IntegrityError:
                    # the same bytes committed by a concurrent delivery, or another writer took the chain's tip
                    again = await look()
                    if all(r is not None for r in again.values()):
                        return [(again[m], False) for m in mailboxes]
                    found = again
                    continue
                return [(new[m], True) if m in new else (found[m], False) for m in mailboxes]
            raise StorageUnavailable("receipt not committed: the audit chain stayed contended for 20 tries")
        try:
            results = await with_retry(insert, what="receipt insert")
        except StorageUnavailable as exc:
            await self._storage_failed(exc, mail)
            raise
        except IntegrityError:
            raise
        except Exception as exc:  # database down, disk full under the DB, ...
            await asyncio.gather(*looked, return_exceptions=True)
            err = StorageUnavailable(f"receipt not committed: {type(exc).__name__}: {exc}")
            await self._storage_failed(err, mail)
            raise err from exc
        self._storage_ok()
        await pause_point("after_commit")
        for receipt, created in results:
            self._recorded(mail, receipt, created)
        return results
