"""The entry the pipeline calls: MIME attachments in, documents to store (with kinds, pages, facts) out.

    result = await analyse_attachments(parsed.attachments, html_body=parsed.html_body, call=call)
    for d in result.documents: ...   # AnalysedDocument; d.parent is an index into result.documents
    result.findings                  # submission-level FindingSpecs (link_only_attachment)

Every file is parsed in a sandboxed child (``precheck.sandbox``): a bomb, a hang or a crash becomes an
``unreadable_attachment`` finding on that document. What is read and how facts combine: ``precheck.reading``.
OCR is not done here: ``ocr_document`` is called later by the background step (``intake.ocr_backlog``).
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field

from config.call import CallConfig
from precheck import sandbox
from precheck.files.file_ref import FileRef
from precheck.files.links import large_attachment_links
from precheck.files.sniff import sniff, sniff_file
from precheck.files.problems import explain
from precheck.files.unpack import UnpackLimits
from precheck.files.volumes import find_sets, volume_name
from core.findings import FindingSpec
from precheck import checks
from precheck.checks.context import DocumentContext, MessageContext
from precheck.reading.intake import apply_reading
from precheck.reading.ocr_read import ocr_round

log = logging.getLogger("shenbao.precheck.analysis")

MAX_DOCUMENTS = 300


def _task(name: str) -> sandbox.Named:
    """A function of ``precheck.files.tasks``, by name: the children run it; this process never imports the
    parsers (cv2, numpy, pdfium, pikepdf, libarchive — about 70 MiB resident in each process that does)."""
    return sandbox.Named("precheck.files.tasks", name)


@dataclass
class AnalysedDocument:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str
    size: int
    parent: int | None = None            # index into AnalysisResult.documents (archive member)
    member_path: str | None = None       # path inside the parent archive
    kind: str = "other"
    kind_source: str = "none"
    kind_confidence: float = 0.0
    kind_evidence: dict = field(default_factory=dict)
    pages: int | None = None             # A4 single-sided equivalents (policy 4)
    page_detail: dict | None = None
    analysis: dict = field(default_factory=dict)
    findings: list[FindingSpec] = field(default_factory=list)
    path: str | None = None              # the bytes are in this file (``data`` is empty): a spooled attachment

    def read(self) -> bytes:
        return FileRef(self.path).read() if self.path is not None else self.data


@dataclass
class AnalysisResult:
    documents: list[AnalysedDocument]
    findings: list[FindingSpec]          # submission level
    links: list[dict]


@dataclass
class _Item:
    data: bytes                          # empty when ``path`` holds the bytes
    filename: str
    content_type: str
    parent: int | None
    depth: int
    member_path: str | None = None
    position: dict | None = None         # {"index", "count"} among the files of its mail or archive
    path: str | None = None              # a spooled attachment: the children read the file, the parent never
    sha256: str = ""                     # holds it; its digest and size as the spool wrote them
    size: int | None = None

    @property
    def source(self) -> bytes | FileRef:
        """What a child is given: the bytes, or the file to read itself."""
        return FileRef(self.path) if self.path is not None else self.data

    def look(self, whole: bool = True) -> bytes:
        """Bytes for a decision in the parent (volume headers): read for the moment, then dropped."""
        if self.path is None:
            return self.data
        return FileRef(self.path).read(-1 if whole else 1 << 20)


def _item(i: int, a, count: int) -> _Item:
    """A top-level attachment: by its file when the parse spooled it (``AttachmentPart.path``), else its bytes."""
    ct = a.content_type or "application/octet-stream"
    pos = {"index": i, "count": count}
    path = getattr(a, "path", None)
    if path is not None:
        return _Item(b"", a.filename, ct, None, 0, position=pos, path=path, sha256=getattr(a, "sha256", "") or "",
                     size=getattr(a, "size", None))
    return _Item(bytes(a.data), a.filename, ct, None, 0, position=pos)


async def analyse_attachments(attachments, *, html_body: str = "", call: CallConfig, timeout: float = 30.0,
                              office_timeout: float = 90.0, limits: UnpackLimits | None = None,
                              forwarded: tuple = ()) -> AnalysisResult:
    """Unpack archives (depth/size/count/ratio caps), analyse each file in a child, classify, derive facts.
    The volumes of a split archive (``资料.7z.001``…) are one container: unpacked together when all arrived,
    else one problem that names the missing volumes."""
    limits = limits or UnpackLimits()
    docs: list[AnalysedDocument] = []
    htmls = [html_body or ""]
    queue = [_item(i, a, len(attachments)) for i, a in enumerate(attachments)]
    while queue:
        batch, queue = queue, []
        containers, leaves, sets = [], [], []
        volume_sets = _volume_sets(batch)
        for item in batch:
            if len(docs) >= MAX_DOCUMENTS:
                log.warning("more than %d documents in one submission; the rest is skipped", MAX_DOCUMENTS)
                break
            idx = len(docs)
            docs.append(_new_doc(item))
            vs = volume_sets.get(id(item))
            if vs is not None:
                vs["docs"].append(idx)
                if len(vs["docs"]) == 1:
                    sets.append(vs)
                continue
            ft = _sniff(item)
            (containers if ft.family == "archive" else leaves).append((idx, item, ft))
        await asyncio.gather(*(_analyse_leaf(docs[i], it, call, timeout, office_timeout) for i, it, _ in leaves),
                             *(_unpack(docs[i], i, it, ft, limits, timeout, queue, htmls) for i, it, ft in containers),
                             *(_unpack_set(docs, vs, limits, timeout, queue) for vs in sets))
    links = [lk for h in htmls for lk in large_attachment_links(h)]
    for doc in docs:
        doc.findings = checks.run("document", DocumentContext(call, doc), subject=doc.filename)
    return AnalysisResult(docs, checks.run("message", MessageContext(call, links, list(forwarded))), links)


def _new_doc(item: _Item) -> AnalysedDocument:
    if item.path is not None:
        sha, size = (item.sha256, item.size) if item.sha256 and item.size is not None else FileRef(item.path).digest()
        return AnalysedDocument(item.filename, item.content_type, b"", sha, size, item.parent, item.member_path,
                                path=item.path)
    return AnalysedDocument(item.filename, item.content_type, item.data, hashlib.sha256(item.data).hexdigest(),
                            len(item.data), item.parent, item.member_path)


def _volume_sets(batch: list[_Item]) -> dict[int, dict]:
    """id(item) -> its split set, for the items of one level that are volumes (grouped per parent)."""
    out: dict[int, dict] = {}
    by_parent: dict[int | None, list[_Item]] = {}
    for item in batch:
        by_parent.setdefault(item.parent, []).append(item)
    for items in by_parent.values():
        for vs in find_sets([(it.filename, _volume_look(it)) for it in items]):
            group = {"set": vs, "items": [items[pos] for pos in vs.members.values()], "docs": []}
            for pos in vs.members.values():
                out[id(items[pos])] = group
    return out


def _sniff(item: _Item):
    """The item's type; a spooled file is read by its first MiB when that decides (a PDF, an image)."""
    if item.path is None:
        return sniff(item.data, item.filename, item.content_type)
    return sniff_file(FileRef(item.path), item.filename, item.content_type)


