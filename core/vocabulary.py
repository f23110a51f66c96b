"""Stable enumerations. Status and finding codes are a public contract (DESIGN.md): never rename."""
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
    SHUNTED = "shunted"      # processing failed; listed by `shenbao shunted`, re-run by `shenbao replay`


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


class Severity(StrEnum):
    ERROR = "error"
    REVIEW = "review"
    WARNING = "warning"
    INFO = "info"


class DocumentKind(StrEnum):
    COVER_LETTER = "cover_letter"
    PLAN = "plan"
    BUDGET = "budget"
    PERFORMANCE_TARGETS = "performance_targets"
    EVIDENCE = "evidence"
    PRIOR_REPORT = "prior_report"
    OTHER = "other"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"        # gave up after max attempts; still listed, never silently dropped
