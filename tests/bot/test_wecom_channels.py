"""WeCom beyond the passive text reply: the 智能机器人 long connection against a local stand-in speaking its
frames (subscribe, callback, respond with the callback's req_id, ping, push), and the self-built app's
active messages — Markdown, the digest's template card and the xlsx as a file message — against a local
stand-in of the message/send and media/upload API; plus the outbox's per-recipient send-rate limits."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta

import pytest_asyncio
from aiohttp import WSMsgType, web

from bot.engine import Engine
from bot.outbox import RateLimiter, Senders, drain
from bot.wecom import WeComSender
from bot.wecom_aibot import WeComAIBot
from config.settings import WeComBotSettings
from core.outbox import enqueue
from tests.bot.seed import seed

BOT_ID, SECRET = "aibAbC123", "aibot-secret-xyz"


class AIBotStandIn:
    def __init__(self):
        self.frames: list[dict] = []
        self.got = asyncio.Event()
        self.ws = None
        self.subscribed = asyncio.Event()

    async def start(self):
        app = web.Application()
        app.router.add_get("/", self.handler)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"ws://127.0.0.1:{self.runner.addresses[0][1]}/"
        return self

    async def handler(self, request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.ws = ws
        async for m in ws:
            if m.type != WSMsgType.TEXT:
                continue
            f = json.loads(m.data)
            self.frames.append(f)
            self.got.set()
            rid = f["headers"]["req_id"]
            if f["cmd"] == "aibot_subscribe":
                ok = f["body"] == {"bot_id": BOT_ID, "secret": SECRET}
                await ws.send_str(json.dumps({"headers": {"req_id": rid}, "errcode": 0 if ok else 40058,
                                              "errmsg": "ok" if ok else "invalid secret"}))
                if ok:
                    self.subscribed.set()
            else:
                await ws.send_str(json.dumps({"headers": {"req_id": rid}, "errcode": 0, "errmsg": "ok"}))
        return ws

    async def user_says(self, text, user, msgid=None) -> str:
        rid = uuid.uuid4().hex
        await self.ws.send_str(json.dumps({"cmd": "aibot_msg_callback", "headers": {"req_id": rid}, "body": {
            "msgid": msgid or uuid.uuid4().hex, "aibotid": BOT_ID, "chattype": "single", "from": {"userid": user},
            "msgtype": "text", "text": {"content": text}}}, ensure_ascii=False))
        return rid

    async def wait_for(self, cmd, n=1, timeout=10):
        end = asyncio.get_running_loop().time() + timeout
        while sum(1 for f in self.frames if f["cmd"] == cmd) < n:
            self.got.clear()
            await asyncio.wait_for(self.got.wait(), max(0.05, end - asyncio.get_running_loop().time()))
        return [f for f in self.frames if f["cmd"] == cmd][n - 1]


@pytest_asyncio.fixture
async def aibot(db, bot_services, clock):
    await seed(bot_services)
    standin = await AIBotStandIn().start()
    bot = WeComAIBot(WeComBotSettings(BOT_ID, SECRET, standin.url), Engine(bot_services), clock, backoff=0.1,
                     heartbeat=0.3)
    await bot.start()
    await asyncio.wait_for(standin.subscribed.wait(), 10)
    yield bot, standin
    await bot.stop()
    await standin.runner.cleanup()


async def test_aibot_answers_over_the_long_connection_once_per_msgid(aibot):
    bot, standin = aibot
    rid = await standin.user_says("截止时间是什么时候？", "zhangsan", msgid="m1")
    r = await standin.wait_for("aibot_respond_msg")
    assert r["headers"]["req_id"] == rid and r["body"]["msgtype"] == "stream"
    assert r["body"]["stream"]["finish"] is True and "2023年3月26日24时" in r["body"]["stream"]["content"]
    await standin.user_says("截止时间是什么时候？", "zhangsan", msgid="m1")    # redelivered
    await standin.user_says("总览", "lisi")                                     # lisi is an officer (WeCom userid)
    r2 = await standin.wait_for("aibot_respond_msg", 2)
    assert "已申报" in r2["body"]["stream"]["content"]
    await asyncio.sleep(0.3)
    assert sum(1 for f in standin.frames if f["cmd"] == "aibot_respond_msg") == 2
    await standin.wait_for("ping")                                              # heartbeat
    await bot.send("lisi", "【收件监视恢复】人社部邮箱已恢复")
    push = await standin.wait_for("aibot_send_msg")
    assert push["body"]["chatid"] == "lisi" and "**【收件监视恢复】**" in push["body"]["markdown"]["content"]


class AppAPIStandIn:
    def __init__(self):
        self.sent: list[dict] = []
        self.uploads: list[tuple[str, bytes]] = []

    async def start(self):
        app = web.Application()
        app.router.add_get("/cgi-bin/gettoken", lambda r: web.json_response({"errcode": 0, "access_token": "T",
                                                                                "expires_in": 7200}))
        app.router.add_post("/cgi-bin/message/send", self.send)
        app.router.add_post("/cgi-bin/media/upload", self.upload)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/cgi-bin"
        return self

    async def send(self, request):
        assert request.query["access_token"] == "T"
        self.sent.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def upload(self, request):
        assert request.query["type"] == "file"
        form = await request.post()
        f = form["media"]
        self.uploads.append((f.filename, f.file.read()))
        return web.json_response({"errcode": 0, "type": "file", "media_id": "MEDIA1"})


async def test_app_sends_markdown_card_and_the_xlsx_file(tmp_path):
    api = await AppAPIStandIn().start()
    try:
        s = WeComSender("ww01", "sec", "1000002", base_url=api.url)
        await s.send("lisi", "【截止时间】\n  2023年3月26日24时前")
        await s.send_card("lisi", {"title": "财办社〔2023〕22号 每日收件汇总", "desc": "需要关注：河北省",
                                   "fields": [["已申报", "13"], ["未申报", "19"]], "url": "https://desk.example.cn/"})
        await s.send_file("lisi", "收件登记表_20230326_0830.xlsx", b"PK\x03\x04xlsx-bytes")
    finally:
        await api.runner.cleanup()
    md, card, file = api.sent
    assert md["msgtype"] == "markdown" and md["markdown"]["content"].startswith("**【截止时间】**")
    tc = card["template_card"]
    assert card["msgtype"] == "template_card" and tc["card_type"] == "text_notice"
    assert tc["horizontal_content_list"][0] == {"keyname": "已申报", "value": "13"}
    assert tc["card_action"]["url"] == "https://desk.example.cn/"
    assert file == {"agentid": 1000002, "touser": "lisi", "msgtype": "file", "file": {"media_id": "MEDIA1"}}
    assert api.uploads == [("收件登记表_20230326_0830.xlsx", b"PK\x03\x04xlsx-bytes")]


async def test_outbox_respects_per_recipient_rate_limits_and_sends_files(db, bot_services, clock):
    sent = []

    async def chat(channel, chat_id, text):
        sent.append((channel, chat_id, text))

    files = []

    async def chat_file(channel, chat_id, filename, data):
        files.append((chat_id, filename, data))

    now = clock.now()
    for i in range(25):
        await enqueue(key=f"n{i:02d}", channel="dingtalk", recipient="officer1", body=f"消息{i}", now=now)
    await enqueue(key="other", channel="dingtalk", recipient="officer2", body="别人", now=now)
    sha, rel = bot_services.archive.put(b"xlsx!", "outbox", ".xlsx")
    await enqueue(key="f", channel="wecom", recipient="lisi", body="登记表", now=now,
                  payload={"attachments": [{"filename": "登记表.xlsx", "archive_path": rel, "sha256": sha}]})
    t = [0.0]
    senders = Senders(chat=chat, chat_file=chat_file, archive=bot_services.archive,
                      limiter=RateLimiter(clock=lambda: t[0]))
    res = await drain(senders, clock)
    assert res.sent == 18 + 1 + 1 and res.failed == 0           # DingTalk: 18 a minute to one conversation
    assert [x[2] for x in sent if x[1] == "officer1"] == [f"消息{i}" for i in range(18)]   # in order
    assert files == [("lisi", "登记表.xlsx", b"xlsx!")]
    t[0] = 61.0
    clock.advance(seconds=61)
    res = await drain(senders, clock)
    assert res.sent == 7 and [x[2] for x in sent if x[1] == "officer1"][-1] == "消息24"
