"""Shared fixtures: the call, an injected clock, databases (SQLite, and the PostgreSQL that
scripts/test.sh starts), services, and a real Dovecot IMAP server on 127.0.0.1."""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

import pytest
import pytest_asyncio
from hypothesis import settings as hypothesis_settings

from config.call import load_call
from config.clock import FixedClock
from config.settings import load_settings
from core.archive import Archive
from core.services import Services

from tests_support.dovecot import dovecot_server  # noqa: F401  (session fixture)

# The suite's property tests are reproducible run to run (same examples); long exploratory runs are
# scripts/fuzz.sh. HYPOTHESIS_PROFILE=explore gives random examples locally.
hypothesis_settings.register_profile("suite", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

PG_URL = os.environ.get("SHENBAO_TEST_PG")   # e.g. postgres://postgres@127.0.0.1:55432  (set by scripts/test.sh)
T_BEFORE = datetime(2023, 3, 26, 15, 0, 0, tzinfo=timezone.utc)  # 2023-03-26 23:00 Beijing


@pytest.fixture(scope="session")
def call2023():
    return load_call("2023")


@pytest.fixture
def clock():
    return FixedClock(T_BEFORE)


async def _pg_create() -> str:
    import asyncpg

    name = "shenbao_test_" + uuid.uuid4().hex[:12]
    conn = await asyncpg.connect(PG_URL.rstrip("/") + "/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def _pg_drop(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.rstrip("/") + "/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _backends():
    if PG_URL:
        return ["sqlite", "postgres"]
    if os.environ.get("CI"):
        raise RuntimeError("SHENBAO_TEST_PG is not set: run the tests through scripts/test.sh")
    return ["sqlite"]


@pytest.fixture(params=_backends())
def db_url(request, tmp_path):
    """A fresh database URL per test: SQLite file, and (via scripts/test.sh) a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite://{tmp_path}/shenbao.sqlite3"
    return "postgres"


_TEMPLATES: dict[str, str] = {}        # backend -> a database with every migration applied, made once a session


async def _template(backend: str, tmp_path_factory) -> str:
    """Migrating costs ~1 s on SQLite and ~1.7 s on PostgreSQL, and some 600 tests open a fresh database: the
    migrations run once into a template (tests/intake/test_migrations.py still runs them from scratch), and each
    test starts from a copy — PostgreSQL's CREATE DATABASE … TEMPLATE, a file copy for SQLite."""
    from models import close_db, init_db

    if backend not in _TEMPLATES:
        if backend == "postgres":
            name = await _pg_create()
            await init_db(f"{PG_URL.rstrip('/')}/{name}")
            _TEMPLATES[backend] = name
        else:
            path = tmp_path_factory.mktemp("db-template") / "template.sqlite3"
            await init_db(f"sqlite://{path}")
            _TEMPLATES[backend] = str(path)
        await close_db()
    return _TEMPLATES[backend]


def pytest_sessionfinish(session):
    if "postgres" in _TEMPLATES:
        import asyncio

        asyncio.run(_pg_drop(_TEMPLATES.pop("postgres")))


@pytest_asyncio.fixture
async def db(db_url, tmp_path_factory):
    """An initialised database (built-in migrations applied) in this test's event loop."""
    import shutil

    from tortoise.backends.base import executor

    from models import close_db, init_db

    # tortoise caches compiled INSERTs per connection *name*, not per dialect: a SQLite-built
    # statement would be reused against PostgreSQL in the same test process. One backend per
    # process in production, so only the tests need this.
    executor.EXECUTOR_CACHE.clear()
    pg_name = None
    url = db_url
    if db_url == "postgres":
        template = await _template("postgres", tmp_path_factory)
        pg_name = "shenbao_test_" + uuid.uuid4().hex[:12]
        import asyncpg

        conn = await asyncpg.connect(PG_URL.rstrip("/") + "/postgres")
        try:
            await conn.execute(f'CREATE DATABASE "{pg_name}" TEMPLATE "{template}"')
        finally:
            await conn.close()
        url = f"{PG_URL.rstrip('/')}/{pg_name}"
    else:
        target = db_url.removeprefix("sqlite://")
        if not os.path.exists(target):
            shutil.copyfile(await _template("sqlite", tmp_path_factory), target)
    await init_db(url)                   # finds every migration applied: a few ms
    try:
        yield url
    finally:
        await close_db()
        if pg_name:
            await _pg_drop(pg_name)


@pytest.fixture
def sqlite_only_db_url(tmp_path):
    return f"sqlite://{tmp_path}/shenbao.sqlite3"


@pytest.fixture
def services(tmp_path, clock, call2023):
    from cli.runtime import install_signing_key
    from models import audit_log

    env = {"SHENBAO_DATA_DIR": str(tmp_path / "data")}
    settings = load_settings(env)
    key = install_signing_key(settings)                # the server key of this data dir; audit entries signed
    yield Services(settings=settings, call=call2023, clock=clock, archive=Archive(tmp_path / "data" / "archive"),
                   dns_txt=no_dns, signing_key=key)
    audit_log.set_signer(None)


def no_dns(name: bytes, timeout: float = 5) -> None:
    """Offline DNS for tests: no TXT record anywhere (tests that sign mail pass tests_support.dkimkeys.Resolver)."""
    return None
