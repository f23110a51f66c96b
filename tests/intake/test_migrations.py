"""Several processes starting together on a fresh database migrate once, without racing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("SHENBAO_TEST_PG")


def _urls(tmp_path):
    urls = [f"sqlite://{tmp_path}/race.sqlite3"]
    if PG_URL:
        urls.append("postgres")
    return urls


@pytest.mark.parametrize("backend", ["sqlite", "postgres"] if PG_URL else ["sqlite"])
def test_concurrent_migrations_do_not_race(tmp_path, backend):
    if backend == "sqlite":
        url = f"sqlite://{tmp_path}/race.sqlite3"
    else:
        import asyncio

        from tests.conftest import _pg_create
        name = asyncio.run(_pg_create())
        url = f"{PG_URL.rstrip('/')}/{name}"
    code = ("import asyncio, sys; from models import init_db, close_db\n"
            "async def m():\n    await init_db(sys.argv[1]); await close_db()\nasyncio.run(m())")
    procs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], "\n".join(errs)[-3000:]


async def test_models_and_migrations_agree(tmp_path):
    """Every model change has its migration: the autodetector finds nothing left to write (a helper who adds a
    field or an index without a migration breaks this, not a production database)."""
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.config import TortoiseConfig
    from tortoise.migrations.autodetector import MigrationAutodetector

    from models import tortoise_config

    config = TortoiseConfig.resolve_args(tortoise_config(f"sqlite://{tmp_path}/drift.sqlite3"), None).to_dict()
    apps = {label: dict(app) for label, app in config["apps"].items()}
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    assert [(w.name, [type(op).__name__ for op in w.operations]) for w in writers] == []


async def test_an_up_to_date_database_opens_without_the_migrator_and_a_behind_one_is_migrated(tmp_path, monkeypatch):
    """Read commands and ``shenbao ask`` open the database on every start: when every migration file is applied
    the migrator (its state replay costs ~0.1 s CPU) is not run; a database one migration behind still is."""
    import models
    from tortoise import connections

    url = f"sqlite://{tmp_path}/lazy.sqlite3"
    await models.init_db(url)                                  # new: migrated
    await models.close_db()
    calls = []
    real = models.migrate_db

    async def counting(db_url):
        calls.append(db_url)
        await real(db_url)

    monkeypatch.setattr(models, "migrate_db", counting)
    await models.init_db(url)
    await models.close_db()
    assert calls == []
    newest = max(models.known_migrations())
    await models.init_db(url, migrate=False)
    await connections.get("default").execute_script(f"DELETE FROM tortoise_migrations WHERE name = '{newest}'")
    await models.close_db()
    await models.init_db(url)
    _, rows = await connections.get("default").execute_query("SELECT name FROM tortoise_migrations")
    await models.close_db()
    assert calls == [url] and newest in {r["name"] for r in rows}
    assert len(models.known_migrations()) == len(list((ROOT / "models" / "migrations").glob("0*.py"))) >= 5


def test_tortoise_reads_no_model_source_at_import():
    """``_no_comments`` on every model: tortoise would otherwise read each model class's source (inspect) on every
    process start to look for "#:" field docs, which these models do not use."""
    code = ("import inspect; calls = []; real = inspect.getsource\n"
            "inspect.getsource = lambda o: (calls.append(o), real(o))[1]\n"
            "import models.receipt, models.submission, models.finding, models.dossier, models.audit, "
            "models.outbox, models.chat, models.schedule\n"
            "from tortoise.models import Model\n"
            "print(sum(1 for o in calls if isinstance(o, type) and issubclass(o, Model) and o is not Model))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
