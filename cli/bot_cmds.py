"""CLI: ``shenbao bot`` (the chat daemon), ``shenbao chat`` and ``shenbao ask`` (terminal), ``shenbao bind-code``."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def _who(p) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--as-province", default=None, help="answer as that province's contact, e.g. 广东省")
    g.add_argument("--officer", action="store_true", help="answer as a ministry officer")


def register(sub) -> None:
    p = sub.add_parser("bot", help="run the chat adapters that are configured (Telegram, WeCom) and the scheduler")
    p.set_defaults(func=cmd_bot, daemon=True)
    p = sub.add_parser("chat", help="chat with the bot in the terminal")
    _who(p)
    p.set_defaults(func=cmd_chat)
    p = sub.add_parser("ask", help="print one answer (scriptable)")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="the answer with its intent and role as JSON")
    _who(p)
    p.set_defaults(func=cmd_ask, lazy_db=True)      # a rule question opens no database (cli.runtime)
    p = sub.add_parser("bind-code", help="officer: issue a one-time chat binding code for a province")
    p.add_argument("province")
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_bind_code)


def _caller(args, services: Services):
    from bot.terminal import terminal_caller

    from cli.args import province

    prov = province(services, args.as_province) if args.as_province else None
    return terminal_caller(officer=args.officer, province=prov)


async def cmd_chat(args, services: Services) -> int:
    from bot.engine import Engine
    from bot.terminal import chat

    return await chat(Engine(services), _caller(args, services))


async def cmd_ask(args, services: Services) -> int:
    from bot.engine import Engine

    reply = await Engine(services).handle(_caller(args, services), args.question)
    if args.json:
        from cli.args import dump

        dump({"text": reply.text, "intent": reply.intent, "role": reply.role})
        return 0
    print(reply.text)
    return 0


async def cmd_bind_code(args, services: Services) -> int:
    from bot.access import issue_code
    from bot.compose import beijing

    from cli.args import province

    code, row = await issue_code(services, province(services, args.province), actor=args.actor)
    print(f"{row.province} 绑定码：{code}（有效期至 {beijing(services.call, row.expires_at)[:16]}，仅可使用一次）")
    return 0


async def cmd_bot(args, services: Services) -> int:
    from bot.daemon import run_daemon

    return await run_daemon(services)
