"""The audit log is hash-chained: ``shenbao audit verify`` (the real CLI, a separate process) detects an
edited, a deleted and an inserted row, on SQLite and on PostgreSQL; the database itself refuses a fork."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from tortoise import connections

from models import audit_log
from models.audit import AuditEntry

from fault_helpers import REPO

PG = os.environ.get("SHENBAO_TEST_PG")


@pytest.fixture(params=["sqlite", "postgres"] if PG else ["sqlite"])
def db_url(request, tmp_path):                      # this module runs on both databases
    return f"sqlite://{tmp_path}/audit.sqlite3" if request.param == "sqlite" else "postgres"


def verify_cli(url: str, tmp_path) -> tuple[int, str]:
    env = dict(os.environ, DATABASE_URL=url, SHENBAO_DATA_DIR=str(tmp_path / "cli-data"))
    r = subprocess.run([sys.executable, "-m", "cli.main", "audit", "verify"], env=env, cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


async def _chain(clock, n=6):
    for i in range(n):
        await audit_log.append(at=clock.now() + timedelta(minutes=i), actor=f"officer:tg:{9000 + i}",
                               action="assign", target=f"S{i:06d}", detail={"province": "湖北省", "i": i})


async def _sql(sql: str) -> None:
    await connections.get("default").execute_script(sql)


@pytest.mark.parametrize("tamper", ["none", "edit", "delete", "insert"])
async def test_audit_verify_detects_tampering(db, clock, tmp_path, tamper):
    await _chain(clock)
    ids = await AuditEntry.all().order_by("id").values_list("id", flat=True)
    third = ids[2]
    if tamper == "edit":
        await _sql(f"UPDATE audit_entry SET actor = 'officer:tg:1' WHERE id = {third}")
    elif tamper == "delete":
        await _sql(f"DELETE FROM audit_entry WHERE id = {third}")
    elif tamper == "insert":
        last = await AuditEntry.get(id=ids[-1])
        forged_prev = "f" * 64                      # not the tip: the forger cannot extend the chain quietly
        h = audit_log.entry_hash(forged_prev, last.at, "officer:tg:1", "assign", "S999999", None)
        await AuditEntry.create(at=last.at, actor="officer:tg:1", action="assign", target="S999999",
                                detail=None, prev_hash=forged_prev, hash=h)
    code, out = verify_cli(db, tmp_path)
    if tamper == "none":
        assert code == 0 and "audit log OK (6 entries)" in out, out
        return
    assert code == 1, out
    assert "audit log TAMPERED" in out and "审计日志被改动" in out
    expect = {"edit": f"entry {third}: content does not match",
              "delete": f"entry {ids[3]}: prev_hash does not match",
              "insert": "prev_hash does not match"}[tamper]
    assert expect in out, out


async def test_a_fork_of_the_chain_is_refused_by_the_database(db, clock):
    """Two entries cannot claim the same predecessor (prev_hash is unique): no silent insertion mid-chain."""
    from tortoise.exceptions import IntegrityError

    await _chain(clock, 3)
    first = await AuditEntry.all().order_by("id").first()
    h = audit_log.entry_hash(first.hash, first.at, "intruder", "assign", "S1", None)
    with pytest.raises(IntegrityError):
        await AuditEntry.create(at=first.at, actor="intruder", action="assign", target="S1", detail=None,
                                prev_hash=first.hash, hash=h)
    assert (await audit_log.verify())[0]
