"""Finding codes and severities (DESIGN.md: a public contract), and the value a check returns."""
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
}

SEVERITY_ZH = {Severity.ERROR: "错误", Severity.REVIEW: "待复核", Severity.WARNING: "提醒", Severity.INFO: "说明"}
SEVERITY_ORDER = (Severity.ERROR, Severity.REVIEW, Severity.WARNING, Severity.INFO)


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
