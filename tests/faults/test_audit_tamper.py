"""Tamper evidence that proves something (issue 12 point 6): ``shenbao audit verify`` (the real CLI, another
process) against an attacker with SQL access to the database, on SQLite and PostgreSQL.

Tried: edit, delete and insert a row; delete the newest entries (truncation); a correctly chained forged
``override_status`` (unsigned, and signed with the attacker's own key); a rewrite of the whole chain; editing a
receipt's ``received_at`` (浙江 逾期 → 已申报); deleting and inserting receipts. The database itself refuses a fork.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tortoise import connections

from core import signing
from core.audit_check import record_tip_file
from core.vocabulary import Source, TimeSource
from intake.envelope import RawMail
from intake.receiver import Receiver
from models import audit_log
from models.audit import AuditEntry, AuditWitness
from models.receipt import Receipt
from tests.intake.mailmaker import make_mail

from fault_helpers import REPO

PG = os.environ.get("SHENBAO_TEST_PG")
DEADLINE_UTC = "2023-03-26 16:00:00"


@pytest.fixture(params=["sqlite", "postgres"] if PG else ["sqlite"])
def db_url(request, tmp_path):                      # this module runs on both databases
    return f"sqlite://{tmp_path}/audit.sqlite3" if request.param == "sqlite" else "postgres"


def verify_cli(url: str, services, *tips: str) -> tuple[int, str]:
    env = dict(os.environ, DATABASE_URL=url, SHENBAO_DATA_DIR=str(services.settings.data_dir))
    args = [a for t in tips for a in ("--tip", t)]
    r = subprocess.run([sys.executable, "-m", "cli.main", "audit", "verify", *args], env=env, cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


async def _chain(clock, n=6):
    for i in range(n):
        await audit_log.append(at=clock.now() + timedelta(minutes=i), actor=f"officer:tg:{9000 + i}",
                               action="assign", target=f"S{i:06d}", detail={"province": "湖北省", "i": i})


async def _sql(sql: str) -> None:
    await connections.get("default").execute_script(sql)


async def _tip() -> str:
    last = await AuditEntry.all().order_by("-id").first()
    return f"{await AuditEntry.all().count()}:{last.hash}"


async def _witness(services, tip: str) -> None:
    """What a sent digest leaves behind (bot.digest.job.queue_digest): a witness row and the tips file line."""
    n, h = tip.split(":")
    await AuditWitness.create(at=services.clock.now(), entries=int(n), hash=h, via="digest:test")
    record_tip_file(services.settings.data_dir, int(n), h, "digest:test", services.clock.now().isoformat())


async def _rewrite_from(index: int, key=None) -> None:
    """The attacker recomputes every hash from entry ``index`` on (consistent chain), optionally signing."""
    rows = await AuditEntry.all().order_by("id")
    prev = rows[index - 1].hash if index else audit_log.GENESIS
    for e in rows[index:]:
        h = audit_log.entry_hash(prev, e.at, e.actor, e.action, e.target, e.detail)
        sig = signing.sign(key, h.encode()) if key else None
        await AuditEntry.filter(id=e.id).update(prev_hash=f"tmp{e.id:061d}", hash=f"tmp{e.id:061d}h"[:64])
        await AuditEntry.filter(id=e.id).update(prev_hash=prev, hash=h, sig=sig)
        prev = h


@pytest.mark.parametrize("tamper", ["none", "edit", "delete", "insert", "truncate", "forged_override",
                                    "forged_override_own_key", "rewrite_all"])
async def test_audit_verify_detects_tampering(db, services, clock, tamper):
    await _chain(clock)
    ids = await AuditEntry.all().order_by("id").values_list("id", flat=True)
    third = ids[2]
    await _witness(services, await _tip())          # the morning digest went out with this tip
    recipient_tip = await _tip()
    expect = None
    if tamper == "edit":
        await _sql(f"UPDATE audit_entry SET actor = 'officer:tg:1' WHERE id = {third}")
        expect = f"entry {third}: content does not match"
    elif tamper == "delete":
        await _sql(f"DELETE FROM audit_entry WHERE id = {third}")
        expect = f"entry {ids[3]}: prev_hash does not match"
    elif tamper == "insert":
        last = await AuditEntry.get(id=ids[-1])
        forged_prev = "f" * 64                      # not the tip: the forger cannot extend the chain quietly
        h = audit_log.entry_hash(forged_prev, last.at, "officer:tg:1", "assign", "S999999", None)
        await AuditEntry.create(at=last.at, actor="officer:tg:1", action="assign", target="S999999",
                                detail=None, prev_hash=forged_prev, hash=h)
        expect = "prev_hash does not match"
    elif tamper == "truncate":                      # the newest entries go, and the witnesses the database held
        await _sql(f"DELETE FROM audit_entry WHERE id >= {ids[4]}")
        await _sql("DELETE FROM audit_witness")
        expect = "beyond the chain's 4 entries"
    elif tamper in ("forged_override", "forged_override_own_key"):
        last = await AuditEntry.get(id=ids[-1])
        detail = {"status": "filed", "previous": None, "reason": "补录"}
        h = audit_log.entry_hash(last.hash, last.at, "officer:tg:9000", "override_status", "浙江省", detail)
        own = Ed25519PrivateKey.generate()
        await AuditEntry.create(at=last.at, actor="officer:tg:9000", action="override_status", target="浙江省",
                                detail=detail, prev_hash=last.hash, hash=h,
                                sig=signing.sign(own, h.encode()) if tamper.endswith("own_key") else None)
        expect = "unsigned after signed entries" if tamper == "forged_override" else "signature does not verify"
    elif tamper == "rewrite_all":                   # entry 2 changed, the whole chain recomputed and re-signed
        await _sql(f"UPDATE audit_entry SET actor = 'officer:tg:1' WHERE id = {ids[1]}")
        await _rewrite_from(0, Ed25519PrivateKey.generate())
        expect = "signature does not verify"
    code, out = verify_cli(db, services)
    if tamper == "none":
        assert code == 0 and "audit log OK (6 entries)" in out and "2 个外部见证" in out, out          # the witness row and the tips file
        code, out = verify_cli(db, services, recipient_tip)
        assert code == 0 and "3 个外部见证" in out, out
        return
    assert code == 1, out
    assert "audit log TAMPERED" in out and "审计日志被改动" in out
    assert expect in out, out
    if tamper in ("truncate", "rewrite_all"):       # a recipient's copy of the digest catches it too
        await _sql("DELETE FROM audit_witness")
        (services.settings.data_dir / "audit-tips.jsonl").unlink()
        code, out = verify_cli(db, services, recipient_tip)
        assert code == 1 and "(--tip)" in out, out


async def _arrive(services, raw: bytes, mailbox: str, at) -> Receipt:
    r, _ = await Receiver(services.archive, services.clock).accept(
        RawMail(Source.IMAP, mailbox, raw, at, TimeSource.IMAP_INTERNALDATE, imap_account="a", imap_folder="INBOX",
                imap_uidvalidity=7, imap_uid=int(at.timestamp()) % 100000))
    return r


@pytest.mark.parametrize("tamper", ["received_at", "delete_receipt", "insert_receipt", "override_by_sql"])
async def test_receipts_and_overrides_are_in_the_chain(db, services, tamper):
    late = services.call.deadline + timedelta(hours=2)
    r = await _arrive(services, make_mail(message_id="<zj@x>", subject="浙江省申报"), "mof", late)
    await _arrive(services, make_mail(message_id="<gd@x>", subject="广东省申报"), "mof",
                  services.call.deadline - timedelta(hours=2))
    code, out = verify_cli(db, services)
    assert code == 0, out
    if tamper == "received_at":                     # 浙江 逾期 → 已申报, as an attacker would
        await _sql(f"UPDATE receipt SET received_at = '2023-03-26 15:30:00+00:00' WHERE id = {r.id}")
        expect = f"{r.ref}: receipt differs from the chain in received_at"
    elif tamper == "delete_receipt":
        await _sql(f"DELETE FROM receipt WHERE id = {r.id}")
        expect = f"{r.ref}: in the audit chain but the receipt row is gone"
    elif tamper == "insert_receipt":
        await Receipt.create(mailbox="mohrss", source="imap", sha256=r.sha256, size=r.size, archive_path=r.archive_path,
                             received_at=services.call.deadline - timedelta(hours=3), time_source="imap_internaldate",
                             created_at=services.clock.now())
        expect = "receipt not in the audit chain"
    else:
        from models.dossier import Dossier
        await Dossier.create(call_id=services.call.id, province="浙江省", status="filed", override_status="filed",
                             override_reason="补录", updated_at=services.clock.now())
        expect = "浙江省: override_status 'filed' was not set by an audited action"
    code, out = verify_cli(db, services)
    assert code == 1 and expect in out, out


async def test_a_fork_of_the_chain_is_refused_by_the_database(db, services, clock):
    """Two entries cannot claim the same predecessor (prev_hash is unique): no silent insertion mid-chain."""
    from tortoise.exceptions import IntegrityError

    await _chain(clock, 3)
    first = await AuditEntry.all().order_by("id").first()
    h = audit_log.entry_hash(first.hash, first.at, "intruder", "assign", "S1", None)
    with pytest.raises(IntegrityError):
        await AuditEntry.create(at=first.at, actor="intruder", action="assign", target="S1", detail=None,
                                prev_hash=first.hash, hash=h)
    assert (await audit_log.verify())[0]
