"""OCR of one page image into text lines with boxes: RapidOCR 3.x (PP-OCRv6 small det/rec + PP-OCR mobile cls,
the three ONNX models shipped inside the ``rapidocr`` wheel) on onnxruntime's CPU provider.

    lines = ocr_page(image)            # [Line(text, box=(x0, y0, x1, y1), score, quad), ...] in reading order
    image = render_pdf_page(pdf_bytes, 0)   # pypdfium2 under a pixel budget (long side <= 3508 px, <= 300 dpi)

The engine is built once per process, on first use, from explicit model paths: with a model path given, rapidocr
takes no download code path and the recogniser's dictionary comes from the model's own metadata, so it starts with
no network (tests/precheck/test_ocr_engine.py proves it in a network namespace). Figures behind every constant:
docs/ocr-engine.md.
"""
from __future__ import annotations

import math
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

MAX_LONG_PX = 3508          # pixel budget of a rendered page's long side: A4 at 300 dpi is 2480 x 3508
MAX_DPI = 300.0             # never render finer than this, whatever the budget allows
DET_LONG_PX = 1760          # the detector sees the page at most this long (A4 at ~150 dpi); crops keep the budget's
THREADS = 1                 # onnxruntime intra-op threads per worker: a 2nd spins on a shared 2-core machine
MODELS = {"det": "PP-OCRv6_det_small.onnx", "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
          "rec": "PP-OCRv6_rec_small.onnx"}


@dataclass(frozen=True)
class Line:
    text: str
    box: tuple[int, int, int, int]                 # x0, y0, x1, y1 in pixels of the image given
    score: float                                   # recogniser confidence 0..1
    quad: tuple[tuple[float, float], ...] = ()     # the detector's 4 corner points (skewed text keeps its slant)


# ---------------------------------------------------------------- rendering under a pixel budget

def render_scale(w_pt: float, h_pt: float, *, max_long_px: int = MAX_LONG_PX, max_dpi: float = MAX_DPI) -> float:
    """pypdfium2 scale (pixels per point) for a page of w_pt x h_pt: at most ``max_dpi``, and the long side at most
    ``max_long_px`` pixels. A photographed sheet saved at 72 dpi (a 1 m "page") gets the budget, not 300 dpi."""
    long_pt = max(abs(w_pt), abs(h_pt), 1e-6)
    return min(max_dpi / 72.0, max_long_px / long_pt)


def render_pdf_page(pdf, index: int, *, max_long_px: int = MAX_LONG_PX, max_dpi: float = MAX_DPI):
    """Render page ``index`` (0-based) of ``pdf`` (bytes, a path, or a ``pypdfium2.PdfDocument``) as an RGB PIL
    image under the pixel budget."""
    import pypdfium2 as pdfium

    own = not isinstance(pdf, pdfium.PdfDocument)
    doc = pdfium.PdfDocument(pdf) if own else pdf
    try:
        page = doc[index]
        try:
            w, h = page.get_size()
            bitmap = page.render(scale=render_scale(w, h, max_long_px=max_long_px, max_dpi=max_dpi))
            return bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        if own:
            doc.close()


def fit_image(img, max_long_px: int = MAX_LONG_PX):
    """An image file's page (a phone photo of 3024 x 4032, say) shrunk to the pixel budget; smaller ones unchanged."""
    long_px = max(img.size)
    if long_px <= max_long_px:
        return img
    k = max_long_px / long_px
    return img.resize((max(1, round(img.width * k)), max(1, round(img.height * k))))


# ---------------------------------------------------------------- the engine (one per process, lazy)

_engine = None
_lock = threading.Lock()


def model_paths() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).resolve().parent / "models"
    return {k: root / v for k, v in MODELS.items()}


def _build(threads: int, max_side: int, det_long: int):
    import cv2
    from rapidocr import RapidOCR

    cv2.setNumThreads(threads)
    paths = model_paths()
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:                                     # never let rapidocr fall back to downloading them
        raise FileNotFoundError("OCR model files missing from the rapidocr wheel: " + ", ".join(missing))
    eng = RapidOCR(params={
        "Global.log_level": "warning",
        "Global.max_side_len": max_side,            # keep what we rendered: rapidocr would shrink to 2000 px
        "Det.limit_type": "max", "Det.limit_side_len": det_long,   # not "min 736", which blows up a small image
        "Det.model_path": str(paths["det"]), "Cls.model_path": str(paths["cls"]), "Rec.model_path": str(paths["rec"]),
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })
    # rapidocr loads each model on first need; load all three now so start-up cost and failures come at once
    eng._load_det_model()
    eng._load_cls_model()
    eng._load_rec_model()
    return eng