def _volume_look(item: _Item) -> bytes:
    """What ``find_sets`` reads of an item: its first MiB (a split zip's last part: all of it)."""
    if item.path is None:
        return item.data
    vn = volume_name(item.filename)
    return item.look(whole=vn is not None and vn.scheme == "zip_split")


async def _unpack_set(docs, vs: dict, limits, timeout, queue) -> None:
    """The first volume's document stands for the set: its members, or the problem; the others point to it."""
    s = vs["set"]
    first = vs["docs"][0]
    for n, i in enumerate(vs["docs"]):
        d = docs[i]
        d.kind, d.kind_source, d.kind_confidence = "other", "container", 1.0
        d.analysis = {"family": "archive", "fmt": "volume", "container": True, "volume_set": s.display_base,
                      "volumes_present": s.present, "volumes_total": s.total}
        if n:
            d.analysis["volume_of"] = docs[first].filename
    items = vs["items"]
    files = [(it.filename, it.source) for it in items]
    res = await sandbox.run(_task("unpack_volumes"), files, limits, timeout=timeout * 2)
    _record_unpack(docs[first], first, items[0], res, queue)
    docs[first].analysis["volume_message"] = s.message()


async def _unpack(doc, idx, item, ft, limits, timeout, queue, htmls) -> None:
    doc.kind, doc.kind_source, doc.kind_confidence = "other", "container", 1.0
    doc.analysis = {"family": "archive", "fmt": ft.fmt, "container": True}
    if item.depth >= limits.max_depth:
        doc.analysis["problems"] = [{"kind": "over_limit", "message": f"压缩包嵌套超过 {limits.max_depth} 层，未再解压"}]
        return
    res = await sandbox.run(_task("unpack_file"), item.source, ft.fmt, limits, item.filename, timeout=timeout)
    value = _record_unpack(doc, idx, item, res, queue)
    if value.get("html_body"):
        htmls.append(value["html_body"])
    if ft.fmt in ("eml", "msg", "tnef") and (value.get("sender") or value.get("subject")):
        doc.analysis["message"] = {k: value.get(k) for k in ("sender", "sender_name", "subject", "date", "message_id")
                                   if value.get(k)}


def _record_unpack(doc, idx, item, res, queue) -> dict:
    """A child's unpack result on the container's document; its members queued as the next level."""
    if res.ok:
        value = res.value
    else:
        kind, message = _sandbox_problem(res)
        value = {"members": [], "problems": [], "fatal": {"kind": kind, "message": message}}
    doc.analysis["child_rss_mib"] = res.peak_rss_mib
    if res.error:
        doc.analysis["sandbox_error"] = res.error
    fatal = value.get("fatal")
    if fatal:
        doc.analysis["error"] = fatal["message"]
        doc.analysis["error_kind"] = fatal.get("kind", "corrupt")
        return value
    if value.get("problems"):
        doc.analysis["problems"] = [{k: p[k] for k in ("kind", "message", "member") if k in p} for p in value["problems"]]
    if value.get("tool"):
        doc.analysis["tool"] = value["tool"]
    doc.analysis["members"] = len(value["members"])
    for k, m in enumerate(value["members"]):
        name = m["name"].rsplit("/", 1)[-1]
        queue.append(_Item(m["data"], name, m.get("content_type") or "application/octet-stream", idx,
                           item.depth + 1, m["name"], {"index": k, "count": len(value["members"])}))
    return value


