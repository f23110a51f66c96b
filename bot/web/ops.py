"""For watchers: ``/healthz`` (database, mailbox watchers, intake worker, outbox) and ``/metrics``
(Prometheus text format via ``prometheus-client``: arrivals, arrival→processed latency, queue depths,
OCR backlog, unit statuses, mailbox health). Both read the shared database, so the bot process reports
on the intake process too without talking to it."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core import metrics
from core.services import Services

log = logging.getLogger("shenbao.bot.web")
WORKER_STUCK = timedelta(minutes=10)       # a receipt still 'received' after this: the worker is not keeping up
OUTBOX_STUCK = timedelta(minutes=30)       # a due outgoing message older than this


@dataclass
class Health:
    ok: bool
    checks: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"status": "ok" if self.ok else "fail", "checks": self.checks}


async def _db_ok() -> tuple[bool, str]:
    from tortoise import Tortoise

    try:
        await asyncio.wait_for(Tortoise.get_connection("default").execute_query("SELECT 1"), 5)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        return False, f"{type(exc).__name__}: {str(exc)[:200]}"


async def health(services: Services) -> Health:
    from bot.health import mailbox_health
    from core.vocabulary import OutboxStatus, ReceiptStatus
    from models.outbox import OutboxMessage
    from models.receipt import Receipt

    now = services.clock.now()
    checks: dict[str, dict] = {}
    ok, detail = await _db_ok()
    checks["database"] = {"ok": ok, "detail": detail}
    if not ok:
        return Health(False, checks)
    mb = await mailbox_health(services, now, services.settings.outgoing)
    checks["watchers"] = {"ok": all(h.state != "down" for h in mb),
                          "mailboxes": {h.key: {"state": h.state, "last_ok_at": h.last_ok_at.isoformat()
                                                if h.last_ok_at else None} for h in mb}}
    waiting = Receipt.filter(status=ReceiptStatus.RECEIVED)
    oldest = await waiting.order_by("created_at").first()
    age = (now - oldest.created_at) if oldest else timedelta(0)
    checks["worker"] = {"ok": age <= WORKER_STUCK, "waiting": await waiting.count(),
                        "oldest_waiting_seconds": round(age.total_seconds()),
                        "shunted": await Receipt.filter(status=ReceiptStatus.SHUNTED).count()}
    pending = OutboxMessage.filter(status=OutboxStatus.PENDING)
    due = await pending.filter(next_attempt_at__lte=now).order_by("next_attempt_at").first()
    due_age = (now - due.next_attempt_at) if due else timedelta(0)
    checks["outbox"] = {"ok": due_age <= OUTBOX_STUCK, "pending": await pending.count(),
                        "failed": await OutboxMessage.filter(status=OutboxStatus.FAILED).count(),
                        "oldest_due_seconds": round(due_age.total_seconds())}
    return Health(all(c["ok"] for c in checks.values()), checks)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


async def collect_metrics(services: Services) -> dict:
    """The figures /metrics exposes, read from the database at scrape time."""
    from tortoise.functions import Count

    from bot.health import mailbox_health
    from core.register import build_register
    from core.vocabulary import OutboxStatus, ReceiptStatus
    from models.submission import Document
    from models.outbox import OutboxMessage
    from models.receipt import Receipt

    now = services.clock.now()
    per_box = await Receipt.all().annotate(n=Count("id")).group_by("mailbox").values("mailbox", "n")
    recent = await Receipt.filter(processed_at__not_isnull=True).order_by("-id").limit(500) \
        .values("received_at", "created_at", "processed_at")
    to_recorded = [(r["created_at"] - r["received_at"]).total_seconds() for r in recent]
    to_processed = [(r["processed_at"] - r["created_at"]).total_seconds() for r in recent]
    reg = await build_register(services.call, now)
    mb = await mailbox_health(services, now, services.settings.outgoing)
    return {
        "arrivals": {r["mailbox"]: r["n"] for r in per_box},
        "latency": {"recorded_p50": _quantile(to_recorded, 0.5), "recorded_p99": _quantile(to_recorded, 0.99),
                    "processed_p50": _quantile(to_processed, 0.5), "processed_p99": _quantile(to_processed, 0.99)},
        "queues": {"worker": await Receipt.filter(status=ReceiptStatus.RECEIVED).count(),
                   "shunted": await Receipt.filter(status=ReceiptStatus.SHUNTED).count(),
                   "outbox_pending": await OutboxMessage.filter(status=OutboxStatus.PENDING).count(),
                   "outbox_failed": await OutboxMessage.filter(status=OutboxStatus.FAILED).count()},
        "ocr_backlog": await Document.filter(ocr_status="pending").count(),        # the OCR queue's index
        "units": reg.counts(),
        "mailbox_up": {h.key: (1 if h.state == "ok" else 0) for h in mb if h.state != "unwatched"},
        "seconds_to_deadline": (services.call.deadline - now).total_seconds(),
        # the intake process's own figures (loop lag, receipts, worker, IMAP backlog): its snapshot file
        "intake": metrics.read_snapshot(metrics.snapshot_path(services.settings.data_dir, "intake")),
        # and its worker process's (queue, processing times, restarts are in the intake's; its own loop lag)
        "worker": metrics.read_snapshot(metrics.snapshot_path(services.settings.data_dir, "worker")),
    }


def render_metrics(m: dict) -> bytes:
    """Prometheus exposition text for the figures (a fresh registry per scrape: the values are DB state)."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    reg = CollectorRegistry()
    g = Gauge("shenbao_receipts", "Receipts recorded, per mailbox (all time)", ["mailbox"], registry=reg)
    for k, v in m["arrivals"].items():
        g.labels(k).set(v)
    lat = Gauge("shenbao_latency_seconds", "Arrival→recorded and recorded→processed, last 500 receipts",
                ["stage", "quantile"], registry=reg)
    for key, v in m["latency"].items():
        stage, q = key.split("_")
        lat.labels(stage, {"p50": "0.5", "p99": "0.99"}[q]).set(v)
    q = Gauge("shenbao_queue_depth", "Items waiting, per queue", ["queue"], registry=reg)
    for k, v in m["queues"].items():
        q.labels(k).set(v)
    Gauge("shenbao_ocr_backlog", "Scanned documents waiting for OCR", registry=reg).set(m["ocr_backlog"])
    u = Gauge("shenbao_units", "Provincial units per status (and unidentified submissions)", ["status"], registry=reg)
    for k, v in m["units"].items():
        u.labels(k).set(v)
    up = Gauge("shenbao_mailbox_up", "1 if the mailbox watcher had a round-trip within the window", ["mailbox"],
               registry=reg)
    for k, v in m["mailbox_up"].items():
        up.labels(k).set(v)
    Gauge("shenbao_seconds_to_deadline", "Seconds until the call's deadline (negative after)",
          registry=reg).set(m["seconds_to_deadline"])
    return generate_latest(reg) + metrics.exposition(m.get("intake"), m.get("worker"))
