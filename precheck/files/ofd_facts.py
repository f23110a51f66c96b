"""An OFD as the pre-check sees any document: pages as A4 equivalents, text for classification and facts,
text/scan pages, the seal (an electronic seal from its signature, else a red seal found on the drawn page),
the signatures with their verdicts. Runs in the sandbox child like the PDF path.

    raw = analyse_ofd(data, tolerance=0.12, seal=True)   # the dict ``worker.analyse_file`` returns
"""
from __future__ import annotations

from precheck.files import geometry
from precheck.files.ofd import read_ofd
from precheck.files.ofd_render import render_page

PT_PER_MM = 72 / 25.4
TEXT_PAGES = 12
SCAN_COVER = 0.6          # one picture covering ≥ 60 % of a page with no text: a scanned page


def analyse_ofd(data: bytes, tolerance: float, seal: bool = True) -> dict:
    doc = read_ofd(data)
    pages = [geometry.page_entry(p.w_mm * PT_PER_MM, p.h_mm * PT_PER_MM, 0, tolerance) for p in doc.pages]
    text_pages = sum(1 for p in doc.pages if len(p.text.strip()) >= 5)
    scan_pages = sum(1 for p in doc.pages if p.image_cover >= SCAN_COVER and len(p.text.strip()) < 5)
    res = {"page_detail": geometry.summarise(pages), "text_pages": text_pages, "scan_pages": scan_pages,
           "text": [p.text for p in doc.pages[:TEXT_PAGES]], "warnings": list(doc.warnings),
           "signatures": [s.as_dict() for s in doc.signatures], "ofd": _info(doc)}
    if seal:
        res["seal"] = seal_from_signatures(doc) or _drawn_seal(data, doc)
    return res


def _info(doc) -> dict:
    info = {k: v for k, v in doc.info.items() if k in ("Title", "Author", "Creator", "CreationDate", "DocID")}
    if doc.attachments:
        info["attachments"] = doc.attachments[:20]
    return info


def seal_from_signatures(doc) -> dict | None:
    """An electronic seal is a seal: where it shows, whose it is, and whether it still verifies."""
    seals = [s for s in doc.signatures if s.type.lower() == "seal" or s.seal_name]
    if not seals:
        return None
    s = seals[0]
    return {"found": True, "source": "electronic_seal", "page": s.page, "seal_name": s.seal_name, "signer": s.signer,
            "time": s.time, "verdict": s.verdict(), "valid": bool(s.signature_ok and s.references_ok
                                                                 and not s.changed),
            "pages_checked": [s.page] if s.page else []}


def _drawn_seal(data: bytes, doc) -> dict:
    """A red seal on the drawn pages (``precheck.reading.seals``: ring, colour, real size)."""
    from precheck.reading.seals import seal_verdict

    n = len(doc.pages)
    idx = list(range(n)) if n <= 6 else sorted({0, 1, n - 1})
    frames = []
    for i in idx:
        p = doc.pages[i]
        layer = "image" if p.image_cover >= SCAN_COVER and len(p.text.strip()) < 5 else "text"
        frames.append((i, render_page(data, doc, i, dpi=SEAL_DPI), (p.w_mm, p.h_mm), False, layer))
    return seal_verdict(frames)


SEAL_DPI = 90


def ofd_page_images(data: bytes, indexes: list[int], dpi: int):
    """(index, PIL image) of the given 0-based pages: what OCR reads for a scanned OFD."""
    doc = read_ofd(data)
    for i in indexes:
        if 0 <= i < len(doc.pages):
            yield i, render_page(data, doc, i, dpi=dpi)
