"""The chat error boundary: an answer that raises gives the asker a Chinese apology with an incident reference
(the same reference is in the log with the traceback) — in the engine, over Telegram and over WeCom."""
from __future__ import annotations

import logging
import re

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot import compose
from bot import telegram as tg
from bot.wecom import WeComCallback
from tests.bot.fake_telegram import FakeBotAPI
from tests.bot.test_wecom import crypto, envelope, reply_text

REF = re.compile(r"错误编号 ([0-9A-F]{8})")


def _break_deadline_answers(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("simulated failure in an answer")
    monkeypatch.setattr(compose, "deadline", boom)


async def test_engine_apologises_and_logs_the_reference(db, engine, monkeypatch, caplog):
    _break_deadline_answers(monkeypatch)
    from bot.access import Caller

    with caplog.at_level(logging.ERROR, logger="shenbao.bot"):
        reply = await engine.handle(Caller("terminal", "u1"), "截止时间是什么时候")
    m = REF.search(reply.text)
    assert m and reply.intent == "error" and "抱歉" in reply.text and "010-68553924" in reply.text
    logged = [r for r in caplog.records if m.group(1) in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info and "simulated failure" in str(logged[0].exc_info[1])


async def test_telegram_user_gets_the_apology(db, engine, monkeypatch):
    _break_deadline_answers(monkeypatch)
    fake = await FakeBotAPI().start()
    app = tg.build_application(engine, fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url,
                               read_timeout=5)
    await tg.start(app, poll_timeout=1)
    try:
        fake.push_text("截止时间是什么时候", user_id=31)
        [sent] = await fake.wait_sent(1)
    finally:
        await tg.stop(app)
        await fake.stop()
    assert int(sent["chat_id"]) == 31 and REF.search(sent["text"]) and "抱歉" in sent["text"]


async def test_wecom_answers_200_with_the_apology(db, engine, clock, monkeypatch):
    _break_deadline_answers(monkeypatch)
    cb = WeComCallback(engine, crypto(), clock)
    srv = TestServer(cb.app(), host="127.0.0.1")
    await srv.start_server()
    try:
        async with ClientSession() as http:
            ts = str(int(clock.now().timestamp()))
            params, body = envelope("截止时间是什么时候", "lisi", "7001", ts, "n71")
            async with http.post(srv.make_url("/wecom/callback"), params=params, data=body.encode()) as r:
                assert r.status == 200
                text = reply_text(await r.text())
    finally:
        await srv.close()
    assert REF.search(text) and "抱歉" in text
