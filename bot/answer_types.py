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
class Verdict:
    """A computed answer: ``ok`` True (allowed / within the limit / on time), False (not), None (it depends);
    ``lines`` show the arithmetic, each from the call config and the numbers the asker gave."""
    ok: bool | None
    conclusion: str
    lines: list[str] = field(default_factory=list)


@dataclass
class RuleAnswer:
    items: list[RuleItem]
    note: str = ""                  # a conclusion computed from config (never a number of our own)
    verdict: Verdict | None = None
    topic: str = ""


@dataclass
class OpenAnswer:
    id: str
    question_zh: str
    practice_zh: str
    contacts: list[ContactItem]
    related: list[RuleItem] = field(default_factory=list)
    asked: str = ""                 # what the asker's question adds (their numbers), shown apart from the rule


@dataclass
class AbstainAnswer:
    """About the call, but the notice does not answer it (or the bot is not sure what was asked)."""
    topic: str
    contacts: list[ContactItem]
    related: list[RuleItem] = field(default_factory=list)
    open_ids: list[str] = field(default_factory=list)
    note: str = ""
    unsure: bool = False            # the question was not understood well enough (vs. the notice is silent)


@dataclass
class ScopeAnswer:
    """Nothing to do with the call: what the bot can answer."""
    role: str
    province: str | None = None


@dataclass
class AskBack:
    """A slot is missing or the slots contradict each other: ask, do not answer."""
    question: str                   # what the bot needs to know
    understood: str = ""            # what it did understand
    rules: list[str] = field(default_factory=list)


@dataclass
class MultiAnswer:
    parts: list


@dataclass
class ConfirmAction:
    """An officer's data-changing request in free text, restated as the command; run only after 确认."""
    command: str                    # the slash command that will run
    summary: str                    # what it does, in Chinese
    note: str = ""


@dataclass
class NoticeAnswer:
    doc_no: str
    title: str
    issuers: list[str]
    signed: str
    published: str


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
    weekday: str = ""                         # the deadline day's weekday (星期日)
    verdict: Verdict | None = None            # "明天早上发行不行": on time or not, with the arithmetic
    rules: list[str] = field(default_factory=lambda: ["R05"])
    late_clause: str = ""


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
    verdict: Verdict | None = None


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
    lead: list[str] = field(default_factory=list)  # the direct answer to what was asked, first
    submissions: list[str] = field(default_factory=list)   # one line per e-mail: ref, arrivals per mailbox, Date:
    rules: list[str] = field(default_factory=list)
    open_ids: list[str] = field(default_factory=list)
    verdict: Verdict | None = None
    basis: list[RuleItem] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)      # what was read off the filing, with where (officers)


@dataclass
class OverviewAnswer:
    counts: dict[str, int]
    filed: list[tuple[str, int]]              # (province, number of error findings)
    late: list[str]
    not_filed: list[str]
    unidentified: int
    remaining: str
    late_detail: list[str] = field(default_factory=list)      # 浙江省 S000010 到达 03-27 00:01:00（Date: …）
    problems: list[str] = field(default_factory=list)         # 河南省：申报文件超过30页 …
    one_mailbox: list[str] = field(default_factory=list)
    paper: list[str] = field(default_factory=list)            # provinces with a paper copy registered
    unidentified_refs: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)


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


# --- what the answer is, for adapters, logs and the evaluation ------------------------------------------
@dataclass(frozen=True)
class Meta:
    kind: str                                   # rule / open / abstain / scope / own / refuse / ask_back /
                                                # officer / confirm / action / multi / help
    rules: tuple[str, ...] = ()
    open_ids: tuple[str, ...] = ()
    verdict: str | None = None                  # yes / no
    parts: tuple["Meta", ...] = ()


def _v(v: Verdict | None) -> str | None:
    if v is None or v.ok is None:
        return None
    return "yes" if v.ok else "no"


def meta(a) -> Meta:
    """The kind of an answer, the rule and open-question ids it rests on, its verdict."""
    if isinstance(a, MultiAnswer):
        parts = tuple(meta(p) for p in a.parts)
        return Meta("multi", tuple(dict.fromkeys(r for p in parts for r in p.rules)),
                    tuple(dict.fromkeys(o for p in parts for o in p.open_ids)), None, parts)
    if isinstance(a, RuleAnswer):
        return Meta("rule", tuple(dict.fromkeys(i.id for i in a.items)), (), _v(a.verdict))
    if isinstance(a, QuotaAnswer):
        return Meta("rule", tuple(dict.fromkeys(i.id for i in a.items)), (), _v(a.verdict))
    if isinstance(a, DeadlineAnswer):
        return Meta("rule", tuple(a.rules), (), _v(a.verdict))
    if isinstance(a, MailboxesAnswer):
        return Meta("rule", ("R04",))
    if isinstance(a, MaterialsAnswer):
        return Meta("rule", tuple(dict.fromkeys(["R08", "R09", "R10", "R11", *(i.id for i in a.pages)])))
    if isinstance(a, ContactsAnswer):
        return Meta("rule", ("R35",))
    if isinstance(a, NoticeAnswer):
        return Meta("rule")
    if isinstance(a, OpenAnswer):
        return Meta("open", tuple(i.id for i in a.related), (a.id,))
    if isinstance(a, AbstainAnswer):
        return Meta("abstain", tuple(i.id for i in a.related), tuple(a.open_ids))
    if isinstance(a, (ScopeAnswer, Help)):
        return Meta("scope")
    if isinstance(a, AskBack):
        return Meta("ask_back", tuple(a.rules))
    if isinstance(a, Refusal):
        return Meta("refuse")
    if isinstance(a, ConfirmAction):
        return Meta("confirm")
    if isinstance(a, DossierAnswer):
        return Meta("officer" if a.officer_view else "own", tuple(a.rules), tuple(a.open_ids), _v(a.verdict))
    if isinstance(a, (OverviewAnswer, UnidentifiedAnswer, BindingsAnswer, CodeIssued)):
        return Meta("officer")
    return Meta("action")
