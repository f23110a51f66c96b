"""WeCom self-built-app callback (aiohttp): GET URL check, POST encrypted XML, passive encrypted reply.

Rejected: a bad ``msg_signature`` (403), a timestamp more than ``max_skew`` seconds off the injected clock
(403), a replayed (signature, timestamp, nonce) within the window (403). A ``MsgId`` seen before is
answered once: the engine runs once and the retry gets an empty 200 (WeCom then shows nothing more).
"""
from __future__ import annotations

import asyncio
import logging
import time
import xml.etree.ElementTree as ET
from typing import Awaitable, Callable

from aiohttp import ClientSession, ClientTimeout, web
from tortoise.exceptions import IntegrityError

from config.clock import Clock
from models.chat import InboundMessage

from bot.access import Caller
from bot.engine import Engine, incident_ref
from bot.wecom_crypto import WeComCrypto, WeComCryptoError

log = logging.getLogger("shenbao.bot.wecom")
MAX_BODY = 256 * 1024
WECOM_API = "https://qyapi.weixin.qq.com/cgi-bin"


def _cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class WeComCallback:
    def __init__(self, engine: Engine, crypto: WeComCrypto, clock: Clock, *, path: str = "/wecom/callback",
                 max_skew: int = 300, reply_timeout: float = 4.0,
                 late_sender: Callable[[str, str], Awaitable[None]] | None = None):
        self.engine, self.crypto, self.clock = engine, crypto, clock
        self.path, self.max_skew, self.reply_timeout = path, max_skew, reply_timeout
        self.late_sender = late_sender
        self._seen: dict[tuple[str, str, str], float] = {}
        self._tasks: set[asyncio.Task] = set()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get(self.path, self.get)
        app.router.add_post(self.path, self.post)
        return app

    def _check_time(self, ts: str) -> None:
        try:
            skew = abs(self.clock.now().timestamp() - int(ts))
        except ValueError:
            raise web.HTTPForbidden(text="bad timestamp") from None
        if skew > self.max_skew:
            raise web.HTTPForbidden(text="stale timestamp")

    def _check_replay(self, sig: str, ts: str, nonce: str) -> None:
        now = self.clock.now().timestamp()
        self._seen = {k: v for k, v in self._seen.items() if now - v <= 2 * self.max_skew}
        key = (sig.lower(), ts, nonce)
        if key in self._seen:
            raise web.HTTPForbidden(text="replayed callback")
        self._seen[key] = now

    async def get(self, request: web.Request) -> web.Response:
        q = request.query
        sig, ts, nonce, echostr = (q.get(k, "") for k in ("msg_signature", "timestamp", "nonce", "echostr"))
        self._check_time(ts)
        try:
            plain = self.crypto.decrypt(sig, ts, nonce, echostr)
        except WeComCryptoError as exc:
            log.warning("wecom URL check rejected: %s", exc)
            raise web.HTTPForbidden(text="bad signature") from None
        return web.Response(text=plain)

    async def post(self, request: web.Request) -> web.Response:
        q = request.query
        sig, ts, nonce = (q.get(k, "") for k in ("msg_signature", "timestamp", "nonce"))
        self._check_time(ts)
        try:
            outer = ET.fromstring(await request.read())
            encrypt = outer.findtext("Encrypt") or ""
            inner = ET.fromstring(self.crypto.decrypt(sig, ts, nonce, encrypt))
        except (ET.ParseError, WeComCryptoError) as exc:
            log.warning("wecom callback rejected: %s", exc)
            raise web.HTTPForbidden(text="rejected") from None
        self._check_replay(sig, ts, nonce)
        try:
            return await self._answer(inner, nonce)
        except Exception:
            ref = incident_ref()
            log.exception("wecom callback failed (incident %s)", ref)
            user = inner.findtext("FromUserName") or ""
            return self._passive(user, self.engine.apology(ref), nonce) if user else web.Response(text="")

    async def _answer(self, inner: ET.Element, nonce: str) -> web.Response:
        msg_type = inner.findtext("MsgType") or ""
        user = inner.findtext("FromUserName") or ""
        msg_id = inner.findtext("MsgId")
        if msg_type == "event" or not user:
            return web.Response(text="")
        if msg_id:
            try:
                await InboundMessage.create(channel="wecom", message_id=msg_id, at=self.clock.now())
            except IntegrityError:
                log.info("wecom MsgId %s already answered; retry ignored", msg_id)
                return web.Response(text="")
        text = inner.findtext("Content") or "" if msg_type == "text" else "/help"
        caller = Caller("wecom", user, chat_id=user)
        task = asyncio.ensure_future(self.engine.handle(caller, text))
        try:
            reply = (await asyncio.wait_for(asyncio.shield(task), self.reply_timeout)).text
        except asyncio.TimeoutError:
            self._later(task, user, msg_id)
            return web.Response(text="")
        if msg_id:
            await InboundMessage.filter(channel="wecom", message_id=msg_id).update(reply=reply)
        return self._passive(user, reply, nonce)

    def _passive(self, user: str, text: str, nonce: str) -> web.Response:
        """The encrypted passive reply to ``user``."""
        out_ts = str(int(self.clock.now().timestamp()))
        body = (f"<xml><ToUserName>{_cdata(user)}</ToUserName><FromUserName>{_cdata(self.crypto.receive_id.decode())}"
                f"</FromUserName><CreateTime>{out_ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                f"<Content>{_cdata(text)}</Content></xml>")
        return web.Response(text=self.crypto.reply_xml(body, out_ts, nonce), content_type="application/xml")

    def _later(self, task: asyncio.Task, user: str, msg_id: str | None) -> None:
        async def send() -> None:
            try:
                reply = (await task).text
            except Exception:                 # the engine answers every error itself; this is a last guard
                ref = incident_ref()
                log.exception("wecom late reply failed (incident %s)", ref)
                reply = self.engine.apology(ref)
            if msg_id:
                await InboundMessage.filter(channel="wecom", message_id=msg_id).update(reply=reply)
            if self.late_sender:
                await self.late_sender(user, reply)
            else:
                log.warning("wecom reply to %s took too long and no sender is configured", user)
        t = asyncio.ensure_future(send())
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)


