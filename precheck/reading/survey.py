"""What each PDF page is made of, from its content (pypdfium2 page objects), not from its resources: characters
actually drawn (and whether they can be seen), how much of the page its images cover, their resolution.

    survey_pdf(data) -> [{"layer": "image+text", "chars": 12, "hidden_chars": 840, "cover": 1.0, "dpi": 300,
                          "img_px": 8699840, "photo": False}, ...]

Layers: ``text`` (drawn characters, no page image: born-digital), ``image`` (a page image, no text: a scan),
``image+text`` (a page image with text: a 双层PDF's OCR layer — invisible, or drawn under the image — or a scanner's
header stamp), ``blank``. A page image is one or more images covering ≥ 70 % of the page (strips count together).
``photo``: a camera picture placed at a nominal 72 dpi (a "page" of a metre): it shows one sheet.
"""
from __future__ import annotations

import ctypes

COVER_SCAN = 0.70
PHOTO_MAX_DPI = 100
PHOTO_MIN_PX = 3_000_000


def _obj_text(raw, obj, textpage) -> str:
    n = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    if n <= 2:
        return ""
    buf = (ctypes.c_ushort * (n // 2 + 1))()
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buf, n)
    return bytes(buf)[: n - 2].decode("utf-16-le", "ignore")


def survey_page(page) -> dict:
    import pypdfium2.raw as raw

    w, h = page.get_size()
    area = max(1.0, abs(w * h))
    tp = page.get_textpage()
    images, texts = [], []
    forms: list = []                             # the matrices of the form XObjects the walk is inside
    try:
        for order, obj in enumerate(page.get_objects(max_depth=3)):
            level = getattr(obj, "level", 0)
            del forms[level:]
            if obj.type == raw.FPDF_PAGEOBJ_FORM:
                forms.append(obj.get_matrix())
                continue
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                l, b, r, t = _on_page(obj.get_bounds(), forms)
                cl, cb, cr, ct = max(l, 0), max(b, 0), min(r, w), min(t, h)
                if cr <= cl or ct <= cb:
                    continue
                try:
                    pw, ph = obj.get_px_size()
                except Exception:
                    pw = ph = 0
                images.append((order, (cl, cb, cr, ct), (cr - cl) * (ct - cb) / area, pw, ph, r - l,
                               _colour(obj)))
            elif obj.type == raw.FPDF_PAGEOBJ_TEXT:
                text = _obj_text(raw, obj, tp).strip()
                if not text:
                    continue
                mode = raw.FPDFTextObj_GetTextRenderMode(obj.raw)
                texts.append((order, _on_page(obj.get_bounds(), forms), len(text), mode))
    finally:
        tp.close()
    cover = min(1.0, sum(i[2] for i in images))
    big = max(images, key=lambda i: i[2], default=None)
    dpi = round(big[3] / (big[5] / 72)) if big and big[5] > 0 and big[3] else 0
    img_px = big[3] * big[4] if big else 0
    visible = hidden = 0
    for order, (l, b, r, t), n, mode in texts:
        cx, cy = (l + r) / 2, (b + t) / 2
        under = any(o > order and x0 <= cx <= x1 and y0 <= cy <= y1 and a > 0.3
                    for o, (x0, y0, x1, y1), a, *_ in images)
        if mode in (3, 7) or under:              # invisible (3: no fill, no stroke; 7: clip only) or painted over
            hidden += n
        else:
            visible += n
    if cover >= COVER_SCAN:
        layer = "image+text" if visible or hidden else "image"
    elif visible or hidden:
        layer = "text"
    elif cover > 0.05:
        layer = "image"
    else:
        layer = "blank"
    photo = cover >= 0.8 and 0 < dpi <= PHOTO_MAX_DPI and img_px >= PHOTO_MIN_PX
    return {"layer": layer, "chars": visible, "hidden_chars": hidden, "cover": round(cover, 3), "dpi": dpi,
            "img_px": img_px, "photo": photo, "colour": big[6] if big and cover >= COVER_SCAN else None}


def _on_page(bounds, forms: list) -> tuple[float, float, float, float]:
    """An object's bounds inside nested form XObjects (pdfium gives them in the form's own space: an electronic seal
    drawn by Chromium as an image in a form scaled by 0.24 would otherwise "cover" half the page) on the page."""
    l, b, r, t = bounds
    for m in reversed(forms):
        l, b, r, t = m.on_rect(l, b, r, t)
    return l, b, r, t


def _colour(obj) -> str | None:
    """The page image's colour as stored: "bw" (1 bit), "gray" (DeviceGray), "color" (RGB/CMYK), None (other)."""
    try:
        m = obj.get_metadata()
    except Exception:
        return None
    if m.bits_per_pixel == 1:
        return "bw"
    return {1: "gray", 2: "color", 3: "color"}.get(m.colorspace)


UNKNOWN = {"layer": "unknown", "chars": 0, "hidden_chars": 0, "cover": 0.0, "dpi": 0, "img_px": 0, "photo": False,
           "colour": None}


def survey_pdf(data: bytes, max_pages: int = 200, skip: set[int] = frozenset()) -> list[dict]:
    """Every page up to ``max_pages``; a page in ``skip`` (too heavy to open) is ``unknown``."""
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(min(len(pdf), max_pages)):
            if i in skip:
                out.append(dict(UNKNOWN))
                continue
            page = pdf[i]
            try:
                out.append(survey_page(page))
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def is_scan_page(s: dict) -> bool:
    return s["layer"] in ("image", "image+text")


def document_layer(pages: list[dict]) -> str:
    """The document's layer as most of its pages show it (photo wins for camera pages)."""
    if not pages:
        return "blank"
    if sum(p.get("photo", False) for p in pages) * 2 >= len(pages):
        return "photo"
    counts: dict[str, int] = {}
    for p in pages:
        counts[p["layer"]] = counts.get(p["layer"], 0) + 1
    counts.pop("blank", None)
    if not counts:
        return "blank"
    return max(counts, key=lambda k: (counts[k], k != "text"))
