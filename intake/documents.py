"""Store a submission's attachments as Document rows (archive first), as ``precheck.analysis`` found them."""
from __future__ import annotations

import asyncio
import logging

from config.call import CallConfig
from core.archive import Archive
from core.findings import FindingSpec
from precheck.analysis import analyse_for_pipeline
from precheck.parse import ParsedMail
from models.submission import Document, Submission

log = logging.getLogger("shenbao.intake.documents")


async def store_documents(sub: Submission, parsed: ParsedMail, *, call: CallConfig, archive: Archive,
                          now) -> tuple[list[Document], list[tuple[Document | None, FindingSpec]]]:
    """Create Document rows for a submission once; return them with the findings they carry."""
    existing = await Document.filter(submission_id=sub.id).order_by("id")
    if existing:
        return list(existing), []
    items, sub_findings = await analyse_for_pipeline(parsed, call)
    docs: list[Document] = []
    findings: list[tuple[Document | None, FindingSpec]] = [(None, f) for f in sub_findings]
    for item in items:
        data = item.get("data")
        if data is not None:
            sha, rel = await asyncio.to_thread(archive.put, data, "files", "")
        else:
            sha, rel = item["sha256"], item["archive_path"]
        parent = item.get("parent")
        doc = await Document.create(
            submission_id=sub.id, parent_id=docs[parent].id if isinstance(parent, int) else None,
            filename=item["filename"][:512], content_type=item.get("content_type"), sha256=sha,
            size=item.get("size") or (len(data) if data is not None else 0), archive_path=rel,
            kind=item.get("kind"), kind_source=item.get("kind_source"), kind_confidence=item.get("kind_confidence"),
            kind_evidence=item.get("kind_evidence"), pages=item.get("pages"), page_detail=item.get("page_detail"),
            analysis=item.get("analysis"), created_at=now)
        docs.append(doc)
        findings.extend((doc, f) for f in item.get("findings", []))
    log.info("%s: stored %d documents", sub.ref, len(docs))
    return docs, findings
