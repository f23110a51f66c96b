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
from bot.chunks import split_lines
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
    """Active messages (message/send) for replies after the 5 s window and for the outbox: Markdown text,
    template cards (``text_notice``, e.g. the digest with a link to the web desk) and files (the xlsx,
    uploaded with media/upload). WeCom's passive reply (the callback's XML answer) can only be plain text."""

    MD_LIMIT = 1300                            # markdown content ≤ 4096 bytes (UTF-8: ~1,300 汉字)

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

    async def _send(self, http: ClientSession, body: dict) -> None:
        token = await self._access_token(http)
        async with http.post(f"{self.base_url}/message/send", params={"access_token": token},
                             json={"agentid": int(self.agent_id), **body}) as r:
            data = await r.json(content_type=None)
        if data.get("errcode"):
            from bot.outbox import SendError

            code = data.get("errcode")
            # 45009/45033: API frequency/concurrency limits — wait; 81013/60111: user not found — permanent
            raise SendError(f"wecom send failed: {code} {data.get('errmsg')}", permanent=code in (81013, 60111, 40003),
                            retry_after=60 if code in (45009, 45033, 45047) else None)

    async def send(self, user_id: str, text: str) -> None:
        from bot.markdown import to_markdown

        async with ClientSession(timeout=ClientTimeout(total=15)) as http:
            for part in split_lines(text, self.MD_LIMIT) or [""]:
                await self._send(http, {"touser": user_id, "msgtype": "markdown",
                                        "markdown": {"content": to_markdown(part)}})

    async def send_card(self, user_id: str, card: dict) -> None:
        """A ``text_notice`` template card: title, description, key figures, a link (the web desk)."""
        body = {"touser": user_id, "msgtype": "template_card", "template_card": {
            "card_type": "text_notice", "main_title": {"title": card["title"][:36], "desc": card.get("desc", "")[:44]},
            "horizontal_content_list": [{"keyname": k[:5], "value": v[:26]} for k, v in card.get("fields", [])][:6],
            "card_action": {"type": 1, "url": card.get("url") or "https://work.weixin.qq.com"},
            "jump_list": [{"type": 1, "title": "打开网页收件台", "url": card["url"]}] if card.get("url") else []}}
        async with ClientSession(timeout=ClientTimeout(total=15)) as http:
            await self._send(http, body)

    async def send_file(self, user_id: str, filename: str, data: bytes) -> None:
        """Upload ``data`` as a temporary file (media/upload, type=file) and send it as a file message."""
        import secrets

        # multipart by hand: WeCom takes the file name as raw UTF-8 in Content-Disposition (a percent-encoded
        # or RFC 2231 name would show as "%E6%94%B6…xlsx" in the officer's chat)
        boundary = secrets.token_hex(16)
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        form = (f'--{boundary}\r\nContent-Disposition: form-data; name="media"; filename="{safe}"; '
                f'filelength={len(data)}\r\nContent-Type: application/octet-stream\r\n\r\n').encode() \
            + data + f"\r\n--{boundary}--\r\n".encode()
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:
            token = await self._access_token(http)
            async with http.post(f"{self.base_url}/media/upload", params={"access_token": token, "type": "file"},
                                 data=form, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}) as r:
                up = await r.json(content_type=None)
            if up.get("errcode") or not up.get("media_id"):
                raise RuntimeError(f"wecom media/upload failed: {up.get('errcode')} {up.get('errmsg')}")
            await self._send(http, {"touser": user_id, "msgtype": "file", "file": {"media_id": up["media_id"]}})
