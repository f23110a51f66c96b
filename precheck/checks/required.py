"""missing_cover_letter / missing_plan / missing_budget / missing_performance_targets / missing_evidence."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from precheck.checks.common import of_kind
from core.findings import FindingSpec

KIND_RULE = {"cover_letter": "R01", "plan": "R08", "budget": "R08", "performance_targets": "R08", "evidence": "R08"}


class RequiredDocuments:
    name = "required_documents"
    scope = "dossier"
    rule = "R08"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.submissions:
            return []
        out = []
        for rule in ctx.call.documents:
            if rule.required is not True or rule.kind not in KIND_RULE or of_kind(ctx.documents, rule.kind):
                continue
            text, section = ctx.call.clause(KIND_RULE[rule.kind])
            out.append(FindingSpec(f"missing_{rule.kind}", f"未找到{rule.name}（按文件名、首页标题和内容识别；"
                                   "如识别有误，经办人员可更正文件类型）",
                                   {"kind": rule.kind, "name": rule.name,
                                    "documents": [d.filename for d in ctx.documents]}, text, section))
        return out
