"""EXTRA_CHECKS: every dossier check of the formal pre-check, in the order findings are listed."""
from intake.checks.attachments import Resubmission, UnsupportedAttachmentType
from intake.checks.cities import CityPreviouslySelected, QuotaExceeded
from intake.checks.cover_letter import NoSealDetected, NotJointIssuance, NotScanned
from intake.checks.money_time import PeriodLimit, SubsidyCap
from intake.checks.pages import NonA4Pages, PlanOverPageLimit, TotalOverPageLimit
from intake.checks.prior_report import MissingPriorReport
from intake.checks.required import RequiredDocuments

EXTRA_CHECKS = (
    RequiredDocuments(),
    MissingPriorReport(),
    PlanOverPageLimit(),
    TotalOverPageLimit(),
    NonA4Pages(),
    NotScanned(),
    NoSealDetected(),
    NotJointIssuance(),
    QuotaExceeded(),
    CityPreviouslySelected(),
    SubsidyCap(),
    PeriodLimit(),
    UnsupportedAttachmentType(),
    Resubmission(),
)
