"""Answers → text. Wording lives in ``bot/templates/*.txt`` (sections ``## name``, ``$field`` placeholders)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from bot import answer_types as A

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=64)
def _sections(name: str) -> dict[str, Template]:
    out: dict[str, list[str]] = {}
    cur = "main"
    for line in (TEMPLATES / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            cur = line[3:].strip()
            out[cur] = []
        elif not line.startswith("#"):
            out.setdefault(cur, []).append(line)
    return {k: Template("\n".join(v).strip("\n")) for k, v in out.items()}


def t(name: str, section: str = "main", /, **kw) -> str:
    return _sections(name)[section].substitute(**kw)


def _join(lines) -> str:
    return "\n".join(x for x in lines if x)


def _rule(r: A.RuleItem) -> str:
    return t("rule", "item", text=r.text_zh, clause=r.clause, section=r.section, id=r.id)


def _contacts(cs: list[A.ContactItem]) -> str:
    return _join(t("contacts", "item", org=c.org, name=c.name, phone=c.phone, email=c.email) for c in cs)


def render(ans) -> str:
    fn = _RENDERERS[type(ans)]
    return fn(ans).strip()


def _help(a: A.Help) -> str:
    sec = {"public": "public", "contact": "contact", "officer": "officer"}[a.role]
    head = t("help", "not_understood") if a.not_understood else ""
    return _join([head, t("help", sec, province=a.province or "")])


def _verdict(v: A.Verdict | None) -> str:
    if v is None:
        return ""
    key = "depends" if v.ok is None else ("yes" if v.ok else "no")
    lines = [t("verdict", key, conclusion=v.conclusion)]
    if v.lines:
        lines.append(t("verdict", "head"))
        lines.extend(t("verdict", "line", line=x) for x in v.lines)
    return _join(lines)


def _rule_answer(a: A.RuleAnswer) -> str:
    return _join([_verdict(a.verdict), *(_rule(r) for r in a.items), a.note])


def _abstain(a: A.AbstainAnswer) -> str:
    related = t("abstain", "related", items=_join(_rule(r) for r in a.related)) if a.related else ""
    return t("abstain", "unsure" if a.unsure else "main", topic=a.topic, contacts=_contacts(a.contacts),
             related=related)


def _scope(a: A.ScopeAnswer) -> str:
    return _join([t("scope"), t("scope", "contact", province=a.province) if a.role == "contact" else ""])


def _ask_back(a: A.AskBack) -> str:
    return _join([t("ask_back", question=a.question),
                  t("ask_back", "understood", understood=a.understood) if a.understood else ""])


def _multi(a: A.MultiAnswer) -> str:
    return "\n\n".join(t("multi", "part", n=i, body=render(p)) for i, p in enumerate(a.parts, 1))


def _confirm(a: A.ConfirmAction) -> str:
    return _join(t("confirm", command=a.command, summary=a.summary, note=a.note).splitlines())


def _notice(a: A.NoticeAnswer) -> str:
    return t("notice", title=a.title, doc_no=a.doc_no, issuers="、".join(a.issuers), signed=a.signed,
             published=a.published)


def _open(a: A.OpenAnswer) -> str:
    related = _join(_rule(r) for r in a.related)
    return t("open_question", question=a.question_zh, practice=a.practice_zh, contacts=_contacts(a.contacts),
             related=related or t("open_question", "no_related"))


def _contacts_answer(a: A.ContactsAnswer) -> str:
    return t("contacts", contacts=_contacts(a.contacts))


def _mailboxes(a: A.MailboxesAnswer) -> str:
    boxes = _join(t("mailboxes", "item", org=o, address=addr) for o, addr in a.mailboxes)
    return _join([t("mailboxes", boxes=boxes, deadline=a.deadline_text), _rule(a.rule) if a.rule else ""])


def _deadline(a: A.DeadlineAnswer) -> str:
    body = t("deadline", text=a.deadline_text, local=a.deadline_local, clause=a.clause, section=a.section,
             outcome=a.late_outcome, remaining=a.remaining, weekday=a.weekday or "")
    return _join([_verdict(a.verdict), body, t("deadline", "own", status=a.own_status) if a.own_status else ""])


def _materials(a: A.MaterialsAnswer) -> str:
    docs = _join(t("materials", "item", name=n, required=r,
                   limit=t("materials", "limit", pages=p) if p else "") for n, r, p in a.documents)
    return _join([t("materials", docs=docs), _rule(a.rule), *(_rule(r) for r in a.pages)])


def _quota(a: A.QuotaAnswer) -> str:
    if a.verdict is not None:
        prev = _join(t("quota", "previous", city=c, year=y) for c, y in a.previously_selected)
        cp = (t("quota", "cp", cp=a.cp_city) if a.cp_city else t("quota", "no_cp")) if a.province else ""
        return _join([_verdict(a.verdict), prev, (f"{a.province}：" + cp.lstrip("；")) if a.province and a.cp_city
                      else "", *(_rule(r) for r in a.items)])
    if a.province is None:
        head = t("quota", "general", cps=a.cp_city or "")
    elif a.allowed is None:
        head = t("quota", "province", province=a.province, quota=a.quota,
                 cp=t("quota", "cp", cp=a.cp_city) if a.cp_city else t("quota", "no_cp"))
    else:
        key = "yes" if a.allowed else "no"
        head = t("quota", key, province=a.province, cities="、".join(a.cities), n=len(a.cities), quota=a.quota,
                 cp=t("quota", "cp", cp=a.cp_city) if a.cp_city else t("quota", "no_cp"))
    prev = _join(t("quota", "previous", city=c, year=y) for c, y in a.previously_selected)
    return _join([head, prev, *(_rule(r) for r in a.items)])


def _dossier(a: A.DossierAnswer) -> str:
    boxes = _join(t("dossier", "mailbox", org=o, address=addr,
                    arrival=(t("dossier", "arrived", at=at) if at else t("dossier", "not_arrived")))
                  for o, addr, at in a.mailboxes)
    docs = _join(t("dossier", "document", id=d.id, kind=d.kind_zh, filename=d.filename,
                   pages=("—" if d.pages is None else d.pages)) for d in a.documents) or t("dossier", "no_documents")
    fs = a.findings if a.focus != "missing" else [f for f in a.findings if f.code.startswith("missing_")]
    findings = _join(_join([t("dossier", "finding", severity=f.severity_zh, message=f.message, advice=f.advice),
                            t("dossier", "basis", section=f.section, clause=f.clause) if f.clause else ""])
                     for f in fs) or t("dossier", "no_findings")
    paper = (t("dossier", "paper", date=a.paper_copy[0], tracking=a.paper_copy[1] or "—") if a.paper_copy
             else t("dossier", "no_paper"))
    late = _join(t("dossier", "late", ref=r, at=at) for r, at in a.late_submissions)
    parts = [t("dossier", "head", province=a.province, status=a.status_zh, remaining=a.remaining)]
    parts += [t("dossier", "lead", line=x) for x in a.lead]
    parts.append(_verdict(a.verdict))
    if a.focus in ("all", "receipt"):
        parts += [t("dossier", "mailboxes", boxes=boxes), late]
    if a.submissions:
        parts.append(t("dossier", "submissions", lines=_join(t("dossier", "submission", line=x) for x in a.submissions)))
    if a.focus in ("all", "receipt", "missing"):
        pages = t("dossier", "pages", total=a.pages_total, filing_max=a.filing_max_pages, plan_max=a.plan_max_pages) \
            if a.pages_total is not None else ""
        parts += [t("dossier", "documents", docs=docs), pages]
    if a.focus == "missing":
        parts.append(t("dossier", "missing", kinds="、".join(a.missing)) if a.missing else t("dossier", "nothing_missing"))
    if a.focus in ("all", "problems", "missing") and (fs or a.status == "filed"):
        parts.append(t("dossier", "findings", findings=findings))
    if a.focus in ("all", "paper"):
        parts.append(paper)
    if a.cities and a.focus == "all":
        parts.append(t("dossier", "cities", cities="、".join(a.cities)))
    if a.override_reason and a.officer_view:
        parts.append(t("dossier", "override", reason=a.override_reason))
    if a.basis:
        parts.append(_join([t("dossier", "basis_head"), *(_rule(r) for r in a.basis)]))
    if a.facts and a.focus in ("all", "problems"):
        parts.append("从申报材料读出：\n" + "\n".join(f"· {x}" for x in a.facts))
    return "\n".join(p for p in parts if p)


def _overview(a: A.OverviewAnswer) -> str:
    filed = "、".join(f"{p}（{n}项错误）" if n else p for p, n in a.filed) or "无"
    main = t("overview", filed_n=a.counts.get("filed", 0), late_n=a.counts.get("late", 0),
             not_filed_n=a.counts.get("not_filed", 0), unidentified=a.unidentified, filed=filed,
             late="、".join(a.late) or "无", not_filed="、".join(a.not_filed) or "无", remaining=a.remaining)
    return _join([*a.lead, main,
                  t("overview", "late_detail", lines="；".join(a.late_detail)) if a.late_detail else "",
                  t("overview", "problems", lines=_join("· " + x for x in a.problems)) if a.problems else "",
                  t("overview", "one_mailbox", provinces="、".join(a.one_mailbox)) if a.one_mailbox else "",
                  t("overview", "paper", provinces="、".join(a.paper)) if a.paper else t("overview", "no_paper"),
                  t("overview", "unidentified_refs", refs="、".join(a.unidentified_refs)) if a.unidentified_refs else ""])


def _unidentified(a: A.UnidentifiedAnswer) -> str:
    if not a.items:
        return t("unidentified", "empty")
    items = _join(t("unidentified", "item", ref=i.ref, subject=i.subject or "（无主题）", sender=i.sender or "—",
                    at=i.received, on_time="按时" if i.on_time else "逾期", receipts="、".join(i.receipts),
                    candidates="、".join(i.candidates) or "无") for i in a.items)
    return t("unidentified", n=len(a.items), items=items)


def _refusal(a: A.Refusal) -> str:
    return t("refusal", a.reason, asked=a.asked or "", own=a.own or "")


_RENDERERS = {
    A.Help: _help, A.RuleAnswer: _rule_answer, A.OpenAnswer: _open, A.ContactsAnswer: _contacts_answer,
    A.MailboxesAnswer: _mailboxes, A.DeadlineAnswer: _deadline, A.MaterialsAnswer: _materials, A.QuotaAnswer: _quota,
    A.DossierAnswer: _dossier, A.OverviewAnswer: _overview, A.UnidentifiedAnswer: _unidentified, A.Refusal: _refusal,
    A.AbstainAnswer: _abstain, A.ScopeAnswer: _scope, A.AskBack: _ask_back, A.MultiAnswer: _multi,
    A.ConfirmAction: _confirm, A.NoticeAnswer: _notice,
    A.ActionDone: lambda a: t("action", "done", message=a.message),
    A.ActionFailed: lambda a: _join([t("action", "failed", message=a.message), a.usage]),
    A.CodeIssued: lambda a: t("binding", "issued", province=a.province, code=a.code, expires=a.expires),
    A.Bound: lambda a: t("binding", "rebound" if a.previous else "bound", province=a.province, previous=a.previous or ""),
    A.BindingsAnswer: lambda a: _join(t("binding", "row", who=w, province=p, at=at, chat=c) for w, p, at, c in a.rows)
    or t("binding", "none"),
}
