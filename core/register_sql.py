"""The register read with plain SQL, for a one-shot process that must answer fast (``shenbao ask``).

    reg = await read_register(database_url, call, now, province=None)   # a Register, or None: use the ORM

Importing tortoise costs ~0.2 s in a fresh process (it reads its own source for field comments and compiles an
IDNA regex at import), more than a data question's whole budget. This reader gives the same ``Register`` as
``core.register.build_register`` from the same tables, with stdlib ``sqlite3`` or ``asyncpg``, decoding values
as tortoise stores them: on SQLite datetimes as ISO text (``isoformat(" ")``, aware), booleans as 0/1 and JSON as
text; on PostgreSQL timestamptz, bool and JSON text. Every datetime comes back in UTC, as the ORM gives it.

It reads only; it answers only when it can answer exactly as the ORM would, and returns None otherwise, for the
caller to open the database the usual way (which also gives the usual one-line errors, and migrates a database
whose schema is behind, as every command does): no database file, a file that is not SQLite, migrations not all
applied, a server that refuses, a province whose kept state is missing or of another row shape (the ORM then
computes it from the tables), a province without a dossier row that nonetheless has mail or dossier findings.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from config.call import CallConfig
from core.folders import decode_folder, stored_uidvalidity
from core.register import FolderRow, ProvinceRow, ReceiptRow, Register, UnidentifiedRow
from core.state_codec import STATE_SHAPE, decode
from core.vocabulary import ProvinceStatus, status_label

log = logging.getLogger("shenbao.core.register_sql")

UTC = ZoneInfo("UTC")                  # the tzinfo tortoise gives (use_tz, timezone "UTC")
SQLITE_MAGIC = b"SQLite format 3\x00"
PROCESSING = ("received", "retrying", "shunted")


class _Unanswerable(Exception):
    """The SQL reader cannot give what the ORM would: the caller reads through the ORM."""


def known_migrations() -> set[str]:
    """The migration names this code carries (as ``models.known_migrations``, without importing the ORM)."""
    spec = importlib.util.find_spec("models")
    folder = os.path.join(list(spec.submodule_search_locations)[0], "migrations")
    return {m.group(1) for f in os.listdir(folder) if (m := re.fullmatch(r"(\d{4}_\w+)\.py", f))}


def when(v) -> datetime | None:
    """A datetime column as tortoise's ``DatetimeField`` returns it (aware, in UTC)."""
    if v is None:
        return None
    if not isinstance(v, datetime):
        v = datetime.fromtimestamp(v) if isinstance(v, int) else datetime.fromisoformat(v)
    return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)


def js(v):
    """A JSON column as tortoise's ``JSONField`` returns it."""
    return json.loads(v) if isinstance(v, (str, bytes)) else v


class _SQLite:
    def __init__(self, path: str) -> None:
        import sqlite3

        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            raise _Unanswerable("no database file")
        with open(path, "rb") as f:
            if f.read(16) != SQLITE_MAGIC:
                raise _Unanswerable("not a SQLite file")
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10, isolation_level=None)
        self._db.execute("BEGIN")            # one snapshot for every query of the read (rolled back at close)

    async def fetch(self, sql: str, *args) -> list[tuple]:
        return self._db.execute(sql, args).fetchall()

    async def close(self) -> None:
        self._db.close()


class _Postgres:
    def __init__(self, conn) -> None:
        self._conn = conn

    @classmethod
    async def connect(cls, url: str) -> "_Postgres":
        import asyncpg

        conn = await asyncpg.connect(url.replace("asyncpg://", "postgres://", 1).split("?", 1)[0])
        await conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")    # one snapshot, no writes
        return cls(conn)

    async def fetch(self, sql: str, *args) -> list[tuple]:
        """``?`` placeholders as ``$1, $2 …`` (the queries here hold no literal question mark)."""
        n = iter(range(1, len(args) + 1))
        return [tuple(r) for r in await self._conn.fetch(re.sub(r"\?", lambda _: f"${next(n)}", sql), *args)]

    async def close(self) -> None:
        await self._conn.close()


async def _connect(url: str):
    if url.startswith("sqlite://") and ":memory:" not in url:
        return _SQLite(url[len("sqlite://"):].split("?", 1)[0])
    if url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return await _Postgres.connect(url)
    raise _Unanswerable("another backend")


async def read_register(url: str, call: CallConfig, now: datetime, province: str | None = None) -> Register | None:
    """The register as ``build_register(call, now, province)`` gives it, or None (see the module's doc)."""
    db = None
    try:
        db = await _connect(url)
        return await _read(db, call, now, province)
    except _Unanswerable as exc:
        log.debug("register through the ORM: %s", exc)
    except Exception:                     # e.g. a read-only open refused, a locked file: the ORM says it properly
        log.debug("register through the ORM: the SQL read failed", exc_info=True)
    finally:
        if db is not None:
            await db.close()
    return None


