"""The first reading of a file, on the intake path (fast, no OCR), and how its result becomes the document's analysis.

In the sandbox child (``precheck.files.tasks``):
    pdf_reading(data, geometry)  -> {"survey", "text_pages", "scan_pages", "layer", "page_detail", "pages_text",
                                     "seal"}
    image_reading(data)          -> {"seal", "layer", "photo", "colour"}
In the parent (``precheck.analysis.apply_raw``):
    apply_reading(doc, raw, call)   # kind, is_scan, facts with evidence, the OCR plan

Scan or not is decided per page from what is drawn (``survey``): a page image with a text layer (双层PDF, a
scanner's header stamp) is a scan. A page that is a camera picture counts as the one sheet it shows.
"""
from __future__ import annotations

from precheck.reading import survey as sv
from precheck.reading.page import PageText

TEXT_PAGES = 15          # a plan over the 10-page limit still has its period read
SURVEY_PAGES = 200       # pages surveyed by content (beyond: counted from the metadata only)
SEAL_PAGES_ALL = 6       # documents up to this many pages have every page checked for a seal


# ------------------------------------------------------------------ in the child

def _photo_sheets(page_detail: dict, survey: list[dict]) -> dict:
    """A camera picture placed at 72 dpi is a "page" of a metre: count it as the one sheet it shows."""
    from precheck.files import geometry

    rows = page_detail.get("pages") or []
    if not any(s.get("photo") for s in survey) or len(rows) < len(survey):
        return page_detail
    pages = []
    for (w, h, rot, label, a4), s in zip(rows, survey):
        if s.get("photo") and a4 > 1:
            label, a4 = geometry.PHOTO_LABEL, 1
        pages.append({"w_mm": w, "h_mm": h, "rotate": rot, "label": label, "a4": a4})
    pages += [{"w_mm": w, "h_mm": h, "rotate": rot, "label": label, "a4": a4}
              for (w, h, rot, label, a4) in rows[len(survey):]]
    if len(pages) < page_detail.get("sheets", 0):      # the summary lists at most 60 pages
        return page_detail
    out = geometry.summarise(pages)
    out["photo_pages"] = [i + 1 for i, s in enumerate(survey) if s.get("photo")]
    return out


def pdf_reading(data: bytes, geometry: dict, seal: bool = True, skip: set[int] = frozenset()) -> dict:
    """Survey every page, read the text layer of the pages that have one, check seal pages; ``skip``: pages too
    heavy to open (left out of everything but the page count)."""
    from precheck.reading.seals import render_dpi_for, seal_verdict
    from precheck.reading.textlayer import text_pages

    survey = sv.survey_pdf(data, SURVEY_PAGES, skip=skip)
    res: dict = {"survey": [{k: s[k] for k in ("layer", "chars", "hidden_chars", "cover", "dpi", "photo", "colour")}
                            for s in survey]}
    if len(survey) == geometry["summary"]["sheets"] and not skip:   # else the metadata's marks stay
        res["text_pages"] = sum(1 for s in survey if s["layer"] == "text")
        res["scan_pages"] = sum(1 for s in survey if sv.is_scan_page(s))
    res["layer"] = sv.document_layer(survey)
    res["page_detail"] = _photo_sheets(geometry["summary"], survey)
    with_text = [i for i, s in enumerate(survey[:TEXT_PAGES]) if s["layer"] in ("text", "image+text") and i not in skip]
    sources = ["text_layer" if survey[i]["layer"] == "text" else "ocr_layer" for i in with_text]
    res["pages_text"] = [p.to_json() for p in text_pages(data, with_text, sources)] if with_text else []
    if seal:
        import pypdfium2 as pdfium

        from precheck.files.pdf_repair import renderable

        n = len(survey)
        idx = list(range(n)) if n <= SEAL_PAGES_ALL else sorted({0, 1, n - 1})
        frames = []
        pdf = pdfium.PdfDocument(data)
        try:
            for i in idx:
                if i in skip or i >= len(pdf) or i >= len(survey):
                    continue
                page = pdf[i]
                try:
                    if not renderable(page):
                        continue
                    w, h = page.get_size()
                    try:
                        img = page.render(scale=render_dpi_for(w, h) / 72).to_pil()
                    except pdfium.PdfiumError:          # one page pdfium cannot draw never stops the others
                        continue
                finally:
                    page.close()
                frames.append((i, img, (w / 72 * 25.4, h / 72 * 25.4), survey[i]["photo"], survey[i]["layer"],
                               survey[i]["colour"]))
        finally:
            pdf.close()
        res["seal"] = seal_verdict(frames)
    return res


