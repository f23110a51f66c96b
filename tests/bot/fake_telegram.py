"""A local HTTP server that speaks enough of the Telegram Bot API (getMe, getUpdates, sendMessage, setWebhook,
deleteWebhook) to run the real python-telegram-bot client against it (``base_url``)."""
from __future__ import annotations

import asyncio
import json
import time

from aiohttp import web


class FakeBotAPI:
    def __init__(self, token: str = "123456:TEST"):
        self.token = token
        self.updates: list[dict] = []
        self.next_update_id = 1
        self.sent: list[dict] = []
        self.calls: list[str] = []
        self.webhook: dict | None = None
        self.next_message_id = 1000
        self._new_update = asyncio.Event()
        self._sent_event = asyncio.Event()
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        self.app = app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeBotAPI":
        self.runner = web.AppRunner(self.app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://{host}:{self.port}/bot"
        self.base_file_url = f"http://{host}:{self.port}/file/bot"
        return self

    async def stop(self) -> None:
        self._new_update.set()
        await self.runner.cleanup()

    def update(self, text: str, user_id: int = 42, chat_id: int | None = None) -> dict:
        uid = self.next_update_id
        self.next_update_id += 1
        msg = {"message_id": uid, "date": int(time.time()), "text": text,
               "chat": {"id": chat_id or user_id, "type": "private"},
               "from": {"id": user_id, "is_bot": False, "first_name": "T"}}
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": uid, "message": msg}

    def push_text(self, text: str, user_id: int = 42, chat_id: int | None = None) -> None:
        self.updates.append(self.update(text, user_id, chat_id))
        self._new_update.set()

    async def wait_sent(self, n: int, timeout: float = 10) -> list[dict]:
        async def _w():
            while len(self.sent) < n:
                self._sent_event.clear()
                await self._sent_event.wait()
        await asyncio.wait_for(_w(), timeout)
        return self.sent

    async def _params(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            return await request.json()
        out = {}
        for k, v in (await request.post()).items():          # PTB: form fields, each value JSON-encoded
            try:
                out[k] = json.loads(v)
            except (ValueError, TypeError):
                out[k] = v
        return out

    @staticmethod
    def ok(result) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        p = await self._params(request)
        self.calls.append(method)
        m = method.lower()
        if m == "getme":
            return self.ok({"id": 123456, "is_bot": True, "first_name": "Intake", "username": "intake_bot",
                            "can_join_groups": True, "can_read_all_group_messages": False,
                            "supports_inline_queries": False})
        if m == "setwebhook":
            self.webhook = p
            return self.ok(True)
        if m in ("deletewebhook", "setmycommands", "deletemycommands"):
            return self.ok(True)
        if m == "getupdates":
            offset = int(p.get("offset") or 0)
            timeout = float(p.get("timeout") or 0)
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and timeout:
                self._new_update.clear()
                try:
                    await asyncio.wait_for(self._new_update.wait(), min(timeout, 2))
                except asyncio.TimeoutError:
                    pass
            return self.ok(self.updates[:int(p.get("limit") or 100)])
        if m == "sendmessage":
            self.next_message_id += 1
            self.sent.append({"method": method, **p})
            self._sent_event.set()
            return self.ok({"message_id": self.next_message_id, "date": int(time.time()),
                            "chat": {"id": int(p["chat_id"]), "type": "private"}, "text": p.get("text", "")})
        return web.json_response({"ok": False, "error_code": 400, "description": f"Bad Request: no {method}"},
                                 status=400)
