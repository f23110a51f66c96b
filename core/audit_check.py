"""``shenbao audit verify``: everything the record can be checked against, not only itself.

1. **Chain**: each entry hashes its content and the previous hash (an edited, deleted or inserted row shows).
2. **Signatures**: with the server's public key, every entry from the first signed one on must carry a valid
   Ed25519 signature of its hash — a database-only attacker can neither append a correctly chained forgery
   (a forged ``override_status``) nor rewrite the whole chain.
3. **Receipts**: every receipt has its ``receipt_recorded`` entry and agrees with it (mailbox, sha256, size,
   ``received_at``, time source, IMAP uid); every such entry still has its receipt. Editing ``received_at``
   (逾期 → 已申报) or deleting or adding a receipt by SQL shows.
4. **Overrides**: each dossier's ``override_status`` is the one its last ``override_status`` entry set.
5. **Witnesses**: tips that left the database — printed in sent digests (``audit_witness`` rows and
   ``<data>/audit-tips.jsonl``) or given as ``--tip N:HASH`` from a recipient's copy — must still be there: entry
   N has that hash. Deleting the newest entries (truncation) or rewriting the chain shows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from core import signing
from models.audit import AuditEntry, AuditWitness
from models.audit_log import GENESIS, entry_hash, receipt_detail
from models.dossier import Dossier
from models.receipt import Receipt

TIPS_FILE = "audit-tips.jsonl"


@dataclass
class AuditReport:
    entries: int = 0
    signed: int = 0
    receipts: int = 0
    witnesses: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_tip(text: str) -> tuple[int, str]:
    """``"1234:abcd…"`` (as printed in the digest) → ``(1234, "abcd…")``."""
    n, _, h = text.strip().partition(":")
    if not n.isdigit() or len(h.strip()) != 64:
        raise ValueError(f"a tip looks like 1234:<64 hex digits>, got {text!r}")
    return int(n), h.strip().lower()


def record_tip_file(data_dir: Path, entries: int, tip: str, via: str, at: str) -> None:
    """Append a witnessed tip to the data directory's tips file (outside the database)."""
    with open(Path(data_dir) / TIPS_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps({"entries": entries, "hash": tip, "via": via, "at": at}) + "\n")


def _file_tips(data_dir: Path | None) -> list[tuple[int, str, str]]:
    if data_dir is None or not (Path(data_dir) / TIPS_FILE).exists():
        return []
    out = []
    for line in (Path(data_dir) / TIPS_FILE).read_text(encoding="utf-8").splitlines():
        try:
            d = json.loads(line)
            out.append((int(d["entries"]), str(d["hash"]), f"file:{d.get('via', '')}"))
        except (ValueError, KeyError, TypeError):
            continue
    return out


async def verify_all(*, public_key: str | None, tips: list[tuple[int, str]] = (), data_dir: Path | None = None
                     ) -> AuditReport:
    rep = AuditReport()
    prev = GENESIS
    hashes: list[str] = []
    recorded: dict[str, dict] = {}
    overrides: dict[str, object] = {}
    seen_signed = False
    async for e in AuditEntry.all().order_by("id"):
        rep.entries += 1
        if e.prev_hash != prev:
            rep.problems.append(f"entry {e.id}: prev_hash does not match the entry before it (removed or inserted)")
        if entry_hash(e.prev_hash, e.at, e.actor, e.action, e.target, e.detail) != e.hash:
            rep.problems.append(f"entry {e.id}: content does not match its hash (altered)")
        if public_key:
            if e.sig:
                seen_signed = True
                if signing.verify(public_key, e.hash.encode(), e.sig):
                    rep.signed += 1
                else:
                    rep.problems.append(f"entry {e.id}: signature does not verify with the server key (forged)")
            elif seen_signed:
                rep.problems.append(f"entry {e.id}: unsigned after signed entries (written without the server key)")
        if e.action == "receipt_recorded" and e.target:
            if e.target in recorded:
                rep.problems.append(f"entry {e.id}: {e.target} recorded twice in the chain")
            recorded[e.target] = e.detail or {}
        if e.action == "override_status" and e.target:
            overrides[e.target] = (e.detail or {}).get("status")
        prev = e.hash
        hashes.append(e.hash)
    if public_key and rep.entries and not seen_signed:
        rep.problems.append("no entry carries a signature of the server key")
    elif public_key and rep.entries - rep.signed and not rep.problems:
        rep.notes.append(f"{rep.entries - rep.signed} entries before signing was enabled are unsigned")
    async for r in Receipt.all().order_by("id"):
        rep.receipts += 1
        want = recorded.pop(r.ref, None)
        if want is None:
            rep.problems.append(f"{r.ref}: receipt not in the audit chain (inserted outside the intake)")
            continue
        have = receipt_detail(r)
        changed = sorted(k for k in have if want.get(k) != have[k])
        if changed:
            rep.problems.append(f"{r.ref}: receipt differs from the chain in {', '.join(changed)} "
                                f"(chain: {', '.join(f'{k}={want.get(k)}' for k in changed)})")
    for ref in sorted(recorded):
        rep.problems.append(f"{ref}: in the audit chain but the receipt row is gone (deleted)")
    for d in await Dossier.all():
        if (d.override_status or None) != overrides.get(d.province):
            rep.problems.append(f"{d.province}: override_status {d.override_status!r} was not set by an audited "
                                f"action (the chain says {overrides.get(d.province)!r})")
    witnessed = [(w.entries, w.hash, f"digest {w.via}") for w in await AuditWitness.all().order_by("id")]
    witnessed += _file_tips(data_dir) + [(n, h, "--tip") for n, h in tips]
    for n, h, via in witnessed:
        rep.witnesses += 1
        if n < 1 or n > len(hashes):
            rep.problems.append(f"witnessed tip {n}:{h[:12]}… ({via}) is beyond the chain's {len(hashes)} entries "
                                "(entries were removed)")
        elif hashes[n - 1] != h:
            rep.problems.append(f"witnessed tip {n}:{h[:12]}… ({via}) does not match entry {n} "
                                f"({hashes[n - 1][:12]}…): the chain was rewritten")
    return rep
