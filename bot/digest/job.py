"""Collect a digest from the database at one instant, and queue it (e-mail + chats) as one recorded run."""
from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime
from pathlib import Path

from tortoise.exceptions import IntegrityError

from bot.digest.chart_png import render_png
from bot.digest.data import DigestData, build_digest
from bot.digest.html import render_html
from bot.digest.text import render_chat, render_text, split_chat
from bot.digest.xlsx import XLSX_TYPE, build_workbook, workbook_name
from bot.health import mailbox_health
from core.notify import notify_officers
from config.settings import OutgoingSettings
from core.register import build_register
from core.services import Services
from core.vocabulary import ReceiptStatus
from models.receipt import Receipt
from models.schedule import ScheduledRun

log = logging.getLogger("shenbao.bot.digest")


async def _first_seen() -> dict[str, datetime]:
    rows = await ScheduledRun.filter(kind="health", slot__startswith="state:")
    return {r.slot.split(":", 1)[1]: datetime.fromisoformat(r.detail["first_seen"]) for r in rows
            if r.detail and r.detail.get("first_seen")}


async def collect_digest(services: Services, out: OutgoingSettings, now: datetime, *, kind: str = "manual",
                         slot_at: datetime | None = None) -> DigestData:
    """Everything the digest shows, as of ``now``; 'changes' compare with the last recorded digest run."""
    reg = await build_register(services.call, now)
    shunted = await Receipt.filter(status=ReceiptStatus.SHUNTED).count()
    health = await mailbox_health(services, now, out, await _first_seen())
    prev = await ScheduledRun.filter(kind="digest", at__lte=now).order_by("-at", "-id").first()
    snap = (prev.detail or {}).get("snapshot") if prev else None
    d = build_digest(services.call, reg, kind=kind, slot_at=slot_at or now, shunted=shunted, health=health,
                     previous=snap, previous_at=prev.at if prev and snap else None)
    d.audit_tip = await _audit_tip()
    return d


async def _audit_tip() -> tuple[int, str] | None:
    """The audit log's length and newest hash, printed in every digest: recipients' copies of the digest
    then witness the chain, so even a consistent rewrite of the whole log can be detected."""
    from models.audit import AuditEntry

    last = await AuditEntry.all().order_by("-id").first()
    return (await AuditEntry.all().count(), last.hash) if last else None


def chart_cid(d: DigestData, png: bytes) -> str:
    """The Content-ID of the chart image in the mail (without <>): fixed by the digest's instant and the
    picture, so a resent outbox row carries the same one."""
    return f"status-chart.{d.call.to_local(d.generated_at):%Y%m%d%H%M%S}.{hashlib.sha256(png).hexdigest()[:12]}@shenbao"


def render_all(d: DigestData) -> dict:
    """text, html (its status chart referenced as ``cid:<chart_cid>``), chat parts, the chart PNG and the
    xlsx bytes of one digest."""
    png = render_png(d.series, d.call)
    cid = chart_cid(d, png)
    return {"text": render_text(d), "html": render_html(d, chart_src=f"cid:{cid}"), "chat": split_chat(render_chat(d)),
            "chart_png": png, "chart_cid": cid, "chart_name": chart_name(d),
            "xlsx": build_workbook(d), "xlsx_name": workbook_name(d)}


def chart_name(d: DigestData) -> str:
    return f"申报进度图_{d.call.to_local(d.generated_at):%Y%m%d_%H%M}.png"


