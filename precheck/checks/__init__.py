"""Checks: small named units, no side effects; each returns FindingSpecs (Mailman's rules, made pure).

A check has a ``name``, a ``scope`` (``message``, ``document``, ``submission`` or ``dossier``: which
context it reads, see ``context``), the ``rule`` of the call config whose clause its findings quote
(the notice's words come from the call config only), and ``check(ctx) -> list[FindingSpec]``.
``CHECKS`` is the one ordered tuple, in the order findings are listed; ``run`` runs every check of a
scope, and one failing check is logged and reported, never stops the others. ``core.dossier`` turns
the dossier's findings and its submissions into the province's status (one table).
"""
from __future__ import annotations

import logging

from core.findings import FindingSpec
from precheck.checks.attachments import Resubmission, UnsupportedAttachmentType
from precheck.checks.cities import CityPreviouslySelected, QuotaExceeded
from precheck.checks.context import (SCOPES, Check, DocumentContext, DossierContext, MessageContext,
                                     SubmissionContext)
from precheck.checks.cover_letter import NoSealDetected, NotJointIssuance, NotScanned, SealColourUndecidable
from precheck.checks.files import ElectronicSealInvalid, ForwardedMail, LinkOnlyAttachment, UnreadableAttachment
from precheck.checks.mailboxes import OneMailboxOnly
from precheck.checks.money_time import PeriodLimit, SubsidyCap
from precheck.checks.pages import NonA4Pages, PlanOverPageLimit, TotalOverPageLimit
from precheck.checks.paper import PaperCopyMissing
from precheck.checks.prior_report import MissingPriorReport
from precheck.checks.required import RequiredDocuments
from precheck.checks.submission import (ArrivalTimeConsistency, BorderlineSentBeforeDeadline, FoundOutsideInbox,
                                       ImportedTime, LateArrival, SenderAuthentication, UnknownSender)
from precheck.checks.trust import UnconfirmedNotApplied

__all__ = ["CHECKS", "Check", "DocumentContext", "DossierContext", "MessageContext", "SubmissionContext",
           "checks_of", "run"]

log = logging.getLogger("shenbao.precheck.checks")

CHECKS: tuple[Check, ...] = (
    # one e-mail's body and each of its files, while they are analysed
    LinkOnlyAttachment(),
    ForwardedMail(),
    UnreadableAttachment(),
    ElectronicSealInvalid(),
    # one submission: its time and its sender
    LateArrival(),
    BorderlineSentBeforeDeadline(),
    UnknownSender(),
    SenderAuthentication(),
    ImportedTime(),
    ArrivalTimeConsistency(),
    FoundOutsideInbox(),
    # the province's dossier (on-time submissions, current documents)
    OneMailboxOnly(),
    PaperCopyMissing(),
    RequiredDocuments(),
    MissingPriorReport(),
    PlanOverPageLimit(),
    TotalOverPageLimit(),
    NonA4Pages(),
    NotScanned(),
    NoSealDetected(),
    SealColourUndecidable(),
    NotJointIssuance(),
    QuotaExceeded(),
    CityPreviouslySelected(),
    SubsidyCap(),
    PeriodLimit(),
    UnsupportedAttachmentType(),
    Resubmission(),
    UnconfirmedNotApplied(),
)


def checks_of(scope: str) -> tuple[Check, ...]:
    if scope not in SCOPES:
        raise ValueError(f"unknown check scope {scope!r}")
    return tuple(c for c in CHECKS if c.scope == scope)


def run(scope: str, ctx, *, subject: str = "") -> list[FindingSpec]:
    """Every check of ``scope`` on ``ctx``; a check that raises is logged (with ``subject``) and skipped."""
    out: list[FindingSpec] = []
    for check in checks_of(scope):
        try:
            out.extend(check.check(ctx))
        except Exception:
            log.exception("%s: check %s failed", subject or scope, check.name)
    return out
