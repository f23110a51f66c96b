"""What a check may look at, per scope (read-only by convention), and the shape of a check."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from config.call import CallConfig
from core.findings import FindingSpec

SCOPES = ("message", "document", "submission", "dossier")


@dataclass
class MessageContext:
    """One e-mail's body-level facts found while its attachments were analysed."""

    call: CallConfig
    links: list = field(default_factory=list)              # 163 "超大附件" links: {"filename", "size", "expiry", ...}
    forwarded: list = field(default_factory=list)          # precheck.forwarded.Forward.as_dict(by=…): attached/inline


@dataclass
class DocumentContext:
    """One analysed file (``precheck.analysis.AnalysedDocument``)."""

    call: CallConfig
    document: object


@dataclass
class SubmissionContext:
    """One submission (报送) with its receipts, oldest first, and how its province was found."""

    call: CallConfig
    submission: object                                     # has on_time, date_sent, province, sender
    receipts: list = field(default_factory=list)           # have ref, mailbox, received_at, time_source
    attribution: dict | None = None


@dataclass
class DossierContext:
    """What a dossier-level check may look at."""

    call: CallConfig
    province: str
    now: datetime
    submissions: list = field(default_factory=list)        # on-time Submission rows, oldest first
    late_submissions: list = field(default_factory=list)
    receipts: list = field(default_factory=list)           # Receipt rows of the on-time submissions
    documents: list = field(default_factory=list)          # current Document rows (latest version per kind)
    all_documents: list = field(default_factory=list)      # every Document of on-time submissions (history)
    dossier: object | None = None                          # the Dossier row (cities, paper copy, overrides)


class Check(Protocol):
    name: str          # stable: the finding code it raises, or a name for a check raising several
    scope: str         # one of SCOPES: which context ``check`` receives
    rule: str          # id of the call config's rule whose clause its findings quote ("" for none)

    def check(self, ctx) -> list[FindingSpec]: ...