async def write_files(services: Services, d: DigestData, rendered: dict) -> list[Path]:
    """Write the HTML, text, xlsx and chart PNG into ``<data dir>/digests``; return the paths. The saved
    HTML shows the PNG next to it (the mail's ``cid:`` only resolves inside the mail)."""
    folder = services.settings.data_dir / "digests"
    stem = f"digest_{services.call.to_local(d.generated_at):%Y%m%d_%H%M%S}"

    def write() -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / f"{stem}.html", folder / f"{stem}.txt", folder / rendered["xlsx_name"],
                 folder / f"{stem}_chart.png"]
        html = rendered["html"].replace(f'src="cid:{rendered["chart_cid"]}"', f'src="{paths[3].name}"')
        paths[0].write_text(html, encoding="utf-8")
        paths[1].write_text(rendered["text"], encoding="utf-8")
        paths[2].write_bytes(rendered["xlsx"])
        paths[3].write_bytes(rendered["chart_png"])
        return paths
    return await asyncio.to_thread(write)


async def queue_digest(services: Services, out: OutgoingSettings, *, slot: str, kind: str, slot_at: datetime,
                       now: datetime) -> list[str]:
    """Build the digest now and queue it to staff e-mail and officer chats; record the run (kind, slot).

    Idempotent: the outbox keys derive from ``slot`` and the run row is unique per slot, so running the
    same slot twice (a crash between queueing and recording) queues nothing twice.
    """
    if await ScheduledRun.filter(kind="digest", slot=slot).exists():
        return []
    d = await collect_digest(services, out, now, kind=kind, slot_at=slot_at)
    r = await asyncio.to_thread(render_all, d)      # templates, xlsx, chart PNG (the whole digest: 0.4–0.6 s CPU)
    sha, rel = await asyncio.to_thread(services.archive.put, r["xlsx"], "outbox", ".xlsx")
    attachment = {"filename": r["xlsx_name"], "content_type": XLSX_TYPE, "archive_path": rel, "sha256": sha}
    png_sha, png_rel = await asyncio.to_thread(services.archive.put, r["chart_png"], "outbox", ".png")
    chart = {"cid": r["chart_cid"], "filename": r["chart_name"], "content_type": "image/png",
             "archive_path": png_rel, "sha256": png_sha}
    subject = f"{d.title}：已申报{d.counts['filed']} 未申报{d.counts['not_filed']} 逾期{d.counts['late']}"
    keys = await notify_officers(out, key=f"digest:{slot}", now=now, text=r["text"], subject=subject,
                                 chat_parts=r["chat"], html=r["html"], attachments=[attachment], inline=[chart],
                                 card=digest_card(d, services.settings.web.base_url))
    if d.audit_tip:                          # the printed tip left the database: keep it to verify against
        from core.audit_check import record_tip_file
        from models.audit import AuditWitness

        await AuditWitness.create(at=now, entries=d.audit_tip[0], hash=d.audit_tip[1], via=f"digest:{slot}")
        try:
            record_tip_file(services.settings.data_dir, d.audit_tip[0], d.audit_tip[1], f"digest:{slot}",
                            now.isoformat())
        except OSError:
            log.warning("could not append the digest's audit tip to the tips file", exc_info=True)
    try:
        await ScheduledRun.create(kind="digest", slot=slot, at=now,
                                  detail={"kind": kind, "slot_at": slot_at.isoformat(), "snapshot": d.snapshot,
                                          "outbox": keys, "xlsx": rel})
    except IntegrityError:
        log.info("digest %s: already recorded by another run", slot)
    log.info("digest %s: queued %d messages (%s)", slot, len(keys), d.title)
    return keys


def digest_card(d: DigestData, web_url: str) -> dict:
    """The digest as a summary card (WeCom template card ``text_notice``): counts, what changed, the link."""
    c = d.counts
    fields = [("已申报", c["filed"]), ("逾期视为未申报", c["late"]), ("未申报", c["not_filed"]),
              ("未识别来信", c["unidentified"])]
    problems = [r.province for r in d.ordered() if r.has_problem]
    return {"title": d.title, "desc": f"截止 {d.call.to_local(d.call.deadline):%m-%d %H:%M}；需要关注："
                                      + ("、".join(problems[:6]) + ("等" if len(problems) > 6 else "") if problems else "无"),
            "fields": [[k, str(v)] for k, v in fields], "url": web_url.rstrip("/") + "/"}
