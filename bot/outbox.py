"""Outbox drain: every outgoing message is a row first (``core.outbox.enqueue``), then sent at least once.

``drain`` claims due rows one at a time (a lease, so a crashed sender's row comes back), sends them
through ``Senders`` and marks them sent. A Telegram 429 (``retry_after``) or an SMTP outage only delays a row; a
permanent refusal (unknown recipient) marks it ``failed``, which stays listed and can be re-queued
(``shenbao outbox --retry-failed``). Messages to one recipient go out in order.

Platform send-rate limits are respected before a row is claimed (``RATE_LIMITS``: per recipient and per
channel, sliding windows kept by the one bot process that drains): a row over the limit waits until a slot
frees — delayed, never failed, never dropped. A chat row may carry ``payload["attachments"]`` (a file from
the archive, e.g. the digest's xlsx) or ``payload["card"]`` (a summary card), sent with the channel's file
or card sender when it has one.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.vocabulary import OutboxStatus
from models.outbox import OutboxMessage
from models.retry import with_retry

log = logging.getLogger("shenbao.bot.outbox")

CHAT_CHANNELS = frozenset({"telegram", "wecom", "dingtalk", "terminal"})
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)
LEASE = timedelta(minutes=3)                   # a claimed row comes back after this if its sender died
PERMANENT_ERROR_NAMES = frozenset({"Forbidden", "BadRequest", "InvalidToken", "ChatNotFound"})

# (messages, seconds) per recipient and per channel, from the platforms' published limits (kept a little under):
# WeCom 应用消息: 30/min and 1,000/hour to one member; DingTalk robot: 20/min per conversation. Telegram's
# limits (1/s per chat, 30/s overall) are kept by python-telegram-bot's AIORateLimiter inside the send, and
# e-mail goes through the relay's own queue.
RATE_LIMITS: dict[str, dict[str, tuple[int, float]]] = {
    "wecom": {"recipient": (28, 60.0), "recipient_hour": (950, 3600.0)},
    "dingtalk": {"recipient": (18, 60.0)},
}


class RateLimiter:
    """Sliding-window counters; ``wait(channel, recipient)`` is 0 when a message may go now, else the seconds
    until it may; ``record`` counts one sent message."""

    def __init__(self, limits: dict | None = None, clock=time.monotonic):
        self.limits = RATE_LIMITS if limits is None else limits
        self.clock = clock
        self._sent: dict[tuple, deque] = {}

    def _keys(self, channel: str, recipient: str):
        for name, (n, window) in self.limits.get(channel, {}).items():
            yield (channel, name, recipient if name.startswith("recipient") else ""), n, window

    def wait(self, channel: str, recipient: str) -> float:
        now, longest = self.clock(), 0.0
        for key, n, window in self._keys(channel, recipient):
            q = self._sent.setdefault(key, deque())
            while q and now - q[0] >= window:
                q.popleft()
            if len(q) >= n:
                longest = max(longest, window - (now - q[0]))
        return longest

    def record(self, channel: str, recipient: str) -> None:
        now = self.clock()
        for key, _, _ in self._keys(channel, recipient):
            self._sent.setdefault(key, deque()).append(now)


class SendError(Exception):
    """Raised by a sender. ``permanent`` means retrying cannot help; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class EmailSender(Protocol):
    async def __call__(self, msg: OutboxMessage) -> None: ...


class ChatSender(Protocol):
    """The bot process's ``send_chat(channel, chat_id, text)``."""

    async def __call__(self, channel: str, chat_id: str, text: str) -> None: ...


@dataclass
class Senders:
    """What the outbox can send with; a channel without a sender is left pending for another process."""

    email: EmailSender | None = None
    chat: ChatSender | None = None
    chat_channels: frozenset[str] = field(default_factory=lambda: CHAT_CHANNELS)
    chat_file: object | None = None              # async (channel, chat_id, filename, data) for channels with files
    chat_card: object | None = None              # async (channel, chat_id, card dict) for channels with cards
    archive: object | None = None                # core.archive.Archive, to read attachments
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def can_send(self, channel: str) -> bool:
        if channel == "email":
            return self.email is not None
        if channel == "log":
            return True
        return self.chat is not None and channel in self.chat_channels

    async def send(self, msg: OutboxMessage) -> None:
        if msg.channel == "email":
            await self.email(msg)
        elif msg.channel == "log":
            log.info("outbox %s (log channel) to %s: %s", msg.key, msg.recipient, (msg.subject or msg.body)[:200])
        else:
            payload = msg.payload or {}
            if payload.get("card") and self.chat_card is not None:
                await self.chat_card(msg.channel, msg.recipient, payload["card"])
            elif payload.get("attachments") and self.chat_file is not None:
                for a in payload["attachments"]:
                    await self.chat_file(msg.channel, msg.recipient, a["filename"], self.archive.read(a["archive_path"]))
            elif not (payload.get("card") or payload.get("attachments")):
                await self.chat(msg.channel, msg.recipient, msg.body)
            else:                                   # a card / file for a channel without one: the text was sent
                log.info("outbox %s: %s has no card/file sender; the text part carries the content", msg.key,
                         msg.channel)


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, … capped at 30 min (``attempts`` counts tries made so far, ≥ 1)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))


