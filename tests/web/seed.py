"""A data directory for the web desk tests: the digest fixture's 37 units (final phase) plus an officer
override (江苏省 late → filed, with a reason) and an assigned paper copy, made by real model rows."""
from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from config.call import load_call
from config.clock import FixedClock
from config.settings import load_settings
from core.archive import Archive
from core.services import Services

AT = datetime.fromisoformat("2023-03-27T00:15:00+08:00")
OVERRIDE_REASON = "邮件服务器故障致延迟，经司领导批准按时受理"


def seed(data_dir: Path) -> Services:
    async def go() -> None:
        from core.officer import override_status
        from models import close_db, init_db
        from tests.digest.fixture_units import build

        await init_db(services.settings.database_url)
        try:
            await build(services, "final")
            await override_status(services, "江苏省", "filed", reason=OVERRIDE_REASON, actor="officer:cli:liming")
        finally:
            await close_db()

    settings = load_settings({}, data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    services = Services(settings=settings, call=load_call("2023"), clock=FixedClock(AT),
                        archive=Archive(settings.archive_dir))
    asyncio.run(go())
    return services
