"""Who is asking: unbound (rules only), a province's contact (own province only), or an officer.

Binding codes: an officer issues a one-time code for a province; it is stored only as a SHA-256 hash, expires,
works once, and failed tries are rate-limited per chat user (``ChatAttempt``), so guessing is pointless.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from typing import TYPE_CHECKING

from core.services import Services

if TYPE_CHECKING:                   # the ORM is imported where a row is read: a terminal rule question needs none
    from models.chat import BindingCode

PUBLIC, CONTACT, OFFICER = "public", "contact", "officer"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"      # no 0/O, 1/I/L
CODE_TTL = timedelta(hours=72)
MAX_FAILED = 5                                          # failed tries ...
FAILED_WINDOW = timedelta(minutes=15)                   # ... per this window, then locked out
# Telegram ids shared by many people, never one person: GroupAnonymousBot (an anonymous group admin),
# Channel_Bot (a post on behalf of a channel), 777000 (Telegram's own service messages).
SHARED_TELEGRAM_IDS = frozenset({"1087968824", "136817688", "777000"})


def shared_identity(caller: "Caller") -> bool:
    """True for an id that stands for whoever is behind a group or channel: it can bind nothing, be no officer."""
    return caller.channel == "telegram" and str(caller.user_id) in SHARED_TELEGRAM_IDS


@dataclass(frozen=True)
class Caller:
    channel: str                  # telegram / wecom / terminal
    user_id: str
    chat_id: str | None = None
    officer: bool = False         # terminal --officer: an officer by construction
    as_province: str | None = None   # terminal --as-province: that province's contact by construction

    @property
    def actor(self) -> str:
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True)
class Identity:
    role: str
    province: str | None = None


class BindingError(ValueError):
    """The code was not accepted; the message is Chinese, for the person who sent it."""


def officer_ids(services: Services) -> dict[str, set[str]]:
    """Officers from settings (SHENBAO_OFFICERS_TELEGRAM user ids, SHENBAO_OFFICERS_WECOM userids): the same
    list the outbox notifies, parsed once by ``config.settings``."""
    out = services.settings.outgoing
    return {"telegram": set(out.officers_telegram), "wecom": set(out.officers_wecom),
            "dingtalk": set(out.officers_dingtalk)}


async def identify(services: Services, caller: Caller, officers: dict[str, set[str]]) -> Identity:
    if shared_identity(caller):
        return Identity(PUBLIC)
    if caller.officer or caller.user_id in officers.get(caller.channel, set()):
        return Identity(OFFICER)
    if caller.as_province:
        return Identity(CONTACT, services.call.province(caller.as_province).name)
    if caller.channel == "terminal":                 # the terminal never binds: who it is is said on the command line
        return Identity(PUBLIC)
    from models.chat import ChatBinding

    await services.need_db()
    b = await ChatBinding.filter(channel=caller.channel, user_id=caller.user_id, revoked_at__isnull=True).first()
    return Identity(CONTACT, b.province) if b else Identity(PUBLIC)


def hash_code(code: str) -> str:
    canon = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"shenbao-binding:{canon}".encode()).hexdigest()


def looks_like_code(text: str) -> str | None:
    t = text.strip().upper().replace(" ", "")
    raw = t.replace("-", "")
    if len(raw) == 8 and all(c in CODE_ALPHABET for c in raw) and any(c.isdigit() for c in raw):
        return raw
    return None


async def issue_code(services: Services, province: str, *, actor: str, ttl: timedelta = CODE_TTL) -> tuple[str, BindingCode]:
    from models import audit_log
    from models.chat import BindingCode

    await services.need_db()
    prov = services.call.province(province).name
    raw = ""
    while not (any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw)):   # so a bare code is recognised
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = services.clock.now()
    row = await BindingCode.create(code_hash=hash_code(raw), province=prov, issued_by=actor, issued_at=now,
                                   expires_at=now + ttl)
    await audit_log.append(at=now, actor=actor, action="binding.code_issued", target=prov,
                           detail={"code_id": row.id, "expires_at": (now + ttl).isoformat()})
    return f"{raw[:4]}-{raw[4:]}", row


async def failed_recently(services: Services, caller: Caller) -> int:
    from models.chat import ChatAttempt

    since = services.clock.now() - FAILED_WINDOW
    return await ChatAttempt.filter(channel=caller.channel, user_id=caller.user_id, at__gte=since).count()


async def redeem(services: Services, caller: Caller, code: str) -> tuple[str, str | None]:
    """Bind ``caller`` with ``code``; return (province, previous province). Raises BindingError.

    The try is recorded before anything is checked (insert, then count): concurrent guesses all count, so
    30 tries at once cannot all slip under the limit as check-then-insert let them."""
    from models import audit_log
    from models.chat import BindingCode, ChatAttempt, ChatBinding

    await services.need_db()
    now = services.clock.now()
    if shared_identity(caller):
        raise BindingError("匿名管理员或频道身份不能绑定，请用个人账号私聊发送绑定码")
    attempt = await ChatAttempt.create(channel=caller.channel, user_id=caller.user_id, at=now)
    if await failed_recently(services, caller) > MAX_FAILED:
        raise BindingError(f"尝试次数过多，请{int(FAILED_WINDOW.total_seconds() // 60)}分钟后再试，"
                           "或联系部里工作人员重新发码")
    row = await BindingCode.filter(code_hash=hash_code(code)).first()
    problem = None
    if row is None:
        problem = "绑定码不正确"
    elif row.used_at is not None:
        problem = "该绑定码已被使用过（每个码只能用一次）"
    elif row.expires_at <= now:
        problem = "该绑定码已过期，请联系部里工作人员重新发码"
    if problem is None:
        taken = await BindingCode.filter(id=row.id, used_at__isnull=True).update(used_at=now, used_by=caller.actor)
        if not taken:
            problem = "该绑定码已被使用过（每个码只能用一次）"
    if problem:
        raise BindingError(problem)                     # the recorded try stays: it was a failure
    await attempt.delete()
    old = await ChatBinding.filter(channel=caller.channel, user_id=caller.user_id).first()
    previous = old.province if old and old.revoked_at is None else None
    if old:
        old.province, old.chat_id, old.bound_at, old.revoked_at = row.province, caller.chat_id, now, None
        await old.save()
    else:
        await ChatBinding.create(channel=caller.channel, user_id=caller.user_id, chat_id=caller.chat_id,
                                 province=row.province, bound_at=now)
    await audit_log.append(at=now, actor=caller.actor, action="binding.bound", target=row.province,
                           detail={"code_id": row.id, "previous": previous, "chat_id": caller.chat_id})
    return row.province, previous


async def revoke(services: Services, target: str, *, actor: str) -> int:
    """Revoke one binding (``telegram:12345``) or every binding of a province; return how many."""
    from models import audit_log
    from models.chat import ChatBinding

    await services.need_db()
    now = services.clock.now()
    if ":" in target:
        channel, user_id = target.split(":", 1)
        q = ChatBinding.filter(channel=channel.strip(), user_id=user_id.strip(), revoked_at__isnull=True)
    else:
        q = ChatBinding.filter(province=services.call.province(target.strip()).name, revoked_at__isnull=True)
    n = await q.update(revoked_at=now)
    await audit_log.append(at=now, actor=actor, action="binding.revoked", target=target, detail={"count": n})
    return n
