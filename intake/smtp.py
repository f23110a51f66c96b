"""SMTP intake (aiosmtpd): accept RCPT only for the call's mailboxes; 250 only once the receipt is durable.

Hardened against hostile clients (issue 12): aiosmtpd keeps every DATA line as its own object and resets its
timeout on any command, so a few connections of 1-byte lines, or NOOP forever, could exhaust the intake.
``IntakeSMTP`` instead

- streams DATA through :class:`intake.smtp_data.DataDecoder` into a spool file (``core.archive.SpoolFile``)
  with a running sha256: memory per session is one read chunk plus one write buffer, whatever the message;
- enforces a hard size cap (beyond it the spool is dropped, the rest is drained up to twice the cap, then
  ``552`` — or the connection is closed if the client keeps sending);
- caps open sessions in total and per client address (``421`` and close, before any state is allocated);
- closes a session without progress for ``idle_seconds`` (NOOP, RSET, HELP, VRFY are not progress) and
  every session at an absolute deadline that only DATA bytes extend (``1/min_rate`` s per byte), so a slow
  but moving upload finishes and a slow-loris does not.

Lines longer than RFC 5321's 1000 octets are accepted (memory is bounded anyway; refusing a filing for its
line length would lose it). The message's bytes go to the receiver as a finished spool file, which the
archive renames into place: both mailboxes' receipts are written in one transaction with one stamp.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter

from aiosmtpd.smtp import MISSING, SMTP

from config.call import CallConfig
from config.clock import Clock
from config.settings import SmtpLimits
from core.archive import Archive, SpoolFile, StorageUnavailable
from core.vocabulary import Source, TimeSource
from intake.envelope import RawMail
from intake.receiver import Receiver
from intake.smtp_data import DataDecoder

log = logging.getLogger("shenbao.intake.smtp")

REPLY_RCPT_OK = "250 2.1.5 Recipient OK"
REPLY_NO_SUCH_MAILBOX = "550 5.1.1 Mailbox unknown; this intake accepts mail only for {addresses}"
REPLY_ACCEPTED = "250 2.0.0 Filing received, ref {refs}"
REPLY_TRY_LATER = "451 4.3.0 Temporary storage failure, please retry"
REPLY_TOO_BIG = "552 5.3.4 Message exceeds the intake's size limit of {limit} bytes"
REPLY_TOO_MANY = b"421 4.7.0 Too many connections, try again later\r\n"
REPLY_TIMEOUT = b"421 4.4.2 Session time limit reached, closing\r\n"

READ_CHUNK = 64 * 1024          # bytes taken from the socket buffer per read
FLUSH_BYTES = 256 * 1024        # spool writes are batched to this size (one thread hop per batch)
COMMAND_LIMITS = {"MAIL": 200, "RCPT": 1000, "DATA": 200, "RSET": 200, "*": 30}   # per session (aiosmtpd)


class ConnectionGate:
    """Counts open sessions, in total and per client address, for one listening server."""

    def __init__(self, limits: SmtpLimits):
        self.limits = limits
        self.total = 0
        self.per_ip: Counter[str] = Counter()
        self.refused = 0
        self.peak = 0

    def admit(self, ip: str) -> bool:
        if self.total >= self.limits.max_connections or self.per_ip[ip] >= self.limits.max_per_ip:
            self.refused += 1
            return False
        self.total += 1
        self.per_ip[ip] += 1
        self.peak = max(self.peak, self.total)
        return True

    def release(self, ip: str) -> None:
        self.total -= 1
        self.per_ip[ip] -= 1
        if self.per_ip[ip] <= 0:
            del self.per_ip[ip]


class IntakeSMTP(SMTP):
    """aiosmtpd's protocol with connection caps, a progress-based deadline and DATA streamed to a spool."""

    def __init__(self, handler, *, gate: ConnectionGate, limits: SmtpLimits, archive: Archive, **kwargs):
        super().__init__(handler, data_size_limit=limits.max_size, timeout=limits.idle_seconds,
                         command_call_limit=COMMAND_LIMITS, **kwargs)
        self.gate = gate
        self.limits = limits
        self.archive = archive
        self._admitted_ip: str | None = None
        self._refused = False
        self._last_progress = 0.0
        self._deadline = 0.0

    # --- connection caps -------------------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        if self.transport is None and self._original_transport is None:     # a new connection, not STARTTLS
            peer = transport.get_extra_info("peername")
            ip = str(peer[0]) if peer else "?"
            if not self.gate.admit(ip):
                self._refused = True
                log.warning("SMTP connection from %s refused: %d open (cap %d total, %d per address)", ip,
                            self.gate.total, self.limits.max_connections, self.limits.max_per_ip)
                transport.write(REPLY_TOO_MANY)
                transport.close()
                return
            self._admitted_ip = ip
            now = self.loop.time()
            self._last_progress = now
            self._deadline = now + self.limits.session_seconds
        super().connection_made(transport)

    def connection_lost(self, error) -> None:
        if self._refused:
            return
        if self._admitted_ip is not None:
            self.gate.release(self._admitted_ip)
            self._admitted_ip = None
        super().connection_lost(error)

    def eof_received(self):
        if self._refused:
            return False
        return super().eof_received()

    # --- time limits -----------------------------------------------------------------------------------
    def _fire_at(self) -> float:
        return min(self._deadline, self._last_progress + self.limits.idle_seconds)

    def _reset_timeout(self, duration=None) -> None:
        """aiosmtpd calls this on connect and on every valid command (NOOP included): it only makes sure
        a timer is armed; what counts is ``_progress``."""
        if self._timeout_handle is None or self._timeout_handle.cancelled():
            self._timeout_handle = self.loop.call_at(self._fire_at(), self._timeout_cb)

    def _timeout_cb(self) -> None:
        now, fire = self.loop.time(), self._fire_at()
        if now < fire:                                  # progress moved the limit: sleep again
            self._timeout_handle = self.loop.call_at(fire, self._timeout_cb)
            return
        why = "session deadline" if now >= self._deadline else f"no progress for {self.limits.idle_seconds:.0f}s"
        log.info("%r SMTP session closed: %s", self.session.peer if self.session else None, why)
        if self.transport is not None:
            self.transport.write(REPLY_TIMEOUT)
            self.transport.close()

    def _progress(self, data_bytes: int = 0) -> None:
        self._last_progress = self.loop.time()
        if data_bytes:
            self._deadline += data_bytes / self.limits.min_rate

    async def smtp_HELO(self, hostname: str):
        self._progress()
        await super().smtp_HELO(hostname)

    async def smtp_EHLO(self, hostname: str):
        self._progress()
        await super().smtp_EHLO(hostname)

    async def smtp_MAIL(self, arg):
        self._progress()
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        self._progress()
        await super().smtp_RCPT(arg)

    # --- DATA, streamed --------------------------------------------------------------------------------
    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        self._progress()
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        spool: SpoolFile | None = None
        storage_error: StorageUnavailable | None = None
        try:
            try:
                spool = await asyncio.to_thread(self.archive.open_spool)
            except StorageUnavailable as exc:
                storage_error = exc
            outcome, write_error = await self._receive_data(spool)
            if outcome == "closed":
                return
            if outcome == "too_big":
                await self.push(REPLY_TOO_BIG.format(limit=self.limits.max_size))
                self._set_post_data_state()
                return
            storage_error = storage_error or write_error
            if storage_error is None and spool is not None:
                try:
                    self.envelope.spooled = await asyncio.to_thread(spool.finish)
                except StorageUnavailable as exc:
                    storage_error = exc
            if storage_error is not None:
                log.error("mail from %s (%s) not accepted: %s", self.envelope.mail_from, self.session.peer,
                          storage_error)
                await self.push(REPLY_TRY_LATER)
                self._set_post_data_state()
                return
            self.envelope.original_content = None
            status = await self._call_handler_hook("DATA")
            self._set_post_data_state()
            await self.push("250 OK" if status is MISSING else status)
        finally:
            if spool is not None:
                spool.discard()                          # gone already if the archive took it

    async def _receive_data(self, spool: SpoolFile | None) -> tuple[str, StorageUnavailable | None]:
        """Read DATA until ``CRLF.CRLF``. Returns ``(outcome, write error)``: outcome "ok", "too_big"
        (drained; the caller answers 552) or "closed". A write error (disk full) stops writing, not reading:
        the client still gets its answer (451) at the end of DATA."""
        decoder = DataDecoder()
        limit = self.limits.max_size
        buf = bytearray()
        received = 0
        too_big = False
        error: StorageUnavailable | None = None

        async def flush() -> None:
            nonlocal error
            if spool is not None and error is None and buf:
                try:
                    await asyncio.to_thread(spool.write, bytes(buf))
                except StorageUnavailable as exc:
                    error = exc
            buf.clear()

        while True:
            chunk = await self._reader.read(READ_CHUNK)
            if not chunk:                                # EOF mid-DATA: nothing was acknowledged
                return "closed", error
            received += len(chunk)
            pieces, leftover = decoder.feed(chunk)
            if not too_big:
                if decoder.size > limit:
                    too_big = True
                    buf.clear()
                    log.warning("%r DATA over %d bytes: dropping the spool, draining", self.session.peer, limit)
                    if spool is not None:
                        spool.discard()
                else:
                    for p in pieces:
                        buf += p
                    if len(buf) >= FLUSH_BYTES:
                        await flush()
                    self._progress(len(chunk))
            elif received > 2 * limit:
                log.warning("%r DATA still coming after %d bytes: closing", self.session.peer, received)
                self.transport.write((REPLY_TOO_BIG.format(limit=limit) + "\r\n").encode())
                self.transport.close()
                return "closed", error
            if decoder.done:
                if leftover:                             # a pipelined command after the terminator
                    self._reader._buffer[:0] = leftover
                break
        if too_big:
            return "too_big", error
        await flush()
        return "ok", error


