"""A submission's attachments as Document rows, in two steps so that no transaction waits on analysis:

    prepared = await prepare_documents(parsed, call=call, archive=archive)   # children analyse, files archived
    docs, findings = await store_documents(sub, prepared, now=now)          # rows only, inside the transaction
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from config.call import CallConfig
from core.archive import Archive
from core.findings import FindingSpec
from precheck.analysis import analyse_for_pipeline
from precheck.parse import ParsedMail
from models.submission import Document, Submission

log = logging.getLogger("shenbao.intake.documents")


@dataclass
class PreparedDocuments:
    items: list[dict]                    # Document fields, ``parent`` an index into items, archived (no bytes)
    findings: list[FindingSpec]          # submission-level (link_only_attachment)


async def prepare_documents(parsed: ParsedMail, *, call: CallConfig, archive: Archive) -> PreparedDocuments:
    """Analyse the attachments (sandboxed children) and archive every file; the bytes are dropped here. A file
    the parse spooled (a large message's attachment) is given to the children as a path and moved into the
    archive: its bytes are never in this process."""
    items, sub_findings = await analyse_for_pipeline(parsed, call)
    for item in items:
        data, path = item.pop("data", None), item.pop("path", None)
        if path is not None:                    # a spooled attachment: renamed into the archive, never read here
            item["sha256"], item["archive_path"] = await asyncio.to_thread(
                archive.put_file, path, "files", "", sha256=item["sha256"], size=item["size"])
        elif data is not None:
            item["sha256"], item["archive_path"] = await asyncio.to_thread(archive.put, data, "files", "")
            item["size"] = item.get("size") or len(data)
    return PreparedDocuments(items, list(sub_findings))


async def store_documents(sub: Submission, prepared: PreparedDocuments | None, *, now
                          ) -> tuple[list[Document], list[tuple[Document | None, FindingSpec]]]:
    """Create the submission's Document rows once; return them with the findings they carry. A submission
    that has its documents already (the other mailbox's copy, a replay) keeps them."""
    existing = await Document.filter(submission_id=sub.id).order_by("id")
    if existing or prepared is None:
        return list(existing), []
    docs: list[Document] = []
    findings: list[tuple[Document | None, FindingSpec]] = [(None, f) for f in prepared.findings]
    for item in prepared.items:
        parent = item.get("parent")
        doc = await Document.create(
            submission_id=sub.id, parent_id=docs[parent].id if isinstance(parent, int) else None,
            filename=item["filename"][:512], content_type=item.get("content_type"), sha256=item["sha256"],
            size=item.get("size") or 0, archive_path=item["archive_path"],
            kind=item.get("kind"), kind_source=item.get("kind_source"), kind_confidence=item.get("kind_confidence"),
            kind_evidence=item.get("kind_evidence"), pages=item.get("pages"), page_detail=item.get("page_detail"),
            analysis=item.get("analysis"), created_at=now)
        docs.append(doc)
        findings.extend((doc, f) for f in item.get("findings", []))
    log.info("%s: stored %d documents", sub.ref, len(docs))
    return docs, findings
