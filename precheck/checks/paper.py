"""paper_copy_missing: the paper version must be sent at the same time as the electronic one (R07)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from core.findings import FindingSpec


class PaperCopyMissing:
    name = "paper_copy_missing"
    scope = "dossier"
    rule = "R07"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.submissions or not ctx.call.paper_copy_required:
            return []
        if ctx.dossier is not None and getattr(ctx.dossier, "paper_copy_date", None):
            return []
        return [FindingSpec("paper_copy_missing", "电子版已按时收到，纸质版尚未登记收到（收到后请处室人员登记）",
                            {}, *ctx.call.clause(self.rule))]
