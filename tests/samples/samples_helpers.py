"""Pixel helpers for the sample-filing tests (rendering with pdfium, as the checks do)."""
from __future__ import annotations

import io

import pypdfium2 as pdfium


def render(pdf_bytes: bytes, index: int, dpi: int = 50):
    """Render one page to a PIL image (pdfium), the way the seal check and OCR see it."""
    doc = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        page = doc[index]
        img = page.render(scale=dpi / 72).to_pil().convert("RGB")
        page.close()
        return img
    finally:
        doc.close()


def red_pixels(img) -> int:
    """Pixels of seal ink: strong red, weak green and blue."""
    from PIL import ImageChops

    r, g, b = img.convert("RGB").split()
    mask = ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0),
                                                   g.point(lambda v: 255 if v < 110 else 0)),
                               b.point(lambda v: 255 if v < 110 else 0))
    return mask.histogram()[255]


def dark_fraction(img) -> float:
    """Share of ink-dark pixels inside the page (5 % margins cut: skew corners and the lid shadow)."""
    grey = img.convert("L")
    w, h = grey.size
    grey = grey.crop((w // 20, h // 20, w - w // 20, h - h // 20))
    return sum(grey.histogram()[:170]) / (grey.width * grey.height)
