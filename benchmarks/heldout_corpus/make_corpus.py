"""Render the held-out reading corpus from truth.json (which it never changes).

    python benchmarks/heldout_corpus/make_corpus.py [OUTDIR] [--only h03_qinghai] [--seed 2024] [--workers 2]

OUTDIR (default benchmarks/out/heldout_corpus, ignored by git) gets docs/<filing>/<attachment>, eml/<filing>.eml,
text/<filing>/<attachment>.txt (the printed words per page, pages split by form feeds), manifest.json and a copy of
truth.json, so ``bench_reading.py OUTDIR`` scores it directly.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
import zlib
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from benchmarks.heldout_corpus.content import BUILDERS  # noqa: E402

TRUTH = HERE / "truth.json"
# Pillow's PDF writer stamps the current time unless told: fixed, so a seed gives the same bytes
STAMP = {"creationDate": time.gmtime(1679362200), "modDate": time.gmtime(1679362200)}    # 2023-03-21 09:30 +08


def render(job):
    """One document: (filing, document, seed, outdir) -> its manifest entry. Runs in a worker process."""
    from benchmarks.heldout_corpus import pdfout, raster

    f, d, seed, out = job
    rng = random.Random(zlib.crc32(f"{seed}/{f['eml']}/{d['file']}".encode()))
    r = d["render"]
    pages, stated = BUILDERS[d["kind"]](f, d, rng)
    assert len(pages) == d["physical_pages"], (d["file"], len(pages))
    folder = Path(out) / "docs" / f["eml"].rsplit(".", 1)[0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / d["file"]
    dpi, q = r.get("dpi", 200), r.get("jpeg", 75)
    body = rng.choice(["song", "song", "serif"])
    route = r["out"]
    if route == "digital":
        k = 300 / 25.4
        seals = {i: [(s, raster.seal_image(s, k, rng)) for s in p.seals] for i, p in enumerate(pages) if p.seals}
        for p in pages:
            p.seals = []
        pdfout.digital(pages, path, seals)
    else:
        pdpi = 150 if route in ("photo", "jpg_photo") else dpi
        ims = [raster.draw_page(p, pdpi, body) for p in pages]
        if route in ("photo", "jpg_photo"):
            shots = [raster.photo(im, rng) for im in ims]
            if route == "jpg_photo":
                shots[0].save(path, "JPEG", quality=84, dpi=(72, 72))
            else:
                shots[0].save(path, "PDF", save_all=True, append_images=shots[1:], resolution=72.0, quality=80,
                              producer="iOS Version 16.3.1 (Build 20D67) Quartz PDFContext", title="", **STAMP)
        else:
            color = d["color"]
            scans = [raster.scan(im, rng, skew=r.get("skew", 0.0) * rng.choice([1, -1]) * rng.uniform(0.85, 1.15),
                                 stain=r.get("stain", False) and i == 0, color=color) for i, im in enumerate(ims)]
            if color == "bw":
                scans = [raster.bw(im, r.get("dither", False)) for im in scans]
            if route == "layer":
                pdfout.layered(scans, pages, dpi, path, q)
            elif route == "tiff":
                extra = {"compression": "group4"} if color == "bw" else {"compression": "jpeg", "quality": q}
                scans[0].save(path, "TIFF", save_all=True, append_images=scans[1:], dpi=(dpi, dpi), **extra)
            else:
                extra = {} if color == "bw" else {"quality": q}
                scans[0].save(path, "PDF", save_all=True, append_images=scans[1:], resolution=float(dpi),
                              **extra, producer="Canon iR-ADV C5535 PDF", title=d["file"].rsplit(".", 1)[0], **STAMP)
    text = "\f".join(p.text() for p in pages)
    tdir = Path(out) / "text" / f["eml"].rsplit(".", 1)[0]
    tdir.mkdir(parents=True, exist_ok=True)
    (tdir / (d["file"] + ".txt")).write_text(text, encoding="utf-8")
    data = path.read_bytes()
    return {"file": d["file"], "route": route, "dpi": dpi, "body_font": body, "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data), "seals": [s.unit for p in pages for s in p.seals] if route != "digital" else
            [s.unit for v in seals.values() for s, _ in v], "stated": stated}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", nargs="?", type=Path, default=HERE.parents[1] / "benchmarks" / "out" / "heldout_corpus")
    ap.add_argument("--only", action="append", default=[], help="a filing (h03_qinghai) or a province; repeatable")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    filings = [f for f in truth["filings"]
               if not args.only or f["eml"].rsplit(".", 1)[0] in args.only or f["province"] in args.only]
    out = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    jobs = [(f, d, args.seed, str(out)) for f in filings for d in f["documents"]]
    if args.workers > 1:
        with Pool(args.workers, maxtasksperchild=8) as pool:   # a worker that made a 12 MP photo gives its memory back
            done = pool.map(render, jobs, chunksize=1)
    else:
        done = [render(j) for j in jobs]
    t1 = time.perf_counter()
    from benchmarks.heldout_corpus.mail import message

    (out / "eml").mkdir(exist_ok=True)
    manifest = {"seed": args.seed, "filings": []}
    it = iter(done)
    for f in filings:
        docs = [next(it) for _ in f["documents"]]
        folder = out / "docs" / f["eml"].rsplit(".", 1)[0]
        raw = message(f, [(d["file"], (folder / d["file"]).read_bytes()) for d in f["documents"]])
        (out / "eml" / f["eml"]).write_bytes(raw)
        manifest["filings"].append({"eml": f["eml"], "documents": docs})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copyfile(TRUTH, out / "truth.json")
    print(f"{len(filings)} filings, {len(jobs)} documents in {time.perf_counter() - t0:.1f} s "
          f"(documents {t1 - t0:.1f} s) -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
