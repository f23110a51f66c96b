"""Bot fixtures: services with officers configured, an engine, seeded intake rows (shared ``db`` fixture)."""
from __future__ import annotations

import pytest
import pytest_asyncio

from config.settings import load_settings
from core.archive import Archive
from core.services import Services

from bot.access import Caller
from bot.engine import Engine
from tests.bot.seed import seed

OFFICER_TG = "9001"
OFFICER_WECOM = "lisi"


@pytest.fixture(scope="session")
def chat_cache(tmp_path_factory):
    """One cache dir for the session: the chat models are trained once, not per test."""
    return tmp_path_factory.mktemp("chat-cache")


@pytest.fixture
def bot_services(tmp_path, clock, call2023, chat_cache):
    env = {"SHENBAO_DATA_DIR": str(tmp_path / "data"), "SHENBAO_OFFICERS_TELEGRAM": f"{OFFICER_TG}, 9002",
           "SHENBAO_OFFICERS_WECOM": OFFICER_WECOM, "SHENBAO_CACHE_DIR": str(chat_cache)}
    return Services(settings=load_settings(env), call=call2023, clock=clock,
                    archive=Archive(tmp_path / "data" / "archive"))


@pytest.fixture
def engine(bot_services):
    return Engine(bot_services)


@pytest_asyncio.fixture
async def seeded(db, bot_services):
    return await seed(bot_services)


def tg(user: str) -> Caller:
    return Caller("telegram", user, chat_id=user)


def officer() -> Caller:
    return tg(OFFICER_TG)
