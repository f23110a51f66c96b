"""Score the reader on a corpus folder + truth file (the schema of benchmarks/reading_corpus/truth.json).

    python benchmarks/bench_reading.py CORPUS_DIR [--truth TRUTH.json] [--workers 2] [--only f05_zhejiang]
                                                  [--no-ocr] [--json out.json] [--save-facts facts.json]

The whole pipeline, as in production: each ``eml/<filing>.eml`` is delivered by SMTP to the built-in intake at its
``arrival`` time (an injected clock) and to the mailboxes in its ``to`` field; the sender is registered for its
province (a registry matter, not reading); the intake worker parses, analyses and checks; then the background OCR
queue runs to the end with ``--workers`` warm OCR processes. Facts are taken from the database before OCR and
after it, dossier findings from the register.

Printed: per-fact accuracy (kind, A4 pages, scan vs electronic, red seal, cities per document and per filing,
central subsidy, period, joint issuance, dossier findings per filing), facts that got worse after OCR, spurious
facts (stated by the machine where the truth states none), CER of the OCR engine where the corpus has source text
(``text/<filing>/<file>.txt``, pages split by form feeds) and on the words that state the facts (``manifest.json``
"stated" texts), seconds and CPU per OCR'd page, peak RSS of the OCR workers and of this process, and the time to
read a deadline-night backlog (37 units x ~30 pages on 2 cores) from the measured figures.

Dossier findings left out of the comparison, as the truth leaves them out (registry matters, not reading):
paper_copy_missing, unknown_sender, resubmission, city_previously_selected, a missing_prior_report that only says
the 2022 list is incomplete, the time_* system findings, the sender-trust and folder findings (issue 12);
seal_colour_undecidable is scored under red seal.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests_support.scratch import scratch_dir  # noqa: E402

EXCLUDED = {"paper_copy_missing", "unknown_sender", "resubmission", "city_previously_selected",
            "time_from_received_header", "time_set_by_operator", "seal_colour_undecidable",
            # who sent it and from which folder (issue 12): the sender, not the reading
            "sender_unauthenticated", "sender_authentication_failed", "unconfirmed_submission_not_applied",
            "arrival_time_inconsistent", "found_outside_inbox"}
FACTS = ("kind", "a4_pages", "scan", "red_seal", "cities", "subsidy", "period", "joint")
BACKLOG_UNITS, BACKLOG_PAGES, BACKLOG_CORES = 37, 30, 2


# ------------------------------------------------------------------ running the pipeline

class CachingPool:
    """A development aid (``--ocr-cache DIR``): pages already OCR'd (same file bytes, same page) come from DIR, the
    rest from the real pool. The reader's logic can then be re-scored in minutes; CPU figures cover the misses only."""

    def __init__(self, pool, root: Path):
        self.pool, self.root, self.workers = pool, root, pool.workers
        root.mkdir(parents=True, exist_ok=True)
        self.hits = 0

    def _file(self, data: bytes, i: int) -> Path:
        import hashlib

        return self.root / f"{hashlib.sha256(data).hexdigest()[:24]}-{i}.json"

    async def read(self, data, filename, content_type, pages, **kw):
        from precheck.ocr_worker import OcrResult

        have = {i: json.loads(self._file(data, i).read_text()) for i in pages if self._file(data, i).exists()}
        self.hits += len(have)
        missing = [i for i in pages if i not in have]
        res = OcrResult(True, [], seconds=0.0, cpu=0.0)
        if missing:
            res = await self.pool.read(data, filename, content_type, missing, **kw)
            if not res.ok:
                return res
            for p in res.pages:
                self._file(data, p["index"]).write_text(json.dumps(p, ensure_ascii=False))
        res.pages = sorted(list(have.values()) + res.pages, key=lambda p: p["index"])
        return res

    def close(self):
        self.pool.close()


