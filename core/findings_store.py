"""Record FindingSpecs as Finding rows; derived findings of one scope are replaced, not accumulated."""
from __future__ import annotations

from tortoise.expressions import Q

from core.findings import FindingSpec
from models.finding import Finding


def _row(spec: FindingSpec, **kw) -> Finding:
    return Finding(code=spec.code, severity=spec.severity, message=spec.message, figures=spec.figures or None,
                   clause=spec.clause, section=spec.section, **kw)


async def replace_findings(*, scope: str, now, specs: list[FindingSpec], province: str | None = None,
                           submission_id: int | None = None, receipt_id: int | None = None,
                           document_ids: list[int | None] | None = None, call_id: str | None = None) -> None:
    """Replace the findings of one scope and subject with ``specs`` (document_ids aligns with specs).

    Dossier findings belong to one call (``call_id``): the database keeps every call, and one province's
    dossier of 2023 must not replace its dossier of 2022 (rows written before call_id existed have none)."""
    q = Finding.filter(scope=scope)
    if scope == "dossier":
        q = q.filter(province=province)
        if call_id is not None:
            q = q.filter(Q(call_id=call_id) | Q(call_id__isnull=True))
    elif scope in ("submission", "document"):
        q = q.filter(submission_id=submission_id)
    elif scope == "receipt":
        q = q.filter(receipt_id=receipt_id)
    await q.delete()
    rows = []
    for i, spec in enumerate(specs):
        doc_id = document_ids[i] if document_ids else None
        rows.append(_row(spec, scope=scope, province=province, submission_id=submission_id, receipt_id=receipt_id,
                         document_id=doc_id, call_id=call_id, created_at=now))
    if rows:
        await Finding.bulk_create(rows)
