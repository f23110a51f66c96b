"""Append to and verify the hash-chained audit log (``shenbao audit verify``).

Each entry's hash covers the previous one; when a signer is installed (``set_signer``, done by every entry
point with the server key of ``core.signing``) each hash is also signed, so a database-only attacker can
neither append a correctly chained forgery nor rewrite the chain. ``core.audit_check`` verifies all of it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.audit import AuditEntry
from models.retry import with_retry

GENESIS = "0" * 64
_signer = None          # callable(bytes) -> base64 signature, or None (unsigned entries)


def set_signer(signer) -> None:
    """Install the process's signer (``lambda data: core.signing.sign(key, data)``); None removes it."""
    global _signer
    _signer = signer


def entry_hash(prev_hash: str, at: datetime, actor: str, action: str, target: str | None, detail) -> str:
    stamp = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
    body = json.dumps([prev_hash, stamp, actor, action, target, detail], ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


async def append_once(*, at: datetime, actor: str, action: str, target: str | None = None,
                      detail=None) -> AuditEntry:
    """One try (for use inside a caller's transaction): raises IntegrityError when another writer took the tip."""
    last = await AuditEntry.all().order_by("-id").first()
    prev = last.hash if last else GENESIS
    h = entry_hash(prev, at, actor, action, target, detail)
    return await AuditEntry.create(at=at, actor=actor, action=action, target=target, detail=detail,
                                   prev_hash=prev, hash=h, sig=_signer(h.encode()) if _signer else None)


async def append(*, at: datetime, actor: str, action: str, target: str | None = None, detail=None) -> AuditEntry:
    """Append one entry; a concurrent writer makes the unique prev_hash fail and we re-read the tip."""
    async def once() -> AuditEntry:
        for _ in range(20):
            try:
                async with in_transaction():       # a savepoint inside the caller's transaction: a lost race
                    return await append_once(at=at, actor=actor, action=action, target=target, detail=detail)
            except IntegrityError:                 # rolls back only this insert, and we read the new tip
                continue
        raise RuntimeError("audit log: could not append after 20 tries")
    return await with_retry(once, what="audit append")


async def verify() -> tuple[bool, int, str]:
    """Walk the chain; return (ok, entries checked, first problem or '')."""
    prev = GENESIS
    n = 0
    async for e in AuditEntry.all().order_by("id"):
        n += 1
        if e.prev_hash != prev:
            return False, n, f"entry {e.id}: prev_hash does not match entry before it"
        if entry_hash(e.prev_hash, e.at, e.actor, e.action, e.target, e.detail) != e.hash:
            return False, n, f"entry {e.id}: content does not match its hash (altered)"
        prev = e.hash
    return True, n, ""


def receipt_detail(r) -> dict:
    """What the chain holds of a receipt (``receipt_recorded``): editing any of it in the receipt row shows."""
    return {"mailbox": r.mailbox, "sha256": r.sha256, "size": r.size, "source": str(r.source),
            "received_at": r.received_at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
            "time_source": str(r.time_source), "imap_folder": r.imap_folder, "imap_uidvalidity": r.imap_uidvalidity,
            "imap_uid": r.imap_uid}
