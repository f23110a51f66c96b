"""Checks: small named units, no side effects; each returns FindingSpecs (Mailman rules, made pure).

A check has ``code`` (the finding code it may raise, or a name), ``clause`` (the notice's words) and
``check(ctx) -> list[FindingSpec]``. Every check runs; ``intake.decide`` turns findings into status.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from config.call import CallConfig
from core.findings import FindingSpec


@dataclass
class DossierContext:
    """What a dossier-level check may look at (read-only by convention)."""

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
    name: str
    clause: str

    def check(self, ctx: DossierContext) -> list[FindingSpec]: ...


def dossier_checks() -> tuple[Check, ...]:
    """The ordered tuple of dossier checks; imported lazily so a check module stays independent."""
    from precheck.checks.mailboxes import OneMailboxOnly
    from precheck.checks.paper import PaperCopyMissing

    return (OneMailboxOnly(), PaperCopyMissing()) + _extra_checks()


def _extra_checks() -> tuple[Check, ...]:
    try:
        from precheck.checks.registry import EXTRA_CHECKS
    except ImportError:
        return ()
    return tuple(EXTRA_CHECKS)