class IntakeHandler:
    """A thin transport handler: stamp end-of-DATA with the clock, hand to the receiver, reply."""

    def __init__(self, call: CallConfig, receiver: Receiver, clock: Clock):
        self.call = call
        self.receiver = receiver
        self.clock = clock

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options) -> str:
        """Accept only the call's mailboxes (550 otherwise)."""
        if self.call.mailbox_for_address(address) is None:
            return REPLY_NO_SUCH_MAILBOX.format(addresses=", ".join(m.address for m in self.call.mailboxes))
        envelope.rcpt_tos.append(address)
        return REPLY_RCPT_OK

    async def handle_DATA(self, server, session, envelope) -> str:
        """Stamp, persist (fsync + one commit) one receipt per addressed mailbox, then acknowledge."""
        received_at = self.clock.now()
        spooled = getattr(envelope, "spooled", None)
        raw = b"" if spooled is not None else (envelope.original_content or b"")
        peer = str(session.peer[0]) if session.peer else None
        keys = []
        for addr in envelope.rcpt_tos:
            mb = self.call.mailbox_for_address(addr)
            if mb and mb.key not in keys:
                keys.append(mb.key)
        try:
            results = await self.receiver.accept_copies(RawMail(
                Source.SMTP, keys[0], raw, received_at, TimeSource.SMTP_END_OF_DATA,
                envelope_from=envelope.mail_from, peer=peer, spooled=spooled), keys)
        except StorageUnavailable as exc:
            log.error("mail from %s (%s) not accepted: %s", envelope.mail_from, peer, exc)
            return REPLY_TRY_LATER
        return REPLY_ACCEPTED.format(refs=" ".join(r.ref for r, _ in results))

    async def handle_exception(self, error: Exception) -> str:
        """Any unexpected error is transient for the sender: never a permanent 500 that stops retries."""
        log.error("SMTP session error: %s", error, exc_info=error)
        return REPLY_TRY_LATER


async def start_smtp_server(handler: IntakeHandler, host: str, port: int, *, max_size: int | None = None,
                            limits: SmtpLimits | None = None, archive: Archive | None = None,
                            hostname: str = "shenbao-intake") -> asyncio.base_events.Server:
    """Serve SMTP in the running loop (not aiosmtpd's threaded Controller). ``server.gate`` counts sessions."""
    from dataclasses import replace

    limits = limits or SmtpLimits()
    if max_size is not None:
        limits = replace(limits, max_size=max_size)
    archive = archive or handler.receiver.archive
    gate = ConnectionGate(limits)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: IntakeSMTP(handler, gate=gate, limits=limits, archive=archive, enable_SMTPUTF8=True,
                           hostname=hostname, ident="shenbao intake"), host, port)
    server.gate = gate
    bound = server.sockets[0].getsockname()
    log.info("SMTP intake listening on %s:%s for %s (max %d bytes, %d sessions, %d per address)", bound[0],
             bound[1], ", ".join(m.address for m in handler.call.mailboxes), limits.max_size,
             limits.max_connections, limits.max_per_ip)
    return server
