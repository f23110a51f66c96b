"""The digest of the web desk's seeded data directory, rendered as the bot would send it."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.web.seed import AT


def render_digest(data_dir: Path) -> dict:
    async def go() -> dict:
        from bot.digest.job import collect_digest, render_all
        from config.call import load_call
        from config.clock import FixedClock
        from config.settings import load_settings
        from core.archive import Archive
        from core.services import Services
        from models import close_db, init_db

        settings = load_settings({}, data_dir)
        s = Services(settings=settings, call=load_call("2023"), clock=FixedClock(AT), archive=Archive(settings.archive_dir))
        await init_db(settings.database_url)
        try:
            d = await collect_digest(s, settings.outgoing, AT, kind="final")
            return render_all(d) | {"data": d}
        finally:
            await close_db()

    with ThreadPoolExecutor(1) as ex:
        return ex.submit(asyncio.run, go()).result()
