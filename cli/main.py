"""``shenbao`` entry point: one argparse tree; each command module registers its own subcommands.

Global options (``--data-dir``, ``-v``) are accepted before *or* after the subcommand (``shenbao intake -v``
as docs/deploy.md writes it). Every expected error — a setting, a province, a date, a path, the database —
ends as one Chinese + English line on stderr and exit code 2 (``cli.errors``); a traceback means a bug.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# Each module defines register(subparsers) and sets ``func`` (async or sync) on its parsers.
COMMAND_MODULES = (
    "cli.intake_cmds",
    "cli.register_cmds",
    "cli.audit_cmds",
    "cli.db_cmds",
    "cli.checks_cmds",
    "cli.bot_cmds",
    "cli.digest_cmds",
    "cli.demo_cmds",
    "cli.call_cmds",
    "cli.backup_cmds",
    "cli.web_cmds",
)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as v

    try:
        return v("shenbao")
    except PackageNotFoundError:
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``: the installed version, looked up only when asked (importlib.metadata reads every
    installed distribution: tens of ms that every other command would pay to build its parser)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        parser.exit(message=f"shenbao {version()}\n")


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line (Chinese + English) and exit 2."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        zh = (message.replace("the following arguments are required", "缺少参数")
              .replace("unrecognized arguments", "无法识别的参数").replace("invalid choice", "无效的选项")
              .replace("expected one argument", "需要一个值"))
        self.exit(2, f"错误：{zh} / error: {message}\n")


def _globals(p: argparse.ArgumentParser, default) -> None:
    p.add_argument("--data-dir", default=default, help="data directory (default $SHENBAO_DATA_DIR or ./data)")
    p.add_argument("-v", "--verbose", action="store_true", default=default,
                   help="print the data directory and database used; debug logging")


def _leaves(p: argparse.ArgumentParser):
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sp in action.choices.values():
                yield sp
                yield from _leaves(sp)


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="shenbao", description="申报 intake desk — 财办社〔2023〕22号")
    _globals(p, None)
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for sp in _leaves(p):
        if not any("--data-dir" in a.option_strings for a in sp._actions):
            _globals(sp, argparse.SUPPRESS)     # after the subcommand too; SUPPRESS keeps the global value
    return p


def configure_logging(*, verbose: bool, daemon: bool, json_logs: bool = False) -> None:
    """Quiet output for people: a plain command shows warnings only (no library INFO such as tortoise's
    "shutdown"); a daemon also logs shenbao's own INFO lines; ``-v`` shows everything at DEBUG.
    ``json_logs`` (SHENBAO_LOG_FORMAT=json) writes one JSON object per line for a log collector."""
    from core.logs import configure

    configure(verbose=verbose, daemon=daemon, json_logs=json_logs)


def unknown_province_line(exc) -> str:
    """``core.places.UnknownProvince`` as the CLI's one line: the resolver's Chinese message (with its
    "您是不是要找") and the English twin; with no suggestion, what to write instead."""
    zh = str(exc) if exc.suggestions else f"{exc}；请写省级单位的名称，如 广东省"
    en = f"unknown province {exc.word!r}" + (f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else "")
    return f"错误：{zh} / error: {en}"


def report(exc: BaseException) -> str | None:
    """The one line for an expected error, or None for a bug (which keeps its traceback)."""
    from config.call import CallConfigError
    from config.settings import SettingsError
    from core.places import UnknownProvince

    from cli.errors import UserError, path_error

    if isinstance(exc, UserError):
        return exc.line()
    if isinstance(exc, UnknownProvince):
        return unknown_province_line(exc)
    if isinstance(exc, (SettingsError, CallConfigError)):
        return f"配置错误 / configuration error: {exc}"
    if type(exc).__name__ == "DatabaseFileError":
        return f"错误：数据库文件损坏或不是 SQLite / error: {exc}"
    if isinstance(exc, OSError) and exc.filename:
        return path_error(exc).line()
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    json_logs = os.environ.get("SHENBAO_LOG_FORMAT", "").strip().lower() == "json"
    configure_logging(verbose=bool(args.verbose), daemon=getattr(args, "daemon", False), json_logs=json_logs)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from cli.runtime import run_command

    try:
        return run_command(args, os.environ)
    except BrokenPipeError:                     # `shenbao register | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - sorted into "a person's mistake" (one line) and a bug (raise)
        line = report(exc)
        if line is None:
            raise
        logging.getLogger("shenbao.cli").debug("expected error", exc_info=True)
        print(line, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
