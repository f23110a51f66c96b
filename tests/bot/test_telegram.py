"""Telegram end to end: the real python-telegram-bot client (own loop, polling; and webhook with a secret
token) against a local fake Bot API; long answers are split at 4096 characters."""
from __future__ import annotations

import socket

import pytest
from aiohttp import ClientSession

from bot import telegram as tg
from bot.access import issue_code
from tests.bot.conftest import OFFICER_TG
from tests.bot.fake_telegram import FakeBotAPI


@pytest.fixture
async def fake():
    f = await FakeBotAPI().start()
    yield f
    await f.stop()


def test_split_message():
    text = "\n".join(["一" * 100] * 100)                  # 10,099 characters
    parts = tg.split_message(text)
    assert all(len(p) <= 4096 for p in parts) and "\n".join(parts) == text
    assert [len(p) for p in tg.split_message("x" * 9000)] == [4096, 4096, 808]


async def test_polling_end_to_end(seeded, engine, bot_services, fake):
    app = tg.build_application(engine, fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url,
                               read_timeout=5)
    await tg.start(app, poll_timeout=1)
    try:
        code, _ = await issue_code(bot_services, "湖南省", actor="test")
        fake.push_text("实施方案最多几页？", user_id=7)
        fake.push_text(f"/bind {code}", user_id=8)
        sent = await fake.wait_sent(2)
        fake.push_text("我们的材料收到了吗？", user_id=8)
        fake.push_text("广东的呢？", user_id=8)
        fake.push_text("/overview", user_id=int(OFFICER_TG))
        sent = await fake.wait_sent(5)
    finally:
        await tg.stop(app)
    by_chat = {}
    for s in sent:
        by_chat.setdefault(int(s["chat_id"]), []).append(s["text"])
    assert "实施方案不得超过10页" in by_chat[7][0] and "二（三）" in by_chat[7][0]
    assert "绑定成功" in by_chat[8][0]
    assert "湖南省" in by_chat[8][1] and "2023-03-25 15:30:00 收到" in by_chat[8][1]
    assert "不能查看广东省" in by_chat[8][2]
    assert "已申报 2" in by_chat[int(OFFICER_TG)][0]
    assert fake.calls[0] == "getMe" and "deleteWebhook" in fake.calls


async def test_long_answer_is_split(db, engine, bot_services, fake):
    from models.chat import ChatBinding

    now = bot_services.clock.now()
    provinces = bot_services.call.province_names()
    for i in range(250):                                # a long /bindings list: a real answer over 4096 chars
        await ChatBinding.create(channel="telegram", user_id=str(10_000 + i), chat_id=str(10_000 + i),
                                 province=provinces[i % len(provinces)], bound_at=now)
    long = (await engine.handle(__import__("tests.bot.conftest", fromlist=["officer"]).officer(), "/bindings")).text
    n = len(tg.split_message(long))
    assert n >= 3
    app = tg.build_application(engine, fake.token, base_url=fake.base_url, read_timeout=5)
    await tg.start(app, poll_timeout=1)
    try:
        fake.push_text("/bindings", user_id=int(OFFICER_TG))
        sent = await fake.wait_sent(n)
    finally:
        await tg.stop(app)
    assert all(len(s["text"]) <= 4096 for s in sent)
    assert "\n".join(s["text"] for s in sent) == long


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_with_secret_token(db, engine, fake):
    port = _free_port()
    app = tg.build_application(engine, fake.token, base_url=fake.base_url, read_timeout=5)
    await tg.start(app, webhook_url=f"https://bot.example.gov.cn/telegram", secret_token="s3cret-Token_1",
                   listen="127.0.0.1", port=port, url_path="telegram")
    try:
        assert fake.webhook["url"] == "https://bot.example.gov.cn/telegram"
        assert fake.webhook["secret_token"] == "s3cret-Token_1"
        url = f"http://127.0.0.1:{port}/telegram"
        async with ClientSession() as http:
            async with http.post(url, json=fake.update("联系人电话？", user_id=11),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as r:
                assert r.status == 403
            async with http.post(url, json=fake.update("联系人电话？", user_id=12),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}) as r:
                assert r.status == 200
        sent = await fake.wait_sent(1)
    finally:
        await tg.stop(app)
    assert len(sent) == 1 and int(sent[0]["chat_id"]) == 12 and "010-68553924" in sent[0]["text"]


async def test_anonymous_group_admin_is_nobody(seeded, engine, bot_services, fake):
    """Telegram's shared GroupAnonymousBot id (1087968824) stands for every anonymous admin of a group:
    it can neither bind a province nor be an officer, even if configured as one."""
    from dataclasses import replace

    anon = 1087968824
    bot_services.settings = replace(bot_services.settings, outgoing=replace(
        bot_services.settings.outgoing, officers_telegram=(*bot_services.settings.outgoing.officers_telegram, str(anon))))
    from bot.engine import Engine
    eng = Engine(bot_services)
    app = tg.build_application(eng, fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url,
                               read_timeout=5)
    await tg.start(app, poll_timeout=1)
    try:
        code, _ = await issue_code(bot_services, "湖南省", actor="test")
        fake.push_text(f"/bind {code}", user_id=anon, chat_id=-100123)
        fake.push_text("/overview", user_id=anon, chat_id=-100123)
        sent = await fake.wait_sent(2)
    finally:
        await tg.stop(app)
    texts = [s["text"] for s in sent]
    assert "匿名管理员" in texts[0] and "绑定成功" not in texts[0]
    assert "已申报" not in texts[1]
    from models.chat import BindingCode, ChatBinding
    assert await ChatBinding.filter(user_id=str(anon)).count() == 0
    assert await BindingCode.filter(used_at__isnull=True).count() == 1
