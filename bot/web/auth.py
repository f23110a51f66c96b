"""Login to the web desk: a one-time link an officer asks for in chat (``/web``) or at the terminal
(``shenbao web-link``), never a password.

Why a link and not a configured password: officers are already identified by their chat accounts
(SHENBAO_OFFICERS_*), the same list that authorises officer commands, so the desk adds no secret to
distribute, rotate or leak, and every login is attributable to one officer in the audit log (a shared
password is not). A link is signed (HMAC-SHA256 with ``<data dir>/web.key``, created on first use, mode
0600), expires after ``SHENBAO_WEB_LINK_MINUTES`` and works once: its nonce is recorded in the
``inbound_message`` table (channel ``web-login``, unique), so a second use — even after a restart or from
another process — is refused. The session is a signed HttpOnly, SameSite=Strict cookie for
``SHENBAO_WEB_SESSION_HOURS``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from tortoise.exceptions import IntegrityError

from core.services import Services

COOKIE = "shenbao_desk"
KEY_FILE = "web.key"


class LoginError(Exception):
    """The link is unknown, altered, expired or used; the message is for the officer (Chinese)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_key(data_dir: Path) -> bytes:
    path = Path(data_dir) / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
    except Exception:
        os.close(fd)
        raise
    os.close(fd)
    return key


def _sign(key: bytes, payload: dict, purpose: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    mac = hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def _open(key: bytes, token: str, purpose: str) -> dict | None:
    try:
        body, mac = token.split(".", 1)
        want = hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(want, _unb64(mac)):
            return None
        return json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None


def issue_link(services: Services, officer: str, *, now: datetime | None = None,
               base_url: str | None = None) -> tuple[str, datetime]:
    """A one-time login URL for ``officer`` (e.g. ``telegram:9001`` or ``terminal:root``) and its expiry."""
    web = services.settings.web
    now = now or services.clock.now()
    exp = now + timedelta(minutes=web.link_minutes)
    token = _sign(load_key(services.settings.data_dir),
                  {"o": officer, "exp": int(exp.timestamp()), "n": secrets.token_hex(12)}, "link")
    return f"{(base_url or web.base_url).rstrip('/')}/login?t={token}", exp


async def redeem_link(services: Services, token: str) -> str:
    """The officer the link was issued to; raises LoginError. Records the nonce (one use) and an audit entry."""
    from models import audit_log
    from models.chat import InboundMessage

    now = services.clock.now()
    data = _open(load_key(services.settings.data_dir), token or "", "link")
    if not data or not isinstance(data, dict) or not {"o", "exp", "n"} <= set(data):
        raise LoginError("登录链接无效（可能复制不完整）。请在聊天中发送 /web 重新获取。")
    if now.timestamp() > data["exp"]:
        raise LoginError("登录链接已过期。请在聊天中发送 /web 重新获取。")
    try:
        await InboundMessage.create(channel="web-login", message_id=data["n"], at=now, reply=data["o"])
    except IntegrityError:
        raise LoginError("该登录链接已经使用过（每个链接只能使用一次）。请在聊天中发送 /web 重新获取。") from None
    await audit_log.append(at=now, actor=f"officer:{data['o']}", action="web_login", target=None,
                           detail={"via": "one-time link"})
    return data["o"]


def session_cookie(services: Services, officer: str) -> str:
    exp = services.clock.now() + timedelta(hours=services.settings.web.session_hours)
    return _sign(load_key(services.settings.data_dir), {"o": officer, "exp": int(exp.timestamp())}, "session")


def session_officer(services: Services, cookie: str | None) -> str | None:
    if not cookie:
        return None
    data = _open(load_key(services.settings.data_dir), cookie, "session")
    if not data or services.clock.now().timestamp() > data.get("exp", 0):
        return None
    return data.get("o")
