"""A local stand-in for DingTalk's open platform, speaking the Stream protocol the way the service does:
``POST /v1.0/gateway/connections/open`` (credentials checked, a ticket issued), a WebSocket at
``/connect?ticket=…`` that pushes SYSTEM and CALLBACK frames and expects an acknowledgement per messageId,
the per-message ``sessionWebhook`` a reply is POSTed to, and the active-message API
(``/v1.0/oauth2/accessToken``, ``/v1.0/robot/oToMessages/batchSend``)."""
from __future__ import annotations

import asyncio
import json
import uuid

from aiohttp import WSMsgType, web

CLIENT_ID, CLIENT_SECRET, ROBOT = "dingtestclient", "s3cr3t-dingtalk-app", "dingrobot01"


class DingTalkStandIn:
    def __init__(self):
        self.tickets: set[str] = set()
        self.acks: dict[str, dict] = {}              # messageId -> ack frame
        self.ack_event = asyncio.Event()
        self.replies: list[dict] = []                # what arrived at session webhooks
        self.reply_event = asyncio.Event()
        self.active: list[tuple[dict, str]] = []     # (batchSend body, token header)
        self.opens = 0
        self.ws: web.WebSocketResponse | None = None
        self.connected = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> "DingTalkStandIn":
        app = web.Application()
        app.router.add_post("/v1.0/gateway/connections/open", self.open)
        app.router.add_get("/connect", self.connect)
        app.router.add_post("/robot/sendBySession/{sid}", self.webhook)
        app.router.add_post("/v1.0/oauth2/accessToken", self.token)
        app.router.add_post("/v1.0/robot/oToMessages/batchSend", self.batch_send)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.runner.cleanup()

    async def open(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.opens += 1
        if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        assert {"type": "CALLBACK", "topic": "/v1.0/im/bot/messages/get"} in body["subscriptions"]
        ticket = uuid.uuid4().hex
        self.tickets.add(ticket)
        return web.json_response({"endpoint": self.url.replace("http", "ws") + "/connect", "ticket": ticket})

    async def connect(self, request: web.Request) -> web.WebSocketResponse:
        if request.query.get("ticket") not in self.tickets:
            raise web.HTTPForbidden()
        self.tickets.discard(request.query["ticket"])
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        self.connected.set()
        async for m in ws:
            if m.type == WSMsgType.TEXT:
                ack = json.loads(m.data)
                self.acks[ack["headers"]["messageId"]] = ack
                self.ack_event.set()
        self.connected.clear()
        return ws

    async def push(self, kind: str, topic: str, data: dict, message_id: str | None = None) -> str:
        mid = message_id or uuid.uuid4().hex
        await self.ws.send_str(json.dumps({"specVersion": "1.0", "type": kind,
                                           "headers": {"topic": topic, "messageId": mid, "contentType": "application/json",
                                                       "time": "1679846400000", "appId": "app"},
                                           "data": json.dumps(data, ensure_ascii=False)}))
        return mid

    async def user_says(self, text: str, *, staff_id: str, msg_id: str | None = None) -> str:
        sid = uuid.uuid4().hex[:8]
        data = {"conversationId": f"cid{staff_id}", "chatbotCorpId": "ding0", "chatbotUserId": "bot",
                "msgId": msg_id or uuid.uuid4().hex, "senderNick": "张三", "isAdmin": False,
                "senderStaffId": staff_id, "sessionWebhookExpiredTime": 1999999999999, "createAt": 1679846400000,
                "senderCorpId": "ding0", "conversationType": "1", "senderId": f"$:{staff_id}",
                "sessionWebhook": f"{self.url}/robot/sendBySession/{sid}", "robotCode": ROBOT,
                "msgtype": "text", "text": {"content": text}}
        return await self.push("CALLBACK", "/v1.0/im/bot/messages/get", data)

    async def webhook(self, request: web.Request) -> web.Response:
        self.replies.append(await request.json())
        self.reply_event.set()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("appKey") != CLIENT_ID or body.get("appSecret") != CLIENT_SECRET:
            return web.json_response({"code": "invalidClientIdOrSecret"}, status=400)
        return web.json_response({"accessToken": "tok-" + CLIENT_ID, "expireIn": 7200})

    async def batch_send(self, request: web.Request) -> web.Response:
        self.active.append((await request.json(), request.headers.get("x-acs-dingtalk-access-token", "")))
        return web.json_response({"processQueryKey": uuid.uuid4().hex})
