"""SMTP intake (aiosmtpd): accept RCPT only for the call's mailboxes; 250 only once the receipt is durable."""
from __future__ import annotations

import asyncio
import logging

from aiosmtpd.smtp import SMTP

from config.call import CallConfig
from config.clock import Clock
from intake.envelope import RawMail
from core.archive import StorageUnavailable
from intake.receiver import Receiver
from core.vocabulary import Source, TimeSource

log = logging.getLogger("shenbao.intake.smtp")

REPLY_RCPT_OK = "250 2.1.5 Recipient OK"
REPLY_NO_SUCH_MAILBOX = "550 5.1.1 Mailbox unknown; this intake accepts mail only for {addresses}"
REPLY_ACCEPTED = "250 2.0.0 Filing received, ref {refs}"
REPLY_TRY_LATER = "451 4.3.0 Temporary storage failure, please retry"


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
        """Stamp, persist (fsync + commit) one receipt per addressed mailbox, then acknowledge."""
        received_at = self.clock.now()
        raw = envelope.original_content or b""
        peer = str(session.peer[0]) if session.peer else None
        keys = []
        for addr in envelope.rcpt_tos:
            mb = self.call.mailbox_for_address(addr)
            if mb and mb.key not in keys:
                keys.append(mb.key)
        refs = []
        try:
            for key in keys:
                receipt, _ = await self.receiver.accept(RawMail(
                    Source.SMTP, key, raw, received_at, TimeSource.SMTP_END_OF_DATA,
                    envelope_from=envelope.mail_from, peer=peer))
                refs.append(receipt.ref)
        except StorageUnavailable as exc:
            log.error("mail from %s (%s) not accepted: %s", envelope.mail_from, peer, exc)
            return REPLY_TRY_LATER
        return REPLY_ACCEPTED.format(refs=" ".join(refs))

    async def handle_exception(self, error: Exception) -> str:
        """Any unexpected error is transient for the sender: never a permanent 500 that stops retries."""
        log.error("SMTP session error: %s", error, exc_info=error)
        return REPLY_TRY_LATER


async def start_smtp_server(handler: IntakeHandler, host: str, port: int, *, max_size: int,
                            hostname: str = "shenbao-intake") -> asyncio.base_events.Server:
    """Serve SMTP in the running loop (not aiosmtpd's threaded Controller)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=max_size, enable_SMTPUTF8=True, hostname=hostname,
                     ident="shenbao intake"), host, port)
    bound = server.sockets[0].getsockname()
    log.info("SMTP intake listening on %s:%s for %s", bound[0], bound[1],
             ", ".join(m.address for m in handler.call.mailboxes))
    return server
