"""Build answers (data) from the call config and the intake register. Every number comes from CallConfig."""
from __future__ import annotations

from datetime import datetime

from config.call import CallConfig
from core.findings import MISSING_KIND
from precheck.reading.summary import fact_lines
from core.register import Register
from core.services import Services
from core.vocabulary import SEVERITY_ZH, Severity, kind_zh

from bot import answer_types as A
from bot.advice import advice_for



def beijing(call: CallConfig, when: datetime | None) -> str | None:
    return call.to_local(when).strftime("%Y-%m-%d %H:%M:%S") if when else None


def remaining(call: CallConfig, now: datetime) -> tuple[str, bool]:
    left = call.deadline - now
    if left.total_seconds() <= 0:
        return "已截止", True
    days, secs = left.days, left.seconds
    hours, minutes = secs // 3600, (secs % 3600) // 60
    parts = ([f"{days}天"] if days else []) + ([f"{hours}小时"] if hours or days else []) + [f"{minutes}分钟"]
    return "还有" + "".join(parts), False


def rule_item(call: CallConfig, rule_id: str) -> A.RuleItem:
    r = call.rule(rule_id)
    clause, section = call.clause(rule_id)
    return A.RuleItem(r.id, r.text_zh or r.text, clause, section)


def contacts(call: CallConfig) -> list[A.ContactItem]:
    return [A.ContactItem(c.org, c.name, c.phone, c.email) for c in call.contacts]


def rule_answer(call: CallConfig, rule_id: str) -> A.RuleAnswer | A.OpenAnswer:
    if rule_id.startswith("O"):
        o = next(x for x in call.open_questions if x.id == rule_id)
        ids = [rid for rid in dict.fromkeys(_related_rules(f"{o.text} {o.text_zh}")) if rid in {r.id for r in call.rules}]
        related = [rule_item(call, rid) for rid in ids]
        return A.OpenAnswer(o.id, o.text_zh or o.text, o.practice_zh, contacts(call), related)
    return A.RuleAnswer([rule_item(call, rule_id)])


def _related_rules(text: str) -> list[str]:
    import re

    return re.findall(r"R\d\d", text)


def deadline(call: CallConfig, now: datetime, own_status: str | None = None) -> A.DeadlineAnswer:
    left, passed = remaining(call, now)
    return A.DeadlineAnswer(call.deadline_text, beijing(call, call.deadline)[:16], call.deadline_clause,
                            call.deadline_section, call.late_outcome, left, passed, own_status)


def mailboxes(call: CallConfig) -> A.MailboxesAnswer:
    rid = "R04" if any(r.id == "R04" for r in call.rules) else None
    return A.MailboxesAnswer([(m.org, m.address) for m in call.mailboxes], rule_item(call, rid) if rid else None,
                             call.deadline_text)


def materials(call: CallConfig) -> A.MaterialsAnswer:
    docs = []
    for d in call.documents:
        req = "必交" if d.required is True else ("2022年已有示范项目的省必交" if d.required else "可选")
        docs.append((d.name, req, call.limits.plan_max_pages if d.kind == "plan" else d.max_pages))
    pages = [rule_item(call, rid) for rid in ("R12", "R13", "R14") if rid in {r.id for r in call.rules}]
    return A.MaterialsAnswer(docs, rule_item(call, "R08"), pages)


def quota(call: CallConfig, province: str | None, cities: list[str]) -> A.QuotaAnswer:
    lim = call.limits
    items = [rule_item(call, "R15"), rule_item(call, "R16")]
    prov = call.province(province) if province else None
    cp = prov.cp_city if prov else None
    q = None
    allowed = None
    if prov:
        q = lim.quota_per_province + (lim.quota_extra_if_applying_for_cp_city if cp and cp in cities else 0)
        allowed = len(cities) <= q if cities else None
    year = int(call.id) if call.id.isdigit() else 10**6
    prev = [(c, rnd.year) for rnd in call.selected if rnd.year < year for c, _ in rnd.cities if c in cities]
    if prev:
        items.append(rule_item(call, "R17"))
    return A.QuotaAnswer(prov.name if prov else None, cp, cities, q, allowed, prev, items)


