"""Chat faults with the real adapters: the Telegram Bot API answering 429 (a RetryAfter storm) and then
unreachable for an hour (the outbox drains afterwards, each message delivered exactly once, in order); WeCom
posting the same MsgId three times at once (WeCom retries after 5 s; the engine must answer once)."""
from __future__ import annotations

import asyncio
import time

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bot import daemon as botd
from bot.engine import Engine
from bot.outbox import drain
from core.outbox import enqueue
from bot.wecom import WeComCallback
from models.chat import InboundMessage
from models.outbox import OutboxMessage
from tests.bot.fake_telegram import FakeBotAPI
from tests.bot.test_wecom import crypto, envelope
from tests_support.faultproxy import FaultProxy


class FloodingBotAPI(FakeBotAPI):
    """sendMessage answers 429 with retry_after while ``flood`` > 0 (Telegram's flood control)."""

    def __init__(self):
        super().__init__()
        self.flood = 0
        self.refused = 0

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"].lower() == "sendmessage" and self.flood > 0:
            self.flood -= 1
            self.refused += 1
            await request.read()
            return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        return await super().handle(request)


async def _drain_until_done(senders, clock, *, step_s: float, max_rounds: int = 40) -> int:
    for n in range(1, max_rounds + 1):
        await drain(senders, clock)
        if not await OutboxMessage.filter(status="pending").exists():
            return n
        clock.advance(seconds=step_s)
    raise AssertionError("outbox did not drain")


async def test_telegram_429_storm_then_unreachable_for_an_hour(db, services, clock):
    fake = await FloodingBotAPI().start()
    proxy = FaultProxy("127.0.0.1", fake.port).start()
    env = dict(services.settings.environ, SHENBAO_TELEGRAM_TOKEN=fake.token,
               SHENBAO_TELEGRAM_BASE_URL=f"http://127.0.0.1:{proxy.port}/bot")
    from config.settings import load_settings
    services.settings = load_settings(env)
    stopper = await botd.start_telegram(services, Engine(services))
    try:
        senders = botd.build_senders(services)
        for i in range(6):
            await enqueue(key=f"storm:{i}", channel="telegram", recipient="9001", body=f"提醒 {i}", now=clock.now())
        fake.flood = 9                                        # beyond PTB's 3 internal retries: RetryAfter reaches us
        t0 = time.monotonic()
        rounds = await _drain_until_done(senders, clock, step_s=3)
        storm_s = time.monotonic() - t0
        texts = [s["text"] for s in fake.sent]
        assert texts == [f"提醒 {i}" for i in range(6)], texts     # each once, in order
        print(f"429 storm: {fake.refused} refusals, drained in {rounds} rounds ({storm_s:.1f}s)")

        proxy.set_mode("blackhole")                           # api.telegram.org unreachable
        for i in range(4):
            await enqueue(key=f"dark:{i}", channel="telegram", recipient="9001", body=f"告警 {i}", now=clock.now())
        outage_rounds = 0
        for _ in range(3):                                    # an hour of failed attempts (simulated clock)
            res = await drain(senders, clock)
            outage_rounds += 1
            assert res.sent == 0
            clock.advance(minutes=20)
        assert len(fake.sent) == 6                            # nothing slipped through the hole
        proxy.set_mode("pass")
        clock.advance(minutes=31)                             # past the 30 min backoff cap
        rounds = await _drain_until_done(senders, clock, step_s=60)
        texts = [s["text"] for s in fake.sent]
        assert texts == [f"提醒 {i}" for i in range(6)] + [f"告警 {i}" for i in range(4)], texts
        rows = await OutboxMessage.all().values_list("status", flat=True)
        assert set(rows) == {"sent"} and len(rows) == 10
        print(f"unreachable 1 h: {outage_rounds} failed drains, then 4 delivered once each in {rounds} round(s)")
    finally:
        await stopper()
        botd.SENDERS.pop("telegram", None)
        proxy.close()
        await fake.stop()


async def test_wecom_posts_the_same_msgid_three_times_at_once(db, services, clock):
    calls = []

    class CountingEngine(Engine):
        async def handle(self, caller, text):
            calls.append(text)
            await asyncio.sleep(0.3)                          # slow enough that the retries overlap
            return await super().handle(caller, text)
    cb = WeComCallback(CountingEngine(services), crypto(), clock)
    srv = TestServer(cb.app(), host="127.0.0.1")
    await srv.start_server()
    ts = str(int(clock.now().timestamp()))
    try:
        async with ClientSession() as http:
            async def post(nonce):
                params, body = envelope("实施方案最多几页？", "zhangsan", "7001", ts, nonce)
                async with http.post(srv.make_url("/wecom/callback"), params=params, data=body) as r:
                    return r.status, await r.text()
            got = await asyncio.gather(post("n1"), post("n2"), post("n3"))
    finally:
        await srv.close()
    assert [g[0] for g in got] == [200, 200, 200]
    assert sum(1 for g in got if g[1]) == 1                   # one answer; the retries get an empty 200
    assert len(calls) == 1
    assert await InboundMessage.filter(channel="wecom", message_id="7001").count() == 1
