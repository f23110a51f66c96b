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
            if seal is None or seal.get("found") is not False:
                continue
            text, section = ctx.call.clause(self.rule)
            pages = "、".join(str(p) for p in seal.get("pages_checked", []))
            out.append(FindingSpec("no_seal_detected", f"{label(d)}第 {pages} 页未检测到红色公章（自动检测，请人工核对）",
                                   {"filename": d.filename, "pages_checked": seal.get("pages_checked", [])},
                                   text, section))
        return out


class SealColourUndecidable:
    """A gray or 1-bit scan cannot show a red seal: say so (review) instead of "no seal"."""

    name = "seal_colour_undecidable"
    scope = "dossier"
    rule = "R03"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        out = []
        for d in of_kind(ctx.documents, "cover_letter"):
            seal = analysis(d).get("seal")
            if seal is None or "found" not in seal or seal.get("found") is not None:
                continue
            text, section = ctx.call.clause(self.rule)
            mode = "黑白" if seal.get("colour") == "bw" else "灰度"
            out.append(FindingSpec("seal_colour_undecidable", f"{label(d)}为{mode}扫描件，无法判断是否加盖红章（请人工核对）",
                                   {"filename": d.filename, "colour": seal.get("colour"),
                                    "pages_checked": seal.get("pages_checked", [])}, text, section))
        return out


ZONE_ZH = {"header": "红头", "title": "标题发文机关", "signature": "落款", "seal": "印章文字"}


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
            j = a.get("joint") or {}
            if j.get("joint") is True:
                continue
            if j.get("joint") is None and ocr_pending(d):
                continue
            how = {"text_layer": "文字层", "ocr": "文字识别(OCR)", "ocr_layer": "扫描件自带文字层"}.get(
                a.get("text_source") or "", "文字识别(OCR)")
            basis = j.get("basis") or {}
            missing = [n for n, k in (("财政部门", "finance"), ("人力资源社会保障部门", "hrss")) if not basis.get(k)]
            if not a.get("text_source"):
                why = "未能识别出文字"
            elif j.get("joint") is None:
                why = f"{how}中未能找到红头、落款或印章上的发文机关"
            else:
                where = "、".join(ZONE_ZH[z] for z in (basis.get("finance") or basis.get("hrss") or []) if z in ZONE_ZH)
                found = j.get("finance") or j.get("hrss") or ""
                why = (f"{how}中红头、落款和印章只有{found}" + (f"（{where}）" if where else "") +
                       f"，未见{'、'.join(missing)}")
            text, section = ctx.call.clause(self.rule)
            out.append(FindingSpec("not_joint_issuance", f"{label(d)}{why}，可能不是联合行文（请人工核对）",
                                   {"filename": d.filename, "missing": missing,
                                    "found": {"finance": j.get("finance"), "hrss": j.get("hrss")}, "basis": basis,
                                    "evidence": j.get("evidence"), "text_source": a.get("text_source")},
                                   text, section))
        return out
