"""Store a submission's attachments as Document rows (archive first), via the analysis when present."""
from __future__ import annotations

import asyncio
import logging

from config.call import CallConfig
from core.archive import Archive
from core.findings import FindingSpec
from precheck.parse import ParsedMail
from models.submission import Document, Submission

log = logging.getLogger("shenbao.intake.documents")


def kind_from_filename(name: str, call: CallConfig) -> tuple[str | None, str | None]:
    """The first document rule whose keyword appears in the file name (longest keyword wins)."""
    best: tuple[int, str, str] | None = None
    for rule in call.documents:
        for kw in rule.match:
            if kw in name and (best is None or len(kw) > best[0]):
                best = (len(kw), rule.kind, kw)
    return (best[1], best[2]) if best else (None, None)


async def _plain_documents(parsed: ParsedMail, call: CallConfig) -> tuple[list[dict], list[FindingSpec]]:
    out = []
    for a in parsed.attachments:
        kind, kw = kind_from_filename(a.filename, call)
        out.append({"filename": a.filename, "content_type": a.content_type, "data": a.data, "sha256": a.sha256,
                    "parent": None, "kind": kind, "kind_source": "filename" if kind else None,
                    "kind_confidence": 0.6 if kind else None, "kind_evidence": {"keyword": kw} if kw else None,
                    "pages": None, "page_detail": None, "analysis": None, "findings": []})
    return out, []


async def analyse(parsed: ParsedMail, call: CallConfig) -> tuple[list[dict], list[FindingSpec]]:
    """Delegate to ``precheck.analysis`` (unpacking, pages, kinds, per-file findings) when it is installed."""
    try:
        from precheck.analysis import analyse_for_pipeline
    except ImportError:
        return await _plain_documents(parsed, call)
    return await analyse_for_pipeline(parsed, call)


async def store_documents(sub: Submission, parsed: ParsedMail, *, call: CallConfig, archive: Archive,
                          now) -> tuple[list[Document], list[tuple[Document | None, FindingSpec]]]:
    """Create Document rows for a submission once; return them with the findings they carry."""
    existing = await Document.filter(submission_id=sub.id).order_by("id")
    if existing:
        return list(existing), []
    items, sub_findings = await analyse(parsed, call)
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
