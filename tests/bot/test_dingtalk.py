"""The DingTalk adapter against a local stand-in speaking the Stream protocol: connect with credentials, a
ticket and a WebSocket; every frame acknowledged; questions answered through the same engine in Markdown on
the session webhook; officers recognised; a redelivered message answered once; pings echoed; a dropped
connection re-opened; active messages (the outbox) sent with an access token."""
from __future__ import annotations

import asyncio

import pytest_asyncio

from config.settings import load_settings
from core.archive import Archive
from core.services import Services

from bot.dingtalk import DingTalkAdapter
from bot.engine import Engine
from tests.bot.dingtalk_standin import CLIENT_ID, CLIENT_SECRET, ROBOT, DingTalkStandIn
from tests.bot.seed import seed

OFFICER = "manager4711"


@pytest_asyncio.fixture
async def standin():
    s = await DingTalkStandIn().start()
    yield s
    await s.stop()


@pytest_asyncio.fixture
async def adapter(db, tmp_path, clock, call2023, standin):
    env = {"SHENBAO_DATA_DIR": str(tmp_path / "data"), "SHENBAO_DINGTALK_CLIENT_ID": CLIENT_ID,
           "SHENBAO_DINGTALK_CLIENT_SECRET": CLIENT_SECRET, "SHENBAO_DINGTALK_ROBOT_CODE": ROBOT,
           "SHENBAO_DINGTALK_ENDPOINT": standin.url, "SHENBAO_OFFICERS_DINGTALK": OFFICER}
    services = Services(settings=load_settings(env), call=call2023, clock=clock,
                        archive=Archive(tmp_path / "data" / "archive"))
    await seed(services)
    a = DingTalkAdapter(services.settings.dingtalk, Engine(services), clock, backoff=0.2)
    await a.start()
    await asyncio.wait_for(standin.connected.wait(), 10)
    yield a
    await a.stop()


async def _reply(standin, n: int, timeout: float = 15) -> dict:
    end = asyncio.get_running_loop().time() + timeout
    while len(standin.replies) < n:
        standin.reply_event.clear()
        await asyncio.wait_for(standin.reply_event.wait(), max(0.1, end - asyncio.get_running_loop().time()))
    return standin.replies[n - 1]


async def _acked(standin, mid: str) -> dict:
    for _ in range(100):
        if mid in standin.acks:
            return standin.acks[mid]
        await asyncio.sleep(0.05)
    raise AssertionError(f"frame {mid} was never acknowledged")


async def test_question_answered_in_markdown_and_acknowledged(adapter, standin):
    mid = await standin.user_says("截止时间是什么时候？", staff_id="someone")
    r = await _reply(standin, 1)
    assert r["msgtype"] == "markdown" and "2023年3月26日24时" in r["markdown"]["text"]
    ack = await _acked(standin, mid)
    assert ack["code"] == 200 and ack["headers"]["messageId"] == mid


async def test_officer_is_recognised_and_redelivery_is_answered_once(adapter, standin):
    await standin.user_says("总览", staff_id=OFFICER, msg_id="msg-1")
    r = await _reply(standin, 1)
    assert "已申报" in r["markdown"]["text"] and "未申报" in r["markdown"]["text"]
    await standin.user_says("总览", staff_id=OFFICER, msg_id="msg-1")       # DingTalk redelivers
    await standin.user_says("总览", staff_id="not-an-officer")
    r2 = await _reply(standin, 2)
    assert "工作人员" in r2["markdown"]["text"] or "未申报" not in r2["markdown"]["text"]
    await asyncio.sleep(0.5)
    assert len(standin.replies) == 2


async def test_ping_echoed_disconnect_reconnects_and_active_send(adapter, standin):
    mid = await standin.push("SYSTEM", "ping", {"opaque": "p1"})
    ack = await _acked(standin, mid)
    assert ack["code"] == 200 and '"opaque": "p1"' in ack["data"]
    opens = standin.opens
    await standin.ws.close()                                             # the service drops us
    standin.connected.clear()
    await asyncio.wait_for(standin.connected.wait(), 15)
    assert standin.opens == opens + 1
    await adapter.send(OFFICER, "【收件监视告警】财政部社会保障司邮箱 已超过5分钟没有成功连接")
    body, token = standin.active[-1]
    assert token == "tok-" + CLIENT_ID and body["robotCode"] == ROBOT and body["userIds"] == [OFFICER]
    assert body["msgKey"] == "sampleMarkdown" and "**【收件监视告警】**" in body["msgParam"]
