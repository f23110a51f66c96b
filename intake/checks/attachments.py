"""unsupported_attachment_type (a file the checks cannot read) and resubmission (a later version replaced one)."""
from __future__ import annotations

from intake.checks import DossierContext
from intake.checks.common import KIND_ZH, analysis, clause
from intake.findings import FindingSpec

READABLE = {"pdf", "image", "office", "archive"}


class UnsupportedAttachmentType:
    name = "unsupported_attachment_type"
    clause = "（含全部电子文档，以A4单版面计算"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        out = []
        for d in ctx.all_documents:
            a = analysis(d)
            fam = a.get("family")
            if fam is None or fam in READABLE or a.get("error") or fam == "empty":
                continue
            ext = d.filename.rsplit(".", 1)[-1].lower() if "." in d.filename else ""
            if a.get("claimed_type"):
                continue                     # a mislabelled file is unreadable_attachment, not this
            note = "（OFD 版式文件暂不支持自动读取）" if fam == "ofd" else ""
            text, section = clause(ctx.call, "R12")
            out.append(FindingSpec("unsupported_attachment_type",
                                   f"附件「{d.filename}」的类型（{a.get('fmt') or ext}）无法自动检查{note}，请人工查看",
                                   {"filename": d.filename, "type": a.get("fmt"), "family": fam}, text, section))
        return out


class Resubmission:
    name = "resubmission"
    clause = "申报文件应附实施方案、资金预算表、中央对地方转移支付项目绩效目标表，以及必要的佐证材料等"
    section = "二（三）"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        if len(ctx.submissions) < 2:
            return []
        refs = {s.id: getattr(s, "ref", str(s.id)) for s in ctx.submissions}
        current = {d.kind: d for d in ctx.documents}
        replaced = []
        for d in ctx.all_documents:
            cur = current.get(d.kind)
            if cur is None or d.kind == "other" or cur.id == d.id or d.submission_id == cur.submission_id:
                continue
            if d.sha256 == cur.sha256:
                continue
            replaced.append({"kind": d.kind, "old": d.filename, "old_submission": refs.get(d.submission_id),
                             "new": cur.filename, "new_submission": refs.get(cur.submission_id)})
        if not replaced:
            return []
        text, section = clause(ctx.call, "R08")
        lines = "；".join(f"{KIND_ZH.get(r['kind'], r['kind'])}: {r['new_submission']}「{r['new']}」取代 "
                         f"{r['old_submission']}「{r['old']}」" for r in replaced)
        return [FindingSpec("resubmission", f"按时收到 {len(ctx.submissions)} 次报送，以最新版本为准：{lines}",
                            {"submissions": list(refs.values()), "replaced": replaced}, text, section)]
