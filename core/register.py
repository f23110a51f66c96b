"""The intake register: one row per provincial unit plus the unidentified receipts (read side).

The bot, the digest, the CLI and the Excel export all read this; ``as_json`` is a stable format. The rows are plain
dataclasses: importing this module imports no ORM (a chat answer that needs no data never loads tortoise); the
readers below import the models when they run.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from config.call import CallConfig
from core.vocabulary import ProvinceStatus, SenderTrust

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
    from core.folders import decode_folder, stored_uidvalidity
    from models.receipt import MailboxCursor, Receipt

    out = []
    for cur in await MailboxCursor.all().order_by("mailbox", "account", "folder"):
        # a range of the unique (mailbox, uidvalidity, uid) index, not a scan of every receipt
        n = await Receipt.filter(mailbox=cur.mailbox, imap_uidvalidity=stored_uidvalidity(cur.folder, cur.uidvalidity),
                                 imap_uid__lte=cur.last_uid, imap_account=cur.account,
                                 imap_folder=decode_folder(cur.folder)).count()
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
    unrelated: int = 0                   # receipts' submissions no province claims that carry no filing feature

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
                "unidentified": [conv(asdict(u)) for u in self.unidentified], "unrelated": self.unrelated}


async def unidentified_rows(call: CallConfig) -> list[UnidentifiedRow]:
    """Submissions of the call no province claims (unrelated mail aside), with their receipts: two indexed
    queries, one join, whatever the mailbox holds besides."""
    from core.province_row import receipt_row
    from models.receipt import Receipt
    from models.submission import Submission

    queue = {"call_id": call.id, "province__isnull": True, "unrelated": False}
    subs = await Submission.filter(**queue).order_by("first_received_at", "id")
    by_sub: dict[int, list[Receipt]] = {}
    if subs:
        for r in await Receipt.filter(**{f"submission__{k}": v for k, v in queue.items()}) \
                .order_by("received_at", "id"):
            by_sub.setdefault(r.submission_id, []).append(r)
    return [UnidentifiedRow(s.ref, s.subject or "", s.sender, s.first_received_at, s.on_time,
                            [receipt_row(r, call) for r in by_sub.get(s.id, [])], s.attribution) for s in subs]


async def province_rows(call: CallConfig, names: list[str]) -> list[ProvinceRow]:
    """The rows of ``names`` from their kept state (one query); a row without current state (nothing
    stored yet, or stored by a release with another row shape) is computed from the tables."""
    from core.province_row import compute_province_row
    from core.province_state import row_from_state
    from models.dossier import Dossier

    dossiers = {d.province: d for d in await Dossier.filter(call_id=call.id, province__in=names)}
    rows = []
    for name in names:
        d = dossiers.get(name)
        row = row_from_state(d)
        rows.append(row if row is not None else await compute_province_row(call, name, d, dossier_known=True))
    return rows


async def build_register(call: CallConfig, now: datetime, province: str | None = None) -> Register:
    """Read the register from the database (all units, or one ``province``): each unit's kept state plus the
    unidentified queue; unrelated mail is only counted."""
    from models.receipt import Receipt
    from models.submission import Submission

    names = [province] if province else list(call.province_names())
    rows = await province_rows(call, names)
    processing = {k: await Receipt.filter(status=k).count() for k in ("received", "retrying", "shunted")}
    if province:
        return Register(call.id, now, call.deadline, rows, [], processing=processing)
    unrelated = await Submission.filter(call_id=call.id, unrelated=True).count()
    return Register(call.id, now, call.deadline, rows, await unidentified_rows(call), processing=processing,
                    folders=await reconcile_folders(), unrelated=unrelated)
