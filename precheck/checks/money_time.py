"""subsidy_over_cap / subsidy_unreadable (R18) and period_over_limit / period_unreadable (R19).

The figures come from every document that states them (cover letter, plan, budget, targets table), each with its
evidence; the largest counts (the cap and the limit apply to each project). An officer's correction
(``Dossier.corrections``) beats what was read and is named as such."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from precheck.checks.common import analysis, correction, evidence_zh, label, of_kind, ocr_pending
from core.findings import FindingSpec

SOURCES = ("budget", "performance_targets", "plan", "cover_letter")


def _years(p: dict) -> float:
    return p["years"] if "years" in p else round(p["months"] / 12, 2)


class SubsidyCap:
    name = "subsidy_over_cap"
    scope = "dossier"
    rule = "R18"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        budgets = of_kind(ctx.documents, "budget")
        cap = ctx.call.limits.central_subsidy_cap_wan_yuan
        text, section = ctx.call.clause(self.rule)
        fixed = correction(ctx, "subsidy")
        if fixed is not None:
            if fixed["wan_yuan"] <= cap:
                return []
            return [FindingSpec("subsidy_over_cap", f"中央财政补助 {fixed['wan_yuan']:g} 万元（处室更正：{fixed.get('reason', '')}），"
                                f"超过上限 {cap:g} 万元", {"wan_yuan": fixed["wan_yuan"], "cap_wan_yuan": cap,
                                                        "source": "officer", "actor": fixed.get("actor")}, text, section)]
        if not budgets:
            return []
        sources = of_kind(ctx.documents, *SOURCES)
        read = [(d, analysis(d)["subsidy"]) for d in sources if analysis(d).get("subsidy")]
        if not read:
            waiting = any(ocr_pending(d) for d in sources)
            note = "（扫描件正在等待文字识别）" if waiting else ""
            denied = [(d, x) for d in sources for x in (analysis(d).get("subsidy_denied") or [])]
            if denied:
                d, x = denied[0]
                note += (f"（{label(d)}第{x['evidence']['page']}页读到“{x['evidence']['text']}”，"
                         "与表内合计不符，未采用）")
            return [FindingSpec("subsidy_unreadable", f"未能从资金预算表、实施方案、绩效目标表或申报文件自动读出中央财政补助金额{note}，请人工核对",
                                {"documents": [d.filename for d in sources], "ocr_pending": waiting,
                                 "denied": [{"filename": d.filename, **x} for d, x in denied[:3]]}, text, section)]
        d, s = max(read, key=lambda x: x[1]["wan_yuan"])
        if s["wan_yuan"] <= cap:
            return []
        return [FindingSpec("subsidy_over_cap", f"{label(d)}中央财政补助 {s['wan_yuan']:g} 万元，超过上限 {cap:g} 万元"
                            f"（依据：{evidence_zh(s)}）",
                            {"filename": d.filename, "wan_yuan": s["wan_yuan"], "cap_wan_yuan": cap,
                             "evidence": s.get("evidence")}, text, section)]


class PeriodLimit:
    name = "period_over_limit"
    scope = "dossier"
    rule = "R19"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        limit = ctx.call.limits.max_implementation_years
        text, section = ctx.call.clause(self.rule)
        fixed = correction(ctx, "period")
        if fixed is not None:
            if _years(fixed) <= limit:
                return []
            return [FindingSpec("period_over_limit", f"实施期限 {_years(fixed):g} 年（处室更正：{fixed.get('reason', '')}），"
                                f"超过 {limit} 年", {"years": _years(fixed), "limit": limit, "source": "officer",
                                                   "actor": fixed.get("actor")}, text, section)]
        sources = of_kind(ctx.documents, *SOURCES)
        if not of_kind(sources, "plan"):
            return []
        read = [(d, analysis(d)["period"]) for d in sources if analysis(d).get("period")]
        if not read:
            waiting = any(ocr_pending(d) for d in sources)
            note = "（扫描件正在等待文字识别）" if waiting else ""
            return [FindingSpec("period_unreadable", f"未能从实施方案、绩效目标表、预算表或申报文件自动读出实施期限{note}，请人工核对",
                                {"documents": [d.filename for d in sources], "ocr_pending": waiting}, text, section)]
        d, p = max(read, key=lambda x: _years(x[1]))
        if _years(p) <= limit:
            return []
        return [FindingSpec("period_over_limit", f"{label(d)}实施期限 {_years(p):g} 年（依据：{evidence_zh(p)}），"
                            f"超过 {limit} 年", {"filename": d.filename, "years": _years(p), "limit": limit,
                                               "months": p.get("months"), "evidence": p.get("evidence")},
                            text, section)]
