"""Run a CLI command: load settings and the call once, open the database in this loop, close it.

A command that only reads never creates a database: with no database at the path it looked at, it stops
with exit 2 and names the path (a mistyped ``--data-dir`` or a missing ``.env`` must not read as "every
filing lost"). ``migrate``, ``intake``, ``ingest`` and ``demo`` create it (``creates_db`` on their parser).
``ask`` (``lazy_db``) opens it only when its answer needs stored data (``Services.need_db``): a rule question
imports no ORM and opens no file; the same checks and errors apply when it does open.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from typing import Mapping

from config.call import load_call
from config.clock import SystemClock
from config.settings import load_settings, unknown_variables
from core.archive import Archive
from core.services import Services

from cli.errors import UserError

log = logging.getLogger("shenbao.cli")


def build_services(environ: Mapping[str, str], data_dir=None, clock=None, *, create: bool = True,
                   sign: bool = True) -> Services:
    """``sign=False``: no audit signer yet (a command that opens the database on first need installs it then)."""
    settings = load_settings(environ, data_dir)
    if create:
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"无法创建数据目录 {settings.data_dir}：{exc.strerror}",
                            f"cannot create the data directory {settings.data_dir}: {exc.strerror}") from None
    from precheck.places import use_cache

    use_cache(settings.cache_dir)               # the readers' gazetteer: parsed once, then a few ms a process
    return Services(settings=settings, call=load_call(settings.call), clock=clock or SystemClock(),
                    archive=Archive(settings.archive_dir),
                    signing_key=install_signing_key(settings, create=False) if sign else None)


def install_signing_key(settings, *, create: bool = True):
    """Load the server's Ed25519 key and sign this process's audit entries with it (``core.signing``)."""
    from core import signing

    return signing.install_signer(settings, create=create)


def where(services: Services) -> str:
    s = services.settings
    return f"数据目录 {s.data_dir}；数据库 {s.database_label}"


def no_database(services: Services, detail: str = "") -> UserError:
    s = services.settings
    what = f"数据库文件 {s.sqlite_path}" if s.sqlite_path else s.database_label
    return UserError(
        f"没有找到收件数据库：{what} 不存在{detail}。请检查 --data-dir / SHENBAO_DATA_DIR / DATABASE_URL"
        f"（是否在部署目录运行、是否加载了 .env）；新部署请先运行 shenbao migrate",
        f"no shenbao database at {s.sqlite_path or s.database_label}; check --data-dir, SHENBAO_DATA_DIR, "
        "DATABASE_URL (or run `shenbao migrate` on a new install)")


async def _tables_exist() -> bool:
    from tortoise import Tortoise

    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1 FROM tortoise_migrations LIMIT 1")
        return True
    except Exception:
        return False


async def _open(services: Services, creates: bool) -> None:
    url = services.settings.database_url
    path = services.settings.sqlite_path
    if not creates and path is not None and not path.exists():
        raise no_database(services)               # said before the ORM is imported: ~0.2 s of a fresh process
    from models import close_db, init_db

    if not creates:
        if path is None:                          # PostgreSQL: the server may be there, the tables not
            await init_db(url, migrate=False)
            ok = await _tables_exist()
            await close_db()
            if not ok:
                raise no_database(services, "（服务器可连接，但没有 shenbao 的数据表）")
    await init_db(url)


async def _open_checked(services: Services, creates: bool) -> None:
    """Open the database (``_open``), any failure as the CLI's one line; then the audit signer."""
    try:
        await _open(services, creates)
    except UserError:
        raise
    except Exception as exc:
        log.debug("database open failed", exc_info=True)
        raise UserError(f"数据库无法打开 {services.settings.database_label}：{type(exc).__name__}: {exc}",
                        f"cannot open the database {services.settings.database_label}") from None
    if services.signing_key is None:       # only once a database is there: a read command refused creates nothing
        services.signing_key = install_signing_key(services.settings)


async def _with_lazy_db(func, args, services: Services) -> int:
    """Run ``func`` with the database opened on first need (``Services.need_db``), closed after if it was."""
    from core.services import DatabaseUnavailable

    opened = []

    async def opener() -> None:
        try:
            await _open_checked(services, False)
        except UserError as exc:
            raise DatabaseUnavailable(str(exc)) from exc
        opened.append(True)

    services.db_opener = opener
    try:
        return await func(args, services) or 0
    except DatabaseUnavailable as exc:
        raise exc.__cause__ from None
    finally:
        services.db_opener = None
        if opened:
            from models import close_db

            await close_db()


async def _with_db(func, args, services: Services) -> int:
    if getattr(args, "no_db", False):
        return await func(args, services) or 0
    if getattr(args, "lazy_db", False):
        return await _with_lazy_db(func, args, services)
    from models import close_db

    await _open_checked(services, getattr(args, "creates_db", False))
    try:
        return await func(args, services) or 0
    finally:
        await close_db()


def run_command(args, environ: Mapping[str, str]) -> int:
    """Build the services and run ``args.func``; expected errors propagate to ``cli.main``'s handler."""
    if getattr(args, "isolated_env", False):     # e.g. the demo: embedded defaults, whatever is exported
        environ = {k: v for k, v in environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    for name, close in unknown_variables(environ):
        print(f"警告：未知的环境变量 {name}，已忽略" + (f"（是不是 {close}？）" if close else "") +
              f" / warning: unknown variable {name} ignored" + (f" (did you mean {close}?)" if close else ""),
              file=sys.stderr)
    creates = (getattr(args, "creates_db", False) or getattr(args, "no_db", False)) and not getattr(args, "reads_only", False)
    services = build_services(environ, args.data_dir, create=creates, sign=not getattr(args, "lazy_db", False))
    if getattr(args, "verbose", False):
        print(where(services), file=sys.stderr)
    func = args.func
    if not inspect.iscoroutinefunction(func):
        return func(args, services) or 0
    try:
        return asyncio.run(_with_db(func, args, services))
    except KeyboardInterrupt:
        return 130
