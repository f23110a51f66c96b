"""No secret in logs or in errors shown to people: IMAP passwords (failing and succeeding logins, at DEBUG),
the Telegram bot token (every Bot API URL carries it), the WeCom token and EncodingAESKey."""
from __future__ import annotations

import asyncio
import logging
import uuid

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from config.settings import ImapAccount, load_settings
from intake.imap import MailboxWatcher
from intake.receiver import Receiver
from models.receipt import MailboxCursor

from fault_helpers import append, mail, wait_until

BAD_PW = "Wr0ng-Imap-Passw0rd-7f3a"


def _everything(caplog, skip=("aiohttp.access",)) -> str:
    """Every record our process emitted (the fake Bot API server's own access log is not our code)."""
    return "\n".join(f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
                     if r.name not in skip)


async def test_imap_password_absent_from_logs_and_errors(db, services, dovecot_server, caplog):
    caplog.set_level(logging.DEBUG)                       # the most verbose setting an operator could choose
    dc = dovecot_server
    receiver = Receiver(services.archive, services.clock)
    bad = MailboxWatcher(ImapAccount(mailbox="mohrss", host=dc.host, port=dc.port, user="someone", password=BAD_PW,
                                     ssl=False, poll_seconds=0.5), receiver, services.clock, backoff_base=0.1)
    good_user = f"secret-{uuid.uuid4().hex[:6]}"
    await append(dc, good_user, mail("<sec@x>"), "26-Mar-2023 10:00:00 +0800")
    good = MailboxWatcher(ImapAccount(mailbox="mof", host=dc.host, port=dc.port, user=good_user,
                                      password=dc.password, ssl=False, poll_seconds=0.5), receiver, services.clock)
    tasks = [asyncio.create_task(bad.run()), asyncio.create_task(good.run())]

    async def both():
        rows = await MailboxCursor.all().values_list("mailbox", flat=True)
        errs = await MailboxCursor.filter(mailbox="mohrss", last_error__icontains="login refused").count()
        return "mof" in rows and errs == 1 and "login refused" in caplog.text
    try:
        await wait_until(both, timeout=30)
    finally:
        bad.stop()
        good.stop()
        await asyncio.wait_for(asyncio.gather(*tasks), 30)
    text = _everything(caplog)
    assert "login refused for someone@" in text            # the failure itself is reported...
    assert BAD_PW not in text                               # ...without the password
    assert dc.password not in text                          # nor the good one (aioimaplib logs commands at DEBUG)
    for err in await MailboxCursor.all().values_list("last_error", flat=True):
        assert BAD_PW not in (err or "")


async def test_telegram_token_absent_from_logs(db, services, caplog):
    from bot import daemon as botd
    from bot.engine import Engine
    from tests.bot.fake_telegram import FakeBotAPI

    caplog.set_level(logging.DEBUG)
    fake = await FakeBotAPI(token="987654321:AAH-very-secret-bot-token-xyz").start()
    services.settings = load_settings(dict(services.settings.environ, SHENBAO_TELEGRAM_TOKEN=fake.token,
                                           SHENBAO_TELEGRAM_BASE_URL=fake.base_url))
    stopper = await botd.start_telegram(services, Engine(services))
    try:
        fake.push_text("实施方案最多几页？", user_id=7)
        await fake.wait_sent(1)
        await botd.send_chat("telegram", "7", "测试")
    finally:
        await stopper()
        botd.SENDERS.pop("telegram", None)
        await fake.stop()
    text = _everything(caplog)
    assert "getUpdates" in text or "sendMessage" in text or "telegram adapter started" in text
    assert fake.token not in text and "very-secret-bot-token" not in text


async def test_wecom_token_and_key_absent_from_logs_and_responses(db, services, clock, caplog):
    from bot.engine import Engine
    from bot.wecom import WeComCallback
    from tests.bot.test_wecom import AES, TOKEN, crypto, envelope

    caplog.set_level(logging.DEBUG)
    srv = TestServer(WeComCallback(Engine(services), crypto(), clock).app(), host="127.0.0.1")
    await srv.start_server()
    ts = str(int(clock.now().timestamp()))
    bodies = []
    try:
        async with ClientSession() as http:
            params, body = envelope("你好", "zhangsan", "8001", ts, "n1")
            for p in (dict(params, msg_signature="0" * 40), dict(params, timestamp="1"), params):
                async with http.post(srv.make_url("/wecom/callback"), params=p, data=body) as r:
                    bodies.append((r.status, await r.text()))
    finally:
        await srv.close()
    assert [b[0] for b in bodies] == [403, 403, 200]
    text = _everything(caplog) + "".join(b[1] for b in bodies)
    assert "rejected" in text
    assert TOKEN not in text and AES not in text
