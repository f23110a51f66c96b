"""RawMail: what a transport hands to the receiver (bytes plus the authoritative arrival time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.vocabulary import Source, TimeSource


@dataclass(frozen=True)
class RawMail:
    source: Source
    mailbox: str                    # call mailbox key
    raw: bytes
    received_at: datetime           # aware; stored in UTC
    time_source: TimeSource
    imap_account: str | None = None
    imap_folder: str | None = None
    imap_uidvalidity: int | None = None
    imap_uid: int | None = None
    envelope_from: str | None = None
    peer: str | None = None

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
