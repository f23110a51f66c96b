"""Write the reading corpus: the documents and the .eml files of the filings described by truth.json.

    python benchmarks/reading_corpus/make_corpus.py OUTDIR [--seed N] [--only NAME] [--keep-work]

NAME is an .eml name (f05_zhejiang or f05_zhejiang.eml) or a province (浙江省); repeat --only for several.
Output: OUTDIR/docs/<filing>/<attachment>, OUTDIR/eml/<filing>.eml, OUTDIR/manifest.json.
Tools: python-docx and openpyxl write the office files, LibreOffice headless renders them to PDF, poppler's
pdftoppm rasterises pages for scans, numpy/OpenCV/Pillow degrade them, seals are drawn by seals.py, and the
scans are assembled by img2pdf, ImageMagick, Pillow, reportlab or tesseract (see finish.py).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import documents as D  # noqa: E402
import finish as F  # noqa: E402
import mail as M  # noqa: E402
from recipes import FILINGS  # noqa: E402

TRUTH = HERE / "truth.json"


def attachment_titles(filing: dict) -> list[str]:
    """The 附件 list a cover letter gives: one line per attached document, cover and 目录 excepted."""
    out = []
    for d in filing["documents"]:
        city = (d.get("cities") or [""])[0]
        k = d["kind"]
        if k == "plan":
            out.append(f"{city}公共就业服务能力提升示范项目实施方案")
        elif k == "budget":
            out.append(f"{city}公共就业服务能力提升示范项目资金预算表")
        elif k == "performance_targets":
            out.append(f"{city}公共就业服务能力提升示范项目绩效目标表")
        elif k == "evidence":
            out.append("佐证材料")
        elif k == "prior_report":
            out.append(f"{filing['province']}2022年公共就业服务能力提升示范项目执行情况报告")
    return out


def make_ctx(filing: dict, frec: dict, doc: dict, rec: dict, seed: int) -> D.Ctx:
    city = rec.get("city") or filing["projects"][0]["city"]
    project = next(p for p in filing["projects"] if p["city"] == city)
    return D.Ctx(province=filing["province"], short=frec["short"], city=city, project=project,
                 start=tuple(frec["starts"][city]), doc_no=frec["doc_no"], date=frec["date"],
                 rng=random.Random(f"{seed}/{filing['eml']}/{doc['file']}"),
                 cities=[p["city"] for p in filing["projects"]], attachments=attachment_titles(filing),
                 signers=tuple(frec["signers"]))


def build_one(args) -> D.Stated:
    src, path, ctx, rec = args
    return D.BUILDERS[src](path, ctx, rec)


def soffice(files: list[Path], outdir: Path, work: Path) -> None:
    """Render office files to PDF with LibreOffice headless: two instances, each with its own profile."""
    outdir.mkdir(parents=True, exist_ok=True)
    halves = [files[0::2], files[1::2]]
    procs = []
    for i, part in enumerate(halves):
        if not part:
            continue
        profile = work / f"lo-profile-{i}"
        cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, part)]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"soffice failed: {err.decode(errors='replace')[:400]}")


def pdf_pages(path: Path) -> int:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def select(truth: dict, only: list[str] | None) -> list[dict]:
    if not only:
        return truth["filings"]
    want = {o.removesuffix(".eml") for o in only}
    picked = [f for f in truth["filings"] if f["eml"].removesuffix(".eml") in want or f["province"] in want]
    if not picked:
        raise SystemExit(f"--only {only}: no such filing (names: {[f['eml'] for f in truth['filings']]})")
    return picked


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--only", action="append")
    ap.add_argument("--keep-work", action="store_true", help="keep OUTDIR/.work (office sources, rendered PDFs)")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    t0 = time.monotonic()
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    filings = select(truth, a.only)
    out = a.outdir.resolve()
    work = out / ".work"
    if work.exists():
        shutil.rmtree(work)
    (work / "src").mkdir(parents=True)
    missing = [(f["eml"], d["file"]) for f in filings for d in f["documents"] if d["file"] not in FILINGS[f["eml"]]["docs"]]
    if missing:
        raise SystemExit(f"no recipe for {missing}")

    # 1. office sources (python-docx / openpyxl), in worker processes
    plan = []
    for f in filings:
        frec = FILINGS[f["eml"]]
        stem = f["eml"].removesuffix(".eml")
        for i, doc in enumerate(f["documents"]):
            r = frec["docs"][doc["file"]]
            ext = ".xlsx" if r["src"].endswith("xlsx") else ".docx"
            plan.append((f, doc, r, work / "src" / f"{stem}__{i:02d}{ext}", make_ctx(f, frec, doc, r, a.seed)))
    with ProcessPoolExecutor(max_workers=a.workers) as ex:
        stated_all = list(ex.map(build_one, [(r["src"], path, ctx, r["rec"]) for f, doc, r, path, ctx in plan]))
    items = [(f, doc, r, path, st) for (f, doc, r, path, _), st in zip(plan, stated_all)]
    print(f"[{time.monotonic() - t0:6.1f}s] wrote {len(items)} office files")

    # 2. LibreOffice → PDF
    soffice([it[3] for it in items], work / "pdf", work)
    bad = []
    for f, doc, r, path, stated in items:
        pdf = work / "pdf" / (path.stem + ".pdf")
        n = pdf_pages(pdf)
        if n != doc["physical_pages"]:
            bad.append(f"{f['eml']} / {doc['file']}: rendered {n} pages, truth says {doc['physical_pages']}")
    if bad:
        raise SystemExit("page counts differ from truth.json:\n  " + "\n  ".join(bad))
    print(f"[{time.monotonic() - t0:6.1f}s] LibreOffice rendered {len(items)} documents; page counts agree with truth.json")

    # 3. attachments (scans, photos, PDFs), in worker processes, biggest first
    jobs = []
    for f, doc, r, path, stated in items:
        stem = f["eml"].removesuffix(".eml")
        jobs.append({"src": str(work / "pdf" / (path.stem + ".pdf")), "office": str(path),
                     "out": str(out / "docs" / stem / doc["file"]), "spec": r["out"], "seals": stated.seals,
                     "seed": a.seed, "key": f"{f['eml']}/{doc['file']}", "when": f["date_header"],
                     "_cost": doc["physical_pages"] * (r["out"].get("dpi", 250) ** 2 if r["out"]["mode"] != "pdf" else 1000)
                              * (8 if r["out"].get("producer") == "tesseract" else 1)})
    results: dict[str, dict] = {}
    seconds: dict[str, float] = {}
    order = sorted(range(len(jobs)), key=lambda k: -jobs[k]["_cost"])
    done = 0
    with ProcessPoolExecutor(max_workers=a.workers) as ex:
        futs = {ex.submit(F.finish, jobs[k]): k for k in order}
        for fut in as_completed(futs):
            k = futs[fut]
            res = fut.result()
            seconds[jobs[k]["key"]] = res.pop("_seconds")
            results[jobs[k]["key"]] = res
            done += 1
            if done % 10 == 0 or done == len(jobs):
                print(f"[{time.monotonic() - t0:6.1f}s] {done}/{len(jobs)} attachments made")

    # 4. e-mails (and the zipped filing)
    (out / "eml").mkdir(parents=True, exist_ok=True)
    manifest = {"seed": a.seed, "filings": []}
    for f in filings:
        frec = FILINGS[f["eml"]]
        stem = f["eml"].removesuffix(".eml")
        docs_dir = out / "docs" / stem
        atts = [(d["file"], (docs_dir / d["file"]).read_bytes()) for d in f["documents"]]
        if "zip" in frec:
            zpath = docs_dir / frec["zip"]["name"]
            M.gbk_zip(atts, zpath)
            atts = [(frec["zip"]["name"], zpath.read_bytes())]
        raw = M.build(f, frec["mail"], atts, a.seed)
        (out / "eml" / f["eml"]).write_bytes(raw)
        entry = {"eml": f["eml"], "bytes": len(raw), "documents": []}
        for (ff, doc, r, path, stated) in (it for it in items if it[0] is f):
            res = results[f"{f['eml']}/{doc['file']}"]
            entry["documents"].append({
                "file": doc["file"], "path": f"docs/{stem}/{doc['file']}", "builder": r["src"], **res,
                "stated": {"cities": stated.cities, "central_wan": stated.central_wan, "central_text": stated.central_text,
                           "period_months": stated.period_months, "period_text": stated.period_text,
                           "central_page": stated.central_page, "period_page": stated.period_page, "joint": stated.joint},
                "pages_built": stated.pages or doc["physical_pages"]})
        manifest["filings"].append(entry)
    mpath = out / "manifest.json"
    if a.only and mpath.exists():  # a partial run keeps the other filings' entries
        old = json.loads(mpath.read_text(encoding="utf-8"))
        if old.get("seed") == a.seed:
            mine = {e["eml"] for e in manifest["filings"]}
            keep = [e for e in old["filings"] if e["eml"] not in mine]
            order = [f["eml"] for f in truth["filings"]]
            manifest["filings"] = sorted(keep + manifest["filings"], key=lambda e: order.index(e["eml"]))
    mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    if not a.keep_work:
        shutil.rmtree(work)
    slow = sorted(seconds.items(), key=lambda kv: -kv[1])[:5]
    print(f"[{time.monotonic() - t0:6.1f}s] attachment CPU time {sum(seconds.values()):.0f} s; slowest: "
          + ", ".join(f"{k.split('/', 1)[1][:24]} {v:.0f}s" for k, v in slow))
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and ".work" not in p.parts)
    eml = sum(p.stat().st_size for p in (out / "eml").glob("*.eml"))
    print(f"[{time.monotonic() - t0:6.1f}s] done: {len(filings)} filings, {len(items)} documents, "
          f"{total / 1e6:.1f} MB in {out} (e-mails {eml / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
