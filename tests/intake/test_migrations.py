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
