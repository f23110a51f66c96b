"""plan_over_page_limit, total_over_page_limit, non_a4_pages: A4 single-sided equivalents (policy 4)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from core.vocabulary import kind_zh
from precheck.checks.common import counted, of_kind
from core.findings import FindingSpec


def _arith(doc) -> str:
    return (doc.page_detail or {}).get("arithmetic") or f"{doc.pages} 页"


class PlanOverPageLimit:
    name = "plan_over_page_limit"
    scope = "dossier"
    rule = "R13"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        limit = ctx.call.limits.plan_max_pages
        out = []
        for d in counted(of_kind(ctx.documents, "plan")):
            if d.pages > limit:
                text, section = ctx.call.clause(self.rule)
                out.append(FindingSpec("plan_over_page_limit", f"实施方案: {_arith(d)}, 超过 {limit} 页",
                                       {"filename": d.filename, "pages": d.pages, "limit": limit,
                                        "arithmetic": _arith(d), "groups": (d.page_detail or {}).get("groups")},
                                       text, section))
        return out


class TotalOverPageLimit:
    name = "total_over_page_limit"
    scope = "dossier"
    rule = "R14"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        limit = ctx.call.limits.filing_max_pages
        docs = counted(ctx.documents)
        apart = [] if ctx.call.limits.prior_report_counts_toward_total else of_kind(docs, "prior_report")
        inside = [d for d in docs if d not in apart]
        total = sum(d.pages for d in inside)
        if total <= limit:
            return []
        parts = " + ".join(f"{kind_zh(d.kind)} {d.pages}" for d in inside)
        note = f"（2022年执行情况报告 {sum(d.pages for d in apart)} 页另计）" if apart else ""
        text, section = ctx.call.clause(self.rule)
        return [FindingSpec("total_over_page_limit", f"申报材料合计: {parts} = {total} 页, 超过 {limit} 页{note}",
                            {"total": total, "limit": limit,
                             "documents": [{"filename": d.filename, "kind": d.kind, "pages": d.pages,
                                            "arithmetic": _arith(d)} for d in inside],
                             "apart": [{"filename": d.filename, "pages": d.pages} for d in apart]},
                            text, section)]


class NonA4Pages:
    name = "non_a4_pages"
    scope = "dossier"
    rule = "R12"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        rows = []
        for d in counted(ctx.documents):
            pd = d.page_detail or {}
            if pd.get("non_a4_count"):
                rows.append({"filename": d.filename, "kind": d.kind, "arithmetic": _arith(d),
                             "non_a4_pages": pd.get("non_a4_pages"), "groups": pd.get("groups")})
        if not rows:
            return []
        text, section = ctx.call.clause(self.rule)
        lines = "；".join(f"{kind_zh(r['kind'])}「{r['filename']}」: {r['arithmetic']}" for r in rows)
        return [FindingSpec("non_a4_pages", f"部分页面不是 A4，按面积折算 A4 单版面（A3 计 2 页，"
                            f"通知未明确非 A4 页面如何计算）: {lines}", {"documents": rows}, text, section)]
