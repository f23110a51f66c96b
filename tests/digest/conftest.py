"""Fixtures for the outgoing side: a SQLite database in tmp (re-openable), services with a fixed clock,
and a real aiosmtpd sink on loopback."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import datetime

import pytest
import pytest_asyncio

from config.call import load_call
from config.clock import FixedClock
from config.settings import load_settings
from core.archive import Archive
from core.services import Services

DEADLINE_DAY_0830 = datetime.fromisoformat("2023-03-26T08:30:00+08:00")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def open_db(url: str) -> None:
    """Re-open a database in this loop (a restarted process), without migrating."""
    from tortoise import Tortoise

    from models import tortoise_config

    await Tortoise.init(config=tortoise_config(url))


@pytest.fixture(scope="session")
def call():
    return load_call("2023")


@pytest_asyncio.fixture
async def outdb(db):
    """The shared migrated database (SQLite, and PostgreSQL under scripts/test.sh); yields its URL."""
    yield db


class Sink:
    """aiosmtpd handler that keeps every message, parsed with the modern policy."""

    def __init__(self):
        self.messages = []
        self.raw = []
        self.refuse = None                     # e.g. "451 4.3.0 try later" to simulate an outage

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.raw.append(envelope.original_content)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.original_content, policy=email.policy.default)))
        return "250 2.0.0 OK"


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    h = Sink()
    ctl = Controller(h, hostname="127.0.0.1", port=free_port())
    ctl.start()
    yield ctl.hostname, ctl.port, h
    ctl.stop()


def make_services(tmp_path, call, at: datetime, env: dict | None = None) -> Services:
    base = {"SHENBAO_DIGEST_TO": "staff1@mof.example.cn,staff2@mof.example.cn",
            "SHENBAO_OFFICERS_TELEGRAM": "1001", "SHENBAO_OFFICERS_WECOM": "liming",
            "SHENBAO_MAIL_FROM": "申报收件系统 <shenbao@mof.example.cn>"}
    settings = load_settings(base | (env or {}), tmp_path / "data")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from cli.runtime import install_signing_key

    return Services(settings=settings, call=call, clock=FixedClock(at), archive=Archive(settings.archive_dir),
                    signing_key=install_signing_key(settings))


@pytest.fixture
def services(tmp_path, call):
    return make_services(tmp_path, call, DEADLINE_DAY_0830)
