"""Measure OCR engines on the study set (benchmarks/ocr_study/corpus.py): CER, CPU, wall, memory, load time.

    python -m benchmarks.ocr_study.measure run ENGINE --budget 3508 [--max-side N] [--threads 1] [--pages a,b]
    python -m benchmarks.ocr_study.measure cold ENGINE PAGE_ID --budget 3508 [--cap-mib 1536]
    python -m benchmarks.ocr_study.measure render PAGE_ID --dpi 300            # memory of rendering alone

ENGINE: tess (tesseract chi_sim --psm 6 exactly as precheck/files/page_images.py calls it), tess_rules (the same after
whitening ruled lines), rapid3 (rapidocr 3.x, PP-OCRv6 small models shipped in its wheel), rapid14
(rapidocr-onnxruntime 1.4.x, PP-OCRv4 mobile models shipped in its wheel).
Every page image is first wrapped in a PDF (img2pdf, at the page's own dpi, as a scanner would) and rendered
back with pypdfium2 under the pixel budget (long side <= budget px, at most 300 dpi), so what is measured is what
the background OCR would see. Each ``run`` is one warm worker process: results go to stdout as JSON.
Study-only extras (not project dependencies): ``rapidocr-onnxruntime==1.4.4`` for rapid14 (it pulls opencv-python,
which shares the cv2 folder with rapidocr's opencv-python-headless: use a separate venv for anything but this
study), ``rapidfuzz`` for a fast edit distance (a pure-Python one is used without it).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
import unicodedata
from pathlib import Path

CORPUS = Path(os.environ.get("OCR_CORPUS", "/tmp/ocr-corpus"))


def status_mib() -> dict:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmPeak", "VmSize", "VmHWM", "VmRSS"):
                out[k] = round(int(v.split()[0]) / 1024)
    return out


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# ---------------------------------------------------------------- input: image -> PDF -> render under a budget

def page_pdf(entry: dict) -> bytes:
    import img2pdf
    return img2pdf.convert(str(CORPUS / entry["file"]))


def render(pdf: bytes, budget: int, max_dpi: float = 300.0):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from precheck.files.ocr_engine import render_pdf_page
    return render_pdf_page(pdf, 0, max_long_px=budget, max_dpi=max_dpi)


# ---------------------------------------------------------------- engines

class Tess:
    name = "tess"

    def __init__(self, args):
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from precheck.files.page_images import ocr_image
        self.ocr_image = ocr_image
        self.whiten = args.engine == "tess_rules"

    def load(self):
        pass

    def __call__(self, img):
        if self.whiten:
            img = whiten_rules(img)
        text = self.ocr_image(img, timeout=600)
        return [(ln, None, None) for ln in text.splitlines() if ln.strip()]


def whiten_rules(img):
    """Paint long horizontal and vertical dark runs (table rules) white; characters are far shorter."""
    import cv2
    import numpy as np

    g = np.asarray(img.convert("L"))
    _t, bw = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h_len, v_len = max(30, g.shape[1] // 8), max(30, g.shape[0] // 20)   # ~26 mm and ~15 mm on an A4 page
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    mask = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    out = g.copy()
    out[mask > 0] = 255
    from PIL import Image
    return Image.fromarray(out)


class Rapid:
    def __init__(self, args):
        self.args = args
        self.name = args.engine

    def load(self):
        import cv2
        cv2.setNumThreads(self.args.threads)
        t = self.args.threads
        if self.args.engine == "rapid3":
            from rapidocr import RapidOCR
            import rapidocr
            root = Path(rapidocr.__file__).parent / "models"
            self.eng = RapidOCR(params={
                "Global.log_level": "warning", "Global.max_side_len": self.args.max_side,
                "Det.model_path": str(root / "PP-OCRv6_det_small.onnx"),
                "Cls.model_path": str(root / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                "Rec.model_path": str(root / "PP-OCRv6_rec_small.onnx"),
                **({"Det.limit_type": "max", "Det.limit_side_len": self.args.det_limit} if self.args.det_limit else {}),
                "EngineConfig.onnxruntime.intra_op_num_threads": t,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1})
            self.eng._load_det_model(); self.eng._load_cls_model(); self.eng._load_rec_model()
        else:
            from rapidocr_onnxruntime import RapidOCR
            kw = {"det_limit_type": "max", "det_limit_side_len": self.args.det_limit} if self.args.det_limit else {}
            self.eng = RapidOCR(max_side_len=self.args.max_side, intra_op_num_threads=t, inter_op_num_threads=1, **kw)

    def __call__(self, img):
        import numpy as np
        arr = np.asarray(img.convert("RGB"))[:, :, ::-1].copy()    # BGR, as cv2.imread gives
        if self.args.engine == "rapid3":
            r = self.eng(arr)
            if r.txts is None:
                return []
            return [(t, [tuple(map(float, p)) for p in b], float(s)) for b, t, s in zip(r.boxes, r.txts, r.scores)]
        res, _el = self.eng(arr)
        return [(t, [tuple(map(float, p)) for p in b], float(s)) for b, t, s in (res or [])]


def make_engine(args):
    return Tess(args) if args.engine.startswith("tess") else Rapid(args)


# ---------------------------------------------------------------- scoring

def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace())


def rows_in_order(items: list[tuple[str, float, float, float]]) -> list[str]:
    """(text, x_centre, y_centre, height) -> texts in reading order: rows by y overlap, then x."""
    items = sorted(items, key=lambda t: t[2])
    rows: list[list] = []
    for it in items:
        if rows and abs(it[2] - rows[-1][0][2]) <= 0.5 * max(it[3], rows[-1][0][3]):
            rows[-1].append(it)
        else:
            rows.append([it])
    return [t[0] for r in rows for t in sorted(r, key=lambda t: t[1])]


def truth_text(entry: dict) -> str:
    tr = entry["truth"]
    if entry["kind"] != "table":
        return "".join(norm(t["text"]) for t in tr)
    return "".join(norm(t) for t in rows_in_order([(t["text"], t["x"], t["y"], 4.0) for t in tr]))


def ocr_text(lines: list, kind: str) -> str:
    if not lines or lines[0][1] is None:          # tesseract: its own line order
        return "".join(norm(t) for t, _b, _s in lines)
    from precheck.files.ocr_engine import Line, reading_order
    ls = []
    for t, q, s in lines:
        xs, ys = [p[0] for p in q], [p[1] for p in q]
        ls.append(Line(t, (min(xs), min(ys), max(xs), max(ys)), s, tuple(q)))
    return "".join(norm(l.text) for l in reading_order(ls))


def levenshtein(a: str, b: str) -> int:
    try:
        from rapidfuzz.distance import Levenshtein
        return Levenshtein.distance(a, b)
    except ImportError:                            # pure Python: fine for a page (~1 s for 1500 x 1500)
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]


def cer(ref: str, hyp: str) -> float:
    return levenshtein(ref, hyp) / max(1, len(ref))


def bag_err(ref: str, hyp: str) -> float:
    """Order-free: characters missing plus characters extra, over the reference length."""
    from collections import Counter
    a, b = Counter(ref), Counter(hyp)
    return (sum((a - b).values()) + sum((b - a).values())) / max(1, len(ref))


# ---------------------------------------------------------------- commands

def cmd_run(args) -> dict:
    if args.cap_mib:                               # the whole warm worker under the cap, as the sandbox would set it
        resource.setrlimit(resource.RLIMIT_AS, (args.cap_mib << 20, resource.RLIM_INFINITY))
    entries = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    if args.pages:
        want = args.pages.split(",")
        entries = [e for e in entries if e["id"] in want or e["doc"] in want or e["degradation"] in want]
    eng = make_engine(args)
    before = status_mib()
    t0, c0 = time.perf_counter(), cpu_self()
    eng.load()
    load = {"wall_s": round(time.perf_counter() - t0, 2), "cpu_s": round(cpu_self() - c0, 2), **status_mib()}
    pages = []
    for e in entries:
        pdf = page_pdf(e)
        img = render(pdf, args.budget)
        w0, c0, k0 = time.perf_counter(), cpu_self(), cpu_children()
        lines = eng(img)
        wall, cpu = time.perf_counter() - w0, (cpu_self() - c0) + (cpu_children() - k0)
        ref, hyp = truth_text(e), ocr_text(lines, e["kind"])
        pages.append({"id": e["id"], "doc": e["doc"], "kind": e["kind"], "dpi": e["dpi"], "degr": e["degradation"],
                      "px": list(img.size), "cer": round(cer(ref, hyp), 4), "bag": round(bag_err(ref, hyp), 4),
                      "n_ref": len(ref), "n_lines": len(lines), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                      "rss_mib": status_mib()["VmRSS"], "hyp": hyp if args.keep_text else None,
                      "lines": [[t, q, sc] for t, q, sc in lines] if args.keep_text else None})
        print(f"{e['id']:22s} {img.size[0]}x{img.size[1]} cer {pages[-1]['cer']:.3f} cpu {cpu:.1f}s",
              file=sys.stderr)
    tess_child_rss = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return {"engine": args.engine, "budget": args.budget, "max_side": args.max_side, "threads": args.threads,
            "det_limit": args.det_limit, "cap_mib": args.cap_mib,
            "before": before, "load": load, "end": status_mib(), "child_maxrss_mib": tess_child_rss, "pages": pages}


def cmd_cold(args) -> dict:
    """One fresh process: (optional RLIMIT_AS cap) load the engine, OCR one page, report memory."""
    if args.cap_mib:
        resource.setrlimit(resource.RLIMIT_AS, (args.cap_mib << 20, resource.RLIM_INFINITY))
    entries = {e["id"]: e for e in json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))}
    e = entries[args.page]
    t0, c0 = time.perf_counter(), cpu_self()
    try:
        eng = make_engine(args)
        eng.load()
        t_load = time.perf_counter() - t0
        img = render(page_pdf(e), args.budget)
        lines = eng(img)
        ok, err = True, ""
    except BaseException as exc:                   # noqa: BLE001 - we report what the cap did
        ok, err, lines, t_load = False, f"{type(exc).__name__}: {str(exc)[:200]}", [], 0.0
    return {"engine": args.engine, "page": args.page, "cap_mib": args.cap_mib, "ok": ok, "error": err,
            "lines": len(lines), "load_s": round(t_load, 2), "total_s": round(time.perf_counter() - t0, 2),
            "total_cpu_s": round(cpu_self() - c0 + cpu_children(), 2),
            "child_maxrss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            **status_mib()}


def cmd_render(args) -> dict:
    entries = {e["id"]: e for e in json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))}
    pdf = page_pdf(entries[args.page])
    t0 = time.perf_counter()
    img = render(pdf, args.budget, args.dpi)
    return {"page": args.page, "dpi": args.dpi, "budget": args.budget, "px": list(img.size),
            "s": round(time.perf_counter() - t0, 2), **status_mib()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "cold", "render"):
        p = sub.add_parser(name)
        if name != "render":
            p.add_argument("engine", choices=["tess", "tess_rules", "rapid3", "rapid14"])
        if name != "run":
            p.add_argument("page")
        p.add_argument("--budget", type=int, default=3508)
        p.add_argument("--max-side", type=int, default=0, help="engine's own max_side_len (0: = budget)")
        p.add_argument("--threads", type=int, default=1)
        p.add_argument("--det-limit", type=int, default=0, help="detector input long side (0: package default)")
        p.add_argument("--pages", default="")
        p.add_argument("--keep-text", action="store_true")
        p.add_argument("--cap-mib", type=int, default=0)
        p.add_argument("--dpi", type=float, default=300.0)
    args = ap.parse_args(argv)
    if not getattr(args, "max_side", 0):
        args.max_side = args.budget
    out = {"run": cmd_run, "cold": cmd_cold, "render": cmd_render}[args.cmd](args)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
