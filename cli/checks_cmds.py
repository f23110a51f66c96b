"""CLI: ``doc-kind`` and ``cities`` (officer corrections, audited) and ``analyse`` (pre-check local files)."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field

from pathlib import Path

from core.vocabulary import kind_zh
from core.vocabulary import SEVERITY_ZH
from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("doc-kind", help="officer: correct a document's kind (checks re-run)")
    p.add_argument("doc_id", type=int)
    p.add_argument("kind", help="cover_letter / plan / budget / performance_targets / evidence / prior_report / other")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_doc_kind)

    p = sub.add_parser("cities", help="officer: set the cities a province applies for (comma separated)")
    p.add_argument("province")
    p.add_argument("cities", help="e.g. 青岛市,济南市 (empty string clears: cities are read from the documents)")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_cities)

    p = sub.add_parser("analyse", help="pre-check local files: kinds, A4 pages with arithmetic, findings")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--province", default=None, help="province for the quota/prior-report checks")
    p.add_argument("--ocr", action="store_true", help="also OCR the scans' pages where facts are (slow: ~5 s a page)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per file (default 30)")
    p.set_defaults(func=cmd_analyse, no_db=True)

    p = sub.add_parser("ocr", help="OCR scans still waiting (the background step, most urgent first); re-check dossiers")
    p.add_argument("--limit", type=int, default=20, help="rounds (each: one document's next pages)")
    p.add_argument("--chunk", type=int, default=3, help="pages per round")
    p.add_argument("--workers", type=int, default=None, help="warm OCR processes (default SHENBAO_OCR_WORKERS)")
    p.set_defaults(func=cmd_ocr)


async def cmd_doc_kind(args, services: Services) -> int:
    from core.officer import OfficerError, set_document_kind

    try:
        doc = await set_document_kind(services, args.doc_id, args.kind, reason=args.reason, actor=args.actor)
    except OfficerError as exc:
        print(f"未更正：{exc}")
        return 1
    print(f"文件 {doc.id}「{doc.filename}」类型已更正为 {kind_zh(doc.kind)}（{doc.kind}），已记入审计日志")
    return 0


async def cmd_cities(args, services: Services) -> int:
    from core.officer import OfficerError, set_cities

    cities = [c for c in args.cities.replace("，", ",").replace("、", ",").split(",")]
    try:
        d = await set_cities(services, args.province, cities, reason=args.reason, actor=args.actor)
    except OfficerError as exc:
        print(f"未更正：{exc}")
        return 1
    shown = "、".join(d.cities or []) or "（已清除，按申报材料识别）"
    print(f"{d.province} 申报城市：{shown}；已记入审计日志")
    return 0


async def cmd_ocr(args, services: Services) -> int:
    from intake.ocr_backlog import run_background_ocr
    from precheck.ocr_worker import OcrPool

    pool = OcrPool(args.workers or services.settings.ocr_workers)
    try:
        done = await run_background_ocr(services, limit=args.limit, chunk=args.chunk, pool=pool)
    finally:
        pool.close()
    print(f"已完成 {len(done)} 轮文字识别" + (f"（文件 {', '.join(map(str, sorted(set(done))))}）" if done else ""))
    return 0


# local files were not sent: nothing to say about mailboxes or the paper copy
LOCAL_FILES_SKIP = frozenset({"one_mailbox_only", "paper_copy_missing"})


@dataclass
class _Row:
    """A document as the dossier checks see it, for files that are not in the database."""
    id: int
    filename: str
    sha256: str
    kind: str
    pages: int | None
    page_detail: dict | None
    analysis: dict
    submission_id: int = 1
    kind_source: str | None = None


@dataclass
class _Sub:
    id: int = 1
    ref: str = "本地文件"


@dataclass
class _Dossier:
    cities: list | None = None
    cities_source: str | None = None
    paper_copy_date: object = None
    override_status: object = None
    extra: dict = field(default_factory=dict)


async def cmd_analyse(args, services: Services) -> int:
    from precheck.analysis import analyse_attachments, ocr_document
    from core.dossier import current_documents
    from precheck import checks
    from precheck.checks import DossierContext
    from precheck.parse import AttachmentPart

    call = services.call
    parts = []
    for f in args.files:
        data = f.read_bytes()
        parts.append(AttachmentPart(f.name, mimetypes.guess_type(f.name)[0] or "application/octet-stream", data,
                                    hashlib.sha256(data).hexdigest()))
    res = await analyse_attachments(parts, call=call, timeout=args.timeout)
    if args.ocr:
        from precheck.ocr_worker import close_default_pool

        for d in res.documents:
            stored: list[dict] = []
            while (d.analysis.get("ocr") or {}).get("status") == "pending":
                upd, stored = await ocr_document(d.data, d.filename, d.content_type, d.analysis, call, kind=d.kind,
                                                 kind_source=d.kind_source, stored=stored)
                for k, v in upd.items():
                    setattr(d, k, v)
        close_default_pool()
    rows = []
    for i, d in enumerate(res.documents, 1):
        indent = "  " * _depth(res.documents, d)
        pd = d.page_detail or {}
        pages = f"{pd.get('arithmetic')}" if pd else "—"
        print(f"{indent}[{i}] {d.filename}: {kind_zh(d.kind)}（{d.kind_source}，置信度 {d.kind_confidence:.2f}）"
              f" 页数 {pages}")
        a = d.analysis
        facts = [f"扫描件" if a.get("is_scan") else "", "有红章" if (a.get("seal") or {}).get("found") else "",
                 f"城市 {'、'.join(a['cities'])}" if a.get("cities") else "",
                 f"中央财政补助 {a['subsidy']['wan_yuan']:g} 万元" if a.get("subsidy") else "",
                 f"实施期 {a['period']['years']:g} 年" if a.get("period") else "",
                 f"OCR {a['ocr']['status']}" if a.get("ocr") else ""]
        if any(facts):
            print(f"{indent}    " + "；".join(x for x in facts if x))
        for f in d.findings:
            print(f"{indent}    [{SEVERITY_ZH[f.severity]}] {f.code}: {f.message}")
        if not (a.get("container")):
            rows.append(_Row(i, d.filename, d.sha256, d.kind, d.pages, d.page_detail, a, kind_source=d.kind_source))
    sub = _Sub()
    ctx = DossierContext(call=call, province=args.province or "", now=services.clock.now(),
                         submissions=[sub], documents=current_documents([sub], rows), all_documents=rows,
                         dossier=_Dossier())
    print("—— 申报材料检查 ——")
    n = 0
    for f in res.findings + checks.run("dossier", ctx):
        if f.code in LOCAL_FILES_SKIP or (f.code == "missing_prior_report" and not args.province):
            continue
        n += 1
        print(f"[{SEVERITY_ZH[f.severity]}] {f.code}: {f.message}\n    依据：{f.section or ''} {f.clause or ''}")
    if not n:
        print("未发现问题")
    return 0


def _depth(docs, d) -> int:
    n = 0
    while d.parent is not None and n < 10:
        d, n = docs[d.parent], n + 1
    return n
