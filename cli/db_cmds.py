"""CLI: ``migrate`` — apply the built-in tortoise migrations (the Procfile's release step)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("migrate", help="apply database migrations (SQLite or PostgreSQL from DATABASE_URL)")
    p.set_defaults(func=cmd_migrate, creates_db=True)


def redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


async def cmd_migrate(args, services: Services) -> int:
    from tortoise import Tortoise

    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query_dict("SELECT name FROM tortoise_migrations ORDER BY name") \
        if await _has_table(conn) else []
    print(f"database {redact(services.settings.database_url)} is up to date "
          f"({len(rows)} migration(s) applied: {', '.join(r['name'] for r in rows) or '—'})")
    from core.province_state import rebuild_state

    stale = await rebuild_state(services, only_stale=True)      # a release that changed the register row
    if stale:
        print(f"kept province state stored for {len(stale)} unit(s)")
    return 0


async def _has_table(conn) -> bool:
    try:
        await conn.execute_query("SELECT 1 FROM tortoise_migrations LIMIT 1")
        return True
    except Exception:
        return False
