"""missing_prior_report: a province with a 2022 project must send its 执行情况报告 (R20)."""
from __future__ import annotations

from core.vocabulary import Severity

from precheck.checks.context import DossierContext
from precheck.checks.common import of_kind
from core.findings import FindingSpec


class MissingPriorReport:
    name = "missing_prior_report"
    scope = "dossier"
    rule = "R20"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.submissions or of_kind(ctx.documents, "prior_report"):
            return []
        rounds = [s for s in ctx.call.selected if s.year in ctx.call.prior_report_rounds]
        if not rounds:
            return []
        known = any(ctx.province in s.provinces_known_to_have_one or
                    any(p == ctx.province for _c, p in s.cities) for s in rounds)
        text, section = ctx.call.clause(self.rule)
        years = "、".join(str(s.year) for s in rounds)
        if known:
            return [FindingSpec("missing_prior_report", f"{ctx.province}已有{years}年示范项目，未找到执行情况报告",
                                {"province": ctx.province, "rounds": [s.year for s in rounds], "list_complete": True},
                                text, section)]
        if all(s.complete for s in rounds):
            return []
        return [FindingSpec("missing_prior_report", f"{years}年入选名单尚不完整，无法确定{ctx.province}是否需要报送执行情况报告；"
                            "未找到执行情况报告，请人工核对",
                            {"province": ctx.province, "rounds": [s.year for s in rounds], "list_complete": False},
                            text, section, Severity.WARNING)]
