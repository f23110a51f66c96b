"""The intake register: one row per provincial unit plus the unidentified receipts (read side).

The bot, the digest, the CLI and the Excel export all read this; ``as_json`` is a stable format.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from config.call import CallConfig
from core.folders import decode_folder, stored_uidvalidity
from models.dossier import Dossier
from core.vocabulary import ProvinceStatus, SenderTrust, severity_rank, status_label
from models.finding import Finding
from models.receipt import MailboxCursor, Receipt
from models.submission import Document, Submission

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
    page_detail: dict | None = None      # the A4 arithmetic (sheets, non-A4 pages): precheck.files.geometry


@dataclass
class SubmissionRow:
    ref: str
    subject: str
    sender: str | None
    first_received_at: datetime
    on_time: bool
    receipts: list[ReceiptRow] = field(default_factory=list)
    date_sent: datetime | None = None    # the sender's Date: header (UTC), as parsed
    sender_trust: str | None = None      # core.vocabulary.SenderTrust
    applied: bool = True                 # False: on time but less trusted, not applied (waits for an officer)


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
    source_trust: str | None = None      # trust of the submissions the dossier is built from (policy 8)


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
class FolderRow:
    """One watched IMAP folder: its messages up to the cursor (counted by the watcher at its last round) against
    the receipts recorded from it. ``missing`` > 0: messages without a receipt — a byte-identical copy of mail
    already recorded in that mailbox, or a filing lost; < 0: messages deleted from the folder after recording."""
    mailbox: str
    account: str
    folder: str
    last_uid: int
    messages: int | None        # None: not counted yet (the watcher has not finished a round since the upgrade)
    receipts: int
    last_ok_at: datetime | None
    last_error: str | None

    @property
    def missing(self) -> int:
        return 0 if self.messages is None else self.messages - self.receipts


async def reconcile_folders() -> list[FolderRow]:
    out = []
    for cur in await MailboxCursor.all().order_by("mailbox", "account", "folder"):
        n = await Receipt.filter(imap_account=cur.account, imap_folder=decode_folder(cur.folder),
                                 imap_uidvalidity=stored_uidvalidity(cur.folder, cur.uidvalidity),
                                 imap_uid__lte=cur.last_uid).count()
        out.append(FolderRow(cur.mailbox, cur.account, decode_folder(cur.folder), cur.last_uid, cur.messages, n,
                             cur.last_ok_at, cur.last_error))
    return out


@dataclass
class Register:
    call_id: str
    generated_at: datetime
    deadline: datetime
    rows: list[ProvinceRow]
    unidentified: list[UnidentifiedRow]
    processing: dict[str, int] = field(default_factory=dict)   # receipts not (yet) processed, by status
    folders: list[FolderRow] = field(default_factory=list)     # watched folders reconciled with the receipts

    def unprocessed(self) -> int:
        """Receipts the register does not reflect yet: a province may have filed in one of them."""
        return sum(self.processing.get(k, 0) for k in ("received", "retrying", "shunted"))

    def row(self, province: str) -> ProvinceRow:
        return next(r for r in self.rows if r.province == province)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in ProvinceStatus}
        for r in self.rows:
            out[r.status] += 1
        out["unidentified"] = len(self.unidentified)
        return out

    def filed_unconfirmed(self) -> list[str]:
        """Provinces 已申报 only through unregistered senders: 已申报（来源待核实） (policy 8)."""
        return [r.province for r in self.rows if r.status == ProvinceStatus.FILED
                and r.source_trust == SenderTrust.UNKNOWN]

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
                "filed_unconfirmed": self.filed_unconfirmed(), "processing": dict(self.processing),
                "folders": [conv(asdict(f) | {"missing": f.missing}) for f in self.folders],
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
    q = Submission.filter(call_id=call.id)
    if province:                                   # one unit: read only its rows
        q = q.filter(province=province)
    subs = await q.order_by("first_received_at", "id")
    receipts = await Receipt.filter(submission_id__in=[s.id for s in subs]).order_by("received_at", "id") \
        if subs else []
    by_sub: dict[int, list[Receipt]] = {}
    for r in receipts:
        by_sub.setdefault(r.submission_id, []).append(r)
    dq = Dossier.filter(call_id=call.id)
    dossiers = {d.province: d for d in await (dq.filter(province=province) if province else dq)}
    fq = Finding.filter(province=province) if province else Finding.filter(province__not_isnull=True)
    findings = await fq.order_by("id")
    dfq = Finding.filter(scope="document")
    if province:
        dfq = dfq.filter(submission_id__in=[s.id for s in subs]) if subs else None
    doc_findings = await dfq.order_by("id") if dfq is not None else []
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

        from precheck.attribution import applied_submissions

        current = current_documents([s for s in psubs if s.on_time], list(docs))
        applied_ids = {s.id for s in applied_submissions([s for s in psubs if s.on_time])[0]}
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
            province=name, status=status.value, status_zh=status_label(status, d.source_trust if d else None),
            first_on_time=first,
            submissions=[SubmissionRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                                       [_receipt_row(r, call) for r in by_sub.get(s.id, [])], s.date_sent,
                                       s.sender_trust, s.id in applied_ids or not s.on_time)
                         for s in psubs],
            documents=[DocumentRow(x.id, x.filename, x.kind, x.pages, sub_ref.get(x.submission_id, ""), x.page_detail)
                       for x in current],
            findings=frows, pages_total=sum(pages) if pages else None,
            cities=list((d.cities or []) if d else []), paper_copy_date=str(d.paper_copy_date) if d and d.paper_copy_date else None,
            paper_copy_tracking=d.paper_copy_tracking if d else None, override_reason=d.override_reason if d else None,
            source_trust=d.source_trust if d else None))
    unident = [] if province else [
        UnidentifiedRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                        [_receipt_row(r, call) for r in by_sub.get(s.id, [])], s.attribution)
        for s in subs if s.province is None]
    processing = {k: 0 for k in ("received", "retrying", "shunted")}
    for status in await Receipt.filter(status__in=list(processing)).values_list("status", flat=True):
        processing[str(status)] += 1
    folders = [] if province else await reconcile_folders()
    return Register(call.id, now, call.deadline, rows, unident, processing, folders)
