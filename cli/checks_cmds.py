"""CLI: ``doc-kind`` and ``cities`` (officer corrections, audited) and ``analyse`` (pre-check local files)."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pathlib import Path

from core.vocabulary import kind_zh
from core.vocabulary import SEVERITY_ZH
if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
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

    p = sub.add_parser("subsidy", help="officer: set a province's central subsidy as read off the filing (audited)")
    p.add_argument("province")
    p.add_argument("amount", help="e.g. 9800 / 9800万元 / 1.2亿元 (万元 when no unit); 清除 or clear: read from the documents")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_subsidy)

    p = sub.add_parser("period", help="officer: set a province's implementation period as read off the filing (audited)")
    p.add_argument("province")
    p.add_argument("period", help="e.g. 24个月 / 2年 / 2023年4月至2025年3月 / 24 (months); 清除 or clear")
    p.add_argument("--reason", required=True)
    p.add_argument("--actor", default="cli")
    p.set_defaults(func=cmd_period)

    p = sub.add_parser("analyse", help="pre-check local files: kinds, A4 pages with arithmetic, findings")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--province", default=None, help="province for the quota/prior-report checks")
    p.add_argument("--ocr", action="store_true", help="also OCR the scans' pages where facts are (slow: ~5 s a page)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per file (default 30)")
    p.add_argument("--json", action="store_true", help="print one JSON object (documents, findings, peak memory)")
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

    from cli.args import province

    args.province = province(services, args.province)
    cities = [c for c in args.cities.replace("，", ",").replace("、", ",").split(",")]
    try:
        d = await set_cities(services, args.province, cities, reason=args.reason, actor=args.actor)
    except OfficerError as exc:
        print(f"未更正：{exc}")
        return 1
    shown = "、".join(d.cities or []) or "（已清除，按申报材料识别）"
    print(f"{d.province} 申报城市：{shown}；已记入审计日志")
    return 0


async def cmd_subsidy(args, services: Services) -> int:
    from core.officer import OfficerError, parse_amount_wan, set_subsidy

    try:
        wan = None if args.amount in ("清除", "clear") else parse_amount_wan(args.amount)
        d = await set_subsidy(services, args.province, wan, reason=args.reason, actor=args.actor)
    except OfficerError as exc:
        print(f"未更正：{exc}")
        return 1
    print(f"{d.province} 中央财政补助：" + ("（已清除，按申报材料识别）" if wan is None else f"{wan:g} 万元（处室更正）") +
          "；已记入审计日志")
    return 0


async def cmd_period(args, services: Services) -> int:
    from core.officer import OfficerError, parse_months, set_period

    try:
        months = None if args.period in ("清除", "clear") else parse_months(args.period)
        d = await set_period(services, args.province, months, reason=args.reason, actor=args.actor)
    except OfficerError as exc:
        print(f"未更正：{exc}")
        return 1
    print(f"{d.province} 实施期限：" + ("（已清除，按申报材料识别）" if months is None else f"{months} 个月（处室更正）") +
          "；已记入审计日志")
    return 0


async def cmd_ocr(args, services: Services) -> int:
    from intake.ocr_backlog import pending_documents, run_background_ocr
    from precheck.ocr_worker import OcrPool

    from cli.progress import progress

    waiting = await pending_documents(10**6)
    print(f"待文字识别的扫描件 {len(waiting)} 个；本次最多 {args.limit} 轮（每轮一个文件的 {args.chunk} 页，约 4 秒/页）",
          flush=True)
    rounds = min(args.limit, sum(_rounds_left(d, args.chunk) for d in waiting))
    pool = OcrPool(args.workers or services.settings.ocr_workers)
    try:
        with progress("文字识别", rounds) as bar:
            def said(doc) -> None:
                bar.print(ocr_round_line(doc))
                bar.advance()
            done = await run_background_ocr(services, limit=args.limit, chunk=args.chunk, pool=pool, on_round=said)
    finally:
        pool.close()
    left = len(await pending_documents(10**6))
    print(f"已完成 {len(done)} 轮文字识别" + (f"（文件 {', '.join(map(str, sorted(set(done))))}）" if done else "")
          + f"；仍待识别 {left} 个")
    return 0


def _rounds_left(doc, chunk: int) -> int:
    ocr = (doc.analysis or {}).get("ocr") or {}
    return max(1, -(-max((doc.pages or 1) - len(ocr.get("done") or []), 0) // max(chunk, 1)))


OCR_STATUS_ZH = {"done": "识别完成", "pending": "待续", "failed": "识别失败"}


def ocr_round_line(doc) -> str:
    """One line per OCR round: which document, of whom, how far (``文件 12 《扫描件001.pdf》 山东省：第 1 页…``)."""
    ocr = (doc.analysis or {}).get("ocr") or {}
    sub = getattr(doc, "submission", None)
    who = (getattr(sub, "province", None) or "未识别来信") if sub is not None else ""
    n, total = len(ocr.get("done") or []), doc.pages
    status = OCR_STATUS_ZH.get(ocr.get("status"), ocr.get("status") or "?")
    why = f"（{ocr['reason']}）" if ocr.get("reason") and ocr.get("status") == "failed" else ""
    return f"文件 {doc.id} 《{doc.filename}》 {who}：已识别 {n}/{total or '?'} 页，{status}{why}"


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
    corrections: dict | None = None
    paper_copy_date: object = None
    override_status: object = None
    extra: dict = field(default_factory=dict)


async def cmd_analyse(args, services: Services) -> int:
    from precheck.analysis import analyse_attachments, ocr_document
    from core.dossier import current_documents
    from precheck import checks
    from precheck.checks import DossierContext
    from precheck.parse import AttachmentPart

    from cli.args import input_file, province

    call = services.call
    if args.province:
        args.province = province(services, args.province)
    parts = []
    for f in args.files:
        data = input_file(f).read_bytes()
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
    if args.json:
        return _print_json(res, call, services)
    rows = []
    for i, d in enumerate(res.documents, 1):
        indent = "  " * _depth(res.documents, d)
        pd = d.page_detail or {}
        pages = f"{pd.get('arithmetic')}" if pd else "—"
        print(f"{indent}[{i}] {d.filename}: {kind_zh(d.kind)}（{d.kind_source}，置信度 {d.kind_confidence:.2f}）"
              f" 页数 {pages}")
        a = d.analysis
        from precheck.checks.common import evidence_zh

        seal = a.get("seal") or {}
        j = a.get("joint") or {}
        facts = ["扫描件" if a.get("is_scan") else ("电子文本" if a.get("family") in ("pdf", "office") else ""),
                 {True: "有红章", False: "未检测到红章", None: "黑白/灰度扫描，无法判断红章"}.get(seal.get("found"), "")
                 if "found" in seal else "",
                 f"城市 {'、'.join(a['cities'])} {evidence_zh(a.get('cities_fact'))}" if a.get("cities") else "",
                 f"中央财政补助 {a['subsidy']['wan_yuan']:g} 万元 {evidence_zh(a['subsidy'])}" if a.get("subsidy") else "",
                 f"实施期 {a['period'].get('months', '?')} 个月 {evidence_zh(a['period'])}" if a.get("period") else "",
                 (f"联合行文：{'是' if j['joint'] else '否'}" if j.get("joint") is not None else "") if d.kind == "cover_letter" else "",
                 f"OCR {a['ocr']['status']}" if a.get("ocr") else ""]
        if any(facts):
            print(f"{indent}    " + "；".join(x.strip() for x in facts if x))
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


def _print_json(res, call, services) -> int:
    """One object for scripts (``benchmarks/bench_corpus.py``): each document's type, pages, findings, the
    sandbox outcome and the child's peak RSS; the submission-level findings; this process's peak RSS."""
    import json
    import resource

    docs = []
    for d in res.documents:
        a = d.analysis or {}
        docs.append({"filename": d.filename, "parent": d.parent, "family": a.get("family"), "fmt": a.get("fmt"),
                     "container": bool(a.get("container")), "kind": d.kind, "pages": d.pages,
                     "sandbox_error": a.get("sandbox_error"), "child_rss_mib": a.get("child_rss_mib"),
                     "findings": [{"code": f.code, "message": f.message} for f in d.findings]})
    out = {"documents": docs, "findings": [{"code": f.code, "message": f.message} for f in res.findings],
           "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
           "peak_child_rss_mib": max((x["child_rss_mib"] or 0 for x in docs), default=0)}
    print(json.dumps(out, ensure_ascii=False))
    return 0


def _depth(docs, d) -> int:
    n = 0
    while d.parent is not None and n < 10:
        d, n = docs[d.parent], n + 1
    return n
