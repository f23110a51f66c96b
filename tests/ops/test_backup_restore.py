"""``shenbao backup`` / ``shenbao restore`` as an administrator runs them (subprocesses), on SQLite and on the
real PostgreSQL: mail ingested through the real pipeline, a backup taken, restored into a fresh data
directory / database, and verified — the register is the same, the audit chain holds, an evidence zip
exported after the restore verifies (and so does one exported before the backup); a corrupted backup is
refused by name."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.conftest import PG_URL
from tests.demo.helpers import clean_env, shenbao
from tests.intake.mailmaker import make_mail


def _backends():
    return ["sqlite", "postgres"] if PG_URL else ["sqlite"]


@pytest.fixture(params=_backends())
def backend(request):
    if request.param == "sqlite":
        yield "sqlite", {}, {}
        return
    import asyncio

    from tests.conftest import _pg_create, _pg_drop

    a, b = asyncio.run(_pg_create()), asyncio.run(_pg_create())
    base = PG_URL.rstrip("/")
    try:
        yield "postgres", {"DATABASE_URL": f"{base}/{a}"}, {"DATABASE_URL": f"{base}/{b}"}
    finally:
        asyncio.run(_pg_drop(a))
        asyncio.run(_pg_drop(b))


def run(data: Path, *args: str, env: dict) -> object:
    p = shenbao("--data-dir", str(data), *args, env=clean_env(**env), timeout=240)
    assert "Traceback" not in p.stderr, p.stderr[-3000:]
    return p


def _register(data: Path, env: dict) -> dict:
    p = run(data, "register", "--json", env=env)
    assert p.returncode == 0, p.stderr
    j = json.loads(p.stdout)
    j.pop("generated_at")
    return j


def test_backup_restore_verify_with_evidence(tmp_path, backend):
    kind, env_a, env_b = backend
    a, b, dest = tmp_path / "a", tmp_path / "b", tmp_path / "backups"
    dest.mkdir()
    mails = []
    for i, (prov, box) in enumerate([("广西壮族自治区", "mof"), ("广西壮族自治区", "mohrss"), ("甘肃省", "mof")]):
        eml = tmp_path / f"m{i}.eml"
        eml.write_bytes(make_mail(message_id=f"<m{i % 2 if prov.startswith('广西') else i}-{uuid.uuid4().hex[:6]}@x>",
                                  subject=f"{prov}关于推荐示范项目的请示",
                                  attachments=[("实施方案.pdf", b"%PDF-1.4\n%" + str(i).encode() + b"\n")]))
        mails.append(eml)
        p = run(a, "ingest", str(eml), "--mailbox", box, "--received-at", f"2023-03-2{4 + i} 10:00", env=env_a)
        assert p.returncode == 0, p.stderr
    before = run(a, "evidence", "广西", "-o", str(tmp_path / "before.zip"), env=env_a)
    assert before.returncode == 0, before.stderr
    reg_a = _register(a, env_a)
    assert {r["province"]: r["status"] for r in reg_a["provinces"]}["甘肃省"] == "filed"

    p = run(a, "backup", str(dest), "--json", env=env_a)
    assert p.returncode == 0, p.stderr
    info = json.loads(p.stdout)
    folder = Path(info["path"])
    assert info["database"] == kind and info["counts"]["receipts"] == 3
    assert (folder / info["database_file"]).stat().st_size > 0
    assert len(list((folder / "files" / "archive").rglob("*"))) >= 4          # raw mail and attachments

    assert run(b, "register", env=env_b).returncode == 2                       # nothing there yet
    p = run(b, "restore", str(folder), "--json", env=env_b)
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads(p.stdout)
    assert r["ok"] and r["verify"]["problems"] == [] and r["verify"]["files_checked"] >= 6
    assert r["counts"] == info["counts"]

    assert _register(b, env_b) == reg_a
    v = run(b, "audit", "verify", env=env_b)
    assert v.returncode == 0 and "审计日志完整" in v.stdout
    assert run(b, "evidence-verify", str(tmp_path / "before.zip"), env=env_b).returncode == 0
    after = run(b, "evidence", "广西壮族自治区", "-o", str(tmp_path / "after.zip"), env=env_b)
    assert after.returncode == 0, after.stderr
    ok = run(b, "evidence-verify", str(tmp_path / "after.zip"), env=env_b)
    assert ok.returncode == 0 and "证据包完整" in ok.stdout

    again = run(b, "restore", str(folder), env=env_b)                          # never overwrite by accident
    assert again.returncode == 2 and ("--force" in again.stderr)

    victim = next(p for p in (folder / "files" / "archive").rglob("*") if p.is_file() and "raw" in p.parts)
    victim.write_bytes(victim.read_bytes() + b"tampered")
    c = tmp_path / "c"
    env_c = env_b if kind == "sqlite" else env_b
    p = run(c, "restore", str(folder), "--force", "--json", env=env_c)
    assert p.returncode == 1
    assert any("sha256 不符" in x for x in json.loads(p.stdout)["verify"]["problems"])


def test_a_tampered_database_copy_is_refused(tmp_path):
    a, dest = tmp_path / "a", tmp_path / "backups"
    dest.mkdir()
    assert run(a, "migrate", env={}).returncode == 0
    p = run(a, "backup", str(dest), "--json", env={})
    folder = Path(json.loads(p.stdout)["path"])
    db = folder / "database.sqlite3"
    db.write_bytes(db.read_bytes()[:-1] + b"\x01")
    p = run(tmp_path / "b", "restore", str(folder), env={})
    assert p.returncode == 2 and "sha256 不符" in p.stderr
    p = run(a, "backup", str(a / "inside"), env={})
    assert p.returncode == 2 and "数据目录" in p.stderr
