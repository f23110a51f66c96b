"""not_scanned, no_seal_detected, not_joint_issuance: the cover letter is a sealed scan of a joint document."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from precheck.checks.common import analysis, label, of_kind, ocr_pending
from core.findings import FindingSpec


class NotScanned:
    name = "not_scanned"
    scope = "dossier"
    rule = "R03"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        out = []
        for d in of_kind(ctx.documents, "cover_letter"):
            a = analysis(d)
            if a.get("family") in ("pdf", "office") and a.get("text_pages") and not a.get("scan_pages"):
                text, section = ctx.call.clause(self.rule)
                out.append(FindingSpec("not_scanned", f"{label(d)}是电子文本（有文字层、无扫描页面），"
                                       "不是盖章版文件的扫描件", {"filename": d.filename, "text_pages": a.get("text_pages"),
                                                           "scan_pages": a.get("scan_pages", 0)}, text, section))
        return out


class NoSealDetected:
    name = "no_seal_detected"
    scope = "dossier"
    rule = "R03"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        out = []
        for d in of_kind(ctx.documents, "cover_letter"):
            seal = analysis(d).get("seal")
            if seal is None or seal.get("found"):
                continue
            text, section = ctx.call.clause(self.rule)
            pages = "、".join(str(p) for p in seal.get("pages_checked", []))
            out.append(FindingSpec("no_seal_detected", f"{label(d)}第 {pages} 页未检测到红色公章（自动检测，请人工核对）",
                                   {"filename": d.filename, "pages_checked": seal.get("pages_checked", [])},
                                   text, section))
        return out


class NotJointIssuance:
    name = "not_joint_issuance"
    scope = "dossier"
    rule = "R01"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        out = []
        for d in of_kind(ctx.documents, "cover_letter"):
            a = analysis(d)
            if not a.get("text_source") and ocr_pending(d):
                continue                     # a scan waiting for OCR: decided when the text is in
            dept = a.get("departments") or {}
            missing = [n for n, k in (("财政部门", "finance"), ("人力资源社会保障部门", "hrss")) if not dept.get(k)]
            if not missing:
                continue
            how = "文字层" if a.get("text_source") == "text_layer" else "文字识别(OCR)"
            why = "未能识别出文字" if not a.get("text_source") else f"{how}中未找到{'、'.join(missing)}的名称"
            text, section = ctx.call.clause(self.rule)
            out.append(FindingSpec("not_joint_issuance", f"{label(d)}{why}，可能不是联合行文（请人工核对）",
                                   {"filename": d.filename, "missing": missing, "found": dept,
                                    "text_source": a.get("text_source")}, text, section))
        return out
