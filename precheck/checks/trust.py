"""unconfirmed_submission_not_applied: a less trusted on-time submission did not replace what a more trusted
one established (DESIGN.md policy 8); it waits for an officer (确认 / 归属 command)."""
from __future__ import annotations

from core.findings import FindingSpec
from core.vocabulary import SENDER_TRUST_ZH, SenderTrust
from precheck.checks.context import DossierContext


def _trust_zh(trust: str | None) -> str:
    try:
        return SENDER_TRUST_ZH[SenderTrust(trust)]
    except ValueError:
        return "未判定"


class UnconfirmedNotApplied:
    name = "unconfirmed_submission_not_applied"
    scope = "dossier"
    rule = ""

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if not ctx.held_submissions or not ctx.submissions:
            return []
        applied = {getattr(s, "sender_trust", None) for s in ctx.submissions}
        out = []
        for s in ctx.held_submissions:
            ref = getattr(s, "ref", str(s.id))
            out.append(FindingSpec(
                "unconfirmed_submission_not_applied",
                f"{ref}（发件人 {s.sender or '（无）'}：{_trust_zh(s.sender_trust)}）按时到达，但现有材料来自"
                f"{'、'.join(sorted(_trust_zh(t) for t in applied))}的报送，其材料未替换现有材料；请核实后用"
                f"“确认 {ref}”采用，或“归属”命令处理",
                {"submission": ref, "sender": s.sender, "sender_trust": s.sender_trust,
                 "applied_trust": sorted(t for t in applied if t)}))
        return out
