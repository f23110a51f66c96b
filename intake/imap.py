"""IMAP mailbox watcher (aioimaplib): ID, EXAMINE, UID FETCH above a persisted cursor, IDLE or poll.

Home Assistant's imap integration shape: ``connect()`` raises typed errors, one ``_cleanup()``,
backoff on every failure. Reads with BODY.PEEK on an EXAMINEd folder: never sets flags, never deletes.
"""
from __future__ import annotations

import asyncio
import logging
import random
import re
import ssl

from aioimaplib import aioimaplib

from config.clock import Clock
from core.archive import SpoolFile, StorageUnavailable
from core import metrics
from config.settings import ImapAccount
from core.folders import decode_folder, stored_uidvalidity  # noqa: F401  (re-exported: tests, daemon)
from intake.envelope import RawMail
from intake.errors import InvalidAuth, InvalidFolder, MailboxGone
from intake.priority import GATE
from intake.imap_fetch import Fetched, parse_chunk, parse_fetch, parse_search, parse_uidvalidity
from intake.receiver import Receiver
from core.vocabulary import Source, TimeSource
from models.receipt import MailboxCursor
from models.retry import with_retry

log = logging.getLogger("shenbao.intake.imap")

FETCH_ITEMS = "(UID INTERNALDATE RFC822.SIZE BODY.PEEK[])"
CLIENT_ID = {"name": "shenbao", "version": "0.1", "vendor": "shenbao", "support-email": "intake@localhost"}
BATCH = 20
BATCH_BYTES = 16 * 2**20    # at most ~16 MB of message bodies per UID FETCH (a larger message: a batch alone)
STREAM_ABOVE = 4 * 2**20    # a message larger than this is fetched alone, in partial chunks, into a spool file
CHUNK = 1 * 2**20           # bytes per partial fetch (RFC 3501 BODY.PEEK[]<offset.length>): memory per large message
META_CHUNK = 200            # UIDs per metadata FETCH (lines of one response: aioimaplib recurses per line)
FAST_MAX = 8                # after an IDLE push: UIDs last+1..last+FAST_MAX fetched at once, first chunk included
HEALTH_EVERY = 10.0         # seconds between saves of last_ok_at when a round records nothing (a commit each)
_UID_RE = re.compile(rb"\bUID (\d+)")
_EXPUNGE_RE = re.compile(rb"^\*? ?\d+ EXPUNGE\b", re.I)
_EXISTS_RE = re.compile(rb"^\*? ?(\d+) EXISTS\b", re.I)
_SIZE_RE = re.compile(rb"RFC822\.SIZE (\d+)")
CONNECT_TIMEOUT = 30.0
JUNK = "\\Junk"                                 # an extra folder: the provider's junk folder, found at connect
JUNK_NAMES = ("Junk", "Spam", "&V4NXPpCuTvY-", "Junk E-mail", "Junk Email", "INBOX.Junk", "INBOX.Spam", "Bulk Mail")
NO_FOLDER_WAIT = 600.0                           # a folder that does not exist (yet) is looked for again this often
_LIST_RE = re.compile(rb'^\((?P<flags>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>.+)$')


DONE_TIMEOUT = 10.0      # a live server answers DONE at once; silence means a dead (black-holed) connection


