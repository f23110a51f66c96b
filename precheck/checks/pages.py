"""plan_over_page_limit, total_over_page_limit, non_a4_pages: A4 single-sided equivalents (policy 4)."""
from __future__ import annotations

from precheck.checks import DossierContext
from precheck.checks.common import KIND_ZH, clause, counted, of_kind
from core.findings import FindingSpec


def _arith(doc) -> str:
    return (doc.page_detail or {}).get("arithmetic") or f"{doc.pages} 页"


class PlanOverPageLimit:
    name = "plan_over_page_limit"
    clause = "实施方案不得超过10页"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        limit = ctx.call.limits.plan_max_pages
        out = []
        for d in counted(of_kind(ctx.documents, "plan")):
            if d.pages > limit:
                text, section = clause(ctx.call, "R13")
                out.append(FindingSpec("plan_over_page_limit", f"实施方案: {_arith(d)}, 超过 {limit} 页",
                                       {"filename": d.filename, "pages": d.pages, "limit": limit,
                                        "arithmetic": _arith(d), "groups": (d.page_detail or {}).get("groups")},
                                       text, section))
        return out


class TotalOverPageLimit:
    name = "total_over_page_limit"
    clause = "申报文件不得超过30页"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        limit = ctx.call.limits.filing_max_pages
        docs = counted(ctx.documents)
        apart = [] if ctx.call.limits.prior_report_counts_toward_total else of_kind(docs, "prior_report")
        inside = [d for d in docs if d not in apart]
        total = sum(d.pages for d in inside)
        if total <= limit:
            return []
        parts = " + ".join(f"{KIND_ZH.get(d.kind, d.kind)} {d.pages}" for d in inside)
        note = f"（2022年执行情况报告 {sum(d.pages for d in apart)} 页另计）" if apart else ""
        text, section = clause(ctx.call, "R14")
        return [FindingSpec("total_over_page_limit", f"申报材料合计: {parts} = {total} 页, 超过 {limit} 页{note}",
                            {"total": total, "limit": limit,
                             "documents": [{"filename": d.filename, "kind": d.kind, "pages": d.pages,
                                            "arithmetic": _arith(d)} for d in inside],
                             "apart": [{"filename": d.filename, "pages": d.pages} for d in apart]},
                            text, section)]


class NonA4Pages:
    name = "non_a4_pages"
    clause = "以A4单版面计算"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        rows = []
        for d in counted(ctx.documents):
            pd = d.page_detail or {}
            if pd.get("non_a4_count"):
                rows.append({"filename": d.filename, "kind": d.kind, "arithmetic": _arith(d),
                             "non_a4_pages": pd.get("non_a4_pages"), "groups": pd.get("groups")})
        if not rows:
            return []
        text, section = clause(ctx.call, "R12")
        lines = "；".join(f"{KIND_ZH.get(r['kind'], r['kind'])}「{r['filename']}」: {r['arithmetic']}" for r in rows)
        return [FindingSpec("non_a4_pages", f"部分页面不是 A4，按面积折算 A4 单版面（A3 计 2 页，"
                            f"通知未明确非 A4 页面如何计算）: {lines}", {"documents": rows}, text, section)]
