"""Dossier refresh: status from on-time submissions (one table), current documents, dossier checks."""
from __future__ import annotations

import logging

from precheck import checks
from precheck.attribution import applied_submissions
from precheck.checks import DossierContext
from core.findings import FindingSpec
from core.findings_store import replace_findings
from core.services import Services
from models.dossier import Dossier
from core.vocabulary import ProvinceStatus
from models.receipt import Receipt
from models.submission import Document, Submission

log = logging.getLogger("shenbao.core.dossier")


def decide_status(on_time: list, late: list) -> ProvinceStatus:
    """Policy 2: only on-time submissions file; late ones alone mean 逾期视为未申报."""
    if on_time:
        return ProvinceStatus.FILED
    if late:
        return ProvinceStatus.LATE
    return ProvinceStatus.NOT_FILED


def source_trust(applied: list[Submission]) -> str | None:
    """The trust of the submissions a dossier is built from (the best present; policy 8)."""
    from core.vocabulary import SenderTrust, trust_rank

    trusts = [s.sender_trust for s in applied]
    if not trusts:
        return None
    best = max(trusts, key=trust_rank)
    return best or SenderTrust.REGISTERED


def current_documents(submissions: list[Submission], docs: list[Document]) -> list[Document]:
    """Latest version of each document kind wins: per kind, the documents of the latest submission having it —
    among the submissions the dossier is built from (policy 8: a less trusted one never replaces a document)."""
    order = {s.id: i for i, s in enumerate(applied_submissions(submissions)[0])}
    leaves = [d for d in docs if not (d.analysis or {}).get("container") and d.submission_id in order]
    latest: dict[str, int] = {}
    for d in leaves:
        k = d.kind or "other"
        latest[k] = max(latest.get(k, -1), order.get(d.submission_id, -1))
    return [d for d in leaves if order.get(d.submission_id, -1) == latest[d.kind or "other"]]


async def load_context(services: Services, province: str) -> DossierContext:
    call = services.call
    dossier, _ = await Dossier.get_or_create(call_id=call.id, province=province,
                                             defaults={"updated_at": services.clock.now()})
    subs = await Submission.filter(call_id=call.id, province=province).order_by("first_received_at", "id")
    on_time, held = applied_submissions([s for s in subs if s.on_time])
    late = [s for s in subs if not s.on_time]
    # joins, never id lists as query arguments (PostgreSQL refuses more than 32,767 of them)
    receipts = await Receipt.filter(submission__call_id=call.id, submission__province=province,
                                    submission__on_time=True).order_by("received_at", "id") if on_time else []
    docs = await Document.filter(submission__call_id=call.id, submission__province=province,
                                 submission__on_time=True).order_by("id") if on_time else []
    return DossierContext(call=call, province=province, now=services.clock.now(), submissions=on_time,
                          late_submissions=late, receipts=list(receipts), documents=current_documents(on_time, docs),
                          all_documents=list(docs), dossier=dossier, held_submissions=held)


def run_checks(ctx: DossierContext) -> list[FindingSpec]:
    """Every dossier check runs; one failing check is logged and reported, never stops the others."""
    return checks.run("dossier", ctx, subject=f"dossier {ctx.province}")


async def refresh_dossier(services: Services, province: str) -> Dossier:
    """Recompute one province's status, dossier findings and kept state (after an arrival or an officer's
    change), in one transaction: a reader sees the province before or after, never half of it. Called
    inside the change's own transaction it joins it, so the change and the state commit together."""
    from tortoise.transactions import in_transaction

    from core.province_row import compute_province_row
    from core.province_state import apply_row

    async with in_transaction():
        ctx = await load_context(services, province)
        dossier: Dossier = ctx.dossier
        status = decide_status(ctx.submissions, ctx.late_submissions)
        if dossier.override_status:
            status = ProvinceStatus(dossier.override_status)
        specs = run_checks(ctx) if ctx.submissions else []
        await replace_findings(scope="dossier", province=province, call_id=services.call.id, now=ctx.now, specs=specs)
        if dossier.status != status:
            log.info("dossier %s: status %s -> %s", province, dossier.status, status)
        dossier.status = status
        dossier.source_trust = source_trust(ctx.submissions) if status == ProvinceStatus.FILED else None
        dossier.updated_at = ctx.now
        apply_row(dossier, await compute_province_row(services.call, province, dossier, dossier_known=True))
        await dossier.save()
    return dossier
