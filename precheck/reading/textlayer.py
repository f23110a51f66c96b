"""A PDF's text layer as PageText: the text runs pypdfium2 finds (``get_rect`` / ``get_text_bounded``) with their
boxes, in pixels at 2 px per point, top-left origin — the same shape OCR lines have, so one set of readers serves
born-digital files, 双层PDF layers and our own OCR. Pages that look like tables also get their ruled cells (the page
rendered at 100 dpi through ``grid.ruled_cells``).

    pages = text_pages(pdf_bytes, [0, 1, 2], sources=["text_layer", "ocr_layer", "text_layer"])
"""
from __future__ import annotations

import re

from precheck.files.ocr_engine import Line
from precheck.reading.page import PageText

PX_PER_PT = 2.0
TABLE_HINT = re.compile(r"预算|合计|中央|指标|资金来源|单位")
GRID_DPI = 100


def _page_lines(page) -> list[Line]:
    w, h = page.get_size()
    tp = page.get_textpage()
    lines = []
    try:
        for i in range(tp.count_rects()):
            l, b, r, t = tp.get_rect(i)
            text = (tp.get_text_bounded(l, b, r, t) or "").replace("\r", "").replace("\n", " ").strip()
            if not text:
                continue
            x0, y0, x1, y1 = l * PX_PER_PT, (h - t) * PX_PER_PT, r * PX_PER_PT, (h - b) * PX_PER_PT
            quad = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
            lines.append(Line(text, (round(x0), round(y0), round(x1), round(y1)), 1.0, quad))
    finally:
        tp.close()
    return _merge_runs(lines)


def _merge_runs(lines: list[Line]) -> list[Line]:
    """pdfium splits a line into runs at font or spacing changes; join runs that touch on the same baseline."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda l: (round(l.box[1] / 4), l.box[0])):
        if out:
            p = out[-1]
            ph, h = p.box[3] - p.box[1], ln.box[3] - ln.box[1]
            same_row = abs((p.box[1] + p.box[3]) - (ln.box[1] + ln.box[3])) / 2 <= 0.35 * max(ph, h, 1)
            gap = ln.box[0] - p.box[2]
            if same_row and -2 <= gap <= 0.6 * max(ph, h, 1):
                box = (p.box[0], min(p.box[1], ln.box[1]), ln.box[2], max(p.box[3], ln.box[3]))
                out[-1] = Line(p.text + ln.text, box, 1.0, ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]),
                                                            (box[0], box[3])))
                continue
        out.append(ln)
    return out


def text_pages(data: bytes, indexes: list[int], sources: list[str] | None = None, *, grids: bool = True) -> list[PageText]:
    import pypdfium2 as pdfium

    from precheck.files.pdf_repair import renderable
    from precheck.reading.grid import ruled_cells

    out = []
    pdf = pdfium.PdfDocument(data)
    try:
        n = len(pdf)
        for k, i in enumerate(indexes):
            if not 0 <= i < n:
                continue
            page = pdf[i]
            try:
                w, h = page.get_size()
                lines = _page_lines(page)
                cells = []
                if grids and lines and TABLE_HINT.search("".join(l.text for l in lines[:400])) and renderable(page):
                    try:
                        img = page.render(scale=GRID_DPI / 72).to_pil()
                    except pdfium.PdfiumError:
                        img = None
                    k_px = PX_PER_PT * 72 / GRID_DPI
                    cells = [tuple(round(v * k_px) for v in c) for c in ruled_cells(img)] if img else []
                src = sources[k] if sources else "text_layer"
                out.append(PageText(i, w * PX_PER_PT, h * PX_PER_PT, lines, cells, src, 1.0))
            finally:
                page.close()
    finally:
        pdf.close()
    return out
