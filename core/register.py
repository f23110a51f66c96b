"""The intake register: one row per provincial unit plus the unidentified receipts (read side).

The bot, the digest, the CLI and the Excel export all read this; ``as_json`` is a stable format.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from config.call import CallConfig
from models.dossier import Dossier
from core.vocabulary import PROVINCE_STATUS_ZH, ProvinceStatus, severity_rank
from models.finding import Finding
from models.receipt import Receipt
from models.submission import Document, Submission
from precheck.reading.summary import dossier_facts

REGISTER_FORMAT = 1


@dataclass
class FindingRow:
    code: str
    severity: str
    message: str
    clause: str | None = None
    section: str | None = None
    scope: str = ""
    ref: str | None = None               # submission/receipt it is about
    figures: dict | None = None


@dataclass
class ReceiptRow:
    ref: str
    mailbox: str
    received_at: datetime                # UTC
    source: str
    time_source: str
    on_time: bool


@dataclass
class DocumentRow:
    id: int
    filename: str
    kind: str | None
    pages: int | None
    submission: str


@dataclass
class SubmissionRow:
    ref: str
    subject: str
    sender: str | None
    first_received_at: datetime
    on_time: bool
    receipts: list[ReceiptRow] = field(default_factory=list)


@dataclass
class ProvinceRow:
    province: str
    status: str
    status_zh: str
    first_on_time: dict[str, datetime | None]      # mailbox key -> first on-time arrival (UTC)
    submissions: list[SubmissionRow]
    documents: list[DocumentRow]
    findings: list[FindingRow]
    pages_total: int | None
    cities: list[str]
    paper_copy_date: str | None
    paper_copy_tracking: str | None
    override_reason: str | None
    facts: list[dict] = field(default_factory=list)   # what was read, with where (precheck.reading.summary)


@dataclass
class UnidentifiedRow:
    submission: str
    subject: str
    sender: str | None
    first_received_at: datetime
    on_time: bool
    receipts: list[ReceiptRow]
    attribution: dict | None


@dataclass
class Register:
    call_id: str
    generated_at: datetime
    deadline: datetime
    rows: list[ProvinceRow]
    unidentified: list[UnidentifiedRow]

    def row(self, province: str) -> ProvinceRow:
        return next(r for r in self.rows if r.province == province)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in ProvinceStatus}
        for r in self.rows:
            out[r.status] += 1
        out["unidentified"] = len(self.unidentified)
        return out

    def as_json(self, call: CallConfig) -> dict:
        def conv(o):
            if isinstance(o, datetime):
                return o.astimezone(call.tz).isoformat()
            if isinstance(o, dict):
                return {k: conv(v) for k, v in o.items()}
            if isinstance(o, list):
                return [conv(v) for v in o]
            return o
        return {"format": REGISTER_FORMAT, "call": self.call_id, "generated_at": conv(self.generated_at),
                "deadline": conv(self.deadline), "counts": self.counts(),
                "provinces": [conv(asdict(r)) for r in self.rows],
                "unidentified": [conv(asdict(u)) for u in self.unidentified]}


def _receipt_row(r: Receipt, call: CallConfig) -> ReceiptRow:
    return ReceiptRow(r.ref, r.mailbox, r.received_at, r.source.value if hasattr(r.source, "value") else r.source,
                      str(r.time_source), call.is_on_time(r.received_at))


def _container_ids(docs: list, current: list, on_time_ids: list[int]) -> set[int]:
    """Archives, mails and split sets whose problems still matter: those of the latest on-time submission
    and of every submission that still supplies a current document (an encrypted zip, a missing volume).
    A container of a submission wholly replaced by a later one is history (see ``resubmission``)."""
    live = {d.submission_id for d in current} | ({on_time_ids[-1]} if on_time_ids else set())
    return {d.id for d in docs if (d.analysis or {}).get("container") and d.submission_id in live}


async def build_register(call: CallConfig, now: datetime, province: str | None = None) -> Register:
    """Read the register from the database (all units, or one ``province``)."""
    subs = await Submission.filter(call_id=call.id).order_by("first_received_at", "id")
    receipts = await Receipt.filter(submission_id__in=[s.id for s in subs]).order_by("received_at", "id") \
        if subs else []
    by_sub: dict[int, list[Receipt]] = {}
    for r in receipts:
        by_sub.setdefault(r.submission_id, []).append(r)
    dossiers = {d.province: d for d in await Dossier.filter(call_id=call.id)}
    findings = await Finding.filter(province__not_isnull=True).order_by("id")
    doc_findings = await Finding.filter(scope="document").order_by("id")
    names = [province] if province else list(call.province_names())
    rows = []
    for name in names:
        psubs = [s for s in subs if s.province == name]
        d = dossiers.get(name)
        status = ProvinceStatus(d.status) if d else ProvinceStatus.NOT_FILED
        on_time_ids = [s.id for s in psubs if s.on_time]
        first = {m.key: None for m in call.mailboxes}
        for s in psubs:
            for r in by_sub.get(s.id, []):
                if call.is_on_time(r.received_at) and (first.get(r.mailbox) is None or r.received_at < first[r.mailbox]):
                    first[r.mailbox] = r.received_at
        docs = await Document.filter(submission_id__in=on_time_ids).order_by("id") if on_time_ids else []
        from core.dossier import current_documents

        current = current_documents([s for s in psubs if s.on_time], list(docs))
        sub_ref = {s.id: s.ref for s in psubs}
        frows = [FindingRow(f.code, str(f.severity), f.message, f.clause, f.section, f.scope,
                            sub_ref.get(f.submission_id), f.figures)
                 for f in findings if f.province == name and (f.scope == "dossier" or f.submission_id in sub_ref)]
        cur_ids = {x.id for x in current} | _container_ids(list(docs), current, on_time_ids)
        on_time_set = set(on_time_ids)
        frows += [FindingRow(f.code, str(f.severity), f.message, f.clause, f.section, f.scope,
                             sub_ref.get(f.submission_id), f.figures)
                  for f in doc_findings if f.document_id in cur_ids
                  or (f.document_id is None and f.submission_id in on_time_set)]   # e.g. link_only_attachment
        frows.sort(key=lambda f: severity_rank(f.severity))
        pages = [x.pages for x in current if x.pages is not None]
        rows.append(ProvinceRow(
            province=name, status=status.value, status_zh=PROVINCE_STATUS_ZH[status], first_on_time=first,
            submissions=[SubmissionRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                                       [_receipt_row(r, call) for r in by_sub.get(s.id, [])]) for s in psubs],
            documents=[DocumentRow(x.id, x.filename, x.kind, x.pages, sub_ref.get(x.submission_id, "")) for x in current],
            findings=frows, pages_total=sum(pages) if pages else None,
            cities=list((d.cities or []) if d else []), paper_copy_date=str(d.paper_copy_date) if d and d.paper_copy_date else None,
            paper_copy_tracking=d.paper_copy_tracking if d else None, override_reason=d.override_reason if d else None,
            facts=dossier_facts(current, (d.corrections if d else None) or {},
                                d.cities if d and d.cities_source == "officer" else None)))
    unident = [] if province else [
        UnidentifiedRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                        [_receipt_row(r, call) for r in by_sub.get(s.id, [])], s.attribution)
        for s in subs if s.province is None]
    return Register(call.id, now, call.deadline, rows, unident)