async def _read(db, call: CallConfig, now: datetime, province: str | None) -> Register:
    try:
        applied = {r[0] for r in await db.fetch("SELECT name FROM tortoise_migrations WHERE app = 'models'")}
    except Exception:
        raise _Unanswerable("no migrations table") from None
    if not known_migrations() <= applied:
        raise _Unanswerable("migrations pending")
    names = [province] if province else list(call.province_names())
    rows = await _province_rows(db, call, names)
    counts = dict(await db.fetch(f"SELECT status, COUNT(*) FROM receipt WHERE status IN ({', '.join('?' * 3)}) "
                                 "GROUP BY status", *PROCESSING))
    processing = {k: counts.get(k, 0) for k in PROCESSING}
    if province:
        return Register(call.id, now, call.deadline, rows, [], processing=processing)
    (unrelated,), = await db.fetch("SELECT COUNT(*) FROM submission WHERE call_id = ? AND unrelated = ?",
                                   call.id, True)
    return Register(call.id, now, call.deadline, rows, await _unidentified(db, call), processing=processing,
                    folders=await _folders(db), unrelated=unrelated)


async def _province_rows(db, call: CallConfig, names: list[str]) -> list[ProvinceRow]:
    kept = {p: (state, shape) for p, state, shape in await db.fetch(
        f"SELECT province, state, state_shape FROM dossier WHERE call_id = ? AND province IN "
        f"({', '.join('?' * len(names))})", call.id, *names)}
    bare = [n for n in names if n not in kept]
    if bare:                                # no dossier row: nothing arrived, unless the tables say otherwise
        marks = ", ".join("?" * len(bare))
        busy = await db.fetch(f"SELECT DISTINCT province FROM submission WHERE call_id = ? AND province IN ({marks})",
                              call.id, *bare) or \
            await db.fetch(f"SELECT DISTINCT province FROM finding WHERE scope = 'dossier' AND province IN ({marks}) "
                           "AND (call_id = ? OR call_id IS NULL)", *bare, call.id)
        if busy:
            raise _Unanswerable(f"{busy[0][0]} has rows but no dossier")
    rows = []
    for name in names:
        if name in kept:
            state, shape = kept[name]
            if state is None or shape != STATE_SHAPE:
                raise _Unanswerable(f"no current kept state for {name}")
            rows.append(decode(ProvinceRow, js(state)))
        else:
            rows.append(_empty_row(call, name))
    return rows


def _empty_row(call: CallConfig, name: str) -> ProvinceRow:
    """The row of a province with no dossier row, no submission and no dossier finding: what
    ``compute_province_row`` gives for it."""
    from precheck.reading.summary import dossier_facts

    status = ProvinceStatus.NOT_FILED
    return ProvinceRow(province=name, status=status.value, status_zh=status_label(status, None),
                       first_on_time={m.key: None for m in call.mailboxes}, submissions=[], documents=[],
                       findings=[], pages_total=None, cities=[], paper_copy_date=None, paper_copy_tracking=None,
                       override_reason=None, source_trust=None, facts=dossier_facts([], {}, None))


async def _unidentified(db, call: CallConfig) -> list[UnidentifiedRow]:
    """As ``core.register.unidentified_rows``: the call's submissions no province claims, unrelated mail aside."""
    queue = "s.call_id = ? AND s.province IS NULL AND s.unrelated = ?"
    subs = await db.fetch(f"SELECT s.id, s.subject, s.sender, s.first_received_at, s.on_time, s.attribution "
                          f"FROM submission s WHERE {queue} ORDER BY s.first_received_at, s.id", call.id, False)
    by_sub: dict[int, list[ReceiptRow]] = {}
    if subs:
        for rid, sid, mailbox, at, source, time_source in await db.fetch(
                f"SELECT r.id, r.submission_id, r.mailbox, r.received_at, r.source, r.time_source FROM receipt r "
                f"JOIN submission s ON s.id = r.submission_id WHERE {queue} ORDER BY r.received_at, r.id",
                call.id, False):
            at = when(at)
            by_sub.setdefault(sid, []).append(ReceiptRow(f"R{rid:06d}", mailbox, at, source, time_source,
                                                         call.is_on_time(at)))
    return [UnidentifiedRow(f"S{sid:06d}", subject or "", sender, when(first), bool(on_time), by_sub.get(sid, []),
                            js(attribution)) for sid, subject, sender, first, on_time, attribution in subs]


async def _folders(db) -> list[FolderRow]:
    """As ``core.register.reconcile_folders``."""
    out = []
    for mailbox, account, folder, uidvalidity, last_uid, messages, last_ok_at, last_error in await db.fetch(
            "SELECT mailbox, account, folder, uidvalidity, last_uid, messages, last_ok_at, last_error "
            "FROM mailbox_cursor ORDER BY mailbox, account, folder"):
        (n,), = await db.fetch("SELECT COUNT(*) FROM receipt WHERE imap_account = ? AND imap_folder = ? "
                               "AND imap_uidvalidity = ? AND imap_uid <= ?", account, decode_folder(folder),
                               stored_uidvalidity(folder, uidvalidity), last_uid)
        out.append(FolderRow(mailbox, account, decode_folder(folder), last_uid, messages, n, when(last_ok_at),
                             last_error))
    return out
