"""What each page of the web desk shows, as plain data for the templates (read side only: core.register,
the audit log, the chart). No page changes anything: corrections stay officer commands (chat / CLI)."""
from __future__ import annotations

from datetime import datetime

from core.findings import code_zh
from core.register import Register, build_register
from core.services import Services
from core.status_display import is_overridden, override_note, shown_status
from core.vocabulary import SEVERITY_ZH, kind_zh

from bot.digest.chart import render_svg, status_series

PROBLEM_SEVERITIES = ("error", "review", "warning")
ACTION_ZH = {"override_status": "人工认定状态", "assign_province": "归属报送", "paper_copy": "登记纸质版",
             "document.kind": "更正文件类型", "dossier.cities": "设定推荐城市", "binding.code_issued": "签发绑定码",
             "binding.bound": "联系人绑定", "binding.revoked": "撤销绑定", "evidence_export": "导出证据包"}
STATUS_FILTERS = {"filed": "已申报", "late": "逾期视为未申报", "not_filed": "未申报"}


def _bj(services: Services, dt: datetime | None, fmt: str = "%m-%d %H:%M:%S") -> str:
    return services.call.to_local(dt).strftime(fmt) if dt else "—"


def _row(services: Services, r, i: int) -> dict:
    call = services.call
    sev = {s: sum(1 for f in r.findings if f.severity == s) for s in PROBLEM_SEVERITIES}
    return {"no": i, "province": r.province, "status": r.status, "status_shown": shown_status(r),
            "overridden": is_overridden(r), "override_reason": r.override_reason,
            "arrivals": [(m.key, m.org, _bj(services, r.first_on_time.get(m.key))) for m in call.mailboxes],
            "submissions": len(r.submissions), "late_submissions": sum(1 for s in r.submissions if not s.on_time),
            "pages": r.pages_total, "sev": sev, "problems": sum(sev.values()),
            "codes": [code_zh(f.code) for f in r.findings if f.severity in PROBLEM_SEVERITIES],
            "paper": r.paper_copy_date, "cities": r.cities}


def filter_rows(reg: Register, services: Services, *, status: str | None, problems: bool, q: str | None) -> list[dict]:
    rows = [_row(services, r, i) for i, r in enumerate(reg.rows, 1)]
    if status in STATUS_FILTERS:
        rows = [r for r in rows if r["status"] == status]
    if problems:
        rows = [r for r in rows if r["sev"]["error"] or r["sev"]["review"]]
    if q:
        rows = [r for r in rows if q in r["province"] or any(q in c for c in r["codes"])]
    return rows


async def register_page(services: Services, *, status=None, problems=False, q=None) -> dict:
    now = services.clock.now()
    reg = await build_register(services.call, now)
    c = reg.counts()
    return {"title": "收件登记", "reg": reg, "counts": c, "rows": filter_rows(reg, services, status=status,
                                                                          problems=problems, q=q),
            "mailboxes": services.call.mailboxes, "filters": {"status": status, "problems": problems, "q": q or ""},
            "status_filters": STATUS_FILTERS,
            "with_problems": sum(1 for r in reg.rows if any(f.severity in ("error", "review") for f in r.findings)),
            "generated": _bj(services, now, "%Y-%m-%d %H:%M:%S"), "deadline": _bj(services, services.call.deadline,
                                                                                    "%Y-%m-%d %H:%M"),
            "chart": render_svg(status_series(reg, services.call, now), services.call)}


async def _timeline(services: Services, row, audit) -> list[dict]:
    ev = []
    for s in row.submissions:
        for x in s.receipts:
            ev.append({"at": x.received_at, "kind": "receipt",
                       "text": f"{x.ref} 到达 {x.mailbox} 邮箱（{'按时' if x.on_time else '截止后'}，"
                               f"时间依据 {x.time_source}）：{s.ref}《{s.subject[:60]}》"})
    for e in audit:
        detail = e.detail or {}
        reason = detail.get("reason") if isinstance(detail, dict) else None
        extra = {k: v for k, v in detail.items() if k in ("status", "date", "tracking", "kind", "cities", "previous")
                 and v not in (None, "", [])} \
            if isinstance(detail, dict) else {}
        ev.append({"at": e.at, "kind": "officer",
                   "text": f"{ACTION_ZH.get(e.action, e.action)}（{e.actor}）"
                           + ("：" + "，".join(f"{k}={v}" for k, v in extra.items()) if extra else "")
                           + (f"；理由：{reason}" if reason else "")})
    ev.sort(key=lambda e: e["at"])
    for e in ev:
        e["when"] = _bj(services, e["at"], "%Y-%m-%d %H:%M:%S")
    return ev


async def province_page(services: Services, name: str) -> dict:
    from models.audit import AuditEntry

    call = services.call
    now = services.clock.now()
    reg = await build_register(call, now, name)
    row = reg.row(name)
    targets = [name, f"dossier:{name}"] + [s.ref for s in row.submissions] + [f"document:{d.id}" for d in row.documents]
    audit = await AuditEntry.filter(target__in=targets).order_by("id")
    arrivals = []
    for m in call.mailboxes:
        times = [(x, s) for s in row.submissions for x in s.receipts if x.mailbox == m.key]
        arrivals.append({"key": m.key, "org": m.org, "address": m.address,
                         "first_on_time": _bj(services, row.first_on_time.get(m.key), "%Y-%m-%d %H:%M:%S"),
                         "all": [(x.ref, _bj(services, x.received_at, "%Y-%m-%d %H:%M:%S"), x.on_time, s.ref)
                                 for x, s in times]})
    findings = [{"severity": f.severity, "severity_zh": SEVERITY_ZH.get(f.severity, f.severity),
                 "label": code_zh(f.code), "code": f.code, "message": f.message, "section": f.section,
                 "clause": f.clause, "ref": f.ref} for f in row.findings]
    docs = [{"id": d.id, "filename": d.filename, "kind": kind_zh(d.kind), "pages": d.pages, "submission": d.submission}
            for d in row.documents]
    return {"title": name, "row": row, "status_shown": shown_status(row, with_reason=True),
            "override_note": override_note(row), "arrivals": arrivals, "findings": findings, "documents": docs,
            "pages_total": row.pages_total, "timeline": await _timeline(services, row, audit),
            "submissions": [{"ref": s.ref, "subject": s.subject, "sender": s.sender, "on_time": s.on_time,
                             "first": _bj(services, s.first_received_at, "%Y-%m-%d %H:%M:%S")} for s in row.submissions],
            "generated": _bj(services, now, "%Y-%m-%d %H:%M:%S")}


async def unidentified_page(services: Services) -> dict:
    now = services.clock.now()
    reg = await build_register(services.call, now)
    items = []
    for u in reg.unidentified:
        att = u.attribution or {}
        items.append({"ref": u.submission, "sender": u.sender or "—", "subject": u.subject,
                      "first": _bj(services, u.first_received_at, "%Y-%m-%d %H:%M:%S"), "on_time": u.on_time,
                      "receipts": [f"{x.ref}/{x.mailbox}" for x in u.receipts],
                      "guess": "；".join(f"{k}：{v}" for k, v in (att.get("evidence") or {}).items())[:160]
                      if isinstance(att, dict) else "",
                      "method": att.get("method") if isinstance(att, dict) else None})
    return {"title": "未识别来信", "items": items, "generated": _bj(services, now, "%Y-%m-%d %H:%M:%S")}