async def _analyse_leaf(doc: AnalysedDocument, item: _Item, call: CallConfig, timeout: float,
                        office_timeout: float) -> None:
    tol = call.limits.a4_tolerance
    ft = _sniff(item)
    t = office_timeout if ft.family == "office" else timeout
    res = await sandbox.run(_task("analyse_file"), item.source, item.filename, item.content_type, tol,
                            office_timeout=office_timeout - 5, timeout=t)
    if res.ok:
        raw = res.value
    else:
        kind, message = _sandbox_problem(res)
        raw = {"family": ft.family, "fmt": ft.fmt, "error": message, "error_kind": kind, "sandbox_error": res.error}
        if ft.family == "pdf":     # content blew a limit: the metadata may still count the pages
            geo = await sandbox.run(_task("geometry_only"), item.source, tol, timeout=timeout)
            if geo.ok:
                raw.update(geo.value)
    raw["child_rss_mib"] = res.peak_rss_mib
    # facts from the child's raw result (tables, cities, kind) are read in a thread: off the intake's event loop
    await asyncio.to_thread(apply_raw, doc, raw, call, position=item.position)


def apply_raw(doc: AnalysedDocument, raw: dict, call: CallConfig, position: dict | None = None) -> None:
    """Turn a child's raw result into the document's pages, analysis (facts with evidence), kind and OCR plan."""
    apply_reading(doc, raw, call, position=position)


def _sandbox_problem(res: sandbox.SandboxResult) -> tuple[str, str]:
    """(kind, Chinese sentence) for a child that did not return: timeout, memory, crash, or an exception."""
    if res.error == "timeout":
        return "timeout", f"处理超时（超过 {res.seconds:.0f} 秒），可能是文件过大或结构异常"
    if res.error == "memory":
        return "memory", "超过内存上限（疑似解压炸弹或异常文件）"
    if res.error == "crash":
        return "crash", "解析程序异常退出，文件可能已损坏或结构异常"
    p = explain(res.detail.splitlines()[0] if res.detail else "")
    return p.kind, p.message


def _sandbox_reason(res: sandbox.SandboxResult) -> str:
    return _sandbox_problem(res)[1]


async def ocr_document(data: bytes, filename: str, content_type: str, analysis: dict, call: CallConfig, *,
                       kind: str = "other", kind_source: str | None = None, stored: list[dict] = (), pool=None,
                       chunk: int = 3, timeout: float | None = None) -> tuple[dict, list[dict]]:
    """One OCR round of a scan (its next ``chunk`` pages, ``precheck.reading.ocr_plan``) with a warm worker of
    ``pool`` (the process's default pool when None). Returns the update for the Document row
    (``{"analysis": ..., "kind", "kind_source", "kind_confidence", "kind_evidence"}``; no kind fields when the
    officer set the kind) and every page OCR'd so far, to keep for the next round. Slow (~4.5 CPU s a page):
    run it in the background."""
    from precheck.ocr_worker import default_pool

    return await ocr_round(pool or default_pool(), data, filename, content_type, analysis, call, kind=kind,
                           kind_source=kind_source, stored=list(stored), chunk=chunk, timeout=timeout)


def document_fields(d: AnalysedDocument) -> dict:
    """The Document row fields this module decides (the pipeline adds submission, parent, archive_path, created_at)."""
    return {"filename": d.filename[:512], "content_type": d.content_type, "sha256": d.sha256, "size": d.size,
            "kind": d.kind, "kind_source": d.kind_source, "kind_confidence": d.kind_confidence,
            "kind_evidence": d.kind_evidence, "pages": d.pages, "page_detail": d.page_detail, "analysis": d.analysis}


async def analyse_for_pipeline(parsed, call: CallConfig) -> tuple[list[dict], list[FindingSpec]]:
    """The shape ``intake.documents.store_documents`` expects: one dict per document (``parent`` an index into the
    list, ``data`` the bytes to archive or ``path`` the spooled file that holds them, ``findings`` its
    FindingSpecs) and the submission-level findings."""
    res = await analyse_attachments(parsed.attachments, html_body=parsed.html_body, call=call,
                                    forwarded=getattr(parsed, "forwarded", ()))
    items = []
    for d in res.documents:
        item = document_fields(d)
        item.update(parent=d.parent, findings=list(d.findings))
        if d.path is not None:
            item["path"] = d.path                # archived from the file (precheck never writes the archive)
        else:
            item["data"] = d.data
        if d.member_path:
            item["analysis"] = {**(item["analysis"] or {}), "member_path": d.member_path}
        items.append(item)
    if res.links:
        for f in res.findings:
            log.info("link-only attachment(s): %s", f.figures.get("links"))
    return items, list(res.findings)