def classify_send_error(exc: BaseException) -> tuple[bool, float | None]:
    """``(permanent, retry_after_seconds)`` for an exception a sender raised."""
    if isinstance(exc, SendError):
        return exc.permanent, exc.retry_after
    ra = getattr(exc, "retry_after", None)          # python-telegram-bot's RetryAfter (int or timedelta)
    if ra is not None:
        return False, ra.total_seconds() if isinstance(ra, timedelta) else float(ra)
    return type(exc).__name__ in PERMANENT_ERROR_NAMES, None


@dataclass
class DrainResult:
    sent: int = 0
    delayed: int = 0
    failed: int = 0
    skipped: int = 0                               # channels this process cannot send on

    def __str__(self) -> str:
        return f"sent {self.sent}, delayed {self.delayed}, failed {self.failed}, left for another process {self.skipped}"


async def _claim(row: OutboxMessage, now: datetime) -> bool:
    n = await OutboxMessage.filter(id=row.id, status=OutboxStatus.PENDING, attempts=row.attempts).update(
        attempts=row.attempts + 1, next_attempt_at=now + LEASE)
    return n == 1


async def drain(senders: Senders, clock, *, limit: int = 200) -> DrainResult:
    """Send what is due now. Safe to run concurrently (rows are claimed) and after a crash (leases expire)."""
    res = DrainResult()
    now = clock.now()
    rows = await OutboxMessage.filter(status=OutboxStatus.PENDING).order_by("id").limit(limit * 5)
    blocked: set[tuple[str, str]] = set()           # keep order per recipient; stop hammering a failing channel
    down: set[str] = set()
    done = 0
    for row in rows:
        who = (row.channel, row.recipient)
        if not senders.can_send(row.channel):
            res.skipped += 1
            continue
        if who in blocked or row.channel in down or row.next_attempt_at > now:
            blocked.add(who)
            continue
        if done >= limit:
            break
        wait = senders.limiter.wait(row.channel, row.recipient)
        if wait > 0:                                   # over the platform's rate: later, in order
            await OutboxMessage.filter(id=row.id).update(next_attempt_at=now + timedelta(seconds=wait))
            blocked.add(who)
            res.delayed += 1
            continue
        if not await _claim(row, now):
            blocked.add(who)
            continue
        done += 1
        attempts = row.attempts + 1
        try:
            await senders.send(row)
        except Exception as exc:  # noqa: BLE001 - every sender failure is recorded on the row
            permanent, retry_after = classify_send_error(exc)
            err = f"{type(exc).__name__}: {exc}"[:2000]
            now = clock.now()
            blocked.add(who)
            if permanent:
                await OutboxMessage.filter(id=row.id).update(status=OutboxStatus.FAILED, last_error=err)
                log.error("outbox %s: %s to %s refused permanently (%s); listed as failed", row.key, row.channel,
                          row.recipient, err)
                res.failed += 1
            else:
                delay = timedelta(seconds=retry_after + 1) if retry_after else backoff(attempts)
                await OutboxMessage.filter(id=row.id).update(next_attempt_at=now + delay, last_error=err)
                log.warning("outbox %s: %s to %s failed (attempt %d, %s); retry in %s", row.key, row.channel,
                            row.recipient, attempts, err, delay)
                res.delayed += 1
                down.add(row.channel)                  # relay down or flood control: try the rest later
            continue
        senders.limiter.record(row.channel, row.recipient)
        now = clock.now()
        await with_retry(lambda: OutboxMessage.filter(id=row.id).update(
            status=OutboxStatus.SENT, sent_at=now, last_error=None), what="outbox mark sent")
        log.info("outbox %s: sent %s to %s (attempt %d)", row.key, row.channel, row.recipient, attempts)
        res.sent += 1
    return res


async def retry_failed(now: datetime) -> int:
    """Put every failed row back in the queue (after an officer fixed the address or the relay)."""
    return await OutboxMessage.filter(status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, next_attempt_at=now)
