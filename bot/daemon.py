"""The ``bot`` process: runs the configured chat adapters (Telegram, WeCom) and, if present, the scheduler.

``send_chat(channel, chat_id, text)`` is what the outbox/scheduler uses to deliver chat messages through
whichever adapter is running. Secrets come from ``config.settings`` (placeholders are refused at load).
"""
from __future__ import annotations

import asyncio
import logging
import signal
from typing import Awaitable, Callable

from aiohttp import web

from core.services import Services

from bot.engine import Engine
from bot.mail import EmailOutboxSender, SmtpRelay
from bot.outbox import Senders
from bot.scheduler import start_scheduler

log = logging.getLogger("shenbao.bot.daemon")
Sender = Callable[[str, str], Awaitable[None]]
SENDERS: dict[str, Sender] = {}          # channel -> async send(chat_id, text), filled by the running adapters
FILE_SENDERS: dict[str, Callable] = {}   # channel -> async send_file(chat_id, filename, data)
CARD_SENDERS: dict[str, Callable] = {}   # channel -> async send_card(chat_id, card)


class ChatUnavailable(RuntimeError):
    """No adapter is running for that channel (the outbox keeps the message and retries)."""


async def send_chat(channel: str, chat_id: str, text: str) -> None:
    sender = SENDERS.get(channel)
    if sender is None:
        raise ChatUnavailable(f"no running chat adapter for channel {channel!r}")
    await sender(chat_id, text)


def build_senders(services: Services):
    """The outbox's ``Senders``: chat through ``send_chat`` for the running adapters, e-mail via the relay."""
    email = None
    relay = SmtpRelay.from_settings(services.settings)
    if relay is not None:
        email = EmailOutboxSender(relay, mail_from=services.settings.outgoing.mail_from,
                                  archive=services.archive, clock=services.clock)
    async def send_file(channel: str, chat_id: str, filename: str, data: bytes) -> None:
        await FILE_SENDERS[channel](chat_id, filename, data)

    async def send_card(channel: str, chat_id: str, card: dict) -> None:
        await CARD_SENDERS[channel](chat_id, card)

    return Senders(email=email, chat=send_chat, chat_channels=frozenset(SENDERS),
                   chat_file=send_file if FILE_SENDERS else None, chat_card=send_card if CARD_SENDERS else None,
                   archive=services.archive)


async def start_telegram(services: Services, engine: Engine):
    from bot import telegram as tg

    s = services.settings.telegram
    app = tg.build_application(engine, s.token, base_url=s.base_url)
    await tg.start(app, webhook_url=s.webhook_url, secret_token=s.webhook_secret, listen=s.listen, port=s.port)

    async def send(chat_id: str, text: str) -> None:
        for part in tg.split_message(text):
            await app.bot.send_message(chat_id=int(chat_id), text=part)
    SENDERS["telegram"] = send
    return lambda: tg.stop(app)


async def start_wecom(services: Services, engine: Engine):
    from bot.wecom import WeComCallback, WeComSender
    from bot.wecom_crypto import WeComCrypto

    s = services.settings.wecom
    crypto = WeComCrypto(s.token, s.aes_key, s.corp_id)
    sender = None
    if s.secret:
        ws = WeComSender(s.corp_id, s.secret, s.agent_id)
        sender = ws.send
        SENDERS["wecom"] = ws.send
        FILE_SENDERS["wecom"] = ws.send_file
        CARD_SENDERS["wecom"] = ws.send_card
    cb = WeComCallback(engine, crypto, services.clock, late_sender=sender)
    runner = web.AppRunner(cb.app())
    await runner.setup()
    site = web.TCPSite(runner, s.listen, s.port)
    await site.start()
    log.info("wecom callback listening on %s", site.name)
    return runner.cleanup


async def start_web_desk(services: Services):
    from bot.web import app as webapp

    try:
        runner, address = await webapp.start_web(services)
    except OSError as exc:       # e.g. the port is taken: chat, digests and alerts matter more than the desk
        w = services.settings.web
        log.error("web desk not started: cannot listen on %s:%s (%s); set SHENBAO_WEB_PORT or SHENBAO_WEB=off",
                  w.listen, w.port, exc.strerror or exc)
        return None
    return runner.cleanup


async def start_wecom_aibot(services: Services, engine):
    from bot.wecom_aibot import WeComAIBot

    bot = WeComAIBot(services.settings.wecom_bot, engine, services.clock)
    await bot.start()
    SENDERS.setdefault("wecom", bot.send)          # the app's message/send wins when both are configured
    return bot.stop


async def start_dingtalk(services: Services, engine):
    from bot.dingtalk import DingTalkAdapter

    adapter = DingTalkAdapter(services.settings.dingtalk, engine, services.clock)
    await adapter.start()
    SENDERS["dingtalk"] = adapter.send
    return adapter.stop


async def run_daemon(services: Services, stop_event: asyncio.Event | None = None) -> int:
    from config.settings import unknown_variables

    from bot.web import app as webapp
    from bot.web.chatlink import WebLinkEngine

    for name, close in unknown_variables(services.settings.environ):
        log.warning("unknown variable %s ignored%s", name, f" (did you mean {close}?)" if close else "")
    engine = WebLinkEngine(Engine(services), lambda: webapp.RUNNING_URL)
    engine.warm()
    s = services.settings
    stoppers = []
    if s.web.enabled and (stop_web := await start_web_desk(services)) is not None:
        stoppers.append(stop_web)
    if s.telegram:
        stoppers.append(await start_telegram(services, engine))
    if s.wecom:
        stoppers.append(await start_wecom(services, engine))
    if s.wecom_bot:
        stoppers.append(await start_wecom_aibot(services, engine))
    if s.dingtalk:
        stoppers.append(await start_dingtalk(services, engine))
    if not (s.telegram or s.wecom or s.wecom_bot or s.dingtalk):
        log.warning("no chat adapter configured (SHENBAO_TELEGRAM_TOKEN / SHENBAO_WECOM_* / SHENBAO_DINGTALK_*); "
                    "running the scheduler%s only", " and the web desk" if s.web.enabled else "")
    sched = await start_scheduler(services, build_senders(services))
    stop_event = stop_event or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop_event.set)
        except (NotImplementedError, RuntimeError):
            pass
    await stop_event.wait()
    sched.shutdown(wait=False)
    for stop in reversed(stoppers):
        try:
            await stop()
        except Exception:
            log.exception("adapter stop failed")
    SENDERS.clear()
    FILE_SENDERS.clear()
    CARD_SENDERS.clear()
    return 0
