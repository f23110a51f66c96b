"""Pre-check benchmark: prints per-filing check times (fast path vs OCR), a 25 MB filing end to end,
sustained filings/min, and peak RSS while a bomb is rejected.

    .venv/bin/python benchmarks/bench_checks.py [--runs 15] [--ocr-pages 2]
"""
from __future__ import annotations

import argparse
import asyncio
from types import SimpleNamespace
import os
import resource
import statistics
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.call import load_call  # noqa: E402
from precheck.analysis import analyse_attachments, ocr_document  # noqa: E402
from precheck.checks import DossierContext  # noqa: E402
from precheck.checks.registry import EXTRA_CHECKS  # noqa: E402
from precheck.files import worker  # noqa: E402
from precheck.parse import AttachmentPart, parse_mail  # noqa: E402
from tests.checks import builders as b  # noqa: E402


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def fmt(xs):
    return f"p50 {statistics.median(xs) * 1000:7.1f} ms   p95 {p95(xs) * 1000:7.1f} ms   (n={len(xs)})"


def rss_mib(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def scanned30() -> bytes:
    lines = ["山东省公共就业服务能力提升示范项目申报材料"] + ["一、项目背景与必要性。" * 3] * 30
    img = b.page_image(lines, seal=True, dpi=200)
    return b.scanned_pdf([img] * 30, dpi=200)


def text30() -> bytes:
    return b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案"] + ["正文内容，实施期限：2年。" * 4] * 40] * 30)


def mail_25mb(pdf: bytes) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "sdczt@163.com", "sbsjyc@163.com", "山东省申报材料"
    m["Message-ID"] = "<bench@example.cn>"
    m.set_content("请查收。")
    m.add_attachment(pdf, maintype="application", subtype="pdf", filename="申报材料.pdf")
    m.add_attachment(b.budget_xlsx(), maintype="application", subtype="octet-stream", filename="资金预算表.xlsx")
    return m.as_bytes()


def checks_on(docs, call):
    rows = [d for d in docs if not d.analysis.get("container")]
    for i, d in enumerate(rows):
        d.id, d.submission_id = i, 1
    sub = SimpleNamespace(id=1, ref="S000001")
    ctx = DossierContext(call=call, province="山东省", now=None, submissions=[sub], documents=rows, all_documents=rows)
    return [f for c in EXTRA_CHECKS for f in c.check(ctx)]


async def main(runs: int, ocr_pages: int) -> None:
    call = load_call()
    tol = call.limits.a4_tolerance
    scan, text = scanned30(), text30()
    print(f"inputs: scanned30 {len(scan) / 1e6:.1f} MB, text30 {len(text) / 1e6:.2f} MB, cores {os.cpu_count()}")

    print("\n1. geometry + text-layer detection in one process (pikepdf metadata; warm)")
    for name, data in (("scanned30", scan), ("text30", text)):
        worker.geometry_only(data, tol)
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            worker.geometry_only(data, tol)
            ts.append(time.perf_counter() - t0)
        print(f"   {name:10s} {fmt(ts)}")

    print("\n2. full per-file fast path in a sandboxed child (geometry, text, tables, seal on pages 1, 2 and last)")
    for name, data in (("scanned30", scan), ("text30", text)):
        ts = []
        for _ in range(runs):
            t0 = time.perf_counter()
            res = await analyse_attachments([AttachmentPart(f"{name}.pdf", "application/pdf", data, "")], call=call)
            checks_on(res.documents, call)
            ts.append(time.perf_counter() - t0)
        d = res.documents[0]
        print(f"   {name:10s} {fmt(ts)}   pages {d.page_detail['arithmetic']}, seal {d.analysis['seal']['found']}")

    print(f"\n3. OCR of {ocr_pages} pages of scanned30 (background step; warm RapidOCR worker, 1 thread)")
    from precheck.ocr_worker import close_default_pool

    [d] = (await analyse_attachments([AttachmentPart("scanned30.pdf", "application/pdf", scan, "")],
                                     call=call)).documents
    t0 = time.perf_counter()
    upd, _pages = await ocr_document(scan, "scanned30.pdf", "application/pdf", d.analysis, call, kind="cover_letter",
                                     chunk=ocr_pages)
    el = time.perf_counter() - t0
    close_default_pool()
    o = upd["analysis"]["ocr"]
    print(f"   {el:.2f} s total incl. engine start, {o.get('cpu', 0) / ocr_pages:.2f} CPU s/page, "
          f"status {o['status']}, title {upd['analysis'].get('title', '')[:30]!r}")

    print("\n4. a 25 MB filing: parse the stored message → analyse (children) → dossier checks")
    big = b.scanned_pdf([b.page_image(["佐证材料"] + ["内容" * 20] * 35, dpi=200)] * 36, dpi=200, quality=75)
    raw = mail_25mb(big)
    print(f"   message {len(raw) / 1e6:.1f} MB (PDF {len(big) / 1e6:.1f} MB, 36 pages; + xlsx via LibreOffice)")
    ts, ts_pdf = [], []
    for _ in range(max(3, runs // 3)):
        t0 = time.perf_counter()
        parsed = parse_mail(raw)
        res = await analyse_attachments(parsed.attachments, html_body=parsed.html_body, call=call)
        checks_on(res.documents, call)
        ts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        parsed = parse_mail(raw)
        res = await analyse_attachments([a for a in parsed.attachments if a.filename.endswith(".pdf")], call=call)
        ts_pdf.append(time.perf_counter() - t0)
    print(f"   with xlsx  {fmt(ts)}")
    print(f"   PDF only   {fmt(ts_pdf)}")

    print("\n5. sustained throughput: text30 + scanned30 + xlsx filings, 2 at a time")
    filing = [AttachmentPart("申报材料.pdf", "application/pdf", scan, ""), AttachmentPart("实施方案.pdf", "application/pdf", text, ""),
              AttachmentPart("资金预算表.xlsx", "application/octet-stream", b.budget_xlsx(), "")]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 30:
        await asyncio.gather(*(analyse_attachments(filing, call=call) for _ in range(2)))
        n += 2
    el = time.perf_counter() - t0
    print(f"   {n} filings in {el:.1f} s = {n / el * 60:.0f} filings/min")
    filing_pdf = filing[:2]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 20:
        await asyncio.gather(*(analyse_attachments(filing_pdf, call=call) for _ in range(2)))
        n += 2
    el = time.perf_counter() - t0
    print(f"   PDF-only filings: {n / el * 60:.0f} filings/min")

    print("\n6. bombs: a fresh process (like the daemon) rejects them; its own peak RSS")
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("flate-bomb.pdf", b.flate_bomb_pdf(1500)), ("zip-bomb.zip", b.zip_bomb(600)),
                           ("5000-pages.pdf", b.many_pages_pdf(5000))):
            p = Path(tmp) / name
            p.write_bytes(data)
            paths.append(str(p))
        r = subprocess.run([sys.executable, __file__, "--bombs", *paths], capture_output=True, text=True, timeout=300)
        print(r.stdout.rstrip() or r.stderr[-2000:])


def vm_rss_mib() -> float:
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")) / 1024


async def bombs(paths: list[str]) -> None:
    """ru_maxrss survives fork+exec (it would report the benchmark's own peak), so sample VmRSS instead."""
    import threading

    call = load_call()
    base, peak, stop = vm_rss_mib(), [0.0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], vm_rss_mib())
            time.sleep(0.01)

    threading.Thread(target=sample, daemon=True).start()
    for p in paths:
        data = Path(p).read_bytes()
        t0 = time.perf_counter()
        res = await analyse_attachments([AttachmentPart(Path(p).name, "application/octet-stream", data, "")], call=call)
        d = res.documents[0]
        del data
        print(f"   {Path(p).name:16s} {os.path.getsize(p) / 1e6:6.1f} MB {time.perf_counter() - t0:5.2f} s → "
              f"{[f.code for f in d.findings] or d.page_detail['arithmetic']}")
    stop.set()
    print(f"   daemon-side peak RSS {peak[0]:.0f} MiB (after imports {base:.0f} MiB; sampled every 10 ms); "
          "children capped at 1 GiB address space")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--ocr-pages", type=int, default=2)
    ap.add_argument("--bombs", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    asyncio.run(bombs(a.bombs) if a.bombs else main(a.runs, a.ocr_pages))
