"""The fault suite runs its network/process faults on SQLite (the fault is in the transport, not the
database); database faults (PostgreSQL restart, SQLite locked) start their own servers explicitly."""
import pytest


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite://{tmp_path}/shenbao.sqlite3"
