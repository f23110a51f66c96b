"""The bot process's scheduler. Which slots are due is a pure function of (time, what already ran);
APScheduler (3.11, Asia/Shanghai, in-memory store) only ticks it. Runs are recorded in ScheduledRun
(unique kind+slot) — not in APScheduler's job store, which loses missed runs when jobs are re-added at
start (libraries.md §6). After downtime each missed slot is caught up once; of several missed digests
(or reminders) only the latest is sent and the older ones are recorded as superseded.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from config.settings import OutgoingSettings
from config.call import CallConfig
from models.schedule import ScheduledRun

log = logging.getLogger("shenbao.bot.scheduler")
SH = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Slot:
    kind: str            # ScheduledRun.kind: "digest" or "reminder"
    name: str            # ScheduledRun.slot, e.g. "daily:2023-03-26T08:30+08:00"
    at: datetime         # when it is due (aware)
    group: str           # coalescing group: "digest", "final", "reminder"
    digest_kind: str = ""  # daily / deadline / final


@dataclass(frozen=True)
class Due:
    run: tuple[Slot, ...]
    superseded: tuple[Slot, ...]


def _stamp(dt: datetime, tz) -> str:
    return dt.astimezone(tz).isoformat(timespec="minutes")


def deadline_day(call: CallConfig) -> date:
    """The local date the deadline falls on ("3月26日24时" → 2023-03-26)."""
    return (call.deadline - timedelta(microseconds=1)).astimezone(call.tz).date()


def planned_slots(call: CallConfig, out: OutgoingSettings) -> list[Slot]:
    """Every digest and reminder slot of the call, in time order."""
    tz = call.tz
    slots: list[Slot] = []
    first = call.published or call.signed or deadline_day(call) - timedelta(days=14)
    last = deadline_day(call) + timedelta(days=out.digest_days_after)
    day = first
    while day <= last:
        at = datetime.combine(day, out.digest_time, tz)
        slots.append(Slot("digest", f"daily:{_stamp(at, tz)}", at, "digest", "daily"))
        day += timedelta(days=1)
    for t in out.deadline_day_digests:
        at = datetime.combine(deadline_day(call), t, tz)
        if at < call.deadline and t != out.digest_time:
            slots.append(Slot("digest", f"deadline:{_stamp(at, tz)}", at, "digest", "deadline"))
    at = call.deadline + out.final_delay
    slots.append(Slot("digest", f"final:{_stamp(at, tz)}", at.astimezone(tz), "final", "final"))
    start = datetime.combine(first, datetime.min.time(), tz)
    for off in out.reminder_offsets:
        at = call.deadline - off
        if at >= start:
            hours = int(off.total_seconds() // 3600)
            slots.append(Slot("reminder", f"reminder:{hours}h:{_stamp(at, tz)}", at.astimezone(tz), "reminder"))
    return sorted(slots, key=lambda s: (s.at, s.name))


def due_slots(call: CallConfig, out: OutgoingSettings, now: datetime, done: set[tuple[str, str]]) -> Due:
    """Pure: the slots to run at ``now`` given the (kind, slot) pairs already recorded.

    A slot is due when ``at <= now`` and it is not done. Slots older than the catch-up window are ignored.
    Per group only the latest due slot runs; the earlier ones are superseded (recorded, never sent).
    Reminders are never due at or after the deadline (all outstanding ones are superseded then).
    """
    pending = [s for s in planned_slots(call, out)
               if s.at <= now and (s.kind, s.name) not in done and now - s.at <= out.catchup]
    run, superseded = [], []
    for group in ("digest", "final", "reminder"):
        mine = [s for s in pending if s.group == group]
        if not mine:
            continue
        if group == "reminder" and now >= call.deadline:
            superseded += mine
            continue
        run.append(mine[-1])
        superseded += mine[:-1]
    return Due(tuple(sorted(run, key=lambda s: s.at)), tuple(superseded))


async def done_runs() -> set[tuple[str, str]]:
    rows = await ScheduledRun.filter(kind__in=["digest", "reminder"]).values_list("kind", "slot")
    return {(k, s) for k, s in rows}


async def _record(slot: Slot, now: datetime, detail: dict) -> None:
    try:
        await ScheduledRun.create(kind=slot.kind, slot=slot.name, at=now, detail=detail)
    except IntegrityError:
        pass


async def run_due(services, out: OutgoingSettings, now: datetime) -> list[str]:
    """Run what is due now (digests, reminders); return the slot names run."""
    from bot.digest.job import queue_digest
    from bot.reminders import queue_reminders

    due = due_slots(services.call, out, now, await done_runs())
    for s in due.superseded:
        await _record(s, now, {"skipped": "superseded or past", "at": s.at.isoformat()})
        log.info("slot %s: missed, superseded by a later one (not sent)", s.name)
    names = []
    for s in due.run:
        if s.kind == "digest":
            await queue_digest(services, out, slot=s.name, kind=s.digest_kind, slot_at=s.at, now=now)
        else:
            n = await queue_reminders(services, out, slot=s.name, now=now)
            await _record(s, now, {"queued": n, "at": s.at.isoformat()})
        late = (now - s.at).total_seconds()
        log.info("slot %s: run%s", s.name, f" (caught up {late / 60:.0f} min late)" if late > 120 else "")
        names.append(s.name)
    return names


async def tick(services, out: OutgoingSettings) -> list[str]:
    """One scheduler tick: due digests and reminders, then receipts for new submissions."""
    from bot.acknowledgements import queue_receipts

    now = services.clock.now()
    names = await run_due(services, out, now)
    if out.send_receipts:
        await queue_receipts(services, out, now)
    return names


async def _guard(what: str, fn, *args):
    try:
        return await fn(*args)
    except Exception:  # noqa: BLE001 - a failing job is logged and retried on the next tick
        log.exception("scheduler job %s failed; next tick retries", what)


async def start_scheduler(services, senders, *, tick_seconds: int = 30):
    """Start the bot's scheduler in the running loop: tick (digests, reminders, receipts), outbox drain,
    watcher health. Returns the started ``AsyncIOScheduler``; call ``.shutdown()`` on exit."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from bot.health import check_health
    from bot.outbox import drain

    out = services.settings.outgoing
    sched = AsyncIOScheduler(timezone=SH, job_defaults={"coalesce": True, "max_instances": 1,
                                                        "misfire_grace_time": 60})
    first = datetime.now(SH)
    sched.add_job(_guard, IntervalTrigger(seconds=tick_seconds, timezone=SH), args=["tick", tick, services, out],
                  id="tick", name="tick", next_run_time=first)
    sched.add_job(_guard, IntervalTrigger(seconds=out.drain_seconds, timezone=SH),
                  args=["outbox", drain, senders, services.clock], id="outbox", name="outbox drain", next_run_time=first)
    sched.add_job(_guard, IntervalTrigger(minutes=1, timezone=SH),
                  args=["health", lambda: check_health(services, out, services.clock.now())], id="health", name="health")
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)   # no line per tick
    sched.start()
    log.info("scheduler started: digest %s daily, deadline-day %s, reminders %s, drain every %ds",
             out.digest_time.strftime("%H:%M"), ",".join(t.strftime("%H:%M") for t in out.deadline_day_digests),
             ",".join(str(o) for o in out.reminder_offsets), out.drain_seconds)
    return sched
