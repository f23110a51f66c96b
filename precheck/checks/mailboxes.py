"""one_mailbox_only: the notice asks for both mailboxes; on time in only one still counts (policy 3)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from core.findings import FindingSpec


class OneMailboxOnly:
    name = "one_mailbox_only"
    scope = "dossier"
    rule = "R05"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.submissions:
            return []
        wanted = {m.key for m in ctx.call.mailboxes}
        got = {r.mailbox for r in ctx.receipts if ctx.call.is_on_time(r.received_at)}
        missing = sorted(wanted - got)
        if not got or not missing:
            return []
        names = "、".join(ctx.call.mailbox(k).address for k in missing)
        return [FindingSpec("one_mailbox_only", f"仅一个邮箱按时收到；未在截止前收到发往 {names} 的邮件"
                            "（通知要求发送两个邮箱，未明确仅发一个是否有效，按已申报处理）",
                            {"received_in": sorted(got), "missing": missing}, *ctx.call.clause(self.rule))]
