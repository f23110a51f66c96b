"""Database models (tortoise-orm) shared by the intake and bot processes, plus init/migrate helpers."""
from __future__ import annotations

from tortoise import Tortoise

MODEL_MODULES = ["models.receipt", "models.submission", "models.finding", "models.dossier", "models.audit",
                 "models.outbox",
                 "models.chat", "models.schedule"]


def tortoise_config(db_url: str) -> dict:
    """The one tortoise config; SQLite gets WAL and a busy timeout as URL pragmas."""
    if db_url.startswith("sqlite://") and "?" not in db_url and db_url != "sqlite://:memory:":
        db_url += "?journal_mode=WAL&busy_timeout=10000&synchronous=FULL"
    return {
        "connections": {"default": db_url},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default",
                            "migrations": "models.migrations"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate_db(db_url: str) -> None:
    """Apply the built-in tortoise migrations (same files on SQLite and PostgreSQL)."""
    from tortoise.migrations.api import migrate

    await migrate(config=tortoise_config(db_url))


async def init_db(db_url: str, *, migrate: bool = True) -> None:
    """Open the database in the running loop; apply pending migrations first when asked."""
    if migrate:
        await migrate_db(db_url)
        await Tortoise.close_connections()
    await Tortoise.init(config=tortoise_config(db_url))


async def close_db() -> None:
    await Tortoise.close_connections()
