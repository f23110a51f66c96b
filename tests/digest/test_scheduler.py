"""Scheduler timing with an injected clock: which slots are due, catch-up once after downtime, never twice."""
from __future__ import annotations

from datetime import datetime, timedelta

from config.settings import OutgoingSettings
from bot.scheduler import due_slots, planned_slots, run_due, start_scheduler
from models.outbox import OutboxMessage
from models.schedule import ScheduledRun
from tests.digest import fixture_units
from tests.digest.conftest import make_services


def bj(text: str) -> datetime:
    return datetime.fromisoformat(f"2023-{text.replace(' ', 'T')}:00+08:00")


def names(slots) -> list[str]:
    return [s.name for s in slots]


def test_planned_slots_of_the_2023_call(call):
    out = OutgoingSettings()
    slots = planned_slots(call, out)
    daily = [s for s in slots if s.digest_kind == "daily"]
    assert daily[0].name == "daily:2023-03-17T08:30+08:00"           # from the notice's publication
    assert daily[-1].name == "daily:2023-04-02T08:30+08:00"          # until 7 days after the deadline day
    assert names(s for s in slots if s.digest_kind == "deadline") == [
        "deadline:2023-03-26T18:00+08:00", "deadline:2023-03-26T22:00+08:00"]
    assert names(s for s in slots if s.group == "final") == ["final:2023-03-27T00:15+08:00"]
    assert names(s for s in slots if s.kind == "reminder") == [
        "reminder:72h:2023-03-24T00:00+08:00", "reminder:24h:2023-03-26T00:00+08:00",
        "reminder:6h:2023-03-26T18:00+08:00"]


def test_due_on_time_then_nothing_twice(call):
    out = OutgoingSettings()
    done = {(s.kind, s.name) for s in planned_slots(call, out) if s.at < bj("03-26 08:30")}
    assert names(due_slots(call, out, bj("03-26 08:29") + timedelta(seconds=59), done).run) == []
    due = due_slots(call, out, bj("03-26 08:30"), done)
    assert names(due.run) == ["daily:2023-03-26T08:30+08:00"] and due.superseded == ()
    done |= {(s.kind, s.name) for s in due.run}
    assert due_slots(call, out, bj("03-26 08:31"), done).run == ()


def test_catch_up_after_downtime_sends_the_latest_once(call):
    out = OutgoingSettings()
    done = {(s.kind, s.name) for s in planned_slots(call, out) if s.at <= bj("03-24 08:30") and s.kind == "digest"}
    due = due_slots(call, out, bj("03-26 10:00"), done)        # down from 03-24 09:00 to 03-26 10:00
    assert names(due.run) == ["reminder:24h:2023-03-26T00:00+08:00", "daily:2023-03-26T08:30+08:00"]
    # the 03-25 digest is superseded (recorded, not sent); the 72 h reminder is outside the 48 h window
    assert names(due.superseded) == ["daily:2023-03-25T08:30+08:00"]


def test_after_the_deadline_final_register_runs_and_reminders_never(call):
    out = OutgoingSettings()
    done = {(s.kind, s.name) for s in planned_slots(call, out) if s.at < bj("03-26 12:00")}
    due = due_slots(call, out, bj("03-27 00:20"), done)        # down over the evening
    assert names(due.run) == ["deadline:2023-03-26T22:00+08:00", "final:2023-03-27T00:15+08:00"]
    assert names(due.superseded) == ["deadline:2023-03-26T18:00+08:00", "reminder:6h:2023-03-26T18:00+08:00"]
    done |= {(s.kind, s.name) for s in due.run + due.superseded}
    assert due_slots(call, out, bj("03-27 00:21"), done).run == ()


def test_configured_times_are_used(call, tmp_path):
    s = make_services(tmp_path, call, bj("03-26 08:30"), {"SHENBAO_DIGEST_TIME": "07:45",
                                                          "SHENBAO_DEADLINE_DAY_DIGESTS": "12:00, 20:30",
                                                          "SHENBAO_REMINDER_OFFSETS": "2d,90m"})
    out = s.settings.outgoing
    slots = names(planned_slots(call, out))
    assert "daily:2023-03-26T07:45+08:00" in slots and "deadline:2023-03-26T20:30+08:00" in slots
    assert "reminder:48h:2023-03-25T00:00+08:00" in slots and "reminder:1h:2023-03-26T22:30+08:00" in slots


async def test_ticks_through_the_deadline_day_with_downtime(outdb, tmp_path, call):
    s = make_services(tmp_path, call, bj("03-26 08:30"))
    out = s.settings.outgoing
    await fixture_units.build(s, "morning")
    for run in planned_slots(call, out):                       # everything before the 25th already ran
        if run.at < bj("03-25 00:00"):
            await ScheduledRun.create(kind=run.kind, slot=run.name, at=run.at, detail={"old": True})
    # the bot was down from the 25th until 10:00 on the deadline day; then it ticks every 30 s
    ran = await run_due(s, out, bj("03-26 10:00"))
    assert ran == ["reminder:24h:2023-03-26T00:00+08:00", "daily:2023-03-26T08:30+08:00"]
    assert await run_due(s, out, bj("03-26 10:00") + timedelta(seconds=30)) == []
    skipped = await ScheduledRun.get(slot="daily:2023-03-25T08:30+08:00")
    assert skipped.detail["skipped"]
    assert await OutboxMessage.filter(key__startswith="digest:daily:2023-03-26T08:30").count() == 6   # + WeCom card, xlsx
    assert await OutboxMessage.filter(key__startswith="digest:daily:2023-03-25").count() == 0
    ran = []
    t = bj("03-26 10:00")
    while t < bj("03-27 01:00"):                               # a tick every 5 minutes, no sleeping
        t += timedelta(minutes=5)
        ran += await run_due(s, out, t)
    assert ran == ["deadline:2023-03-26T18:00+08:00", "reminder:6h:2023-03-26T18:00+08:00",
                   "deadline:2023-03-26T22:00+08:00", "final:2023-03-27T00:15+08:00"]
    final = await ScheduledRun.get(slot="final:2023-03-27T00:15+08:00")
    assert final.at == bj("03-27 00:15") and final.detail["kind"] == "final"
    subjects = {m.subject for m in await OutboxMessage.filter(key__startswith="digest:final", channel="email")}
    assert subjects == {"财办社〔2023〕22号 截止后最终登记 2023-03-27 00:15：已申报13 未申报19 逾期0"}


async def test_start_scheduler_registers_its_jobs(outdb, tmp_path, call):
    from bot.outbox import Senders

    s = make_services(tmp_path, call, bj("03-26 08:30"))
    sched = await start_scheduler(s, Senders())
    try:
        assert {j.id for j in sched.get_jobs()} == {"tick", "outbox", "health"}
        assert str(sched.timezone) == "Asia/Shanghai"
    finally:
        sched.shutdown(wait=False)
