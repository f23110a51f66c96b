"""unreadable_attachment (a file that is corrupt, encrypted, over a limit, or not what its name claims) and
link_only_attachment (a 163 "超大附件" link in the body instead of a MIME part). A file type the checks
cannot read at all is the dossier check ``unsupported_attachment_type``."""
from __future__ import annotations

from core.findings import FindingSpec
from precheck.checks.context import DocumentContext, MessageContext

# extensions whose content the analysis reads: a file named so but holding something else is unreadable
CLAIMED = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "jpg", "jpeg", "png", "tif", "tiff", "zip", "rar", "7z"}
_WHAT = {"html": "HTML 网页", "text": "纯文本", "ofd": "OFD 版式文件"}


# a problem's kind (precheck.files.problems) -> the finding that names it
CODE_OF_KIND = {"encrypted": "encrypted_attachment", "volume_missing": "split_archive_incomplete"}


def _problems(a: dict, family, ext: str) -> list[dict]:
    out = [p if isinstance(p, dict) else {"kind": "corrupt", "message": str(p)} for p in a.get("problems") or []]
    if a.get("error"):
        out.append({"kind": a.get("error_kind") or "corrupt", "message": a["error"]})
    elif family == "empty":
        out.append({"kind": "empty", "message": "空文件（0 字节）"})
    elif family not in ("pdf", "image", "office", "archive", "ofd", None) and ext in CLAIMED:
        a["claimed_type"] = ext
        out.append({"kind": "mislabelled", "message": f"文件扩展名为 .{ext}，但内容是{_WHAT.get(family, '无法识别的内容')}"})
    return out


class UnreadableAttachment:
    """Every problem a file or container has, as a finding: ``encrypted_attachment`` (a password is needed),
    ``split_archive_incomplete`` (volumes missing, named), else ``unreadable_attachment``."""
    name = "unreadable_attachment"
    scope = "document"
    rule = "R12"

    def check(self, ctx: DocumentContext) -> list[FindingSpec]:
        doc = ctx.document
        a = doc.analysis or {}
        ext = doc.filename.rsplit(".", 1)[-1].lower() if "." in doc.filename else ""
        text, section = ctx.call.clause(self.rule)
        out, seen = [], set()
        for p in _problems(a, a.get("family"), ext):
            msg = p["message"]
            if msg in seen:
                continue
            seen.add(msg)
            code = CODE_OF_KIND.get(p.get("kind"), "unreadable_attachment")
            if code == "split_archive_incomplete":
                message = f"附件「{doc.filename}」：{msg}"
            elif code == "encrypted_attachment":
                message = f"附件「{doc.filename}」{'中有文件' if p.get('member') else ''}已加密：{msg}。请联系报送单位提供未加密的文件"
            else:
                message = f"附件「{doc.filename}」无法读取：{msg}"
            figures = {"filename": doc.filename, "reason": msg, "size": doc.size, "kind": p.get("kind")}
            if p.get("member"):
                figures["member"] = p["member"]
            if code == "split_archive_incomplete":
                figures.update(volumes_present=a.get("volumes_present"), volumes_total=a.get("volumes_total"))
            out.append(FindingSpec(code, message, figures, text, section))
        return out


class ElectronicSealInvalid:
    """An OFD's electronic seal that no longer verifies: the file was changed after it was sealed."""
    name = "electronic_seal_invalid"
    scope = "document"
    rule = "R03"

    def check(self, ctx: DocumentContext) -> list[FindingSpec]:
        doc = ctx.document
        sigs = (doc.analysis or {}).get("signatures") or []
        bad = [s for s in sigs if s.get("changed") or s.get("references_ok") is False
               or s.get("data_hash_ok") is False or s.get("signature_ok") is False]
        if not bad:
            return []
        text, section = ctx.call.clause(self.rule)
        s = bad[0]
        return [FindingSpec("electronic_seal_invalid",
                            f"附件「{doc.filename}」的电子签章「{s.get('seal_name') or s.get('signer') or '未命名'}」"
                            f"核验未通过：{s.get('verdict')}（自动核验，请人工核对）",
                            {"filename": doc.filename, "signatures": bad}, text, section)]


class ForwardedMail:
    """The mail was forwarded: who forwarded it and whose mail it was (the province may be the original's)."""
    name = "forwarded_mail"
    scope = "message"
    rule = "R05"

    def check(self, ctx: MessageContext) -> list[FindingSpec]:
        from precheck.forwarded import Forward

        out = []
        for f in ctx.forwarded[:3]:
            fw = Forward(f.get("how", "attached"), f.get("original_from"), f.get("original_name") or "",
                         f.get("original_subject") or "", f.get("original_date"), f.get("original_message_id"))
            text, section = ctx.call.clause(self.rule)
            out.append(FindingSpec("forwarded_mail", fw.describe(f.get("by")), dict(f), text, section))
        return out


class LinkOnlyAttachment:
    name = "link_only_attachment"
    scope = "message"
    rule = "R05"

    def check(self, ctx: MessageContext) -> list[FindingSpec]:
        if not ctx.links:
            return []
        names = "、".join(f"{lk['filename']}（{lk['size']}，{lk['expiry']}）" for lk in ctx.links)
        text, section = ctx.call.clause(self.rule)
        return [FindingSpec("link_only_attachment",
                            f"邮件正文含 {len(ctx.links)} 个“超大附件”下载链接：{names}。本系统不下载，请经办人员及时下载并核对"
                            "（通知未明确以链接方式发送是否视为已发送邮箱）", {"links": ctx.links}, text, section)]
