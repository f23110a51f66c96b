"""RawMail: what a transport hands to the receiver (bytes or a spool file, plus the authoritative arrival time)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.archive import Spooled
from core.vocabulary import Source, TimeSource


@dataclass(frozen=True)
class RawMail:
    source: Source
    mailbox: str                    # call mailbox key
    raw: bytes                      # the message (b"" when ``spooled`` holds it)
    received_at: datetime           # aware; stored in UTC
    time_source: TimeSource
    imap_account: str | None = None
    imap_folder: str | None = None
    imap_uidvalidity: int | None = None
    imap_uid: int | None = None
    envelope_from: str | None = None
    peer: str | None = None
    spooled: Spooled | None = None  # a finished spool file (SMTP DATA streamed to disk): moved, not copied

    def __post_init__(self) -> None:
        if self.received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        if self.spooled is not None and self.raw:
            raise ValueError("give raw bytes or a spool file, not both")

    @property
    def size(self) -> int:
        return self.spooled.size if self.spooled is not None else len(self.raw)
