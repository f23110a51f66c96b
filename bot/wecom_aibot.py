"""WeCom 智能机器人 (AI bot) over its long connection: an alternative to the self-built app's callback URL
(``bot/wecom.py``) when the server cannot be reached from the internet — the bot process dials out.

Frames are JSON ``{"cmd", "headers": {"req_id"}, "body"}`` on ``wss://openws.work.weixin.qq.com``:
``aibot_subscribe`` (bot_id + secret) authenticates and is answered ``{"errcode": 0}``; the service pushes
``aibot_msg_callback`` (``body.msgid``, ``from.userid``, ``chattype``, ``chatid``, ``text.content``); the
answer is ``aibot_respond_msg`` with the callback's ``req_id`` (a finished ``stream`` message, Markdown);
``aibot_send_msg`` pushes to a chat (the outbox: alerts, digests); ``ping`` every 30 s keeps it alive. Users
are the same WeCom userids as the app's, so officers (SHENBAO_OFFICERS_WECOM) and bindings carry over
(channel ``wecom``). A redelivered msgid is answered once; a lost connection is re-opened with backoff.
"""
from __future__ import annotations

import asyncio
import json
import logging
import uuid

import websockets
from tortoise.exceptions import IntegrityError

from config.clock import Clock
from config.settings import WeComBotSettings
from models.chat import InboundMessage

from bot.access import Caller
from bot.chunks import split_lines
from bot.engine import incident_ref
from bot.markdown import to_markdown

log = logging.getLogger("shenbao.bot.wecom_aibot")
LIMIT = 4000
HEARTBEAT = 30.0


def req_id(prefix: str = "shenbao") -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


class WeComAIBot:
    def __init__(self, settings: WeComBotSettings, engine, clock: Clock, *, backoff: float = 1.0,
                 heartbeat: float = HEARTBEAT):
        self.s, self.engine, self.clock, self.backoff, self.heartbeat = settings, engine, clock, backoff, heartbeat
        self.ws = None
        self.connected = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._acks: dict[str, asyncio.Future] = {}
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    async def _request(self, cmd: str, body: dict | None = None, rid: str | None = None, timeout: float = 15) -> dict:
        rid = rid or req_id(cmd)
        fut = asyncio.get_running_loop().create_future()
        self._acks[rid] = fut
        try:
            await self.ws.send(json.dumps({"cmd": cmd, "headers": {"req_id": rid}, **({"body": body} if body else {})},
                                          ensure_ascii=False))
            ack = await asyncio.wait_for(fut, timeout)
        finally:
            self._acks.pop(rid, None)
        if ack.get("errcode"):
            raise RuntimeError(f"wecom aibot {cmd} refused: {ack.get('errcode')} {ack.get('errmsg')}")
        return ack

    async def _run(self) -> None:
        delay = self.backoff
        while not self._stop.is_set():
            try:
                async with websockets.connect(self.s.url, open_timeout=20, ping_interval=None) as ws:
                    self.ws = ws
                    reader = asyncio.ensure_future(self._read(ws))
                    try:
                        await self._request("aibot_subscribe", {"bot_id": self.s.bot_id, "secret": self.s.secret})
                        self.connected.set()
                        log.info("wecom aibot long connection subscribed")
                        delay = self.backoff
                        while not reader.done():
                            done, _ = await asyncio.wait({reader}, timeout=self.heartbeat)
                            if not done:
                                await self._request("ping", timeout=10)
                    finally:
                        reader.cancel()
                log.info("wecom aibot connection closed; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - network: one line per outage (core.logs), then retry
                log.warning("wecom aibot unavailable: %s: %s", type(exc).__name__, str(exc)[:200])
            finally:
                self.connected.clear()
                self.ws = None
            try:
                await asyncio.wait_for(self._stop.wait(), delay)
            except asyncio.TimeoutError:
                pass
            delay = min(delay * 2, 30)

    async def _read(self, ws) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            rid = (frame.get("headers") or {}).get("req_id", "")
            cmd = frame.get("cmd")
            if cmd == "aibot_msg_callback":
                t = asyncio.ensure_future(self._on_message(frame))
                self._tasks.add(t)
                t.add_done_callback(self._tasks.discard)
            elif cmd == "aibot_event_callback":
                body = frame.get("body") or {}
                if (body.get("event") or {}).get("eventtype") == "disconnected_event":
                    log.warning("wecom aibot: another connection took over this bot")
            elif rid in self._acks and not self._acks[rid].done():
                self._acks[rid].set_result(frame)

    async def _on_message(self, frame: dict) -> None:
        body = frame.get("body") or {}
        rid = frame["headers"]["req_id"]
        msgid = body.get("msgid")
        try:
            if msgid:
                try:
                    await InboundMessage.create(channel="wecom-aibot", message_id=msgid, at=self.clock.now())
                except IntegrityError:
                    log.info("wecom aibot msgid %s already answered; redelivery ignored", msgid)
                    return
            user = (body.get("from") or {}).get("userid", "")
            text = ((body.get("text") or {}).get("content") or "").strip() or "/help"
            chat = body.get("chatid") or user
            reply = await self.engine.handle(Caller("wecom", user, chat_id=chat), text)
            parts = split_lines(reply.text, LIMIT) or [""]
            await self._request("aibot_respond_msg", {"msgtype": "stream", "stream": {
                "id": req_id("stream"), "finish": True, "content": to_markdown(parts[0])}}, rid=rid)
            for part in parts[1:]:
                await self.send(chat, part)
        except Exception:
            log.exception("wecom aibot message failed (incident %s)", incident_ref())

    async def send(self, chat_id: str, text: str) -> None:
        """Push a Markdown message to a chat (a user's single chat is their userid): the outbox's sender."""
        if self.ws is None:
            raise ConnectionError("wecom aibot long connection is down")
        for part in split_lines(text, LIMIT) or [""]:
            await self._request("aibot_send_msg", {"chatid": chat_id, "msgtype": "markdown",
                                                   "markdown": {"content": to_markdown(part)}})
