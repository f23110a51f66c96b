"""Fixtures for the pre-check tests: the 2023 call, a SQLite database (until the shared conftest has one)."""
from __future__ import annotations

import pytest
import pytest_asyncio

from config.call import load_call


@pytest.fixture(scope="session")
def call():
    return load_call("2023")


@pytest_asyncio.fixture
async def checks_db(tmp_path):
    from tortoise import Tortoise

    from models import close_db, tortoise_config

    await Tortoise.init(config=tortoise_config(f"sqlite://{tmp_path}/checks.sqlite3"))
    await Tortoise.generate_schemas()
    yield
    await close_db()