async def connect(account: ImapAccount, on_lost) -> aioimaplib.IMAP4:
    """Log in, send ID (163.com refuses SELECT without it); raise InvalidAuth / MailboxGone."""
    lost = asyncio.Event()

    def lost_cb(exc) -> None:
        lost.set()
        on_lost(exc)
    # IMAP4 with an ssl_context, not IMAP4_SSL: aioimaplib's IMAP4_SSL takes no conn_lost_cb (TypeError).
    client = aioimaplib.IMAP4(account.host, account.port, timeout=CONNECT_TIMEOUT, conn_lost_cb=lost_cb,
                              ssl_context=ssl.create_default_context() if account.ssl else None)
    try:
        hello = asyncio.ensure_future(client.wait_hello_from_server())
        gone = asyncio.ensure_future(lost.wait())
        await asyncio.wait({hello, gone}, timeout=CONNECT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if not hello.done():                 # closed before the greeting, or silent: do not wait 30 s more
            hello.cancel()
            raise asyncio.TimeoutError("connection closed before the server greeting" if lost.is_set()
                                       else "no server greeting")
        hello.result()
        r = await client.login(account.user, account.password)
    except (OSError, asyncio.TimeoutError) as exc:
        _close(client)
        raise MailboxGone(f"connect/login failed: {type(exc).__name__}: {exc}") from exc
    if r.result != "OK":
        _close(client)
        raise InvalidAuth(f"login refused for {account.user}@{account.host}: {_text(r)}")
    if client.has_capability("ID"):
        await client.id(**CLIENT_ID)
    return client


def uid_set(uids: list[int]) -> str:
    """An IMAP sequence set for sorted UIDs, runs compressed: [1, 2, 3, 7, 9, 10] -> '1:3,7,9:10'."""
    parts, i = [], 0
    while i < len(uids):
        j = i
        while j + 1 < len(uids) and uids[j + 1] == uids[j] + 1:
            j += 1
        parts.append(str(uids[i]) if i == j else f"{uids[i]}:{uids[j]}")
        i = j + 1
    return ",".join(parts)


def _text(resp) -> str:
    return " ".join(x.decode("utf-8", "replace") for x in resp.lines if isinstance(x, bytes))[:200]


def _watch_untagged(client, on_expunge, on_exists) -> None:
    """Call ``on_expunge`` for every untagged EXPUNGE and ``on_exists(n)`` for every EXISTS the server sends
    (RFC 3501 7.4.1 allows them in the response to any command; aioimaplib drops those that come with a UID
    command): the watcher's count of messages is corrected at once, and a message announced during a round's
    own SEARCH or FETCH — which the server will not announce again once we IDLE — gets one more round instead
    of waiting for the safety poll (seen in bench_load: a message recorded 30 s late)."""
    proto = getattr(client, "protocol", None)
    handler = getattr(proto, "_untagged_response", None)
    if handler is None or getattr(handler, "_shenbao_watch", False):
        return

    def untagged(line: bytes, _handler=handler):
        if _EXPUNGE_RE.match(line):
            on_expunge()
        else:
            m = _EXISTS_RE.match(line)
            if m:
                on_exists(int(m.group(1)))
        return _handler(line)
    untagged._shenbao_watch = True
    proto._untagged_response = untagged


def _close(client) -> None:
    try:
        if client.protocol is not None and client.protocol.transport is not None:
            client.protocol.transport.close()
    except Exception:  # pragma: no cover - best effort
        pass


class MailboxWatcher:
    """Watch one account's folder forever; one watcher's failure never touches another."""

    def __init__(self, account: ImapAccount, receiver: Receiver, clock: Clock, *, backoff_base: float = 1.0,
                 backoff_max: float = 60.0, on_alert=None):
        self.account = account
        self.receiver = receiver
        self.clock = clock
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.on_alert = on_alert
        self.account_key = f"{account.user}@{account.host}:{account.port}"
        self._client: aioimaplib.IMAP4 | None = None
        self._lost = asyncio.Event()
        self._stop = asyncio.Event()
        self.connected = asyncio.Event()     # set while a session is up (tests and health)
        self.folder = account.folder         # the IMAP name watched (``\\Junk`` resolved at connect)
        self.rounds = 0                      # completed fetch rounds (tests)
        self._recount = True                 # cursor.messages to be counted over the whole folder (see _tail)
        self._exists: int | None = None      # the last EXISTS count the server sent
        self._announced = False              # an EXISTS with a new count arrived since the round's SEARCH began
        self._health_saved = None            # monotonic time of the last health save

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        backoff = self.backoff_base
        while not self._stop.is_set():
            try:
                await self._session()
                backoff = self.backoff_base
            except asyncio.CancelledError:
                raise
            except InvalidAuth as exc:
                await self._record_error(str(exc))
                log.error("%s: %s; retrying in %.0fs", self.account_key, exc, max(backoff, 5 * self.backoff_base))
                backoff = max(backoff, 5 * self.backoff_base)
            except Exception as exc:  # MailboxGone, AioImapException, TimeoutError, OSError, DB errors
                await self._record_error(f"{type(exc).__name__}: {exc}")
                log.warning("%s: %s: %s; reconnecting in %.1fs", self.account_key, type(exc).__name__, exc, backoff)
            finally:
                self._cleanup()
            if self._stop.is_set():
                break
            try:
                await asyncio.wait_for(self._stop.wait(), backoff * (1 + random.random() * 0.2))
            except asyncio.TimeoutError:
                pass
            backoff = min(backoff * 2, self.backoff_max)

    def _cleanup(self) -> None:
        self.connected.clear()
        if self._client is not None:
            _close(self._client)
        self._client = None

    async def _resolve_folder(self, c) -> str | None:
        """The folder to watch: as configured, or for ``\\Junk`` the one LIST marks \\Junk (RFC 6154) or names
        like 163.com's 垃圾邮件; None when there is none."""
        want = self.account.folder
        if want != JUNK:
            return want
        r = await self._unless_lost(c.list('""', "*"))
        names = []
        for line in r.lines:
            m = _LIST_RE.match(line) if isinstance(line, (bytes, bytearray)) else None
            if not m:
                continue
            name = m.group("name").decode("utf-8", "replace").strip().strip('"')
            if b"\\junk" in m.group("flags").lower():
                return name
            names.append(name)
        for cand in JUNK_NAMES:
            for name in names:
                if name.lower() == cand.lower():
                    return name
        return None

    async def _session(self) -> None:
        self._lost = asyncio.Event()
        self._client = c = await connect(self.account, lambda exc: self._lost.set())
        folder = await self._resolve_folder(c)
        if folder is None:
            log.info("%s: no junk folder (SPECIAL-USE \\Junk or %s); looking again in %.0fs", self.account_key,
                     ", ".join(JUNK_NAMES), NO_FOLDER_WAIT)
            self.connected.set()
            await self._sleep_or_stop(NO_FOLDER_WAIT)
            return
        self.folder = folder
        r = await c.examine(f'"{folder}"' if " " in folder else folder)
        if r.result != "OK":
            raise InvalidFolder(f"EXAMINE {folder} failed: {_text(r)}")
        # aioimaplib treats EXAMINE as a simple command and leaves its state at AUTH; a successful
        # EXAMINE selects the folder read-only (RFC 3501 6.3.2), so record that, as select() would.
        c.protocol.state = aioimaplib.SELECTED
        self._exists = next((int(m.group(1)) for ln in r.lines
                             if isinstance(ln, (bytes, bytearray)) and (m := _EXISTS_RE.match(ln))), None)
        uidvalidity = parse_uidvalidity(r.lines)
        if uidvalidity is None:
            raise InvalidFolder("server gave no UIDVALIDITY")
        cursor = await self._cursor(uidvalidity)
        self._recount, self._health_saved = True, None     # a new session counts the folder once
        self._announced = False
        _watch_untagged(c, self._expunged, self._exists_said)
        self.connected.set()
        log.info("%s: watching %s (uidvalidity %d, last uid %d, %s)", self.account_key, decode_folder(self.folder),
                 uidvalidity, cursor.last_uid, "IDLE" if self._use_idle(c) else "poll")
        pushed = False
        while not self._stop.is_set():
            if pushed and not self._recount and not self._stop.is_set():
                # the worker steps aside from the push on, not only once the bytes are here: a write transaction
                # it began during the FETCH would hold SQLite's one write lock when the receipt is committed
                async with GATE.recording():
                    await self._fetch_pushed(c, cursor)    # one round trip for the few messages a push announces
            while not self._stop.is_set() and await self._fetch_new(c, cursor):
                pass        # mail that arrived during our FETCH was announced in its response, not in IDLE
            self.rounds += 1
            if not self._stop.is_set():
                pushed = await self._wait_for_news(c)

    def _expunged(self) -> None:
        self._recount = True

    def _exists_said(self, n: int) -> None:
        if n != self._exists:                # a server repeating the same count announces nothing new
            self._exists, self._announced = n, True

    def _use_idle(self, c) -> bool:
        return self.account.idle and c.has_capability("IDLE")

    async def _cursor(self, uidvalidity: int) -> MailboxCursor:
        now = self.clock.now()
        cur, created = await MailboxCursor.get_or_create(
            account=self.account_key, folder=self.folder,
            defaults={"mailbox": self.account.mailbox, "uidvalidity": uidvalidity, "last_uid": 0, "updated_at": now})
        if not created and cur.uidvalidity == 0 and cur.last_uid == 0:      # a row made by _record_error
            cur.uidvalidity, cur.updated_at = uidvalidity, now
            await cur.save(update_fields=["uidvalidity", "updated_at"])
        elif not created and cur.uidvalidity != uidvalidity:
            msg = (f"{self.account_key}: UIDVALIDITY of {decode_folder(self.folder)} changed {cur.uidvalidity} -> "
                   f"{uidvalidity}; rescanning the whole folder (duplicates are recognised by content)")
            log.error(msg)
            if self.on_alert:
                await self.on_alert("uidvalidity_changed", msg, {"account": self.account_key, "old": cur.uidvalidity,
                                                                  "new": uidvalidity})
            cur.uidvalidity, cur.last_uid, cur.updated_at = uidvalidity, 0, now
            await cur.save()
        return cur

    async def _fetch_new(self, c, cursor: MailboxCursor) -> int:
        """Record every message above the cursor, in bounded UID chunks; return how many there were.

        A backlog (first start on a years-old mailbox, a long outage) is walked chunk by chunk: one
        metadata FETCH per ≤ META_CHUNK UIDs (aioimaplib handles the response lines of one read one
        recursion level deeper each, so one FETCH over a 1,000-message range never completed), body FETCHes
        of ≤ BATCH messages and ≤ BATCH_BYTES, each batch's receipts committed in one transaction with the
        cursor (a restart resumes exactly where the last batch ended)."""
        self._announced = False              # what the server announces from here on is looked for again
        r = await self._unless_lost(c.uid_search(f"UID {cursor.last_uid + 1}:*", charset=None))
        if r.result != "OK":
            raise MailboxGone(f"UID SEARCH failed: {_text(r)}")
        uids = [u for u in parse_search(r.lines) if u > cursor.last_uid]
        backlog = len(uids)
        if backlog > META_CHUNK:
            log.info("%s: backlog of %d messages above uid %d; recording in chunks of %d", self.account_key,
                     backlog, cursor.last_uid, META_CHUNK)
        done = 0
        for start in range(0, backlog, META_CHUNK):
            if self._stop.is_set():                    # a stop during a backfill: the cursor says where to resume
                break
            chunk = uids[start:start + META_CHUNK]
            for batch in await self._batches(c, chunk):
                spool: SpoolFile | None = None
                try:
                    if len(batch) == 1:                    # one message, maybe large: partial fetches, bounded
                        got, spool = await self._fetch_one(c, batch[0])
                        fetched = [got] if got is not None and got.uid > cursor.last_uid else []
                    else:
                        fr = await self._unless_lost(c.uid("fetch", uid_set(batch), FETCH_ITEMS))
                        if fr.result != "OK":
                            raise MailboxGone(f"UID FETCH failed: {_text(fr)}")
                        fetched = [m for m in sorted(parse_fetch(fr.lines), key=lambda m: m.uid)
                                   if m.uid > cursor.last_uid]
                        del fr
                    if not fetched:
                        continue
                    await self._record(cursor, fetched)
                    done += len(fetched)
                    del fetched
                finally:
                    if spool is not None:
                        spool.discard()                    # gone already if the archive took it
            metrics.gauge("imap_backlog", "messages above the cursor not yet recorded",
                          mailbox=self.account.mailbox).set(backlog - start - len(chunk))
            if backlog > META_CHUNK and (start // META_CHUNK) % 10 == 9:
                log.info("%s: backlog %d/%d recorded (uid %d)", self.account_key, done, backlog, cursor.last_uid)
        newer = await self._tail(c, cursor, recorded=done) or self._announced
        # mail that arrived meanwhile was announced (EXISTS) in a response of this round, which IDLE does not
        # repeat: after a round that found mail, SEARCH once more (cheap: above the cursor) before idling
        return backlog or (1 if newer else 0)

    async def _record(self, cursor: MailboxCursor, fetched: list[Fetched], *, upto: int | None = None,
                      seen: list[int] | None = None) -> None:
        """Record fetched messages (UID order) and move the cursor past them in the receipts' transaction: the
        cursor's last UID, its count of messages up to it (``messages``: one more per message the server
        returned) and ``last_ok_at`` are exact with the receipts, without a commit of their own. ``upto``: the
        cursor moves only that far (messages above it are recorded, but an earlier one is not yet), counting
        the messages of ``seen`` (the UIDs the server returned) it passes; the cursor never moves back."""
        mails = [self._raw_mail(m, cursor) for m in fetched]
        last = fetched[-1].uid if upto is None else max(cursor.last_uid, upto)
        n = len(fetched) if seen is None else sum(1 for u in seen if cursor.last_uid < u <= last)

        async def advance() -> None:
            now = self.clock.now()
            cursor.last_uid, cursor.updated_at, cursor.last_ok_at = last, now, now
            cursor.messages = (cursor.messages or 0) + n
            await cursor.save(update_fields=["last_uid", "updated_at", "last_ok_at", "messages"])
        before = cursor.last_uid, cursor.updated_at, cursor.last_ok_at, cursor.messages
        try:
            await self.receiver.accept_many(mails, also=advance)
        except BaseException:              # not committed: the in-memory cursor must not run ahead of the row
            cursor.last_uid, cursor.updated_at, cursor.last_ok_at, cursor.messages = before
            raise

    async def _tail(self, c, cursor: MailboxCursor, *, recorded: int) -> bool:
        """End of a round. The whole folder is counted (``UID SEARCH UID 1:*``, grows with the mailbox) only
        when the count may be off — a new session, an EXPUNGE seen, the safety poll — since ``_record`` keeps it
        exact otherwise; health (``last_ok_at``, clearing ``last_error``) is saved when an error is to be
        cleared, the count changed, or ``HEALTH_EVERY`` seconds passed. Returns whether a message above the
        cursor is known to have arrived (only a whole-folder count tells)."""
        newer, fields = False, []
        if self._recount:
            self._recount = False
            messages, newer = await self._count_through(c, cursor.last_uid)
            if messages != cursor.messages:
                cursor.messages = messages
                fields.append("messages")
        now = asyncio.get_running_loop().time()
        if cursor.last_error is not None or fields or recorded == 0 and (
                self._health_saved is None or now - self._health_saved >= HEALTH_EVERY):
            cursor.last_ok_at, cursor.last_error = self.clock.now(), None
            await with_retry(lambda: cursor.save(update_fields=["last_ok_at", "last_error", *fields]),
                             what="cursor health")
            self._health_saved = now
        elif recorded:
            self._health_saved = now           # _record saved last_ok_at with the receipts
        return newer

    async def _fetch_pushed(self, c, cursor: MailboxCursor) -> int:
        """After an IDLE push: ``UID FETCH last+1:last+FAST_MAX`` with each message's first chunk, one round trip
        instead of SEARCH then FETCH (a minimal IDLE client's path). The range bounds the answer (at most
        FAST_MAX × CHUNK bytes and lines, whatever arrived); what lies beyond it, a message larger than one
        chunk (streamed on as ``_fetch_one`` does) and mail announced meanwhile are left to or handled as in
        ``_fetch_new``, which runs next. Returns how many messages were recorded."""
        first = cursor.last_uid + 1
        r = await self._unless_lost(c.uid("fetch", f"{first}:{first + FAST_MAX - 1}",
                                          f"(UID INTERNALDATE RFC822.SIZE BODY.PEEK[]<0.{CHUNK}>)"))
        if r.result != "OK":
            raise MailboxGone(f"UID FETCH failed: {_text(r)}")
        got = sorted((m for m in parse_fetch(r.lines) if m.uid > cursor.last_uid), key=lambda m: m.uid)
        del r
        whole = [m for m in got if len(m.raw) < CHUNK]
        large = [m for m in got if len(m.raw) >= CHUNK]
        uids = [m.uid for m in got]
        done = 0
        # the small ones first, even those above a large one (a minimal client would have them on disk while it
        # still reads the large one): the cursor moves only to below the first large one, so a crash while it
        # streams fetches the small ones again, and the receipts' dedupe (same bytes, same UID) records them once
        if whole:
            await self._record(cursor, whole, upto=large[0].uid - 1 if large else None, seen=uids)
            done += len(whole)
        for i, m in enumerate(large):
            spool = None
            try:
                big, spool = await self._spool_rest(c, m.uid, m)
                upto = large[i + 1].uid - 1 if i + 1 < len(large) else uids[-1]
                if big is not None and big.uid > cursor.last_uid:
                    await self._record(cursor, [big], upto=upto, seen=uids)
                    done += 1
            finally:
                if spool is not None:
                    spool.discard()
        return done

    def _raw_mail(self, m: Fetched, cursor: MailboxCursor) -> RawMail:
        return RawMail(Source.IMAP, self.account.mailbox, m.raw, m.internaldate,
                       TimeSource.IMAP_INTERNALDATE, imap_account=self.account_key,
                       imap_folder=decode_folder(self.folder),
                       imap_uidvalidity=stored_uidvalidity(self.folder, cursor.uidvalidity), imap_uid=m.uid,
                       spooled=m.spooled)

    async def _fetch_one(self, c, uid: int) -> tuple[Fetched | None, SpoolFile | None]:
        """One message by partial fetches of CHUNK bytes (RFC 3501 6.4.5 ``BODY.PEEK[]<offset.length>``),
        each appended to a spool file as it arrives: memory is one chunk (aioimaplib holds a whole literal),
        whatever the message's size. A message that fits in the first chunk comes back as bytes, as before.

        Returns ``(Fetched, spool)``: ``Fetched.raw`` is empty and ``spool`` finished (fsynced) for a spooled
        message; the caller hands ``spool`` to the archive (a rename) and discards it in any case. The total
        must equal the server's RFC822.SIZE; otherwise (a server whose partial fetch we cannot trust) the
        message is fetched whole once, as before this existed."""
        first = await self._fetch_chunk(c, uid, 0, "UID INTERNALDATE RFC822.SIZE ")
        got = parse_fetch(first.lines)
        del first
        if not got:
            return None, None                                  # expunged meanwhile: nothing to record
        m = got[0]
        if len(m.raw) < CHUNK:
            return m, None
        return await self._spool_rest(c, uid, m)

    async def _spool_rest(self, c, uid: int, m: Fetched) -> tuple[Fetched | None, SpoolFile | None]:
        """The rest of ``m`` (its first chunk in hand) into a spool file; a spool write that fails (disk full)
        consumes nothing and alerts the officers once per outage."""
        try:
            return await self._spool_chunks(c, uid, m)
        except StorageUnavailable as exc:
            await self.receiver.storage_failed(exc, Source.IMAP, self.account.mailbox)
            raise

    async def _spool_chunks(self, c, uid: int, m: Fetched) -> tuple[Fetched | None, SpoolFile | None]:
        spool = await asyncio.to_thread(self.receiver.archive.open_spool)
        try:
            await asyncio.to_thread(spool.write, m.raw)
            offset = len(m.raw)
            m = Fetched(m.uid, m.internaldate, m.size, b"")
            while True:
                r = await self._fetch_chunk(c, uid, offset, "UID ")
                part = parse_chunk(r.lines)
                del r
                if part is None or not part[1]:
                    break
                await asyncio.to_thread(spool.write, part[1])
                offset += len(part[1])
                if len(part[1]) < CHUNK:
                    break
                del part
            spooled = await asyncio.to_thread(spool.finish)
        except BaseException:
            spool.discard()
            raise
        if m.size is not None and spooled.size != m.size:
            spool.discard()
            log.warning("%s: uid %d partial fetches gave %d bytes, RFC822.SIZE %d: fetching it whole",
                        self.account_key, uid, spooled.size, m.size)
            fr = await self._unless_lost(c.uid("fetch", str(uid), FETCH_ITEMS))
            if fr.result != "OK":
                raise MailboxGone(f"UID FETCH failed: {_text(fr)}")
            whole = parse_fetch(fr.lines)
            return (whole[0] if whole else None), None
        metrics.counter("imap_streamed_total", "large IMAP messages fetched in partial chunks into a spool file",
                        mailbox=self.account.mailbox).inc()
        return Fetched(m.uid, m.internaldate, m.size, b"", spooled), spool

    async def _fetch_chunk(self, c, uid: int, offset: int, items: str):
        r = await self._unless_lost(c.uid("fetch", str(uid), f"({items}BODY.PEEK[]<{offset}.{CHUNK}>)"))
        if r.result != "OK":
            raise MailboxGone(f"UID FETCH (partial, offset {offset}) failed: {_text(r)}")
        return r

    async def _count_through(self, c, last_uid: int) -> tuple[int, bool]:
        """How many messages the folder holds up to the cursor (the register reconciles it with the receipts),
        and whether one above the cursor has arrived since the fetch."""
        r = await self._unless_lost(c.uid_search("UID 1:*", charset=None))
        if r.result != "OK":
            raise MailboxGone(f"UID SEARCH failed: {_text(r)}")
        uids = parse_search(r.lines)
        return sum(1 for u in uids if u <= last_uid), any(u > last_uid for u in uids)

    async def _batches(self, c, uids: list[int]) -> list[list[int]]:
        """Split one chunk into FETCH batches of ≤ BATCH messages and ≤ BATCH_BYTES: aioimaplib holds a whole
        FETCH response in memory, so 20 filings of 25 MB in one batch meant ~500 MB (seen in bench_load).
        A message over STREAM_ABOVE (or of unknown size) is a batch of its own, which ``_fetch_one`` streams."""
        if len(uids) <= 1:
            return [uids] if uids else []
        r = await self._unless_lost(c.uid("fetch", uid_set(uids), "(UID RFC822.SIZE)"))
        sizes = {}
        if r.result == "OK":
            for line in r.lines:
                if isinstance(line, (bytes, bytearray)):
                    u, z = _UID_RE.search(line), _SIZE_RE.search(line)
                    if u and z:
                        sizes[int(u.group(1))] = int(z.group(1))
        out, cur, total = [], [], 0
        for u in uids:
            size = sizes.get(u, BATCH_BYTES)          # unknown size: a batch of its own
            if size > STREAM_ABOVE:                   # a large message alone: fetched in partial chunks
                if cur:
                    out.append(cur)
                out.append([u])
                cur, total = [], 0
                continue
            if cur and (len(cur) >= BATCH or total + size > BATCH_BYTES):
                out.append(cur)
                cur, total = [], 0
            cur.append(u)
            total += size
        if cur:
            out.append(cur)
        return out

    async def _wait_for_news(self, c) -> bool:
        """IDLE until a push, the safety-poll interval, a lost connection or stop; or just sleep when polling.
        Returns whether the server pushed news (EXISTS). The safety poll (no push) and an EXPUNGE ask the next
        round to count the folder again."""
        interval = self.account.poll_seconds
        if not self._use_idle(c):
            await self._sleep_or_stop(interval)
            self._recount = True
            if not self._stop.is_set():
                r = await asyncio.wait_for(c.noop(), CONNECT_TIMEOUT)
                if r.result != "OK" or self._lost.is_set():
                    raise MailboxGone("NOOP failed or connection lost")
            return False
        # aioimaplib#110: idle_start never returns when the server answers BYE and closes; race it against
        # the lost-connection callback instead of waiting out the whole timeout.
        starting = asyncio.ensure_future(c.idle_start(timeout=min(interval, self.account.idle_seconds)))
        gone = asyncio.ensure_future(self._lost.wait())
        await asyncio.wait({starting, gone}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if not starting.done() or starting.cancelled() or starting.exception() is not None:
            starting.cancel()
            raise MailboxGone("IDLE not acknowledged (server said BYE or the connection was lost)")
        idle = starting.result()
        push = asyncio.ensure_future(c.wait_server_push(timeout=min(interval, self.account.idle_seconds) + 5))
        lost = asyncio.ensure_future(self._lost.wait())
        stop = asyncio.ensure_future(self._stop.wait())
        done, pending = await asyncio.wait({push, lost, stop}, return_when=asyncio.FIRST_COMPLETED)
        for t in pending:
            t.cancel()
        if lost in done or self._lost.is_set():
            raise MailboxGone("connection lost during IDLE")
        pushed = False
        if push in done and not push.cancelled() and push.exception() is None:
            lines = [x for x in push.result() or [] if isinstance(x, bytes)]
            if any(x.startswith(b"BYE") for x in lines):
                raise MailboxGone("server said BYE during IDLE")
            pushed = any(x.endswith(b"EXISTS") for x in lines)
            if any(_EXPUNGE_RE.match(x) for x in lines):
                self._recount = True
        else:
            self._recount = True                     # the safety poll: count the folder again
        c.idle_done()
        try:
            await asyncio.wait_for(idle, DONE_TIMEOUT)
        except asyncio.TimeoutError as exc:
            raise MailboxGone("IDLE did not finish after DONE") from exc
        return pushed

    async def _unless_lost(self, coro):
        """Run an IMAP command, but fail at once when the connection drops (aioimaplib leaves a pending
        command waiting for its inactivity timeout after a FIN/RST mid-literal)."""
        cmd = asyncio.ensure_future(coro)
        gone = asyncio.ensure_future(self._lost.wait())
        await asyncio.wait({cmd, gone}, return_when=asyncio.FIRST_COMPLETED)
        gone.cancel()
        if not cmd.done():
            cmd.cancel()
            raise MailboxGone("connection lost during a command")
        return cmd.result()

    async def _sleep_or_stop(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    async def _record_error(self, text: str) -> None:
        """Record the failure on the cursor row — created (uidvalidity 0: not yet known) when the watcher never
        connected, so health and the digest show a mailbox that cannot even be reached."""
        try:
            n = await MailboxCursor.filter(account=self.account_key, folder=self.folder).update(
                last_error=text[:1000], updated_at=self.clock.now())
            if not n:
                await MailboxCursor.get_or_create(
                    account=self.account_key, folder=self.folder,
                    defaults={"mailbox": self.account.mailbox, "uidvalidity": 0, "last_uid": 0,
                              "updated_at": self.clock.now(), "last_error": text[:1000]})
        except Exception:
            log.debug("could not record watcher error", exc_info=True)