class WeComSender:
    """Active messages (message/send) for replies after the 5 s window and for the outbox."""

    def __init__(self, corp_id: str, secret: str, agent_id: str, base_url: str = WECOM_API):
        self.corp_id, self.secret, self.agent_id, self.base_url = corp_id, secret, agent_id, base_url.rstrip("/")
        self._token: tuple[str, float] | None = None

    async def _access_token(self, http: ClientSession) -> str:
        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        async with http.get(f"{self.base_url}/gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}) as r:
            data = await r.json(content_type=None)
        if data.get("errcode"):
            raise RuntimeError(f"wecom gettoken failed: {data.get('errcode')} {data.get('errmsg')}")
        self._token = (data["access_token"], time.monotonic() + int(data.get("expires_in", 7200)) - 300)
        return self._token[0]

    async def send(self, user_id: str, text: str) -> None:
        async with ClientSession(timeout=ClientTimeout(total=15)) as http:
            token = await self._access_token(http)
            for i in range(0, len(text), 680):        # text content is limited to 2048 bytes (UTF-8: ~680 汉字)
                body = {"touser": user_id, "msgtype": "text", "agentid": int(self.agent_id),
                        "text": {"content": text[i:i + 680]}}
                async with http.post(f"{self.base_url}/message/send", params={"access_token": token}, json=body) as r:
                    data = await r.json(content_type=None)
                if data.get("errcode"):
                    raise RuntimeError(f"wecom send failed: {data.get('errcode')} {data.get('errmsg')}")
