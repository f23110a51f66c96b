"""Read a running intake's SQLite database from outside its process (tests and benchmarks)."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def query(db: Path, sql: str, params=(), timeout: float = 10) -> list:
    """Rows of ``sql``, or ``[]`` while the database or its tables do not exist yet."""
    if not Path(db).exists():
        return []
    con = sqlite3.connect(db, timeout=timeout)
    try:
        return con.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def rows(data: Path, sql: str, params=()) -> list:
    """``query`` on the data directory's default database."""
    return query(Path(data) / "shenbao.sqlite3", sql, params)
