"""EXTRA_CHECKS: every dossier check of the formal pre-check, in the order findings are listed."""
from precheck.checks.attachments import Resubmission, UnsupportedAttachmentType
from precheck.checks.cities import CityPreviouslySelected, QuotaExceeded
from precheck.checks.cover_letter import NoSealDetected, NotJointIssuance, NotScanned
from precheck.checks.money_time import PeriodLimit, SubsidyCap
from precheck.checks.pages import NonA4Pages, PlanOverPageLimit, TotalOverPageLimit
from precheck.checks.prior_report import MissingPriorReport
from precheck.checks.required import RequiredDocuments

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
