"""What the warm OCR worker does with one job: render the pages under the pixel budget, read their lines
(``ocr_engine``), find their ruled cells (``grid``), and read the ring text of the red seals on them.

    warm()                                         # build the engine (model files from the wheel, no network)
    read_pages(data, "pdf", [0, 1], True)          # -> [PageText JSON + {"seals": [...], "cpu": s, "colour": ...}]
"""
from __future__ import annotations

import io
import math
import time

PHOTO_PAGE_MM = 900          # a PDF "page" this long is a picture placed at a nominal 72 dpi


def warm() -> None:
    from precheck.files import ocr_engine

    ocr_engine.engine()


def _frames(data: bytes, family: str, pages: list[int]):
    """(index, RGB image under the pixel budget, (w_mm, h_mm) or None, is_photo)."""
    from precheck.files import ocr_engine

    if family == "pdf":
        import pypdfium2 as pdfium

        from precheck.files.pdf import readable_copy
        from precheck.files.pdf_repair import renderable

        doc = pdfium.PdfDocument(readable_copy(data))
        try:
            n = len(doc)
            for i in pages:
                if not 0 <= i < n:
                    continue
                page = doc[i]
                ok = renderable(page)
                w, h = page.get_size()
                page.close()
                if not ok:
                    continue
                mm = (w / 72 * 25.4, h / 72 * 25.4)
                try:
                    img = ocr_engine.render_pdf_page(doc, i)
                except pdfium.PdfiumError:
                    continue
                yield i, img, mm, max(mm) > PHOTO_PAGE_MM
        finally:
            doc.close()
        return
    if family == "ofd":
        from precheck.files.ofd import read_ofd
        from precheck.files.ofd_render import render_page

        doc = read_ofd(data)
        for i in pages:
            if 0 <= i < len(doc.pages):
                p = doc.pages[i]
                dpi = min(300.0, ocr_engine.MAX_LONG_PX / max(p.w_mm, p.h_mm, 1.0) * 25.4)
                yield i, render_page(data, doc, i, dpi=dpi).convert("RGB"), (p.w_mm, p.h_mm), False
        return
    from PIL import Image, ImageOps, ImageSequence

    from precheck.files.pictures import register_heif

    register_heif()
    with Image.open(io.BytesIO(data)) as im:
        camera = im.format == "JPEG" and bool(im.getexif().get(0x010F) or im.getexif().get(0x0110))
        dpi = (im.info.get("dpi") or (0, 0))[0] or 0
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            if i > max(pages, default=0):
                break
            if i not in pages:
                continue
            fr = ImageOps.exif_transpose(frame) if im.format == "JPEG" else frame
            photo = camera or (0 < dpi <= 100 and fr.width * fr.height >= 3_000_000)
            mm = (fr.width / dpi * 25.4, fr.height / dpi * 25.4) if dpi and not photo else None
            yield i, ocr_engine.fit_image(fr.convert("RGB")), mm, photo


def read_pages(data: bytes, family: str, pages: list[int], seals: bool = True) -> list[dict]:
    from precheck.files import ocr_engine
    from precheck.reading.grid import ruled_cells
    from precheck.reading.page import PageText, mean_score
    from precheck.reading.seals import colour_mode, find_seals, px_per_mm

    out = []
    for i, img, mm, photo in _frames(data, family, pages):
        t0 = time.process_time()
        lines = ocr_engine.ocr_page(img)
        page = PageText(i, img.width, img.height, lines, ruled_cells(img), "ocr", mean_score(lines)).to_json()
        page["colour"] = colour_mode(img)
        page["photo"] = photo
        if seals and page["colour"] == "color":
            k, slack = px_per_mm(img, mm, photo)
            page["seals"] = [dict(s, text=ring_text(img, s["box"])) for s in find_seals(img, k, slack=slack)[:3]]
        page["cpu"] = round(time.process_time() - t0, 2)
        out.append(page)
    return out


def unwrap_ring(img, box, *, start_deg: float = 140.0, end_deg: float = 400.0, inner: float = 0.55,
                outer: float = 0.95):
    """The seal's upper ring band as a straight strip (outer edge on top), red ink black on white."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rx, ry = (x1 - x0) / 2, (y1 - y0) / 2
    r_mid = (rx + ry) / 2 * (inner + outer) / 2
    width = max(64, int(r_mid * math.radians(end_deg - start_deg)))
    height = max(24, int((rx + ry) / 2 * (outer - inner)))
    theta = np.radians(np.linspace(start_deg, end_deg, width, dtype=np.float32))[None, :]
    rad = np.linspace(outer, inner, height, dtype=np.float32)[:, None]
    map_x = (cx + rx * rad * np.cos(theta)).astype(np.float32)
    map_y = (cy + ry * rad * np.sin(theta)).astype(np.float32)
    rgb = np.asarray(img.convert("RGB"))
    strip = cv2.remap(rgb, map_x, map_y, cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    r, g, b = (strip[:, :, c].astype(np.int16) for c in range(3))
    redness = np.clip(r - (g + b) // 2, 0, 255)
    ink = (redness > 45) & (r > 90)
    clean = np.where(ink, 0, 255).astype(np.uint8)
    clean = cv2.copyMakeBorder(clean, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    return clean


def ring_text(img, box) -> str:
    """OCR of the unwrapped ring: the seal's unit name (e.g. 吉林省财政厅), or ''."""
    import numpy as np
    from PIL import Image

    from precheck.files import ocr_engine

    strip = unwrap_ring(img, box)
    if (strip < 128).mean() < 0.02:
        return ""
    lines = ocr_engine.ocr_page(Image.fromarray(np.stack([strip] * 3, axis=-1)))
    return "".join(ln.text for ln in lines if ln.score >= 0.5)
