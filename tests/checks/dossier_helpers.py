"""Store analysed documents as real Submission/Document rows and build the DossierContext the checks see."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from precheck.analysis import analyse_attachments, document_fields
from core.dossier import current_documents
from precheck import checks
from precheck.checks import DossierContext
from precheck.parse import AttachmentPart
from models.submission import Document, Submission

T0 = datetime(2023, 3, 20, 2, 0, tzinfo=timezone.utc)


def att(name: str, data: bytes, ctype: str = "application/octet-stream") -> AttachmentPart:
    return AttachmentPart(name, ctype, data, "")


async def submit(call, province: str, files: list[tuple[str, bytes]], n: int = 1, html: str = "", archive=None):
    """One on-time submission whose attachments are analysed for real and stored as Document rows."""
    at = T0 + timedelta(hours=n)
    sub = await Submission.create(call_id=call.id, group_key=f"mid:<{province}-{n}@test>", province=province,
                                  first_received_at=at, on_time=True, created_at=at, updated_at=at)
    res = await analyse_attachments([att(n_, d) for n_, d in files], html_body=html, call=call)
    rows: list[Document] = []
    for d in res.documents:
        parent = rows[d.parent] if d.parent is not None else None
        rel = archive.put(d.data, "files")[1] if archive is not None else f"att/{d.sha256}"
        rows.append(await Document.create(submission=sub, parent=parent, archive_path=rel,
                                          created_at=at, **document_fields(d)))
    return sub, rows, res


async def context(call, province: str, dossier=None) -> DossierContext:
    """The context ``core.dossier`` builds: on-time submissions, and their current documents by the real rule."""
    subs = list(await Submission.filter(province=province, on_time=True).order_by("first_received_at", "id"))
    all_docs = list(await Document.filter(submission_id__in=[s.id for s in subs]).order_by("id"))
    return DossierContext(call=call, province=province, now=T0 + timedelta(days=1), submissions=subs,
                          documents=current_documents(subs, all_docs), all_documents=all_docs, dossier=dossier)


def run_checks(ctx: DossierContext) -> dict:
    """The findings of the real dossier check tuple, by code."""
    out: dict = {}
    for f in checks.run("dossier", ctx):
        out.setdefault(f.code, []).append(f)
    return out
