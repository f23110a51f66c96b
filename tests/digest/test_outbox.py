"""Outbox: at-least-once across a restart, 429 delays, permanent refusals listed, order per recipient."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.outbox import LEASE, SendError, Senders, _claim, drain, retry_failed
from core.outbox import enqueue
from config.clock import FixedClock
from models import close_db
from core.vocabulary import OutboxStatus
from models.outbox import OutboxMessage
from tests.digest.conftest import open_db

T0 = datetime.fromisoformat("2023-03-25T09:00:00+08:00")


class RetryAfter(Exception):
    """Shaped like python-telegram-bot's telegram.error.RetryAfter (a 429 with retry_after)."""

    def __init__(self, seconds):
        super().__init__(f"Flood control exceeded. Retry in {seconds} seconds")
        self.retry_after = timedelta(seconds=seconds)


class Chat:
    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []
        self.fail: list[Exception] = []

    async def __call__(self, channel, chat_id, text):
        if self.fail:
            raise self.fail.pop(0)
        self.sent.append((channel, chat_id, text))


async def test_pending_row_is_sent_once_after_a_restart(outdb):
    clock = FixedClock(T0)
    await enqueue(key="k1", channel="telegram", recipient="42", body="你好", now=clock.now())
    await close_db()                                        # the bot process stops before draining
    await open_db(outdb)                                    # a new process opens the same database
    chat = Chat()
    res = await drain(Senders(chat=chat), clock)
    assert res.sent == 1 and chat.sent == [("telegram", "42", "你好")]
    await drain(Senders(chat=chat), clock)
    assert len(chat.sent) == 1
    row = await OutboxMessage.get(key="k1")
    assert row.status == OutboxStatus.SENT and row.sent_at == clock.now()


async def test_a_row_claimed_by_a_crashed_sender_comes_back_after_the_lease(outdb):
    clock = FixedClock(T0)
    row, _ = await enqueue(key="k2", channel="wecom", recipient="liming", body="x", now=clock.now())
    assert await _claim(row, clock.now())                   # claimed, then the process died mid-send
    await close_db()
    await open_db(outdb)
    chat = Chat()
    assert (await drain(Senders(chat=chat), clock)).sent == 0
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert (await drain(Senders(chat=chat), clock)).sent == 1 and len(chat.sent) == 1


async def test_enqueue_is_deduplicated_by_key(outdb):
    clock = FixedClock(T0)
    a, created_a = await enqueue(key="same", channel="telegram", recipient="1", body="a", now=clock.now())
    b, created_b = await enqueue(key="same", channel="telegram", recipient="1", body="b", now=clock.now())
    assert created_a and not created_b and a.id == b.id and await OutboxMessage.all().count() == 1


async def test_telegram_429_delays_by_retry_after_and_keeps_order(outdb):
    clock = FixedClock(T0)
    for i in range(3):
        await enqueue(key=f"part{i}", channel="telegram", recipient="42", body=f"第{i + 1}部分", now=clock.now())
    chat = Chat()
    chat.fail = [RetryAfter(40)]
    res = await drain(Senders(chat=chat), clock)
    assert (res.sent, res.delayed) == (0, 1) and chat.sent == []
    first = await OutboxMessage.get(key="part0")
    assert first.next_attempt_at == clock.now() + timedelta(seconds=41) and "Flood control" in first.last_error
    clock.advance(seconds=20)
    assert (await drain(Senders(chat=chat), clock)).sent == 0      # parts 2 and 3 wait behind part 1
    clock.advance(seconds=21)
    assert (await drain(Senders(chat=chat), clock)).sent == 3
    assert [t for _, _, t in chat.sent] == ["第1部分", "第2部分", "第3部分"]


async def test_permanent_refusal_is_listed_as_failed_and_can_be_requeued(outdb):
    clock = FixedClock(T0)
    await enqueue(key="gone", channel="telegram", recipient="404", body="x", now=clock.now())
    await enqueue(key="other", channel="telegram", recipient="7", body="y", now=clock.now())
    chat = Chat()
    chat.fail = [SendError("Forbidden: bot was blocked by the user", permanent=True)]
    res = await drain(Senders(chat=chat), clock)
    assert (res.sent, res.failed) == (1, 1)                # another recipient is not held up
    assert (await OutboxMessage.get(key="gone")).status == OutboxStatus.FAILED
    assert await retry_failed(clock.now()) == 1
    assert (await drain(Senders(chat=chat), clock)).sent == 1
    assert [c for _, c, _ in chat.sent] == ["7", "404"]


async def test_transient_errors_never_give_up(outdb):
    clock = FixedClock(T0)
    await enqueue(key="flaky", channel="wecom", recipient="u", body="x", now=clock.now())
    chat = Chat()
    chat.fail = [ConnectionError("network down")] * 12
    for _ in range(12):
        assert (await drain(Senders(chat=chat), clock)).delayed == 1
        clock.advance(minutes=31)                           # past the 30-minute backoff cap
    row = await OutboxMessage.get(key="flaky")
    assert row.status == OutboxStatus.PENDING and row.attempts == 12
    assert (await drain(Senders(chat=chat), clock)).sent == 1
