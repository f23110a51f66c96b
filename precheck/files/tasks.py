"""Functions the sandbox children run (preloaded by the forkserver). Each returns plain picklable data."""
from __future__ import annotations

import io
import time

from precheck.files import geometry

from precheck.files.office import convert_to_pdf, xlsx_rows
from precheck.files.pdf import PdfUnreadable, pdf_geometry
from precheck.files.sniff import sniff
from precheck.files.unpack import UNPACKERS, LimitExceeded, UnpackLimits
from precheck.reading.intake import image_reading, pdf_reading

def _warm() -> None:
    """Import the parsers and touch pdfium once in the forkserver, so each forked child starts warm."""
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
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
    res = {"page_detail": g["summary"], "text_pages": g["text_pages"], "scan_pages": g["scan_pages"],
           "warnings": g["warnings"]}
    res.update(pdf_reading(data, g, seal))        # pages surveyed by content, text layer with boxes, seals
    return res


def _image(data: bytes, seal: bool) -> dict:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        frames = getattr(im, "n_frames", 1)
        dpi = im.info.get("dpi", (0, 0))[0] or 0
        size = im.size
    pages = [{"w_mm": round(size[0] / dpi * 25.4, 1) if dpi else 0, "h_mm": round(size[1] / dpi * 25.4, 1) if dpi else 0,
              "rotate": 0, "label": geometry.IMAGE_LABEL, "a4": 1} for _ in range(frames)]
    res = {"page_detail": geometry.summarise(pages), "text_pages": 0, "scan_pages": frames, "frames": frames}
    res.update(image_reading(data, seal))
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


