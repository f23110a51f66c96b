"""unsupported_attachment_type (a file the checks cannot read) and resubmission (a later version replaced one)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from core.vocabulary import kind_zh
from precheck.checks.common import analysis
from core.findings import FindingSpec

READABLE = {"pdf", "image", "office", "archive", "ofd"}


class UnsupportedAttachmentType:
    name = "unsupported_attachment_type"
    scope = "dossier"
    rule = "R12"

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
            text, section = ctx.call.clause(self.rule)
            out.append(FindingSpec("unsupported_attachment_type",
                                   f"附件「{d.filename}」的类型（{a.get('fmt') or ext}）无法自动检查，请人工查看",
                                   {"filename": d.filename, "type": a.get("fmt"), "family": fam}, text, section))
        return out


class Resubmission:
    name = "resubmission"
    scope = "dossier"
    rule = "R08"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        with_docs = [s for s in ctx.submissions if any(d.submission_id == s.id for d in ctx.all_documents)]
        if len(with_docs) < 2:
            return []
        refs = {s.id: getattr(s, "ref", str(s.id)) for s in ctx.submissions}
        current = {d.kind: d for d in ctx.documents}
        first_sub = {}
        for d in ctx.all_documents:                     # oldest first: where each kind first arrived
            first_sub.setdefault(d.kind, d.submission_id)
        replaced, resent, added = [], [], []
        for d in ctx.all_documents:
            cur = current.get(d.kind)
            if cur is None or d.kind == "other" or cur.id == d.id or d.submission_id == cur.submission_id:
                continue
            item = {"kind": d.kind, "old": d.filename, "old_submission": refs.get(d.submission_id),
                    "new": cur.filename, "new_submission": refs.get(cur.submission_id)}
            (resent if d.sha256 == cur.sha256 else replaced).append(item)
        for kind, cur in current.items():
            if kind not in ("other", None) and first_sub.get(kind) == cur.submission_id \
                    and cur.submission_id != with_docs[0].id:
                added.append({"kind": kind, "new": cur.filename, "new_submission": refs.get(cur.submission_id)})
        text, section = ctx.call.clause(self.rule)
        parts = [f"{kind_zh(r['kind'])}: {r['new_submission']}「{r['new']}」取代 "
                 f"{r['old_submission']}「{r['old']}」" for r in replaced]
        parts += [f"{kind_zh(r['kind'])}: {r['new_submission']} 重新发送（内容相同）"
                  for r in {x["kind"]: x for x in resent}.values()]
        parts += [f"{kind_zh(r['kind'])}: {r['new_submission']} 新增「{r['new']}」" for r in added]
        detail = "；".join(parts) if parts else "后一次报送未改变任何材料"
        return [FindingSpec("resubmission", f"按时收到 {len(with_docs)} 次报送，以最新版本为准：{detail}",
                            {"submissions": [refs[s.id] for s in with_docs], "replaced": replaced,
                             "resent_unchanged": resent, "added": added}, text, section)]