def _finding_item(call: CallConfig, f) -> A.FindingItem:
    sev = Severity(f.severity) if f.severity in {s.value for s in Severity} else Severity.INFO
    return A.FindingItem(f.code, SEVERITY_ZH[sev], f.message, advice_for(call, f.code),
                         (f.section or "").replace("(", "（").replace(")", "）"), (f.clause or "").strip('"'))


def dossier_from_register(call: CallConfig, reg: Register, province: str, now: datetime, focus: str,
                          officer_view: bool = False) -> A.DossierAnswer:
    row = reg.row(province)
    findings = [_finding_item(call, f) for f in row.findings]
    missing = [kind_zh(MISSING_KIND[f.code]) for f in row.findings if f.code in MISSING_KIND and f.severity == "error"]
    late = [(s.ref, beijing(call, s.first_received_at)) for s in row.submissions if not s.on_time]
    left, _ = remaining(call, now)
    boxes = [(m.org, m.address, beijing(call, row.first_on_time.get(m.key))) for m in call.mailboxes]
    paper = (row.paper_copy_date, row.paper_copy_tracking) if row.paper_copy_date else None
    return A.DossierAnswer(
        province, row.status, row.status_zh, focus, boxes,
        [A.DocumentItem(d.id, d.filename, kind_zh(d.kind or "other"), d.pages) for d in row.documents],
        row.pages_total, call.limits.plan_max_pages, call.limits.filing_max_pages, findings, missing, row.cities,
        paper, row.override_reason, late, left, officer_view, fact_lines(row.facts))


async def read_register(services: Services, province: str | None = None) -> Register:
    """The register (all units, or one ``province``'s row): every chat answer that reads stored data comes
    through here. A process that opens the database on first need (``shenbao ask``) and has not opened it yet
    reads it with plain SQL (``core.register_sql``: no ORM import, ~0.2 s saved); where that reader cannot
    answer as the ORM would, the database is opened as usual and read through the ORM."""
    from core.register import build_register

    now = services.clock.now()
    if services.db_opener is not None:
        from core.register_sql import read_register as read_sql

        reg = await read_sql(services.settings.database_url, services.call, now, province)
        if reg is not None:
            return reg
    await services.need_db()
    return await build_register(services.call, now, province=province)


async def dossier(services: Services, province: str, focus: str = "all", officer_view: bool = False) -> A.DossierAnswer:
    now = services.clock.now()
    reg = await read_register(services, province)
    return dossier_from_register(services.call, reg, province, now, focus, officer_view)


async def overview(services: Services) -> A.OverviewAnswer:
    now = services.clock.now()
    reg = await read_register(services)
    filed = [(r.province, sum(1 for f in r.findings if f.severity == "error")) for r in reg.rows if r.status == "filed"]
    left, _ = remaining(services.call, now)
    return A.OverviewAnswer(reg.counts(), filed, [r.province for r in reg.rows if r.status == "late"],
                            [r.province for r in reg.rows if r.status == "not_filed"], len(reg.unidentified), left)


async def unidentified(services: Services) -> A.UnidentifiedAnswer:
    call = services.call
    reg = await read_register(services)
    items = []
    for u in reg.unidentified:
        ev = (u.attribution or {}).get("evidence") or {}
        cands = sorted({p for v in ev.values() if isinstance(v, dict) for p in v})
        items.append(A.UnidentifiedItem(u.submission, u.subject, u.sender, beijing(call, u.first_received_at),
                                        u.on_time, [r.ref for r in u.receipts], cands))
    return A.UnidentifiedAnswer(items)


async def status_line(services: Services, province: str) -> str:
    reg = await read_register(services, province)
    return f"{province}：{reg.row(province).status_zh}"
