"""The call's rules as typed, validated data, loaded from ``config/calls/<id>.toml``.

Every number the system enforces (deadline, page limits, quota, cap) lives here, never in code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

CALLS_DIR = Path(__file__).parent / "calls"
DEFAULT_CALL = "2023"
DOCUMENT_KINDS = ("cover_letter", "plan", "budget", "performance_targets", "evidence", "prior_report", "other")


class CallConfigError(ValueError):
    """The call file is missing, malformed or inconsistent; the message says where."""


@dataclass(frozen=True)
class Mailbox:
    key: str
    address: str
    org: str


@dataclass(frozen=True)
class Contact:
    org: str
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class DocumentRule:
    kind: str
    name: str
    match: tuple[str, ...]
    required: bool | str
    max_pages: int | None = None
    expected_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Province:
    name: str
    code: str
    type: str
    abbr: str
    aliases: tuple[str, ...]
    finance: str
    hrss: str
    cp_city: str | None = None
    senders: tuple[str, ...] = ()


@dataclass(frozen=True)
class CpCity:
    city: str
    province: str
    finance: str
    hrss: str


@dataclass(frozen=True)
class SelectedRound:
    year: int
    complete: bool
    cities: tuple[tuple[str, str], ...]  # (city, province)
    provinces_known_to_have_one: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    check: str
    section: str
    clause: str
    text_zh: str = ""          # the rule in plain Chinese (the bot answers with it, then quotes ``clause``)


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    text: str
    text_zh: str = ""          # the question in Chinese
    practice_zh: str = ""      # the system's own practice (本系统做法), stated apart from the notice


@dataclass(frozen=True)
class Limits:
    page_unit: str
    plan_max_pages: int
    filing_max_pages: int
    quota_per_province: int
    quota_extra_if_applying_for_cp_city: int
    central_subsidy_cap_wan_yuan: int
    max_implementation_years: int
    prior_report_counts_toward_total: bool
    a4_tolerance: float


@dataclass(frozen=True)
class CallConfig:
    id: str
    doc_no: str
    title: str
    programme: str
    issuers: tuple[str, ...]
    signed: date
    published: date
    tz: ZoneInfo
    deadline: datetime  # aware, exclusive
    deadline_text: str
    deadline_clause: str
    deadline_section: str
    late_outcome: str
    paper_copy_required: bool
    paper_copy_address: str
    limits: Limits
    mailboxes: tuple[Mailbox, ...]
    contacts: tuple[Contact, ...]
    documents: tuple[DocumentRule, ...]
    provinces: tuple[Province, ...]
    cp_cities: tuple[CpCity, ...]
    selected: tuple[SelectedRound, ...]
    prior_report_rounds: tuple[int, ...]
    hrss_variants: tuple[str, ...]
    ambiguous_abbr: tuple[str, ...]
    rules: tuple[Rule, ...]
    open_questions: tuple[OpenQuestion, ...]
    source: Path | None = field(default=None, compare=False)

    # --- lookups -------------------------------------------------------------------------------
    def is_on_time(self, received_at: datetime) -> bool:
        """Policy 1: on time means strictly before the (exclusive) deadline."""
        if received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        return received_at < self.deadline

    def mailbox(self, key_or_address: str) -> Mailbox:
        k = key_or_address.strip().lower()
        for m in self.mailboxes:
            if k in (m.key, m.address.lower()):
                return m
        raise KeyError(key_or_address)

    def mailbox_for_address(self, address: str) -> Mailbox | None:
        a = address.strip().lower()
        return next((m for m in self.mailboxes if m.address.lower() == a), None)

    def province(self, name: str) -> Province:
        for p in self.provinces:
            if name == p.name or name in p.aliases:
                return p
        raise KeyError(name)

    def province_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.provinces)

    def document(self, kind: str) -> DocumentRule | None:
        return next((d for d in self.documents if d.kind == kind), None)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def clause(self, rule_id: str) -> tuple[str, str]:
        """(the notice's own words, section such as 二（三）) of a rule: the one clause resolver."""
        r = self.rule(rule_id)
        return r.clause, r.section

    def to_local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)


def _req(d: dict, key: str, where: str):
    if key not in d:
        raise CallConfigError(f"{where}: missing key '{key}'")
    return d[key]


def _deadline(raw, tz: ZoneInfo) -> datetime:
    if not isinstance(raw, datetime):
        raise CallConfigError(f"call.deadline must be a TOML datetime with offset, got {raw!r}")
    if raw.tzinfo is None:
        raise CallConfigError("call.deadline needs an explicit UTC offset, e.g. 2023-03-27T00:00:00+08:00")
    return raw.astimezone(timezone.utc)


