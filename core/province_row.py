"""One province's register row computed from the tables: indexed queries over that province's own rows only.

The cost is the province's own mail (a handful of submissions), never the size of the mailbox or of the
other calls: every query is a join on ``submission (call_id, province)``, never a list of ids passed as
query arguments (PostgreSQL refuses more than 32,767 of them).
"""
from __future__ import annotations

from tortoise.expressions import Q

from config.call import CallConfig
from core.dossier import current_documents
from precheck.attribution import applied_submissions
from precheck.reading.summary import dossier_facts
from core.register import DocumentRow, FindingRow, ProvinceRow, ReceiptRow, SubmissionRow
from core.vocabulary import ProvinceStatus, severity_rank, status_label
from models.dossier import Dossier
from models.finding import Finding
from models.receipt import Receipt
from models.submission import Document, Submission


def receipt_row(r: Receipt, call: CallConfig) -> ReceiptRow:
    return ReceiptRow(r.ref, r.mailbox, r.received_at, r.source.value if hasattr(r.source, "value") else r.source,
                      str(r.time_source), call.is_on_time(r.received_at))


def finding_row(f: Finding, sub_ref: dict[int, str]) -> FindingRow:
    return FindingRow(f.code, str(f.severity), f.message, f.clause, f.section, f.scope, sub_ref.get(f.submission_id),
                      f.figures)


def _container_ids(docs: list, current: list, on_time_ids: list[int]) -> set[int]:
    """Archives, mails and split sets whose problems still matter: those of the latest on-time submission
    and of every submission that still supplies a current document (an encrypted zip, a missing volume).
    A container of a submission wholly replaced by a later one is history (see ``resubmission``)."""
    live = {d.submission_id for d in current} | ({on_time_ids[-1]} if on_time_ids else set())
    return {d.id for d in docs if (d.analysis or {}).get("container") and d.submission_id in live}


async def compute_province_row(call: CallConfig, name: str, dossier: Dossier | None = None, *,
                               dossier_known: bool = False) -> ProvinceRow:
    """The ``ProvinceRow`` of ``name`` as the tables say now (``dossier`` when the caller has it loaded)."""
    mine = {"submission__call_id": call.id, "submission__province": name}
    subs = list(await Submission.filter(call_id=call.id, province=name).order_by("first_received_at", "id"))
    if not dossier_known:
        dossier = await Dossier.get_or_none(call_id=call.id, province=name)
    status = ProvinceStatus(dossier.status) if dossier else ProvinceStatus.NOT_FILED
    by_sub: dict[int, list[Receipt]] = {}
    if subs:
        for r in await Receipt.filter(**mine).order_by("received_at", "id"):
            by_sub.setdefault(r.submission_id, []).append(r)
    first = {m.key: None for m in call.mailboxes}
    for s in subs:
        for r in by_sub.get(s.id, []):
            if call.is_on_time(r.received_at) and (first.get(r.mailbox) is None or r.received_at < first[r.mailbox]):
                first[r.mailbox] = r.received_at
    on_time = [s for s in subs if s.on_time]
    docs = list(await Document.filter(**mine, submission__on_time=True).order_by("id")) if on_time else []
    current = current_documents(on_time, docs)
    sub_ref = {s.id: s.ref for s in subs}
    own = list(await Finding.filter(Q(call_id=call.id) | Q(call_id__isnull=True), scope="dossier", province=name))
    if subs:
        own += await Finding.filter(**mine, scope="submission", province=name)
    own.sort(key=lambda f: f.id)
    frows = [finding_row(f, sub_ref) for f in own]
    if on_time:
        cur_ids = {x.id for x in current} | _container_ids(docs, current, [s.id for s in on_time])
        doc_findings = await Finding.filter(**mine, submission__on_time=True, scope="document").order_by("id")
        frows += [finding_row(f, sub_ref) for f in doc_findings
                  if f.document_id in cur_ids or f.document_id is None]      # e.g. link_only_attachment
    frows.sort(key=lambda f: severity_rank(f.severity))
    pages = [x.pages for x in current if x.pages is not None]
    applied_ids = {s.id for s in applied_submissions(on_time)[0]}
    d = dossier
    trust = d.source_trust if d else None
    return ProvinceRow(
        province=name, status=status.value, status_zh=status_label(status, trust), first_on_time=first,
        submissions=[SubmissionRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                                   [receipt_row(r, call) for r in by_sub.get(s.id, [])], s.date_sent,
                                   s.sender_trust, s.id in applied_ids or not s.on_time) for s in subs],
        documents=[DocumentRow(x.id, x.filename, x.kind, x.pages, sub_ref.get(x.submission_id, ""), x.page_detail)
                   for x in current],
        findings=frows, pages_total=sum(pages) if pages else None,
        cities=list((d.cities or []) if d else []),
        paper_copy_date=str(d.paper_copy_date) if d and d.paper_copy_date else None,
        paper_copy_tracking=d.paper_copy_tracking if d else None, override_reason=d.override_reason if d else None,
        source_trust=trust,
        facts=dossier_facts(current, (d.corrections if d else None) or {},
                            d.cities if d and d.cities_source == "officer" else None))
