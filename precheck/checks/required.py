"""missing_cover_letter / missing_plan / missing_budget / missing_performance_targets / missing_evidence."""
from __future__ import annotations

from precheck.checks import DossierContext
from precheck.checks.common import clause, of_kind
from core.findings import FindingSpec

KIND_RULE = {"cover_letter": "R01", "plan": "R08", "budget": "R08", "performance_targets": "R08", "evidence": "R08"}


class RequiredDocuments:
    name = "required_documents"
    clause = "申报文件应附实施方案、资金预算表、中央对地方转移支付项目绩效目标表，以及必要的佐证材料等"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.submissions:
            return []
        out = []
        for rule in ctx.call.documents:
            if rule.required is not True or rule.kind not in KIND_RULE or of_kind(ctx.documents, rule.kind):
                continue
            text, section = clause(ctx.call, KIND_RULE[rule.kind])
            out.append(FindingSpec(f"missing_{rule.kind}", f"未找到{rule.name}（按文件名、首页标题和内容识别；"
                                   "如识别有误，经办人员可更正文件类型）",
                                   {"kind": rule.kind, "name": rule.name,
                                    "documents": [d.filename for d in ctx.documents]}, text, section))
        return out
