"""CLI: ``backup DEST`` and ``restore BACKUP`` — the database (sqlite3 backup API / pg_dump) and the data
directory's files (archive of raw mail, digests, keys), verified after restore (core.backup)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services

from cli.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("backup", help="back up the database and the archive into a new folder under DEST "
                                      "(online: intake and bot may keep running)")
    p.add_argument("dest", help="folder for backups, e.g. /backup/shenbao (a subfolder per run is created)")
    p.add_argument("--json", action="store_true", help="machine format")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="restore a backup folder into this data directory / database, then verify")
    p.add_argument("backup", help="a folder written by 'shenbao backup' (…/shenbao-YYYYMMDD-HHMMSS)")
    p.add_argument("--force", action="store_true", help="overwrite an existing database (stop intake and bot first)")
    p.add_argument("--json", action="store_true", help="machine format")
    p.set_defaults(func=cmd_restore, no_db=True, creates_db=True)


async def _counts() -> dict:
    from models.audit import AuditEntry
    from models.receipt import Receipt
    from models.submission import Document, Submission

    return {"receipts": await Receipt.all().count(), "submissions": await Submission.all().count(),
            "documents": await Document.all().count(), "audit_entries": await AuditEntry.all().count()}


async def cmd_backup(args, services: Services) -> int:
    import asyncio

    from core.backup import BackupError, backup

    counts = await _counts()
    try:
        res = await asyncio.to_thread(backup, services.settings, args.dest,
                                      now=services.call.to_local(services.clock.now()), counts=counts)
    except BackupError as exc:
        raise UserError(str(exc), "backup failed") from None
    if args.json:
        from cli.args import dump

        dump({"path": str(res.path), **res.manifest, "copied": res.files_copied})
        return 0
    print(f"备份完成：{res.path}\n  数据库（{res.database}）sha256 {res.manifest['database_sha256'][:16]}…，"
          f"{counts['receipts']} 份收件记录，{counts['audit_entries']} 条审计记录\n"
          f"  文件 {res.files_copied + res.files_skipped} 个（新复制 {res.files_copied}，{res.bytes / 1e6:.1f} MB）\n"
          f"恢复：shenbao restore {res.path}")
    return 0


async def cmd_restore(args, services: Services) -> int:
    import asyncio

    from core.backup import BackupError, restore, verify_restored
    from models import close_db, init_db

    try:
        m = await asyncio.to_thread(restore, services.settings, args.backup, force=args.force)
    except BackupError as exc:
        raise UserError(str(exc), "restore failed") from None
    await init_db(services.settings.database_url)
    try:
        v = await verify_restored(services.archive)
        counts = await _counts()
    finally:
        await close_db()
    ok = not v["problems"] and counts == {**counts, **{k: m["counts"].get(k, counts[k]) for k in counts}}
    if args.json:
        from cli.args import dump

        dump({"ok": ok, "backup": m, "verify": v, "counts": counts})
        return 0 if ok else 1
    print(f"已恢复 {args.backup}（{m['created_at']} 的备份）到 {services.settings.database_label}")
    print(f"校验：{v['files_checked']} 个归档文件哈希一致，审计日志 {v['audit_entries']} 条完整；"
          f"收件记录 {counts['receipts']}（备份时 {m['counts'].get('receipts', '?')}）")
    for p in v["problems"]:
        print(f"  问题：{p}")
    return 0 if ok else 1