def parse_call(data: dict, source: Path | None = None) -> CallConfig:
    """Build and validate a CallConfig from parsed TOML; raise CallConfigError with the location."""
    where = str(source or "<call>")
    c = _req(data, "call", where)
    lim = _req(data, "limits", where)
    try:
        tz = ZoneInfo(_req(c, "timezone", "call"))
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError
        raise CallConfigError(f"call.timezone: {exc}") from exc
    limits = Limits(
        page_unit=lim.get("page_unit", "A4单版面"),
        plan_max_pages=int(_req(lim, "plan_max_pages", "limits")),
        filing_max_pages=int(_req(lim, "filing_max_pages", "limits")),
        quota_per_province=int(_req(lim, "quota_per_province", "limits")),
        quota_extra_if_applying_for_cp_city=int(lim.get("quota_extra_if_applying_for_cp_city", 0)),
        central_subsidy_cap_wan_yuan=int(_req(lim, "central_subsidy_cap_wan_yuan", "limits")),
        max_implementation_years=int(_req(lim, "max_implementation_years", "limits")),
        prior_report_counts_toward_total=bool(lim.get("prior_report_counts_toward_total", False)),
        a4_tolerance=float(lim.get("a4_tolerance", 0.12)),
    )
    mailboxes = tuple(Mailbox(m["key"], m["address"], m.get("org", "")) for m in _req(data, "mailboxes", where))
    if not mailboxes:
        raise CallConfigError(f"{where}: at least one [[mailboxes]] is required")
    if len({m.key for m in mailboxes}) != len(mailboxes):
        raise CallConfigError(f"{where}: mailbox keys must be unique")
    documents = []
    for i, d in enumerate(_req(data, "documents", where)):
        kind = _req(d, "kind", f"documents[{i}]")
        if kind not in DOCUMENT_KINDS:
            raise CallConfigError(f"documents[{i}].kind: {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        documents.append(DocumentRule(kind, d["name"], tuple(d.get("match", ())), d.get("required", False),
                                      d.get("max_pages"), tuple(d.get("expected_terms", ()))))
    provinces = []
    for i, p in enumerate(_req(data, "provinces", where)):
        name = _req(p, "name", f"provinces[{i}]")
        aliases = tuple(a for a in p.get("aliases", (name,)) if len(a) >= 2)
        provinces.append(Province(name, p.get("code", ""), p.get("type", ""), p.get("abbr", ""), aliases,
                                  _req(p, "finance", name), _req(p, "hrss", name), p.get("cp_city"),
                                  tuple(s.lower() for s in p.get("senders", ()))))
    names = [p.name for p in provinces]
    if len(set(names)) != len(names):
        raise CallConfigError(f"{where}: duplicate province names")
    cp_cities = tuple(CpCity(x["city"], x["province"], x["finance"], x["hrss"]) for x in data.get("cp_cities", ()))
    for cp in cp_cities:
        if cp.province not in names:
            raise CallConfigError(f"cp_cities: {cp.city} names unknown province {cp.province}")
    selected = tuple(
        SelectedRound(int(s["year"]), bool(s.get("complete", False)),
                      tuple((x["city"], x["province"]) for x in s.get("cities", ())),
                      tuple(s.get("provinces_known_to_have_one", ())))
        for s in data.get("selected", ()))
    nm = data.get("name_matching", {})
    return CallConfig(
        id=str(_req(c, "id", "call")), doc_no=_req(c, "doc_no", "call"), title=c.get("title", ""),
        programme=c.get("programme", ""), issuers=tuple(c.get("issuers", ())),
        signed=c.get("signed"), published=c.get("published"), tz=tz,
        deadline=_deadline(_req(c, "deadline", "call"), tz), deadline_text=c.get("deadline_text", ""),
        deadline_clause=_req(c, "deadline_clause", "call"), deadline_section=c.get("deadline_section", ""),
        late_outcome=c.get("late_outcome", "视为未申报"), paper_copy_required=bool(c.get("paper_copy_required", False)),
        paper_copy_address=c.get("paper_copy_address", ""), limits=limits, mailboxes=mailboxes,
        contacts=tuple(Contact(x["org"], x["name"], x["phone"], x["email"]) for x in data.get("contacts", ())),
        documents=tuple(documents), provinces=tuple(provinces), cp_cities=cp_cities, selected=selected,
        prior_report_rounds=tuple(int(y) for y in data.get("prior_report", {}).get("required_from_provinces_selected_in", ())),
        hrss_variants=tuple(nm.get("hrss_variants", ("人力资源和社会保障", "人力资源社会保障", "人社"))),
        ambiguous_abbr=tuple(nm.get("ambiguous_abbr", ())),
        rules=_rules(data),
        open_questions=tuple(OpenQuestion(o["id"], o["text"], o.get("text_zh", ""), o.get("practice_zh", ""))
                             for o in data.get("open_questions", ())),
        source=source,
    )


def _rules(data: dict) -> tuple[Rule, ...]:
    """Rules with their clause as the notice's own words (no quotation marks, no "same as …" pointers)."""
    rules = []
    for i, r in enumerate(data.get("rules", ())):
        where = f"rules[{i}] ({r.get('id', '?')})"
        clause = str(r.get("clause", "")).strip()
        if '"' in clause or clause.lower().startswith("same as"):
            raise CallConfigError(f"{where}.clause must be the notice's own words, without quotation marks or "
                                  f"'same as' pointers; got {clause[:40]!r}")
        rules.append(Rule(_req(r, "id", where), r.get("text", ""), r.get("check", ""),
                          str(r.get("section", "")).replace("(", "（").replace(")", "）"), clause, r.get("text_zh", "")))
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise CallConfigError("rules: duplicate rule ids")
    return tuple(rules)


def load_call(path_or_id: str | Path | None = None) -> CallConfig:
    """Load a call by id (``"2023"``) or by file path; errors name the file and the key."""
    if path_or_id is None:
        path_or_id = DEFAULT_CALL
    p = Path(path_or_id)
    if not p.suffix:
        p = CALLS_DIR / f"{path_or_id}.toml"
    if not p.is_file():
        raise CallConfigError(f"call file not found: {p}")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CallConfigError(f"{p}: {exc}") from exc
    return parse_call(data, p)
