"""Retry a database write on SQLite's ``database is locked`` and on transient connection errors."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, TypeVar

from tortoise.exceptions import DBConnectionError, OperationalError

T = TypeVar("T")
log = logging.getLogger("shenbao.db")
TRANSIENT = (OperationalError, DBConnectionError, ConnectionError, OSError)


def _transient(exc: BaseException) -> bool:
    text = str(exc).lower()
    if isinstance(exc, (DBConnectionError, ConnectionError)):
        return True
    return any(s in text for s in ("database is locked", "database table is locked", "connection", "terminating",
                                    "server closed", "cannot perform operation", "another operation is in progress"))


async def with_retry(fn: Callable[[], Awaitable[T]], *, attempts: int = 8, what: str = "db write") -> T:
    """Run ``fn`` and retry transient failures with backoff (0.05 s doubling, capped at 2 s)."""
    delay = 0.05
    for i in range(attempts):
        try:
            return await fn()
        except TRANSIENT as exc:
            if i == attempts - 1 or not _transient(exc):
                raise
            log.warning("%s: transient database error (%s), retry %d", what, exc, i + 1)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")
