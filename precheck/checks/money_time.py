"""subsidy_over_cap / subsidy_unreadable (R18) and period_over_limit / period_unreadable (R19)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from precheck.checks.common import analysis, label, of_kind, ocr_pending
from core.findings import FindingSpec


class SubsidyCap:
    name = "subsidy_over_cap"
    scope = "dossier"
    rule = "R18"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        budgets = of_kind(ctx.documents, "budget")
        if not budgets:
            return []
        cap = ctx.call.limits.central_subsidy_cap_wan_yuan
        text, section = ctx.call.clause(self.rule)
        sources = budgets + of_kind(ctx.documents, "performance_targets", "plan")
        read = [(d, analysis(d)["subsidy"]) for d in sources if analysis(d).get("subsidy")]
        if not read:
            waiting = any(ocr_pending(d) for d in budgets)
            note = "（扫描件正在等待文字识别）" if waiting else ""
            return [FindingSpec("subsidy_unreadable", f"未能从资金预算表自动读出中央财政补助金额{note}，请人工核对",
                                {"documents": [d.filename for d in budgets], "ocr_pending": waiting}, text, section)]
        d, s = max(read, key=lambda x: x[1]["wan_yuan"])
        if s["wan_yuan"] <= cap:
            return []
        return [FindingSpec("subsidy_over_cap", f"{label(d)}中央财政补助 {s['wan_yuan']:g} 万元，超过上限 {cap:g} 万元"
                            f"（依据：“{s.get('evidence', '')}”）",
                            {"filename": d.filename, "wan_yuan": s["wan_yuan"], "cap_wan_yuan": cap,
                             "evidence": s.get("evidence")}, text, section)]


class PeriodLimit:
    name = "period_over_limit"
    scope = "dossier"
    rule = "R19"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        sources = of_kind(ctx.documents, "plan", "performance_targets", "budget")
        if not of_kind(sources, "plan"):
            return []
        limit = ctx.call.limits.max_implementation_years
        text, section = ctx.call.clause(self.rule)
        read = [(d, analysis(d)["period"]) for d in sources if analysis(d).get("period")]
        if not read:
            waiting = any(ocr_pending(d) for d in sources)
            note = "（扫描件正在等待文字识别）" if waiting else ""
            return [FindingSpec("period_unreadable", f"未能从实施方案、绩效目标表或预算表自动读出实施期限{note}，请人工核对",
                                {"documents": [d.filename for d in sources], "ocr_pending": waiting}, text, section)]
        d, p = max(read, key=lambda x: x[1]["years"])
        if p["years"] <= limit:
            return []
        return [FindingSpec("period_over_limit", f"{label(d)}实施期限 {p['years']:g} 年（“{p.get('evidence', '')}”），"
                            f"超过 {limit} 年", {"filename": d.filename, "years": p["years"], "limit": limit,
                                               "evidence": p.get("evidence")}, text, section)]