async def run_pipeline(corpus: Path, truth: dict, *, workers: int = 1, ocr: bool = True, only=(),
                       log=print, ocr_cache: Path | None = None) -> dict:
    from config.call import load_call
    from config.clock import FixedClock
    from config.settings import load_settings
    from core.archive import Archive
    from core.services import Services
    from demo.deliver import smtp_deliver, wait_processed
    from demo.setup import demo_environ
    from intake.daemon import IntakeDaemon
    from intake.ocr_backlog import run_background_ocr
    from models import close_db, init_db
    from models.dossier import KnownSender
    from precheck.ocr_worker import OcrPool
    from precheck.places import use_cache

    call = load_call("2023")
    filings = [f for f in truth["filings"] if not only or f["eml"].rsplit(".", 1)[0] in only or f["province"] in only]
    tmp = scratch_dir("bench-reading-")
    settings = load_settings(demo_environ(tmp, None, call.id))
    use_cache(settings.cache_dir)
    first = min(datetime.fromisoformat(f["arrival"]) for f in filings).astimezone(timezone.utc)
    clock = FixedClock(first)
    services = Services(settings=settings, call=call, clock=clock, archive=Archive(settings.archive_dir))
    await init_db(settings.database_url)
    out: dict = {"filings": {}, "timings": {}}
    try:
        for f in filings:
            await KnownSender.get_or_create(address=f["from"], defaults={
                "province": f["province"], "confirmed_by": "bench", "created_at": clock.now()})
        daemon = IntakeDaemon(services)
        await daemon.start()
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            total = 0
            for f in sorted(filings, key=lambda f: f["arrival"]):
                raw = re.sub(rb"(?<!\r)\n", b"\r\n", (corpus / "eml" / f["eml"]).read_bytes())   # SMTP wants CRLF
                clock.set(datetime.fromisoformat(f["arrival"]).astimezone(timezone.utc))
                await smtp_deliver(settings.smtp_host, daemon.smtp_port, f["from"], f["to"], raw)
                total += len(f["to"])
                await wait_processed(total, timeout=900)
                log(f"  delivered {f['eml']} ({len(raw) / 1e6:.1f} MB)")
        finally:
            await daemon.stop()
        out["timings"]["intake_s"] = round(time.perf_counter() - t0, 1)
        out["timings"]["intake_parent_cpu_s"] = round(time.process_time() - c0, 1)
        out["before"] = await collect(call, filings)
        if ocr:
            pool = OcrPool(workers)
            if ocr_cache:
                pool = CachingPool(pool, ocr_cache)
            t0 = time.perf_counter()
            try:
                rounds = await run_background_ocr(services, limit=100_000, pool=pool)
            finally:
                peaks = [w.max_peak_mib for w in pool.workers]
                pool.close()
            out["timings"]["ocr_wall_s"] = round(time.perf_counter() - t0, 1)
            out["timings"]["ocr_rounds"] = len(rounds)
            out["timings"]["ocr_peak_rss_mib"] = round(max(peaks or [0]))
            out["timings"]["ocr_cache_hits"] = getattr(pool, "hits", 0)
        clock.set(call.deadline + settings.outgoing.final_delay)
        out["after"] = await collect(call, filings)
        out["findings"] = await dossier_codes(call, clock.now(), filings)
        out["ocr_stats"] = await ocr_stats()
        out["ocr_pages"] = await ocr_texts(services)
    finally:
        await close_db()
    out["timings"]["self_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["timings"]["children_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return out


async def collect(call, filings) -> dict:
    """Per filing, per truth document (by file name): what the machine holds now."""
    from models.submission import Document, Submission

    out = {}
    for f in filings:
        subs = await Submission.filter(province=f["province"]).order_by("id")
        docs = await Document.filter(submission_id__in=[s.id for s in subs]).order_by("id") if subs else []
        by_name: dict[str, object] = {}
        for d in docs:
            by_name.setdefault(d.filename, d)
        rows = {}
        for t in f["documents"]:
            d = by_name.get(t["file"])
            rows[t["file"]] = machine_facts(d) if d else None
        out[f["eml"]] = {"documents": rows, "cities": await applied(call, f["province"]),
                         "unattributed": not subs}
    return out


def machine_facts(d) -> dict:
    a = d.analysis or {}
    seal = a.get("seal") or {}
    joint = (a.get("joint") or {}).get("joint")
    return {"id": d.id, "kind": d.kind, "kind_source": d.kind_source, "a4_pages": d.pages,
            "scan": a.get("is_scan"),
            "red_seal": {True: True, False: False, None: "undecidable"}.get(seal.get("found"), False)
            if "found" in seal else None,
            "cities": a.get("cities") or None,
            "subsidy": (a.get("subsidy") or {}).get("wan_yuan"),
            "subsidy_evidence": ((a.get("subsidy") or {}).get("evidence") or {}),
            "period": (a.get("period") or {}).get("months"),
            "period_evidence": ((a.get("period") or {}).get("evidence") or {}),
            "joint": joint, "ocr": (a.get("ocr") or {}).get("status"),
            "ocr_pages": len((a.get("ocr") or {}).get("done") or []), "ocr_cpu": (a.get("ocr") or {}).get("cpu", 0),
            "ocr_seconds": (a.get("ocr") or {}).get("seconds", 0), "text_source": a.get("text_source")}


async def applied(call, province: str) -> list[str]:
    """The cities the dossier checks see (``applied_cities`` over the current documents); for a province that only
    filed late (no dossier checks run), the same over its late submissions' documents."""
    from types import SimpleNamespace

    from config.clock import FixedClock
    from core.dossier import current_documents, load_context
    from models.submission import Document
    from precheck.checks.cities import applied_cities

    ctx = await load_context(SimpleNamespace(call=call, clock=FixedClock(call.deadline)), province)
    if not ctx.submissions and ctx.late_submissions:
        subs = ctx.late_submissions
        docs = await Document.filter(submission_id__in=[x.id for x in subs]).order_by("id")
        ctx.documents = current_documents(subs, list(docs))
    return applied_cities(ctx)[0]


async def dossier_codes(call, now, filings) -> dict:
    from core.register import build_register

    reg = await build_register(call, now)
    out = {}
    for f in filings:
        row = reg.row(f["province"])
        codes = set()
        for x in row.findings:
            if x.code in EXCLUDED:
                continue
            if x.code == "missing_prior_report" and not (x.figures or {}).get("list_complete", True):
                continue
            codes.add(x.code)
        out[f["eml"]] = sorted(codes)
    return out


async def ocr_stats() -> dict:
    from models.submission import Document

    pages = cpu = secs = 0.0
    for d in await Document.all():
        o = (d.analysis or {}).get("ocr") or {}
        if o.get("done"):
            pages += len(o["done"])
            cpu += float(o.get("cpu", 0))
            secs += float(o.get("seconds", 0))
    return {"pages": int(pages), "cpu_s": round(cpu, 1), "worker_s": round(secs, 1)}


async def ocr_texts(services) -> dict:
    """{document id: {page index: OCR text}} for CER."""
    from models.submission import Document
    from precheck.reading.page import PageText

    out = {}
    for d in await Document.all():
        ref = ((d.analysis or {}).get("ocr") or {}).get("pages_ref")
        if not ref:
            continue
        try:
            pages = json.loads(services.archive.read(ref))
        except (OSError, ValueError):
            continue
        out[d.id] = {p["index"]: PageText.from_json(p).text() for p in pages}
    return out


# ------------------------------------------------------------------ scoring

def _same_cities(a, b) -> bool:
    return sorted(a or []) == sorted(b or [])


def right(fact: str, t: dict, m: dict | None) -> bool | None:
    """Is the machine right on ``fact`` of truth document ``t``? None: the truth does not state it."""
    if m is None:
        return False
    if fact == "kind":
        return m["kind"] == t["kind"]
    if fact == "a4_pages":
        return m["a4_pages"] == t["a4_pages"]
    if fact == "scan":
        return bool(m["scan"]) == bool(t["scan"])
    if fact == "red_seal":
        return m["red_seal"] == t["red_seal"]
    if fact == "cities":
        return _same_cities(m["cities"], t["cities"]) if "cities" in t else None
    if fact == "subsidy":
        return (m["subsidy"] is not None and abs(m["subsidy"] - t["central_subsidy_wan"]) < 0.5) \
            if "central_subsidy_wan" in t else None
    if fact == "period":
        return (m["period"] == t["period_months"]) if "period_months" in t else None
    if fact == "joint":
        return (m["joint"] == t["joint"]) if "joint" in t else None
    raise KeyError(fact)


def spurious(fact: str, t: dict, m: dict | None) -> bool:
    """The machine states a fact the truth says this document does not state (cover letters to targets only)."""
    if m is None or t["kind"] not in ("cover_letter", "plan", "budget", "performance_targets"):
        return False
    if fact == "subsidy":
        return "central_subsidy_wan" not in t and m["subsidy"] is not None
    if fact == "period":
        return "period_months" not in t and m["period"] is not None
    return False


def score(truth: dict, res: dict) -> dict:
    filings = [f for f in truth["filings"] if f["eml"] in res["after"]]
    table: dict[str, list[int]] = {k: [0, 0] for k in FACTS}
    table["cities_per_filing"] = [0, 0]
    table["dossier_findings"] = [0, 0]
    before_ok: dict[str, list[int]] = {k: [0, 0] for k in FACTS}
    worse, spur, errors = [], {"subsidy": 0, "period": 0}, []
    codes = {"tp": 0, "fp": 0, "fn": 0}
    for f in filings:
        after, before = res["after"][f["eml"]], res["before"][f["eml"]]
        for t in f["documents"]:
            m, mb = after["documents"].get(t["file"]), before["documents"].get(t["file"])
            for k in FACTS:
                r = right(k, t, m)
                if r is None:
                    continue
                table[k][0] += r
                table[k][1] += 1
                rb = right(k, t, mb)
                before_ok[k][0] += bool(rb)
                before_ok[k][1] += 1
                if rb and not r:
                    worse.append(f"{f['eml']} {t['file']}: {k}")
                if not r:
                    errors.append(f"{f['eml']} {t['file'][:40]}: {k} machine={_show(k, m)} truth={_truth(k, t)}")
            for k in spur:
                if spurious(k, t, m):
                    spur[k] += 1
                    errors.append(f"{f['eml']} {t['file'][:40]}: spurious {k} {m[k]} "
                                  f"“{(m[k + '_evidence'] or {}).get('text', '')[:40]}”")
        want = [p["city"] for p in f["projects"]]
        table["cities_per_filing"][0] += _same_cities(after["cities"], want)
        table["cities_per_filing"][1] += 1
        if not _same_cities(after["cities"], want):
            errors.append(f"{f['eml']}: cities {after['cities']} truth {want}")
        got, exp = set(res["findings"][f["eml"]]), set(f["dossier_findings"])
        table["dossier_findings"][0] += got == exp
        table["dossier_findings"][1] += 1
        codes["tp"] += len(got & exp)
        codes["fp"] += len(got - exp)
        codes["fn"] += len(exp - got)
        if got != exp:
            errors.append(f"{f['eml']}: findings extra {sorted(got - exp)} missing {sorted(exp - got)}")
    return {"table": table, "before": before_ok, "worse": worse, "spurious": spur, "errors": errors, "codes": codes}


def _show(k, m):
    if m is None:
        return "(document not found)"
    if k == "kind":
        return f"{m['kind']}({m['kind_source']})"
    return m.get(k)


def _truth(k, t):
    return {"subsidy": t.get("central_subsidy_wan"), "period": t.get("period_months"), "a4_pages": t.get("a4_pages")
            }.get(k, t.get(k))


# ------------------------------------------------------------------ CER

def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def best_substring_distance(needle: str, hay: str) -> int:
    """Edit distance of ``needle`` to its best-matching substring of ``hay`` (Sellers' algorithm)."""
    if not needle:
        return 0
    prev = [0] * (len(hay) + 1)
    for i, c in enumerate(needle, 1):
        cur = [i] + [0] * len(hay)
        for j, h in enumerate(hay, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (c != h))
        prev = cur
    return min(prev)


def _norm(s: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", s or "").split())


def cer(corpus: Path, truth: dict, res: dict) -> dict:
    """Page CER against source text where the corpus ships it; fact-words CER from the manifest's stated texts."""
    out: dict = {}
    ids = {(f["eml"], t["file"]): (res["after"][f["eml"]]["documents"].get(t["file"]) or {}).get("id")
           for f in truth["filings"] if f["eml"] in res["after"] for t in f["documents"]}
    texts = {int(k): {int(i): v for i, v in p.items()} for k, p in res.get("ocr_pages", {}).items()}
    dist = length = 0
    pages = 0
    per_page = []
    for (eml, file), doc_id in ids.items():
        src = corpus / "text" / eml.rsplit(".", 1)[0] / (file + ".txt")
        if doc_id is None or doc_id not in texts or not src.exists():
            continue
        ref_pages = src.read_text(encoding="utf-8").split("\f")
        for i, hyp in texts[doc_id].items():
            if i < len(ref_pages):
                r, h = _norm(ref_pages[i]), _norm(hyp)
                if r:
                    d = levenshtein(r, h)
                    dist += d
                    length += len(r)
                    pages += 1
                    per_page.append(d / len(r))
    if pages:
        per_page.sort()
        out["pages"] = {"pages": pages, "cer_total": round(dist / length * 100, 2),
                        "cer_median": round(per_page[len(per_page) // 2] * 100, 2)}
    mf = corpus / "manifest.json"
    if mf.exists():
        man = json.loads(mf.read_text(encoding="utf-8"))
        dist = length = n = 0
        for f in man.get("filings", []):
            for d in f.get("documents", []):
                st = d.get("stated") or {}
                doc_id = ids.get((f["eml"], d["file"]))
                if doc_id is None or doc_id not in texts:
                    continue
                for key, page_key in (("central_text", "central_page"), ("period_text", "period_page")):
                    words, page = st.get(key), st.get(page_key)
                    if not words or not page or (page - 1) not in texts[doc_id]:
                        continue
                    w = _norm(words)
                    dist += best_substring_distance(w, _norm(texts[doc_id][page - 1]))
                    length += len(w)
                    n += 1
        if n:
            out["fact_words"] = {"snippets": n, "cer": round(dist / length * 100, 2)}
    return out


# ------------------------------------------------------------------ report

def backlog(truth: dict, res: dict) -> dict:
    """Deadline night from the measured figures: 37 units x 30 pages, the OCR plan's share of pages, 2 workers."""
    st = res.get("ocr_stats") or {}
    filings = [f for f in truth["filings"] if f["eml"] in res["after"]]
    pages_total = sum(t["physical_pages"] for f in filings for t in f["documents"])
    if not st.get("pages") or not filings:
        return {}
    cpu_page = st["cpu_s"] / st["pages"]
    share = st["pages"] / pages_total                     # pages the plan OCRs / all pages
    ocr_pages = BACKLOG_UNITS * BACKLOG_PAGES * share
    intake_cpu_unit = res["timings"].get("intake_parent_cpu_s", 0) / max(1, len(filings))
    hours = ocr_pages * cpu_page / BACKLOG_CORES / 3600
    first = [t for f in filings for t in f["documents"] if t["kind"] in ("cover_letter", "budget")]
    first_pages = BACKLOG_UNITS * BACKLOG_PAGES * sum(t["physical_pages"] for t in first) / pages_total
    return {"ocr_cpu_per_page_s": round(cpu_page, 2), "ocr_page_share": round(share, 3),
            "backlog_ocr_pages": round(ocr_pages), "minutes_two_workers": round(hours * 60, 1),
            "minutes_one_worker": round(hours * 120, 1),
            "minutes_cover_and_budget_first": round(first_pages * cpu_page / BACKLOG_CORES / 60, 1),
            "intake_parent_cpu_per_unit_s": round(intake_cpu_unit, 1)}


def report(truth: dict, res: dict, sc: dict, c: dict, bl: dict) -> str:
    lines = ["| fact | right | of | % | before OCR |", "|---|---|---|---|---|"]
    for k, (a, b) in sc["table"].items():
        bo = sc["before"].get(k)
        lines.append(f"| {k} | {a} | {b} | {a / b * 100:.0f} |" + (f" {bo[0]}/{bo[1]} |" if bo else " |") if b else
                     f"| {k} | 0 | 0 | — | |")
    lines.append("")
    lines.append(f"finding codes: {sc['codes']['tp']} right, {sc['codes']['fp']} extra, {sc['codes']['fn']} missing")
    lines.append(f"facts worse after OCR: {len(sc['worse'])}" + (": " + "; ".join(sc["worse"]) if sc["worse"] else ""))
    lines.append(f"spurious facts: subsidy {sc['spurious']['subsidy']}, period {sc['spurious']['period']}")
    if c.get("pages"):
        lines.append(f"OCR CER vs source text: {c['pages']['cer_total']} % over {c['pages']['pages']} pages "
                     f"(median page {c['pages']['cer_median']} %)")
    if c.get("fact_words"):
        lines.append(f"OCR CER on the words stating the facts: {c['fact_words']['cer']} % "
                     f"({c['fact_words']['snippets']} snippets)")
    st, tm = res.get("ocr_stats") or {}, res["timings"]
    if tm.get("ocr_cache_hits"):
        lines.append(f"(OCR cache: {tm['ocr_cache_hits']} pages not re-read; the OCR figures below cover the rest)")
    if st.get("pages"):
        lines.append(f"OCR: {st['pages']} pages, {st['cpu_s'] / st['pages']:.2f} CPU s and "
                     f"{st['worker_s'] / st['pages']:.2f} s a page (worker), wall {tm.get('ocr_wall_s')} s with the "
                     f"pool, worker peak RSS {tm.get('ocr_peak_rss_mib')} MiB")
    lines.append(f"intake: {tm['intake_s']} s wall, parent CPU {tm['intake_parent_cpu_s']} s; peak RSS: bench process "
                 f"{tm['self_peak_rss_mib']} MiB, largest child {tm['children_peak_rss_mib']} MiB")
    if bl:
        lines.append(f"deadline night ({BACKLOG_UNITS} units x {BACKLOG_PAGES} pages, OCR plan reads "
                     f"{bl['ocr_page_share'] * 100:.0f} % of pages = {bl['backlog_ocr_pages']} pages at "
                     f"{bl['ocr_cpu_per_page_s']} CPU s): every fact read after {bl['minutes_two_workers']} min on "
                     f"{BACKLOG_CORES} workers ({bl['minutes_one_worker']} min on one); cover letters and budgets "
                     f"first: {bl['minutes_cover_and_budget_first']} min")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--truth", type=Path, default=None, help="default: CORPUS/truth.json, else the reading corpus's")
    ap.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_OCR_WORKERS", "1")))
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--errors", action="store_true", help="list every wrong fact")
    ap.add_argument("--ocr-cache", type=Path, default=None, help="development: reuse OCR'd pages from this folder")
    args = ap.parse_args(argv)
    truth_path = args.truth or (args.corpus / "truth.json" if (args.corpus / "truth.json").exists()
                                else ROOT / "benchmarks" / "reading_corpus" / "truth.json")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    import logging

    logging.basicConfig(level=logging.WARNING)
    res = asyncio.run(run_pipeline(args.corpus, truth, workers=args.workers, ocr=not args.no_ocr,
                                   only=args.only, ocr_cache=args.ocr_cache))
    sc = score(truth, res)
    c = cer(args.corpus, truth, res)
    bl = backlog(truth, res)
    print(report(truth, res, sc, c, bl))
    if args.errors:
        print("\n".join(["", "wrong:"] + sc["errors"]))
    if args.json:
        res.pop("ocr_pages", None)
        args.json.write_text(json.dumps({"result": res, "score": sc, "cer": c, "backlog": bl}, ensure_ascii=False,
                                        indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
