"""Backup and restore of one installation: the database (SQLite through the stdlib online backup API,
PostgreSQL through ``pg_dump -Fc`` / ``pg_restore``) and every other file of the data directory (the
append-only archive of raw mail and attachments, written digests, keys).

Order matters and is the documented one: **database first, then the files** — the archive only ever
grows and a file is written before the row that points to it commits, so files copied after the
snapshot include every file the snapshot references. A backup is a folder::

    <dest>/shenbao-20230327-001500/
        manifest.json          what, when, sha256 of the database copy, counts (receipts, audit entries)
        database.sqlite3       (SQLite)  or  database.pgdump (PostgreSQL, custom format)
        files/archive/…        the data directory's files, database excluded

``verify_backup`` re-hashes the database copy and every archived file a receipt or document row names.
"""
from __future__ import annotations

import hashlib
import json
import filecmp
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

MANIFEST = "manifest.json"
DB_SQLITE = "database.sqlite3"
DB_PG = "database.pgdump"
FILES = "files"
SKIP_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal", ".migrate-lock")


class BackupError(RuntimeError):
    """Backup or restore cannot proceed; the message is for people."""


@dataclass
class BackupResult:
    path: Path
    database: str
    files_copied: int = 0
    files_skipped: int = 0
    bytes: int = 0
    manifest: dict = field(default_factory=dict)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _pg_url(url: str) -> str:
    return url.replace("asyncpg://", "postgresql://", 1).replace("postgres://", "postgresql://", 1).split("?", 1)[0]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"找不到 {name}（PostgreSQL 客户端工具）；Debian：apt-get install postgresql-client")
    return path


def snapshot_sqlite(src: Path, dest: Path) -> None:
    """Online, consistent copy while the processes run (sqlite3.Connection.backup, WAL included)."""
    con = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(dest)
        try:
            con.backup(out, pages=1024)
        finally:
            out.close()
    finally:
        con.close()


def copy_files(data_dir: Path, dest: Path, *, exclude: tuple[Path, ...] = ()) -> tuple[int, int, int]:
    """Copy every file of ``data_dir`` (the database excluded) into ``dest``; a file already there with the
    same size is skipped (the archive is content-addressed, so that is the same file). Returns
    (copied, skipped, bytes)."""
    copied = skipped = size = 0
    excl = {p.resolve() for p in exclude}
    for root, dirs, files in os.walk(data_dir):
        rel_root = Path(root).relative_to(data_dir)
        dirs[:] = [d for d in dirs if (Path(root) / d).resolve() not in excl]
        for name in files:
            src = Path(root) / name
            if name.endswith(SKIP_SUFFIXES) or name.startswith(".") and name.endswith(".tmp") or src.resolve() in excl:
                continue
            target = dest / rel_root / name
            st = src.stat()
            # the archive is content-addressed: same name and size is the same file; anything else (the signing
            # key, the web desk's key, digests) is compared by content — a restore into a directory whose
            # fresh key has the same size must still put the backup's key back, or the chain no longer verifies
            if target.exists() and target.stat().st_size == st.st_size and (
                    rel_root.parts[:1] == ("archive",) or filecmp.cmp(src, target, shallow=False)):
                skipped += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            copied += 1
            size += st.st_size
    return copied, skipped, size


def backup(settings, dest_root: Path, *, now: datetime, counts: dict | None = None) -> BackupResult:
    """Write one backup folder under ``dest_root``; return what was written."""
    dest_root = Path(dest_root).expanduser().resolve()
    data_dir = settings.data_dir.resolve()
    if dest_root == data_dir or dest_root.is_relative_to(data_dir):
        raise BackupError(f"备份目录 {dest_root} 在数据目录 {data_dir} 之内；请备份到别处（另一块盘或另一台机器）")
    folder = dest_root / f"shenbao-{now:%Y%m%d-%H%M%S}"
    if folder.exists():
        raise BackupError(f"{folder} 已存在")
    folder.mkdir(parents=True)
    if settings.sqlite_path is not None:
        if not settings.sqlite_path.exists():
            raise BackupError(f"数据库 {settings.sqlite_path} 不存在")
        db_file, kind = folder / DB_SQLITE, "sqlite"
        snapshot_sqlite(settings.sqlite_path, db_file)
    else:
        db_file, kind = folder / DB_PG, "postgres"
        p = subprocess.run([_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(db_file), _pg_url(settings.database_url)],
                           capture_output=True, text=True, timeout=3600)
        if p.returncode != 0:
            raise BackupError(f"pg_dump 失败：{p.stderr.strip()[-500:]}")
    copied, skipped, size = copy_files(data_dir, folder / FILES, exclude=(dest_root,))
    manifest = {"format": 1, "created_at": now.isoformat(), "database": kind, "database_file": db_file.name,
                "database_sha256": _sha256(db_file), "database_bytes": db_file.stat().st_size,
                "files": copied + skipped, "counts": counts or {}, "source_data_dir": str(data_dir)}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return BackupResult(folder, kind, copied, skipped, size, manifest)


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 不是 shenbao 备份（没有 {MANIFEST}）")
    m = json.loads(path.read_text(encoding="utf-8"))
    db_file = Path(folder) / m["database_file"]
    if not db_file.exists() or _sha256(db_file) != m["database_sha256"]:
        raise BackupError(f"备份中的数据库文件 {db_file} 缺失或已改动（sha256 不符）")
    return m


def restore(settings, folder: Path, *, force: bool = False) -> dict:
    """Put a backup back into ``settings``' database and data directory (processes must be stopped)."""
    folder = Path(folder).expanduser().resolve()
    m = read_manifest(folder)
    want = "sqlite" if settings.sqlite_path is not None else "postgres"
    if m["database"] != want:
        raise BackupError(f"备份是 {m['database']} 数据库，当前配置的是 {want}（DATABASE_URL）")
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if want == "sqlite":
        target = settings.sqlite_path
        if target.exists() and not force:
            raise BackupError(f"数据库 {target} 已存在；确认要覆盖时加 --force（先停止 intake 和 bot）")
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".restore-tmp")
        shutil.copy2(folder / m["database_file"], tmp)
        os.replace(tmp, target)
    else:
        args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", _pg_url(settings.database_url)]
        if force:
            args[1:1] = ["--clean", "--if-exists"]
        p = subprocess.run([*args, str(folder / m["database_file"])], capture_output=True, text=True, timeout=3600)
        if p.returncode != 0:
            raise BackupError(f"pg_restore 失败：{p.stderr.strip()[-500:]}"
                              + ("" if force else "（数据库非空时加 --force）"))
    copy_files(folder / FILES, data_dir)
    return m


async def verify_restored(archive) -> dict:
    """Every archived file the database names is present and hashes to its recorded sha256; the audit
    chain holds. Returns counts and problems (empty list = good)."""
    from models import audit_log
    from models.receipt import Receipt
    from models.submission import Document

    problems: list[str] = []
    n = 0
    for model, label in ((Receipt, "收件"), (Document, "文件")):
        for row in await model.all().only("id", "archive_path", "sha256"):
            n += 1
            try:
                if not archive.verify(row.archive_path, row.sha256):
                    problems.append(f"{label} {row.id}: {row.archive_path} sha256 不符")
            except OSError:
                problems.append(f"{label} {row.id}: {row.archive_path} 缺失")
    ok, entries, problem = await audit_log.verify()
    if not ok:
        problems.append(f"审计日志：{problem}")
    return {"files_checked": n, "audit_entries": entries, "problems": problems}
