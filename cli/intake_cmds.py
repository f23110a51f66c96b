"""CLI: ``intake`` (the daemon), ``ingest``, ``shunted``, ``replay``, ``assign``, ``confirm``."""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("intake", help="run the intake daemon: IMAP watchers, SMTP intake, worker")
    p.set_defaults(func=cmd_intake, daemon=True, no_db=True, creates_db=True)

    p = sub.add_parser("ingest", help="import raw .eml files into a mailbox's receipts")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--mailbox", required=True, choices=["mof", "mohrss"])
    p.add_argument("--received-at", default=None,
                   help="arrival time (ISO-8601, 2023/03/26 23:00, 3月26日23时; Beijing time unless an offset "
                        "is given); default: the topmost Received header")
    p.set_defaults(func=cmd_ingest, creates_db=True)

    p = sub.add_parser("shunted", help="list receipts whose processing failed")
    p.add_argument("--json", action="store_true", help="machine format")
    p.set_defaults(func=cmd_shunted)

    p = sub.add_parser("replay", help="re-run processing of receipts (REF like R000012, or 'all-shunted')")
    p.add_argument("refs", nargs="+")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("assign", help="officer: assign a submission (or receipt) to a province")
    p.add_argument("ref", help="S000012 or R000012")
    p.add_argument("province")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.add_argument("--confirm-sender", action="store_true", help="also register the sender address")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("confirm", help="officer: accept a submission whose sender is not verified (policy 8)")
    p.add_argument("ref", help="S000012 or R000012")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_confirm)


async def cmd_intake(args, services: Services) -> int:
    from intake.daemon import run_daemon

    await run_daemon(services)
    return 0


def _parse_when(services: Services, text: str | None) -> datetime | None:
    if not text:
        return None
    from cli.args import when

    return when(services, text, "--received-at", exact=True)


async def cmd_ingest(args, services: Services) -> int:
    from intake.ingest import IngestError, ingest_bytes
    from intake.receiver import Receiver
    from intake.worker import Worker

    worker = Worker(services)
    receiver = Receiver(services.archive, services.clock, worker.submit)
    from cli.progress import progress

    when = _parse_when(services, args.received_at)
    failed = 0
    with progress("导入", len(args.files)) as bar:
        for i, path in enumerate(args.files, 1):
            try:
                raw = path.read_bytes()
                receipt, created = await ingest_bytes(receiver, raw, mailbox=args.mailbox, received_at=when)
            except (OSError, IngestError) as exc:
                reason = f"{exc.strerror}" if isinstance(exc, OSError) and exc.strerror else str(exc)
                bar.print(f"[{i}/{len(args.files)}] {path}: 未导入 / not imported: {reason}", err=True)
                failed += 1
                bar.advance()
                continue
            local = services.call.to_local(receipt.received_at).strftime("%Y-%m-%d %H:%M:%S")
            bar.print(f"[{i}/{len(args.files)}] {path.name}: {receipt.ref} {'新建' if created else '已存在(重复)'} "
                      f"{args.mailbox} 到达 {local} 北京时间")
            bar.advance()
    await worker.drain()
    return 1 if failed else 0


async def cmd_shunted(args, services: Services) -> int:
    from core.vocabulary import ReceiptStatus
    from models.receipt import Receipt

    rows = await Receipt.filter(status__in=[ReceiptStatus.SHUNTED, ReceiptStatus.RETRYING]).order_by("id")
    if args.json:
        from cli.args import dump

        dump([{"ref": r.ref, "mailbox": r.mailbox, "received_at": services.call.to_local(r.received_at).isoformat(),
               "status": str(r.status), "attempts": r.attempts,
               "next_attempt_at": services.call.to_local(r.next_attempt_at).isoformat() if r.next_attempt_at else None,
               "subject": r.subject, "error": (r.error or "").splitlines()[-1:] or None} for r in rows])
        return 0
    if not rows:
        print("没有处理失败的收件记录 / no shunted receipts")
    for r in rows:
        local = services.call.to_local(r.received_at).strftime("%Y-%m-%d %H:%M:%S")
        state = (f"retrying (attempt {r.attempts}, next {services.call.to_local(r.next_attempt_at):%m-%d %H:%M:%S})"
                 if r.status == ReceiptStatus.RETRYING and r.next_attempt_at else str(r.status))
        print(f"{r.ref}\t{r.mailbox}\t{local}\t{state}\t{r.subject or ''}\t{(r.error or '').splitlines()[-1:]}")
    return 0


async def _receipt_ids(refs: list[str]) -> list[int]:
    from core.vocabulary import ReceiptStatus
    from models.receipt import Receipt

    ids: list[int] = []
    for ref in refs:
        if ref == "all-shunted":
            ids += await Receipt.filter(status__in=[ReceiptStatus.SHUNTED, ReceiptStatus.RETRYING]) \
                .values_list("id", flat=True)
        else:
            ids.append(int(ref.strip().upper().lstrip("R")))
    return ids


async def cmd_replay(args, services: Services) -> int:
    from intake.worker import Worker
    from models.receipt import Receipt

    worker = Worker(services)
    try:
        ids = await _receipt_ids(args.refs)
    except ValueError:
        from cli.errors import UserError

        raise UserError("收件编号应形如 R000012（或 all-shunted）", "REF must look like R000012 (or 'all-shunted')") from None
    bad = 0
    for rid in ids:
        if not await Receipt.exists(id=rid):
            print(f"R{rid:06d}: no such receipt", file=sys.stderr)
            bad += 1
            continue
        ok = await worker.process_one(rid)
        print(f"R{rid:06d}: {'processed' if ok else 'still failing (shunted)'}")
        bad += 0 if ok else 1
    return 1 if bad else 0


async def cmd_assign(args, services: Services) -> int:
    from core.officer import OfficerError, assign
    from cli.args import province as resolve_province

    province = resolve_province(services, args.province)
    try:
        msg = await assign(services, args.ref, province, reason=args.reason, actor=f"cli:{args.actor}",
                           confirm_sender=args.confirm_sender)
    except OfficerError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(msg)
    return 0


async def cmd_confirm(args, services: Services) -> int:
    from core.officer import OfficerError, confirm_submission

    try:
        msg = await confirm_submission(services, args.ref, reason=args.reason, actor=f"cli:{args.actor}")
    except OfficerError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(msg)
    return 0
