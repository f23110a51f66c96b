"""A submission's own findings (time, sender, imported time), derived by the submission checks and stored."""
from __future__ import annotations

from core.findings_store import replace_findings
from core.services import Services
from models.receipt import Receipt
from models.submission import Submission
from precheck import checks
from precheck.checks import SubmissionContext


async def refresh_submission_findings(services: Services, sub: Submission, receipts: list[Receipt] | None = None) -> None:
    """Re-derive and replace ``sub``'s submission-scope findings (after processing, or an officer's change)."""
    if receipts is None:
        receipts = list(await Receipt.filter(submission_id=sub.id).order_by("received_at", "id"))
    ctx = SubmissionContext(services.call, sub, receipts, sub.attribution)
    specs = checks.run("submission", ctx, subject=sub.ref)
    await replace_findings(scope="submission", submission_id=sub.id, province=sub.province, call_id=sub.call_id,
                           now=services.clock.now(), specs=specs)
