"""Functions the sandbox children run (preloaded by the forkserver). Each returns plain picklable data."""
from __future__ import annotations

import io
import time

from precheck.files import geometry

from precheck.files import page_images as render
from precheck.files.office import convert_to_pdf, xlsx_rows
from precheck.files.pdf import PdfUnreadable, pdf_geometry, pdf_tables, pdf_text
from precheck.files.sniff import sniff
from precheck.files.unpack import UNPACKERS, LimitExceeded, UnpackLimits

TEXT_PAGES = 12
SEAL_PAGES = 2


def _warm() -> None:
    """Import the parsers and touch pdfium once in the forkserver, so each forked child starts warm."""
    try:
        import pikepdf  # noqa: F401
        import pypdfium2 as pdfium
        from PIL import Image  # noqa: F401

        pdf = pdfium.PdfDocument.new()
        pdf.new_page(595, 842).close()
        pdf.close()
    except Exception:  # warm-up is an optimisation only
        pass


_warm()


def unpack_file(data: bytes, fmt: str, limits: UnpackLimits | None = None) -> dict:
    try:
        return UNPACKERS[fmt](data, limits or UnpackLimits())
    except LimitExceeded as exc:
        return {"members": [], "errors": [], "fatal": str(exc)}
    except Exception as exc:  # corrupt archive: say so, never raise out of the child
        return {"members": [], "errors": [], "fatal": f"压缩包无法读取（{type(exc).__name__}: {str(exc)[:120]}）"}


def analyse_file(data: bytes, filename: str, content_type: str, tolerance: float, *, seal: bool = True,
                 office_timeout: float = 60.0) -> dict:
    """Everything the fast checks need from one file: type, pages, text, tables, seal. No OCR here."""
    t0 = time.monotonic()
    ft = sniff(data, filename, content_type)
    out = {"family": ft.family, "fmt": ft.fmt, "sniff": ft.evidence}
    try:
        if ft.family == "pdf":
            out.update(_pdf(data, tolerance, seal))
        elif ft.family == "image":
            out.update(_image(data, seal))
        elif ft.family == "office":
            out.update(_office(data, ft.fmt, tolerance, seal, office_timeout))
    except PdfUnreadable as exc:
        out["error"] = str(exc)
    out["seconds"] = round(time.monotonic() - t0, 3)
    return out


def geometry_only(data: bytes, tolerance: float) -> dict:
    """The bomb-safe fallback: pikepdf metadata only, no content stream is decoded."""
    g = pdf_geometry(data, tolerance)
    return {"page_detail": g["summary"], "text_pages": g["text_pages"], "scan_pages": g["scan_pages"]}


def _pdf(data: bytes, tolerance: float, seal: bool) -> dict:
    g = pdf_geometry(data, tolerance)
    n = g["summary"]["sheets"]
    res = {"page_detail": g["summary"], "text_pages": g["text_pages"], "scan_pages": g["scan_pages"],
           "warnings": g["warnings"], "text": []}
    if g["text_pages"]:
        res["text"] = pdf_text(data, TEXT_PAGES)
        joined = "".join(res["text"])
        if ("预算" in joined or "中央" in joined) and len(joined) < 40_000:
            res["tables"] = pdf_tables(data, 3)
    if seal:
        idx = sorted(set(list(range(min(SEAL_PAGES, n))) + [n - 1]))
        res["seal"] = _seal_scan(render.render_pdf_pages(data, idx, render.SEAL_DPI), render.SEAL_DPI)
    return res


def _image(data: bytes, seal: bool) -> dict:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        frames = getattr(im, "n_frames", 1)
        dpi = im.info.get("dpi", (0, 0))[0] or 0
        size = im.size
    pages = [{"w_mm": round(size[0] / dpi * 25.4, 1) if dpi else 0, "h_mm": round(size[1] / dpi * 25.4, 1) if dpi else 0,
              "rotate": 0, "label": geometry.IMAGE_LABEL, "a4": 1} for _ in range(frames)]
    res = {"page_detail": geometry.summarise(pages), "text_pages": 0, "scan_pages": frames, "text": []}
    if seal:
        res["seal"] = _seal_scan(render.image_frames(data, list(range(min(SEAL_PAGES, frames)))), dpi or 150)
    return res


def _office(data: bytes, fmt: str, tolerance: float, seal: bool, timeout: float) -> dict:
    res = {}
    if fmt == "xlsx":
        try:
            res["rows"] = xlsx_rows(data)
        except Exception as exc:
            res["warnings"] = [f"表格单元格无法读取：{type(exc).__name__}"]
    pdf = convert_to_pdf(data, fmt, timeout)
    res.update({k: v for k, v in _pdf(pdf, tolerance, seal).items() if k != "warnings" or v})
    res["converted"] = "LibreOffice → PDF"
    return res


def _seal_scan(frames, dpi: float) -> dict:
    checked = []
    for i, img in frames:
        checked.append(i + 1)
        hit = render.find_seal(img, dpi)
        if hit:
            return {"found": True, "page": i + 1, **hit, "pages_checked": checked}
    return {"found": False, "pages_checked": checked}


def ocr_file(data: bytes, filename: str, content_type: str, pages: int = 2, dpi: int = 300) -> dict:
    """OCR of the first ``pages`` pages (tesseract chi_sim, one thread); slow: run in the background."""
    t0 = time.monotonic()
    ft = sniff(data, filename, content_type)
    idx = list(range(pages))
    frames = render.render_pdf_pages(data, idx, dpi) if ft.family == "pdf" else render.image_frames(data, idx)
    texts = [render.ocr_image(img) for _i, img in frames]
    return {"text": texts, "pages": len(texts), "seconds": round(time.monotonic() - t0, 2)}
