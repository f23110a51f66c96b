"""Run a CLI command: load settings and the call once, open the database in this loop, close it."""
from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from typing import Mapping

from config.call import CallConfigError, load_call
from config.clock import SystemClock
from config.settings import SettingsError, load_settings
from core.archive import Archive
from core.services import Services

log = logging.getLogger("shenbao.cli")


def build_services(environ: Mapping[str, str], data_dir=None, clock=None) -> Services:
    settings = load_settings(environ, data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from precheck.places import use_cache

    use_cache(settings.cache_dir)               # the readers' gazetteer: parsed once, then a few ms a process
    return Services(settings=settings, call=load_call(settings.call), clock=clock or SystemClock(),
                    archive=Archive(settings.archive_dir))


async def _with_db(func, args, services: Services) -> int:
    from models import close_db, init_db

    if getattr(args, "no_db", False):
        return await func(args, services) or 0
    try:
        await init_db(services.settings.database_url)
    except Exception as exc:
        from cli.db_cmds import redact

        log.debug("database open failed", exc_info=True)
        print(f"数据库无法打开 / cannot open the database {redact(services.settings.database_url)}: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    try:
        return await func(args, services) or 0
    finally:
        await close_db()


def run_command(args, environ: Mapping[str, str]) -> int:
    if getattr(args, "isolated_env", False):     # e.g. the demo: embedded defaults, whatever is exported
        environ = {k: v for k, v in environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    try:
        services = build_services(environ, args.data_dir)
    except (SettingsError, CallConfigError) as exc:
        print(f"配置错误 / configuration error: {exc}", file=sys.stderr)
        return 2
    func = args.func
    if not inspect.iscoroutinefunction(func):
        return func(args, services) or 0
    try:
        return asyncio.run(_with_db(func, args, services))
    except KeyboardInterrupt:
        return 130
