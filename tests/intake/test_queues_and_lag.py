"""Constant-cost pieces of issue 16: the indexed OCR queue (and its migration backfill), the event-loop lag
monitor, and the metrics snapshot the bot process reads."""
from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone

import pytest

from core import metrics
from core.loop_lag import LoopLagMonitor
from intake.ocr_backlog import pending_documents
from models.submission import Document, Submission, ocr_rank
from precheck.reading.ocr_plan import ORDER, priority

T = datetime(2023, 3, 26, 12, 0, tzinfo=timezone.utc)


async def _sub(n: int) -> Submission:
    return await Submission.create(call_id="2023", group_key=f"mid:q{n}", province="广东省", first_received_at=T,
                                   on_time=True, created_at=T, updated_at=T)


async def _doc(sub, kind: str, ocr: str | None) -> Document:
    analysis = {"family": "pdf", "ocr": {"status": ocr}} if ocr else {"family": "pdf"}
    return await Document.create(submission=sub, filename=f"{kind}.pdf", sha256="0" * 64, size=1, archive_path="x",
                                 kind=kind, pages=1, analysis=analysis, created_at=T)


async def test_pending_ocr_is_an_indexed_queue_cover_letters_first(db):
    sub = await _sub(1)
    plan = await _doc(sub, "plan", "pending")
    await _doc(sub, "budget", "done")
    other = await _doc(sub, "other", "pending")
    cover = await _doc(sub, "cover_letter", "pending")
    await _doc(sub, "evidence", "not_needed")
    assert [d.id for d in await pending_documents(10)] == [cover.id, plan.id, other.id]
    assert [d.id for d in await pending_documents(1)] == [cover.id]
    cover.analysis = {**cover.analysis, "ocr": {"status": "done"}}
    await cover.save(update_fields=["analysis"])                 # the queue columns follow the analysis
    plan.kind = "cover_letter"                                   # and the kind (an officer's correction)
    await plan.save()
    assert [(d.id, d.ocr_rank) for d in await pending_documents(10)] == [(plan.id, 1), (other.id, 9)]


async def test_the_queue_puts_on_time_first_then_kind_then_a_started_scan_then_arrival(db):
    """The order of ``precheck.reading.ocr_plan.priority``, read from the index: one query per on-time class."""
    late = await Submission.create(call_id="2023", group_key="mid:late", province="广东省", first_received_at=T,
                                   on_time=False, created_at=T, updated_at=T)
    late_cover = await _doc(late, "cover_letter", "pending")
    sub = await _sub(2)
    plan_fresh = await _doc(sub, "plan", "pending")
    plan_started = await _doc(sub, "plan", "pending")
    plan_started.analysis = {"family": "pdf", "ocr": {"status": "pending", "done": [0, 1, 2]}}
    await plan_started.save(update_fields=["analysis"])
    targets = await _doc(sub, "performance_targets", "pending")
    budget = await _doc(sub, "budget", "pending")
    budget2 = await _doc(sub, "budget", "pending")
    want = [budget.id, budget2.id, targets.id, plan_started.id, plan_fresh.id, late_cover.id]
    assert [d.id for d in await pending_documents(10)] == want
    assert [d.id for d in await pending_documents(3)] == want[:3]
    assert [d.id for d in await pending_documents(10, exclude={budget.id, plan_started.id})] == \
        [budget2.id, targets.id, plan_fresh.id, late_cover.id]
    assert all(d.submission.on_time is not None for d in await pending_documents(10))   # prefetched
    key = [priority(d.kind, d.submission.on_time, 0.0, len(d.analysis["ocr"].get("done") or []))
           for d in await pending_documents(10)]
    assert key == sorted(key)                                     # the index agrees with the policy


def test_the_index_rank_follows_the_policys_kind_order():
    kinds = list(ORDER) + ["unknown_kind"]
    assert sorted(kinds, key=lambda k: ocr_rank(k, False)) == sorted(kinds, key=lambda k: ORDER.get(k, 99))
    assert all(ocr_rank(k, True) < ocr_rank(k, False) < ocr_rank(n, True)
               for k, n in zip(list(ORDER), list(ORDER)[1:]))


