"""Import raw .eml files (e.g. exported from webmail while IMAP was down) as receipts."""
from __future__ import annotations

from datetime import datetime

from intake.envelope import RawMail
from precheck.parse import parse_mail
from intake.receiver import Receiver
from core.vocabulary import Source, TimeSource


class IngestError(ValueError):
    """The file cannot be imported as given (the message says what to do)."""


def arrival_from_received(raw: bytes) -> datetime:
    """The receiving server's stamp: the date of the topmost Received header."""
    parsed = parse_mail(raw)
    for hop in parsed.received:
        if hop.at is not None:
            return hop.at
        break
    raise IngestError("no dated Received header at the top of the message; give --received-at")


async def ingest_bytes(receiver: Receiver, raw: bytes, *, mailbox: str, received_at: datetime | None):
    if received_at is None:
        when, ts = arrival_from_received(raw), TimeSource.RECEIVED_HEADER
    else:
        if received_at.tzinfo is None:
            raise IngestError("--received-at needs a UTC offset, e.g. 2023-03-26T23:59:59+08:00")
        when, ts = received_at, TimeSource.OPERATOR
    return await receiver.accept(RawMail(Source.IMPORT, mailbox, raw, when, ts))
