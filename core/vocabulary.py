"""The stable vocabulary: statuses, severities, document kinds and their Chinese labels, in one place.

A public contract (DESIGN.md: JSON export, digest, chat): never rename a code. Pure (standard library
only), so every layer may import it — models for its columns, precheck for its checks, bot for its words.
Finding codes are ``core.findings``.
"""
from enum import StrEnum


class Source(StrEnum):
    IMAP = "imap"
    SMTP = "smtp"
    IMPORT = "import"


class TimeSource(StrEnum):
    """Where a receipt's ``received_at`` came from."""
    IMAP_INTERNALDATE = "imap_internaldate"
    SMTP_END_OF_DATA = "smtp_end_of_data"
    RECEIVED_HEADER = "received_header"
    OPERATOR = "operator"


class ReceiptStatus(StrEnum):
    RECEIVED = "received"    # durable, not yet processed
    PROCESSED = "processed"
    SHUNTED = "shunted"      # processing failed for good; listed by `shenbao shunted`, re-run by `shenbao replay`
    RETRYING = "retrying"    # processing failed transiently (storage, database); retried with backoff by itself


class ProvinceStatus(StrEnum):
    NOT_FILED = "not_filed"  # 未申报
    FILED = "filed"          # 已申报
    LATE = "late"            # 逾期视为未申报 (only late submissions)


PROVINCE_STATUS_ZH = {
    ProvinceStatus.NOT_FILED: "未申报",
    ProvinceStatus.FILED: "已申报",
    ProvinceStatus.LATE: "逾期视为未申报",
}

UNIDENTIFIED = "unidentified"


class SenderTrust(StrEnum):
    """How far a submission's sender is trusted (DESIGN.md policy 8). A trust dimension beside the status:
    the public status codes stay ``filed`` / ``late`` / ``not_filed``."""
    VERIFIED = "verified"        # a registered sender, and the mail is authenticated (aligned DKIM / trusted A-R)
    REGISTERED = "registered"    # a registered sender, the mail not authenticated (From: could be forged)
    UNKNOWN = "unknown"          # not a registered sender (province inferred from subject, names or text)
    OFFICER = "officer"          # an officer accepted it (assign / confirm): audited, ranks as verified


SENDER_TRUST_ZH = {SenderTrust.VERIFIED: "已登记且已认证的发件人", SenderTrust.REGISTERED: "已登记发件人（邮件未认证）",
                   SenderTrust.UNKNOWN: "未登记发件人（来源待核实）", SenderTrust.OFFICER: "处室已确认"}
TRUST_RANK = {SenderTrust.UNKNOWN: 0, SenderTrust.REGISTERED: 1, SenderTrust.VERIFIED: 2, SenderTrust.OFFICER: 2}
FILED_UNCONFIRMED_ZH = "已申报（来源待核实）"


def trust_rank(trust: str | None) -> int:
    """Rank of a submission's trust; rows recorded before trust existed rank as registered."""
    return TRUST_RANK.get(trust, 1) if trust else 1


def status_label(status: str, trust: str | None) -> str:
    """A province's status for people: ``filed`` established only by unregistered senders reads
    已申报（来源待核实）; every other case is the plain label of the public code."""
    st = ProvinceStatus(status)
    if st is ProvinceStatus.FILED and trust == SenderTrust.UNKNOWN:
        return FILED_UNCONFIRMED_ZH
    return PROVINCE_STATUS_ZH[st]


class Severity(StrEnum):
    ERROR = "error"
    REVIEW = "review"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ZH = {Severity.ERROR: "错误", Severity.REVIEW: "待复核", Severity.WARNING: "提醒", Severity.INFO: "说明"}
SEVERITY_ORDER = (Severity.ERROR, Severity.REVIEW, Severity.WARNING, Severity.INFO)


def severity_rank(severity: str) -> int:
    """0 for error … 3 for info; unknown values last."""
    order = [s.value for s in SEVERITY_ORDER]
    return order.index(severity) if severity in order else len(order)


class DocumentKind(StrEnum):
    COVER_LETTER = "cover_letter"
    PLAN = "plan"
    BUDGET = "budget"
    PERFORMANCE_TARGETS = "performance_targets"
    EVIDENCE = "evidence"
    PRIOR_REPORT = "prior_report"
    OTHER = "other"


KIND_ZH = {DocumentKind.COVER_LETTER: "申报文件", DocumentKind.PLAN: "实施方案", DocumentKind.BUDGET: "资金预算表",
           DocumentKind.PERFORMANCE_TARGETS: "绩效目标表", DocumentKind.EVIDENCE: "佐证材料",
           DocumentKind.PRIOR_REPORT: "2022年执行情况报告", DocumentKind.OTHER: "其他材料"}


def kind_zh(kind: str | None) -> str:
    """The Chinese name of a document kind ("未识别类型" for none, the code itself for an unknown one)."""
    if kind is None:
        return "未识别类型"
    return KIND_ZH.get(kind, kind)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"        # gave up after max attempts; still listed, never silently dropped