async def test_migrating_backfills_the_ocr_queue(db_url, tmp_path):
    """A database made before the queue columns existed: its pending scans are in the queue after migrating."""
    from tortoise import Tortoise, connections
    from tortoise.migrations.api import migrate

    from models import close_db, init_db, tortoise_config
    from tests.conftest import PG_URL, _pg_create, _pg_drop

    pg = None
    url = db_url
    if db_url == "postgres":
        pg = await _pg_create()
        url = f"{PG_URL.rstrip('/')}/{pg}"
    try:
        await migrate(config=tortoise_config(url), target="models.0001_initial")
        await Tortoise.close_connections()
        await Tortoise.init(config=tortoise_config(url))
        conn = connections.get("default")
        ph = "$" if url.startswith("postgres") else "?"
        p = (lambda i: f"${i}") if ph == "$" else (lambda i: "?")
        await conn.execute_query(
            f"INSERT INTO submission (call_id, group_key, first_received_at, on_time, created_at, updated_at) "
            f"VALUES ({p(1)}, {p(2)}, {p(3)}, {p(4)}, {p(5)}, {p(6)})", ["2023", "mid:old", T, True, T, T])
        for i, (kind, status) in enumerate([("plan", "pending"), ("cover_letter", "pending"), ("budget", "done")]):
            await conn.execute_query(
                f"INSERT INTO document (submission_id, filename, sha256, size, archive_path, kind, analysis, created_at) "
                f"VALUES (1, {p(1)}, {p(2)}, 1, 'x', {p(3)}, {p(4)}, {p(5)})",
                [f"{kind}.pdf", "0" * 64, kind, f'{{"ocr": {{"status": "{status}"}}}}', T])
        await Tortoise.close_connections()
        await init_db(url)
        got = [(d.kind, d.ocr_status, d.ocr_rank) for d in await Document.all().order_by("id")]
        assert got == [("plan", "pending", 7), ("cover_letter", "pending", 1), ("budget", "done", 3)]
        assert [d.kind for d in await pending_documents(5)] == ["cover_letter", "plan"]
    finally:
        await close_db()
        if pg:
            await _pg_drop(pg)


async def test_loop_lag_monitor_measures_and_logs_a_stall(caplog):
    reg = metrics.Registry()
    mon = LoopLagMonitor("test", interval=0.01, registry=reg)
    task = asyncio.create_task(mon.run())
    try:
        await asyncio.sleep(0.05)
        with caplog.at_level(logging.WARNING, logger="shenbao.loop"):
            time.sleep(0.3)                                      # something heavy on the loop
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    snap = reg.snapshot("test")
    assert metrics.sample(snap, "loop_lag_max_seconds", process="test") >= 0.25
    assert metrics.sample(snap, "loop_stalls_total", process="test") == 1
    assert any("event loop lag" in r.getMessage() and "over 100 ms" in r.getMessage() for r in caplog.records)


def test_metrics_snapshot_is_written_atomically_and_read_back(tmp_path):
    reg = metrics.Registry()
    reg.gauge("imap_backlog", "messages", mailbox="mof").set(42)
    reg.counter("receipts_total", "n", source="imap", outcome="new").inc(3)
    h = reg.histogram("worker_process_seconds", "s", (0.1, 1.0))
    for v in (0.05, 0.5, 5.0):
        h.observe(v)
    path = metrics.snapshot_path(tmp_path, "intake")
    metrics.write_snapshot(path, "intake", reg)
    snap = metrics.read_snapshot(path)
    assert snap["process"] == "intake" and [p.name for p in path.parent.iterdir()] == ["metrics-intake.json"]
    assert metrics.sample(snap, "imap_backlog", mailbox="mof") == 42
    assert metrics.sample(snap, "shenbao_receipts_total", source="imap") == 3
    buckets = [s["value"] for m in snap["metrics"] if m["name"] == "shenbao_worker_process_seconds"
               for s in m["samples"] if s.get("suffix") == "_bucket"]
    assert buckets == [1, 2, 3]                                  # cumulative, as Prometheus wants
    assert metrics.read_snapshot(path, max_age=-1) is None       # stale: the intake process is not writing


@pytest.mark.parametrize("bad", [b"", b"{", b'{"format": 99}'])
def test_unreadable_snapshot_is_none(tmp_path, bad):
    p = tmp_path / "m.json"
    p.write_bytes(bad)
    assert metrics.read_snapshot(p) is None
