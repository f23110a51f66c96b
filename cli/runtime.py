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
    return Services(settings=settings, call=load_call(settings.call), clock=clock or SystemClock(),
                    archive=Archive(settings.archive_dir), signing_key=install_signing_key(settings, create=False))


def install_signing_key(settings, *, create: bool = True):
    """Load the server's Ed25519 key (creating it when ``create`` and there is none: every command that opens
    the database) and sign every audit entry this process appends with it. Never logged."""
    from core import signing
    from models import audit_log

    path = signing.key_path(settings.data_dir, dict(settings.environ))
    if not create and not path.exists():
        return None
    key = signing.load_or_create(path)
    audit_log.set_signer(lambda data: signing.sign(key, data))
    return key


async def _with_db(func, args, services: Services) -> int:
    from models import close_db, init_db

    if getattr(args, "no_db", False):
        return await func(args, services) or 0
    if services.signing_key is None:
        services.signing_key = install_signing_key(services.settings)
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
