"""CLI: ``web`` (serve the officers' web desk alone, e.g. over the demo's data) and ``web-link`` (a one-time
login link for the officer at this terminal; in chat, officers send /web)."""
from __future__ import annotations

import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("web", help="serve the read-only web desk (the bot process serves it too) and print a login link")
    p.add_argument("--port", type=int, default=None, help="port (default SHENBAO_WEB_PORT, 8090)")
    p.set_defaults(func=cmd_web, daemon=True)
    p = sub.add_parser("web-link", help="print a one-time login link to the web desk (officer at this terminal)")
    p.add_argument("--actor", default="cli", help="who the link is for (recorded in the audit log at login)")
    p.set_defaults(func=cmd_web_link)


async def cmd_web_link(args, services: Services) -> int:
    from bot.web.auth import issue_link

    url, exp = issue_link(services, f"terminal:{args.actor}")
    print(f"{url}\n（一次性链接，{services.call.to_local(exp):%H:%M} 前有效，北京时间）")
    return 0


async def cmd_web(args, services: Services) -> int:
    import asyncio

    import dataclasses

    from bot.web.app import start_web
    from bot.web.auth import issue_link

    if args.port is not None:
        web = dataclasses.replace(services.settings.web, port=args.port)
        services = dataclasses.replace(services, settings=dataclasses.replace(services.settings, web=web))
    runner, address = await start_web(services)
    from bot.web import app as webapp

    url, exp = issue_link(services, f"terminal:{getattr(args, 'actor', 'cli')}", base_url=webapp.RUNNING_URL)
    print(f"网页收件台：{address}/\n登录链接（一次性，{services.call.to_local(exp):%H:%M} 前有效）：{url}\n"
          "Ctrl-C 结束。", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    return 0
