"""PDF repairs that poppler and qpdf make silently and the pre-check must make too.

- bytes before ``%PDF-`` (a mail gateway's banner, more than the 1 KiB pdfium and qpdf look at): cut off;
- a page tree with a loop, or a PDF whose only encrypted part is its embedded files (``/EFF``, streams and
  strings ``/Identity``): qpdf refuses both, pdfium reads the pages, so pages come from pdfium;
- an empty user password (AES-256, R6) that pdfium refuses: a decrypted copy is made with pikepdf;
- a zero-area MediaBox (the reader default, US Letter, is shown) and a CropBox outside the MediaBox (the
  MediaBox is shown): each page counted as a reader shows it, with a note;
- ``/UserUnit`` (PDF 1.6): a page's units are that many 1/72 inch, so its size is multiplied.
"""
from __future__ import annotations

import io

HEADER = b"%PDF-"
SCAN_FOR_HEADER = 1 << 20
LETTER = (0.0, 0.0, 612.0, 792.0)


def pdf_start(data: bytes) -> int:
    """Offset of ``%PDF-`` within the first MiB, or -1."""
    return data.find(HEADER, 0, SCAN_FOR_HEADER)


def strip_junk(data: bytes) -> tuple[bytes, int]:
    """The PDF from its header on, and how many bytes were cut."""
    off = pdf_start(data)
    return (data[off:], off) if off > 0 else (data, 0)


def usable_box(media, crop) -> tuple[tuple[float, float, float, float], str]:
    """The box a reader shows, and a note (Chinese) when the file's boxes had to be repaired."""
    note = ""
    if media is None or (media[2] - media[0]) <= 0 or (media[3] - media[1]) <= 0:
        media, note = LETTER, "页面尺寸（MediaBox）为 0，按阅读器默认的 Letter 尺寸计"
    if crop:
        x0, y0 = max(media[0], crop[0]), max(media[1], crop[1])
        x1, y1 = min(media[2], crop[2]), min(media[3], crop[3])
        if x1 > x0 and y1 > y0:
            return (x0, y0, x1, y1), note
        if (crop[2] - crop[0]) > 0 or crop != (0.0, 0.0, 0.0, 0.0):
            note = note or "裁切框（CropBox）在页面之外，按整页（MediaBox）计"
    return media, note


def user_unit(obj) -> float:
    """``/UserUnit`` of a page dictionary (1.0 when absent or unusable)."""
    try:
        v = float(obj.get("/UserUnit", 1) or 1)
    except (TypeError, ValueError):
        return 1.0
    return v if 0 < v <= 75_000 else 1.0


def decrypted_copy(data: bytes) -> bytes | None:
    """An unencrypted copy when the PDF opens with an empty password (pdfium refuses some of those)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if not pdf.is_encrypted:
                return None
            out = io.BytesIO()
            pdf.save(out, encryption=False)
            return out.getvalue()
    except Exception:
        return None


def pdfium_pages(data: bytes, max_pages: int = 5000) -> list[dict]:
    """Pages as pdfium sees them: raw boxes (pt), rotation, text characters, largest picture in pixels.
    For the files qpdf refuses (page-tree loops, attachment-only encryption)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(min(len(pdf), max_pages)):
            page = pdf[i]
            try:
                media = tuple(float(v) for v in page.get_mediabox())
                crop = tuple(float(v) for v in page.get_cropbox())
                tp = page.get_textpage()
                chars = tp.count_chars()
                tp.close()
                biggest = 0
                for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
                    try:
                        w, h = obj.get_px_size()
                        biggest = max(biggest, w * h)
                    except Exception:
                        continue
                out.append({"media": media, "crop": crop, "rotate": page.get_rotation(), "chars": chars,
                            "image_px": biggest})
            finally:
                page.close()
    finally:
        pdf.close()
    return out


def renderable(page) -> bool:
    """Make a pdfium page drawable when its CropBox lies outside the MediaBox (pdfium: "Crop exceeds page
    dimensions"): the CropBox is set to the MediaBox. False when nothing can be drawn."""
    w, h = page.get_size()
    if w > 0 and h > 0:
        return True
    try:
        mb = page.get_mediabox()
        if mb[2] - mb[0] <= 0 or mb[3] - mb[1] <= 0:
            mb = LETTER
            page.set_mediabox(*mb)
        page.set_cropbox(*mb)
    except Exception:
        return False
    w, h = page.get_size()
    return w > 0 and h > 0
