"""Telegram adapter (python-telegram-bot 22): started inside our own loop, polling or webhook with secret token.

Handlers are thin: one for every text message (commands included), which asks the engine and sends the
reply split at Telegram's 4096-character limit. AIORateLimiter keeps us within Telegram's flood limits.
"""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

from bot.chunks import split_lines
from bot.access import Caller
from bot.engine import Engine, incident_ref

log = logging.getLogger("shenbao.bot.telegram")
LIMIT = 4096


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split at line breaks where possible, never over ``limit`` characters."""
    return split_lines(text, limit) or [""]


class RedactToken(logging.Filter):
    """Every Bot API URL carries the token and httpx logs each request at INFO: replace it in any record."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            msg = record.getMessage()
            if self.token in msg:
                record.msg, record.args = msg.replace(self.token, "<telegram-token>"), ()
        return True


def redact_token_in_logs(token: str) -> None:
    """Attach the filter to the loggers that print Bot API URLs (httpx/httpcore and PTB's own)."""
    names = ["httpx", "httpcore", "telegram"] + [n for n in logging.root.manager.loggerDict
                                                 if n.startswith(("httpx.", "httpcore.", "telegram."))]
    for name in names:
        lg = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in lg.filters):
            lg.addFilter(RedactToken(token))


def build_application(engine: Engine, token: str, *, base_url: str | None = None, base_file_url: str | None = None,
                      rate_limit: bool = True, read_timeout: float = 30.0) -> Application:
    redact_token_in_logs(token)
    b = Application.builder().token(token).get_updates_read_timeout(read_timeout)
    if base_url:
        b = b.base_url(base_url)
    if base_file_url:
        b = b.base_file_url(base_file_url)
    if rate_limit:
        b = b.rate_limiter(AIORateLimiter(max_retries=3))
    app = b.build()

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer any text message (commands included) through the engine."""
        msg, user = update.effective_message, update.effective_user
        if msg is None or user is None or not msg.text:
            return
        reply = await engine.handle(Caller("telegram", str(user.id), chat_id=str(msg.chat_id)), msg.text)
        for part in split_message(reply.text):
            await context.bot.send_message(chat_id=msg.chat_id, text=part)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update with an incident reference and tell the asker, instead of silence."""
        ref = incident_ref()
        msg = update.effective_message if isinstance(update, Update) else None
        log.error("telegram update failed (incident %s, chat %s)", ref, getattr(msg, "chat_id", None),
                  exc_info=context.error)
        if msg is not None:
            try:
                await context.bot.send_message(chat_id=msg.chat_id, text=engine.apology(ref))
            except Exception:
                log.exception("telegram apology for incident %s could not be sent", ref)

    app.add_handler(MessageHandler(filters.TEXT, on_text))
    app.add_error_handler(on_error)
    return app


async def start(app: Application, *, webhook_url: str | None = None, secret_token: str | None = None,
                listen: str = "127.0.0.1", port: int = 8443, url_path: str = "telegram",
                poll_timeout: float = 20.0) -> None:
    """Start inside the running loop (never ``run_polling``, which owns the loop)."""
    await app.initialize()
    await app.start()
    if webhook_url:
        await app.updater.start_webhook(listen=listen, port=port, url_path=url_path, webhook_url=webhook_url,
                                        secret_token=secret_token, drop_pending_updates=False)
    else:
        await app.updater.start_polling(poll_interval=0.0, timeout=int(poll_timeout), drop_pending_updates=False)
    log.info("telegram adapter started (%s)", "webhook" if webhook_url else "polling")


async def stop(app: Application) -> None:
    if app.updater and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
