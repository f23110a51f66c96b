"""Make rendered pages look scanned (grey paper, noise, blur, skew, JPEG) and wrap them into a PDF."""
from __future__ import annotations

import io
import random
from datetime import datetime

import img2pdf
import pikepdf
from PIL import Image, ImageChops, ImageDraw

from demo.samples.page import PAPER_MM, Page

MM_PER_PT = 25.4 / 72


def _paper(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Off-white paper with fine grain (deterministic from ``rng``)."""
    w, h = size
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(lambda v: 232 + v * 16 // 255)
    return grain


def scan_page(page: Page | Image.Image, rng: random.Random, *, colour: bool = False, quality: int = 70,
              dpi: int = 150) -> bytes:
    """Turn a crisp rendered page into JPEG bytes that look like a flatbed/ADF scan."""
    img = page.image if isinstance(page, Page) else page
    paper = _paper(img.size, rng)
    if colour:
        tint = Image.merge("RGB", (paper, paper.point(lambda v: v - 2), paper.point(lambda v: v - 7)))
        img = ImageChops.multiply(img.convert("RGB"), tint)
        fill = (90, 90, 88)
    else:
        img = ImageChops.multiply(img.convert("L"), paper)
        fill = 90
    # Bilinear resampling of a slight skew also gives the soft edges of a scan (and is 2x cheaper).
    img = img.rotate(rng.uniform(-0.7, 0.7), resample=Image.BILINEAR, fillcolor=fill)
    # The scanner lid leaves a thin grey shadow along one edge.
    dr = ImageDraw.Draw(img)
    edge = rng.choice(("top", "left"))
    for k in range(6):
        tone = (150 + k * 15,) * 3 if colour else 150 + k * 15
        if edge == "top":
            dr.line((0, k, img.width, k), fill=tone)
        else:
            dr.line((k, 0, k, img.height), fill=tone)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def _paper_layout(dpi: int):
    """img2pdf layout: page size from pixels at ``dpi``, snapped to A4/A3 when within 1 %."""
    def layout(img_w_px, img_h_px, ndpi):
        w_mm, h_mm = img_w_px / dpi * 25.4, img_h_px / dpi * 25.4
        for pw, ph in PAPER_MM.values():
            for a, b in ((pw, ph), (ph, pw)):
                if abs(w_mm - a) / a < 0.01 and abs(h_mm - b) / b < 0.01:
                    w_mm, h_mm = a, b
        w_pt, h_pt = w_mm / MM_PER_PT, h_mm / MM_PER_PT
        return w_pt, h_pt, w_pt, h_pt
    return layout


def jpegs_to_pdf(jpegs: list[bytes], *, dpi: int = 150, title: str = "", when: datetime | None = None,
                 rotate: dict[int, int] | None = None) -> bytes:
    """Wrap JPEG page images into a PDF without re-encoding; ``rotate`` maps page index → /Rotate."""
    kw = {"creationdate": when, "moddate": when} if when else {"nodate": True}
    # img2pdf's own writer: with its pikepdf engine the /ID is random on pikepdf >= 10 (img2pdf compares
    # version strings, "10.x" < "6.2.0"), which made the generated samples differ from run to run.
    pdf = img2pdf.convert(jpegs, layout_fun=_paper_layout(dpi), title=title or None,
                          creator="shenbao.samples (synthetic scan)", producer="img2pdf",
                          engine=img2pdf.Engine.internal, **kw)
    if rotate:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            for i, deg in rotate.items():
                doc.pages[i].obj.Rotate = deg
            out = io.BytesIO()
            doc.save(out, deterministic_id=True)
            pdf = out.getvalue()
    return pdf


def scanned_pdf(pages: list[Page], rng: random.Random, *, colour_pages: set[int] = frozenset(),
                quality: int = 70, title: str = "", when: datetime | None = None,
                rotate: dict[int, int] | None = None) -> bytes:
    dpi = pages[0].dpi if pages else 150
    jpegs = [scan_page(p, rng, colour=i in colour_pages, quality=quality, dpi=p.dpi) for i, p in enumerate(pages)]
    return jpegs_to_pdf(jpegs, dpi=dpi, title=title, when=when, rotate=rotate)
