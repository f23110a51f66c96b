"""Finding codes: each code's severity and short Chinese label (DESIGN.md: a public contract), and
FindingSpec, the value a check returns. Pure: imports only ``core.vocabulary``."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.vocabulary import Severity

SEVERITY: dict[str, Severity] = {
    "late_arrival": Severity.ERROR,
    "borderline_sent_before_deadline": Severity.REVIEW,
    "one_mailbox_only": Severity.WARNING,
    "missing_cover_letter": Severity.ERROR,
    "missing_plan": Severity.ERROR,
    "missing_budget": Severity.ERROR,
    "missing_performance_targets": Severity.ERROR,
    "missing_evidence": Severity.WARNING,
    "missing_prior_report": Severity.ERROR,
    "plan_over_page_limit": Severity.ERROR,
    "total_over_page_limit": Severity.ERROR,
    "non_a4_pages": Severity.INFO,
    "not_scanned": Severity.WARNING,
    "no_seal_detected": Severity.WARNING,
    "not_joint_issuance": Severity.WARNING,
    "quota_exceeded": Severity.ERROR,
    "city_previously_selected": Severity.ERROR,
    "subsidy_over_cap": Severity.ERROR,
    "subsidy_unreadable": Severity.REVIEW,
    "period_over_limit": Severity.ERROR,
    "period_unreadable": Severity.REVIEW,
    "unreadable_attachment": Severity.REVIEW,
    "link_only_attachment": Severity.REVIEW,
    "unsupported_attachment_type": Severity.WARNING,
    "unknown_sender": Severity.REVIEW,
    "resubmission": Severity.INFO,
    "paper_copy_missing": Severity.WARNING,
    # system findings beyond the DESIGN table (documented in the README)
    "time_from_received_header": Severity.REVIEW,
    "time_set_by_operator": Severity.REVIEW,
    # sender trust, time sanity and folders (issue 12; docs/deploy.md lists them)
    "sender_unauthenticated": Severity.INFO,
    "sender_authentication_failed": Severity.REVIEW,
    "unconfirmed_submission_not_applied": Severity.REVIEW,
    "arrival_time_inconsistent": Severity.REVIEW,
    "found_outside_inbox": Severity.INFO,
    # file problems beyond the DESIGN table (issue 14; docs/deploy.md §13)
    "encrypted_attachment": Severity.REVIEW,
    "split_archive_incomplete": Severity.REVIEW,
    "electronic_seal_invalid": Severity.REVIEW,
    "forwarded_mail": Severity.INFO,
    "seal_colour_undecidable": Severity.REVIEW,
}

CODE_ZH = {
    "late_arrival": "截止后到达", "borderline_sent_before_deadline": "发送时间在截止前、到达在截止后",
    "one_mailbox_only": "只发到一个邮箱", "missing_cover_letter": "缺申报文件", "missing_plan": "缺实施方案",
    "missing_budget": "缺资金预算表", "missing_performance_targets": "缺绩效目标表", "missing_evidence": "缺佐证材料",
    "missing_prior_report": "缺2022年执行情况报告", "plan_over_page_limit": "实施方案超页",
    "total_over_page_limit": "合计超页", "non_a4_pages": "含非A4页面", "not_scanned": "申报文件非扫描件",
    "no_seal_detected": "未见印章", "not_joint_issuance": "未联合行文", "quota_exceeded": "推荐城市超名额",
    "city_previously_selected": "城市已入选过", "subsidy_over_cap": "补助超上限", "subsidy_unreadable": "补助金额待核",
    "period_over_limit": "实施期超限", "period_unreadable": "实施期待核", "unreadable_attachment": "附件无法读取",
    "link_only_attachment": "超大附件链接", "unsupported_attachment_type": "附件类型无法检查",
    "unknown_sender": "发件人未登记", "resubmission": "重新报送", "paper_copy_missing": "纸质版未登记",
    "time_from_received_header": "到达时间取自Received头", "time_set_by_operator": "到达时间由人工设定",
    "sender_unauthenticated": "发件人未认证", "sender_authentication_failed": "发件人认证失败（疑似冒用）",
    "unconfirmed_submission_not_applied": "待确认报送未替换材料", "arrival_time_inconsistent": "到达时间与邮件头矛盾",
    "found_outside_inbox": "在收件箱以外的文件夹中",
    "encrypted_attachment": "附件已加密", "split_archive_incomplete": "分卷压缩包不全",
    "electronic_seal_invalid": "电子签章无效", "forwarded_mail": "转发邮件",
    "seal_colour_undecidable": "黑白扫描无法判断红章",
}
MISSING_KIND = {f"missing_{k}": k for k in ("cover_letter", "plan", "budget", "performance_targets", "evidence",
                                            "prior_report")}


def code_zh(code: str) -> str:
    """A finding code's short Chinese label (the code itself for one without a label)."""
    return CODE_ZH.get(code, code)


@dataclass(frozen=True)
class FindingSpec:
    """A check's result before it is recorded: stable code, Chinese message, figures, clause."""

    code: str
    message: str
    figures: dict = field(default_factory=dict)
    clause: str | None = None
    section: str | None = None
    severity_override: Severity | None = None

    @property
    def severity(self) -> Severity:
        return self.severity_override or SEVERITY[self.code]

    def __post_init__(self) -> None:
        if self.code not in SEVERITY:
            raise ValueError(f"unknown finding code {self.code!r}; add it to core.findings.SEVERITY")
