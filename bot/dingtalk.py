"""DingTalk (钉钉) adapter: an enterprise-internal robot over the Stream protocol (``dingtalk-stream``): the
bot process opens an outgoing WebSocket, so no public callback URL is needed — often the only way inside a
government network. Same engine as every adapter (``handle(caller, text) -> Reply``).

Protocol (what ``dingtalk-stream`` speaks, and what tests/bot/dingtalk_standin.py plays):
1. ``POST {endpoint}/v1.0/gateway/connections/open`` with clientId/clientSecret and the subscribed topic
   (``/v1.0/im/bot/messages/get``) → ``{"endpoint": "wss://…", "ticket": "…"}``;
2. WebSocket to ``endpoint?ticket=…``; frames ``{"type": "SYSTEM"|"CALLBACK", "headers": {"topic",
   "messageId", …}, "data": "<json>"}``; every frame is acknowledged with its messageId (the library's
   router does this); ``SYSTEM`` ``ping`` is echoed, ``disconnect`` closes and we reconnect;
3. a chat message's reply is a POST to its ``sessionWebhook`` (markdown), and officer alerts/digests go out
   as active messages: ``POST /v1.0/oauth2/accessToken`` then ``POST /v1.0/robot/oToMessages/batchSend``.

We run the library's routing and acknowledgement but our own connection loop (async HTTP, bounded backoff,
a stop that returns), because its ``start()`` opens the connection with blocking ``requests`` and retries
forever. A message id seen before (DingTalk redelivers unacknowledged frames) is answered once.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import quote_plus

import dingtalk_stream
import websockets
from aiohttp import ClientSession, ClientTimeout
from dingtalk_stream import AckMessage, ChatbotMessage
from tortoise.exceptions import IntegrityError

from config.clock import Clock
from config.settings import DingTalkSettings
from models.chat import InboundMessage

from bot.access import Caller
from bot.chunks import split_lines
from bot.engine import incident_ref
from bot.markdown import to_markdown

log = logging.getLogger("shenbao.bot.dingtalk")
TOPIC = ChatbotMessage.TOPIC
TEXT_LIMIT = 4000                     # markdown text per message (DingTalk allows ~5000 bytes of text: be safe)


class _Client(dingtalk_stream.DingTalkStreamClient):
    def get_host_ip(self) -> str:     # the library probes the route to 8.8.8.8; we send no such packet
        return ""


class _Handler(dingtalk_stream.ChatbotHandler):
    def __init__(self, adapter: "DingTalkAdapter"):
        super().__init__()
        self.adapter = adapter

    async def process(self, callback):
        try:
            await self.adapter.on_message(callback.data or {})
        except Exception:                       # the engine answers its own errors; this is a last guard
            log.exception("dingtalk message handling failed (incident %s)", incident_ref())
        return AckMessage.STATUS_OK, "OK"


class DingTalkAdapter:
    def __init__(self, settings: DingTalkSettings, engine, clock: Clock, *, backoff: float = 2.0):
        self.s, self.engine, self.clock, self.backoff = settings, engine, clock, backoff
        self.client = _Client(dingtalk_stream.Credential(settings.client_id, settings.client_secret),
                              logger=logging.getLogger("shenbao.bot.dingtalk.stream"))
        self.client.register_callback_handler(TOPIC, _Handler(self))
        self.client.pre_start()
        self._task: asyncio.Task | None = None
        self._stop = asyncio.Event()
        self.connected = asyncio.Event()
        self._token: tuple[str, float] | None = None
        self._http: ClientSession | None = None

    # connection ------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._http = ClientSession(timeout=ClientTimeout(total=20))
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        self._stop.set()
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        if self._http:
            await self._http.close()

    async def _open(self) -> dict:
        body = {"clientId": self.s.client_id, "clientSecret": self.s.client_secret, "ua": "shenbao",
                "subscriptions": [{"type": "CALLBACK", "topic": TOPIC}], "localIp": ""}
        async with self._http.post(f"{self.s.endpoint}/v1.0/gateway/connections/open", json=body) as r:
            data = await r.json(content_type=None)
            if r.status != 200 or "endpoint" not in data:
                raise ConnectionError(f"dingtalk connections/open answered {r.status}: {str(data)[:200]}")
            return data

    async def _run(self) -> None:
        delay = self.backoff
        while not self._stop.is_set():
            try:
                conn = await self._open()
                uri = f"{conn['endpoint']}?ticket={quote_plus(conn['ticket'])}"
                async with websockets.connect(uri, open_timeout=20, ping_interval=60) as ws:
                    self.client.websocket = ws
                    self.connected.set()
                    log.info("dingtalk stream connected")
                    delay = self.backoff
                    async for raw in ws:
                        asyncio.ensure_future(self.client.background_task(json.loads(raw)))
                log.info("dingtalk stream closed by the server; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - network: log once per outage (core.logs), retry
                log.warning("dingtalk stream unavailable: %s: %s", type(exc).__name__, str(exc)[:200])
            finally:
                self.connected.clear()
            try:
                await asyncio.wait_for(self._stop.wait(), delay)
            except asyncio.TimeoutError:
                pass
            delay = min(delay * 2, 60)

    # inbound ---------------------------------------------------------------------------------------
    async def on_message(self, data: dict) -> None:
        msg = ChatbotMessage.from_dict(data)
        if msg.message_id:
            try:
                await InboundMessage.create(channel="dingtalk", message_id=msg.message_id, at=self.clock.now())
            except IntegrityError:
                log.info("dingtalk msgId %s already answered; redelivery ignored", msg.message_id)
                return
        text = (msg.text.content if msg.text else "").strip() or "/help"
        user = msg.sender_staff_id or msg.sender_id
        caller = Caller("dingtalk", user, chat_id=msg.conversation_id or user)
        reply = await self.engine.handle(caller, text)
        if msg.message_id:
            await InboundMessage.filter(channel="dingtalk", message_id=msg.message_id).update(reply=reply.text)
        for part in split_lines(reply.text, TEXT_LIMIT) or [""]:
            await self._post(msg.session_webhook, {"msgtype": "markdown",
                                                   "markdown": {"title": "申报助手", "text": to_markdown(part)}})

    async def _post(self, url: str, body: dict, headers: dict | None = None) -> dict:
        async with self._http.post(url, json=body, headers=headers or {}) as r:
            data = await r.json(content_type=None)
        if r.status != 200 or (isinstance(data, dict) and data.get("errcode")):
            raise RuntimeError(f"dingtalk {url.split('?')[0].rsplit('/', 1)[-1]} failed: {r.status} {str(data)[:200]}")
        return data

    # outbound (outbox) -----------------------------------------------------------------------------
    async def _access_token(self) -> str:
        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        data = await self._post(f"{self.s.endpoint}/v1.0/oauth2/accessToken",
                                {"appKey": self.s.client_id, "appSecret": self.s.client_secret})
        self._token = (data["accessToken"], time.monotonic() + int(data.get("expireIn", 7200)) - 300)
        return self._token[0]

    async def send(self, user_id: str, text: str) -> None:
        """An active message to one user (officer alerts, digests): the robot's 单聊 batchSend."""
        if not self.s.robot_code:
            raise RuntimeError("SHENBAO_DINGTALK_ROBOT_CODE is needed for active DingTalk messages")
        token = await self._access_token()
        for part in split_lines(text, TEXT_LIMIT) or [""]:
            await self._post(f"{self.s.endpoint}/v1.0/robot/oToMessages/batchSend",
                             {"robotCode": self.s.robot_code, "userIds": [user_id], "msgKey": "sampleMarkdown",
                              "msgParam": json.dumps({"title": "申报收件系统", "text": to_markdown(part)},
                                                     ensure_ascii=False)},
                             headers={"x-acs-dingtalk-access-token": token})