def image_reading(data: bytes, seal: bool = True, max_frames: int = 6) -> dict:
    """A picture file (JPEG, PNG, TIFF frames): its colour, whether a camera took it, its seal verdict."""
    import io

    from PIL import Image, ImageOps, ImageSequence

    from precheck.reading.seals import seal_verdict

    frames = []
    with Image.open(io.BytesIO(data)) as im:
        exif = im.getexif() if hasattr(im, "getexif") else {}
        camera = im.format == "JPEG" and bool(exif.get(0x010F) or exif.get(0x0110))
        dpi = (im.info.get("dpi") or (0, 0))[0] or 0
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            if i >= max_frames:
                break
            fr = ImageOps.exif_transpose(frame) if im.format == "JPEG" else frame.copy()
            photo = camera or (0 < dpi <= 100 and fr.width * fr.height >= 3_000_000)
            mm = (fr.width / dpi * 25.4, fr.height / dpi * 25.4) if dpi and not photo else None
            stored = "bw" if fr.mode == "1" else ("gray" if fr.mode in ("L", "LA", "I", "I;16") else
                                                   "color" if fr.mode in ("RGB", "RGBA", "CMYK", "YCbCr") else None)
            small = fr if fr.mode in ("1", "L") else fr.convert("RGB")
            small.thumbnail((1100, 1100))
            frames.append((i, small, mm, photo, "image", stored))
    res = {"layer": "photo" if any(f[3] for f in frames) else "image", "photo": any(f[3] for f in frames)}
    if seal and frames:
        res["seal"] = seal_verdict(frames)
    return res


# ------------------------------------------------------------------ in the parent

def pages_from_raw(raw: dict) -> list[PageText]:
    return [PageText.from_json(p) for p in raw.get("pages_text") or []]


def apply_reading(doc, raw: dict, call, *, position: dict | None = None) -> None:
    """Set ``doc``'s analysis (facts with evidence, scan or not, the OCR plan) and kind from a child's ``raw``."""
    from precheck.reading.document import merge_facts, read_document
    from precheck.reading.ocr_plan import initial_status, layer_mentions

    detail = raw.get("page_detail")
    doc.page_detail = detail
    doc.pages = detail["a4"] if detail else None
    analysis = {k: raw[k] for k in ("family", "fmt", "sniff", "text_pages", "scan_pages", "seal", "warnings",
                                    "converted", "seconds", "error", "error_kind", "error_detail", "sandbox_error",
                                    "signatures", "ofd", "frames", "picture", "heavy_pages", "problems",
                                    "child_rss_mib", "layer", "survey", "photo") if k in raw}
    if position is not None:
        analysis["position"] = position
    pages = pages_from_raw(raw)
    if not pages and raw.get("text"):               # an OFD: text per page in reading order, no boxes
        pages = [text_page(i, t) for i, t in enumerate(raw["text"]) if t and t.strip()]
    rows = raw.get("rows") or []
    if rows:                                        # an .xlsx read by its cells (a wide sheet prints over pages)
        pages = [_rows_page(rows)]
    facts = read_document(pages, filename=doc.filename, call=call, position=position)
    analysis = merge_facts(analysis, facts)
    family = raw.get("family")
    if family in ("pdf", "image", "office", "ofd"):
        scan_pages, text_pages = raw.get("scan_pages") or 0, raw.get("text_pages") or 0
        analysis["is_scan"] = family == "image" or (scan_pages > 0 and scan_pages >= text_pages)
        analysis["ocr"] = initial_status(analysis, family, facts["kind"].kind)
        layer = {str(p.index): p.text() for p in pages if p.source == "ocr_layer"}
        if layer and analysis["ocr"]["status"] == "pending":    # another tool's OCR layer: kept, checked later
            analysis["ocr"]["layer_text"] = {k: v[:4000] for k, v in list(layer.items())[:15]}
            analysis["ocr"]["layer_mentions"] = layer_mentions(raw.get("pages_text") or [])
    doc.analysis = analysis
    c = facts["kind"]
    doc.kind, doc.kind_source, doc.kind_confidence = c.kind, c.source, c.confidence
    doc.kind_evidence = {"evidence": c.evidence}


def text_page(index: int, text: str) -> PageText:
    """Plain text of a page as lines of a 2480-px-wide page, one row per line (titles and sentences still read)."""
    from precheck.files.ocr_engine import Line

    lines = []
    for k, t in enumerate(x.strip() for x in text.splitlines() if x.strip()):
        box = (100, 100 + k * 60, 100 + min(2300, 50 * len(t)), 150 + k * 60)
        lines.append(Line(t, box, 1.0, ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3]))))
    return PageText(index, 2480, 3508, lines, [], "text_layer", 1.0)


def _rows_page(rows: list[list[str]]) -> PageText:
    """Spreadsheet cells laid out as a ruled grid (each cell 200 x 40 px) so the table readers see rows/columns."""
    from precheck.files.ocr_engine import Line

    lines, cells = [], []
    for r, row in enumerate(rows[:200]):
        for c, val in enumerate(row[:30]):
            box = (c * 200, r * 40, c * 200 + 198, r * 40 + 38)
            cells.append(box)
            t = str(val or "").strip()
            if t:
                lines.append(Line(t, (box[0] + 4, box[1] + 4, box[2] - 4, box[3] - 4), 1.0,
                                  ((box[0] + 4, box[1] + 4), (box[2] - 4, box[1] + 4), (box[2] - 4, box[3] - 4),
                                   (box[0] + 4, box[3] - 4))))
    w = 200 * max((len(r) for r in rows[:200]), default=1)
    return PageText(0, w, 40 * max(1, len(rows[:200])), lines, cells, "text_layer", 1.0)
