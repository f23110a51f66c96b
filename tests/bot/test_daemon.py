"""The bot process: adapters from settings (placeholders refused), send_chat through the running adapter."""
from __future__ import annotations

import asyncio

import pytest

from config.settings import SettingsError, load_settings
from core.archive import Archive
from core.services import Services

from bot import daemon
from tests.bot.fake_telegram import FakeBotAPI


def services_with(env: dict, tmp_path, clock, call) -> Services:
    env = {"SHENBAO_DATA_DIR": str(tmp_path / "data"), "SHENBAO_WEB_PORT": "0", **env}   # any free port
    return Services(load_settings(env), call, clock, Archive(tmp_path / "data" / "archive"))


async def test_placeholder_token_is_refused(db, tmp_path, clock, call2023):
    # refused where the settings are read, before any adapter or the scheduler starts
    with pytest.raises(SettingsError, match="SHENBAO_TELEGRAM_TOKEN"):
        services_with({"SHENBAO_TELEGRAM_TOKEN": "changeme"}, tmp_path, clock, call2023)
    with pytest.raises(SettingsError, match="SHENBAO_WECOM_TOKEN"):
        services_with({"SHENBAO_WECOM_CORP_ID": "wx1", "SHENBAO_WECOM_TOKEN": "<token>"}, tmp_path, clock, call2023)


async def test_send_chat_without_adapter_raises():
    with pytest.raises(daemon.ChatUnavailable):
        await daemon.send_chat("telegram", "1", "x")


async def test_daemon_runs_telegram_and_send_chat(db, tmp_path, clock, call2023):
    fake = await FakeBotAPI().start()
    s = services_with({"SHENBAO_TELEGRAM_TOKEN": fake.token, "SHENBAO_TELEGRAM_BASE_URL": fake.base_url},
                      tmp_path, clock, call2023)
    stop = asyncio.Event()
    task = asyncio.create_task(daemon.run_daemon(s, stop))
    try:
        for _ in range(200):
            if "telegram" in daemon.SENDERS:
                break
            await asyncio.sleep(0.02)
        await daemon.send_chat("telegram", "77", "提醒：离截止还有1天")
        fake.push_text("联系人电话？", user_id=78)
        sent = await fake.wait_sent(2)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
        await fake.stop()
    assert {int(x["chat_id"]) for x in sent} == {77, 78}
    assert daemon.SENDERS == {}