def engine():
    """The process's engine, built on first call."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = _build(THREADS, MAX_LONG_PX, DET_LONG_PX)
    return _engine


def ocr_page(image) -> list[Line]:
    """Text lines of one page image (PIL image or an RGB/gray numpy array), top to bottom, left to right."""
    import numpy as np

    if hasattr(image, "convert"):
        arr = np.asarray(image.convert("RGB"))[:, :, ::-1]          # rapidocr wants BGR, as cv2.imread gives
    else:
        arr = np.asarray(image)
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, axis=-1)
    arr = np.ascontiguousarray(arr)
    # The text-direction classifier turns boxes by 180° on its own now and then — short numbers (8000 read 0008,
    # 9000 read 0006) and whole slightly skewed lines of a 1-bit scan (read as "0") — while our pages come upright
    # (rendered from the PDF, EXIF applied). So the page is read without it, and with it only when that reads
    # better: a page scanned upside down gives a low mean score without the classifier.
    lines = _lines(engine()(arr, use_cls=False))
    if not lines or _mean(lines) < UPRIGHT_MIN_SCORE:
        turned = _lines(engine()(arr, use_cls=True))
        if _mean(turned) > _mean(lines):
            lines = turned
    return reading_order(lines)


UPRIGHT_MIN_SCORE = 0.8


def _lines(res) -> list[Line]:
    if getattr(res, "txts", None) is None or getattr(res, "boxes", None) is None:
        return []
    lines = []
    for quad, text, score in zip(res.boxes, res.txts, res.scores):
        xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
        lines.append(Line(text=text, box=(round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))),
                          score=round(float(score), 4), quad=tuple((float(p[0]), float(p[1])) for p in quad)))
    return lines


def _mean(lines: list[Line]) -> float:
    chars = sum(len(ln.text) for ln in lines)
    return sum(ln.score * len(ln.text) for ln in lines) / chars if chars else 0.0


def skew_angle(lines: list[Line]) -> float:
    """The page's text slope in radians: the median slope of the top edges of long lines (width > 3 x height).
    A scan skewed by 2-3 degrees moves the right end of a table row by most of a row height."""
    slopes = []
    for ln in lines:
        if len(ln.quad) != 4:
            continue
        (x0, y0), (x1, y1) = ln.quad[0], ln.quad[1]
        w, h = ln.box[2] - ln.box[0], ln.box[3] - ln.box[1]
        if x1 - x0 > 3 * max(1, h) and w > 0:
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if len(slopes) >= 3 else 0.0


def rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows, top to bottom, each row left to right, after undoing the page's skew: a line joins
    the row whose first line's centre is within half a line height. The rows a table's cells are read in."""
    a = skew_angle(lines)
    cos, sin = math.cos(-a), math.sin(-a)

    def centre(ln: Line) -> tuple[float, float]:
        cx, cy = (ln.box[0] + ln.box[2]) / 2, (ln.box[1] + ln.box[3]) / 2
        return cx * cos - cy * sin, cx * sin + cy * cos

    def height(ln: Line) -> float:
        if len(ln.quad) == 4:                       # the quad's own height, not the skewed bounding box's
            return math.dist(ln.quad[0], ln.quad[3])
        return ln.box[3] - ln.box[1]

    out: list[list[tuple[float, float, float, Line]]] = []
    for x, y, h, ln in sorted(((*centre(l), height(l), l) for l in lines), key=lambda t: t[1]):
        if out and abs(y - out[-1][0][1]) <= 0.5 * max(h, out[-1][0][2]):
            out[-1].append((x, y, h, ln))
        else:
            out.append([(x, y, h, ln)])
    return [[t[3] for t in sorted(row, key=lambda t: t[0])] for row in out]


def reading_order(lines: list[Line]) -> list[Line]:
    return [ln for row in rows(lines) for ln in row]


def page_text(lines: list[Line]) -> str:
    """One text: the cells of a row joined by a space, rows by a newline."""
    return "\n".join(" ".join(ln.text for ln in row) for row in rows(lines))
