"""Answers are data: what the bot says, before any wording. ``bot.render`` turns them into text."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RuleItem:
    id: str
    text_zh: str
    clause: str
    section: str


@dataclass
class ContactItem:
    org: str
    name: str
    phone: str
    email: str


@dataclass
class Help:
    role: str                       # public / contact / officer
    province: str | None = None
    examples: list[str] = field(default_factory=list)
    not_understood: bool = False


@dataclass
class RuleAnswer:
    items: list[RuleItem]
    note: str = ""                  # a conclusion computed from config (never a number of our own)


@dataclass
class OpenAnswer:
    id: str
    question_zh: str
    practice_zh: str
    contacts: list[ContactItem]
    related: list[RuleItem] = field(default_factory=list)


@dataclass
class ContactsAnswer:
    contacts: list[ContactItem]
    section: str = "联系人"


@dataclass
class MailboxesAnswer:
    mailboxes: list[tuple[str, str]]          # (org, address)
    rule: RuleItem | None = None
    deadline_text: str = ""


@dataclass
class DeadlineAnswer:
    deadline_text: str
    deadline_local: str                       # 2023-03-27 00:00（北京时间）exclusive
    clause: str
    section: str
    late_outcome: str
    remaining: str                            # 还有 3天5小时 / 已截止
    passed: bool
    own_status: str | None = None             # a bound contact also sees its province's status


@dataclass
class MaterialsAnswer:
    documents: list[tuple[str, str, int | None]]   # (name, required text, max pages)
    rule: RuleItem
    pages: list[RuleItem] = field(default_factory=list)


@dataclass
class QuotaAnswer:
    province: str | None
    cp_city: str | None
    cities: list[str]
    quota: int | None                         # for this province and these cities
    allowed: bool | None
    previously_selected: list[tuple[str, int]]
    items: list[RuleItem] = field(default_factory=list)


@dataclass
class FindingItem:
    code: str
    severity_zh: str
    message: str
    advice: str
    section: str
    clause: str


@dataclass
class DocumentItem:
    id: int
    filename: str
    kind_zh: str
    pages: int | None


@dataclass
class DossierAnswer:
    province: str
    status: str
    status_zh: str
    focus: str                                 # all / problems / missing / receipt / paper
    mailboxes: list[tuple[str, str, str | None]]   # (org, address, first on-time arrival in Beijing time)
    documents: list[DocumentItem]
    pages_total: int | None
    plan_max_pages: int
    filing_max_pages: int
    findings: list[FindingItem]
    missing: list[str]
    cities: list[str]
    paper_copy: tuple[str, str | None] | None     # (date, tracking)
    override_reason: str | None
    late_submissions: list[tuple[str, str]]        # (ref, arrival) after the deadline
    remaining: str
    officer_view: bool = False
    facts: list[str] = field(default_factory=list)      # what was read off the filing, with where (officers)


@dataclass
class OverviewAnswer:
    counts: dict[str, int]
    filed: list[tuple[str, int]]              # (province, number of error findings)
    late: list[str]
    not_filed: list[str]
    unidentified: int
    remaining: str


@dataclass
class UnidentifiedItem:
    ref: str
    subject: str
    sender: str | None
    received: str
    on_time: bool
    receipts: list[str]
    candidates: list[str]


@dataclass
class UnidentifiedAnswer:
    items: list[UnidentifiedItem]


@dataclass
class Refusal:
    reason: str                                # other_province / officer_only / not_bound / rate_limited
    asked: str | None = None
    own: str | None = None


@dataclass
class ActionDone:
    message: str                               # Chinese, from the officer action


@dataclass
class ActionFailed:
    message: str
    usage: str = ""


@dataclass
class CodeIssued:
    province: str
    code: str
    expires: str


@dataclass
class Bound:
    province: str
    previous: str | None


@dataclass
class BindingsAnswer:
    rows: list[tuple[str, str, str, str]]      # (channel:user, province, bound at, chat id)
