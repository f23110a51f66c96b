"""``shenbao`` entry point: one argparse tree; each command module registers its own subcommands."""
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
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shenbao", description="申报 intake desk — 财办社〔2023〕22号")
    p.add_argument("--data-dir", default=None, help="data directory (default $SHENBAO_DATA_DIR or ./data)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return p


def configure_logging(*, verbose: bool, daemon: bool) -> None:
    """Quiet output for people: a plain command shows warnings only (no library INFO such as tortoise's
    "shutdown"); a daemon also logs shenbao's own INFO lines; ``-v`` shows everything at DEBUG."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    if daemon and not verbose:
        logging.getLogger("shenbao").setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose, daemon=getattr(args, "daemon", False))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from cli.runtime import run_command

    return run_command(args, os.environ)


if __name__ == "__main__":
    sys.exit(main())
