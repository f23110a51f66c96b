"""unreadable_attachment (a file that is corrupt, encrypted, over a limit, or not what its name claims) and
link_only_attachment (a 163 "超大附件" link in the body instead of a MIME part). A file type the checks
cannot read at all is the dossier check ``unsupported_attachment_type``."""
from __future__ import annotations

from core.findings import FindingSpec
from precheck.checks.context import DocumentContext, MessageContext

# extensions whose content the analysis reads: a file named so but holding something else is unreadable
CLAIMED = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "jpg", "jpeg", "png", "tif", "tiff", "zip", "rar", "7z"}
_WHAT = {"html": "HTML 网页", "text": "纯文本", "ofd": "OFD 版式文件"}


class UnreadableAttachment:
    name = "unreadable_attachment"
    scope = "document"
    rule = "R12"

    def check(self, ctx: DocumentContext) -> list[FindingSpec]:
        doc = ctx.document
        a = doc.analysis or {}
        reasons = list(a.get("problems") or [])
        ext = doc.filename.rsplit(".", 1)[-1].lower() if "." in doc.filename else ""
        family = a.get("family")
        if a.get("error"):
            reasons.append(a["error"])
        elif family == "empty":
            reasons.append("空文件（0 字节）")
        elif family not in ("pdf", "image", "office", "archive", None) and ext in CLAIMED:
            a["claimed_type"] = ext
            reasons.append(f"文件扩展名为 .{ext}，但内容是{_WHAT.get(family, '无法识别的内容')}")
        text, section = ctx.call.clause(self.rule)
        return [FindingSpec("unreadable_attachment", f"附件「{doc.filename}」无法读取：{r}",
                            {"filename": doc.filename, "reason": r, "size": doc.size}, text, section)
                for r in dict.fromkeys(reasons)]


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
