"""Lay out Chinese official-document pages as images: paper sizes, text wrapping, tables, page numbers.

Sizes follow the look of GB/T 9704 党政机关公文格式 (body 3号 ≈ 16 pt, title 2号 ≈ 22 pt, ~28 characters a
line) closely enough to look like a real filing; they are not a conformance claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from demo.samples.fonts import font

PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
BLACK = (25, 25, 25)
RED = (214, 28, 34)
# Characters that must not start a line (避头) and must not end one (避尾).
NO_START = set("，。、；：？！）》」』”’%．,.;:?!)]")
NO_END = set("（《「『“‘([")


def pt(points: float, dpi: int) -> int:
    return round(points * dpi / 72)


@dataclass
class Page:
    """One sheet being drawn: an RGB image and a vertical cursor inside the type area."""

    paper: str = "A4"
    landscape: bool = False
    dpi: int = 150
    margins_mm: tuple[float, float, float, float] = (37.0, 26.0, 35.0, 28.0)  # top, right, bottom, left
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    y: int = field(init=False)

    def __post_init__(self):
        w_mm, h_mm = PAPER_MM[self.paper]
        if self.landscape:
            w_mm, h_mm = h_mm, w_mm
        self.size_mm = (w_mm, h_mm)
        self.image = Image.new("RGB", (self.px(w_mm), self.px(h_mm)), "white")
        self.draw = ImageDraw.Draw(self.image)
        top, right, bottom, left = self.margins_mm
        self.left, self.right = self.px(left), self.image.width - self.px(right)
        self.top, self.bottom = self.px(top), self.image.height - self.px(bottom)
        self.y = self.top

    def px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    @property
    def width(self) -> int:
        return self.right - self.left

    def room(self) -> int:
        return self.bottom - self.y


_TOKEN = re.compile(r"[0-9A-Za-z.,%~+\-/:@]+|.", re.S)


def wrap(text: str, size_px: int, width: int, style: str = "serif", indent_chars: int = 0) -> list[str]:
    """Break Chinese text into lines that fit ``width`` pixels, honouring 避头/避尾 punctuation.

    Runs of Latin letters and digits ("8,000.00", "2023") are never split, unless one alone is too wide.
    """
    f = font(size_px, style)
    lines, cur, cur_w = [], "", indent_chars * size_px
    for tok in _TOKEN.findall(text):
        if tok == "\n":
            lines.append(cur)
            cur, cur_w = "", 0
            continue
        w = f.getlength(tok)
        if cur and cur_w + w > width and tok[0] not in NO_START:
            if cur[-1] in NO_END:
                lines.append(cur[:-1])
                cur, cur_w = cur[-1], f.getlength(cur[-1])
            else:
                lines.append(cur)
                cur, cur_w = "", 0
        cur += tok
        cur_w += w
    if cur:
        lines.append(cur)
    return lines


class Writer:
    """Flows headings, paragraphs and tables over as many pages as needed."""

    def __init__(self, paper: str = "A4", landscape: bool = False, dpi: int = 150, body_pt: float = 16,
                 page_numbers: bool = True, margins_mm=None):
        self.paper, self.landscape, self.dpi = paper, landscape, dpi
        self.body = pt(body_pt, dpi)
        self.line_gap = round(self.body * 0.78)
        self.page_numbers = page_numbers
        self.margins_mm = margins_mm
        self.pages: list[Page] = []
        self.new_page()

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self, paper: str | None = None, landscape: bool | None = None) -> Page:
        kw = {"margins_mm": self.margins_mm} if self.margins_mm else {}
        self.pages.append(Page(paper or self.paper, self.landscape if landscape is None else landscape,
                               self.dpi, **kw))
        return self.page

    def ensure(self, height: int) -> None:
        if self.page.room() < height:
            self.new_page()

    def skip(self, lines: float = 1) -> None:
        self.page.y += round((self.body + self.line_gap) * lines)

    def text(self, text: str, *, size_pt: float | None = None, style: str = "serif", align: str = "left",
             indent: int = 0, fill=BLACK, x_offset: int = 0) -> None:
        size = pt(size_pt, self.dpi) if size_pt else self.body
        step = size + round(size * 0.78)
        for i, line in enumerate(wrap(text, size, self.page.width - x_offset, style, indent)):
            self.ensure(step)
            p, f = self.page, font(size, style)
            w = f.getlength(line)
            if align == "center":
                x = p.left + (p.width - w) / 2
            elif align == "right":
                x = p.right - w - x_offset
            else:
                x = p.left + x_offset + (indent * size if i == 0 else 0)
            p.draw.text((x, p.y), line, font=f, fill=fill)
            p.y += step

    def title(self, text: str, size_pt: float = 22) -> None:
        """A centred bold title; explicit line breaks are kept, and the size shrinks (to 16 pt) to honour them."""
        while size_pt > 16 and max(font(pt(size_pt, self.dpi), "serif-bold").getlength(seg)
                                   for seg in text.split("\n")) > self.page.width:
            size_pt -= 1
        self.text(text, size_pt=size_pt, style="serif-bold", align="center")
        self.skip(0.5)

    def heading(self, text: str) -> None:
        self.text(text, style="sans", indent=2)

    def para(self, text: str) -> None:
        self.text(text, indent=2)

    def rule(self, fill=RED, width_px: int = 3) -> None:
        p = self.page
        p.draw.rectangle((p.left, p.y, p.right, p.y + width_px), fill=fill)
        p.y += width_px + self.line_gap

    def table(self, rows: list[list[str]], widths: list[float], *, size_pt: float = 11, header_rows: int = 1,
              repeat_header: bool = True) -> None:
        """A ruled table; ``widths`` are relative column widths; long tables continue on new pages."""
        size = pt(size_pt, self.dpi)
        pad = round(size * 0.35)
        total = sum(widths)
        header = rows[:header_rows]
        for r, row in enumerate(rows):
            mrow, mw = self._merge(row, widths)
            cols = [self.page.width * w / total for w in mw]
            cells = [wrap(str(c), size, int(cw - 2 * pad), "serif") or [""] for c, cw in zip(mrow, cols)]
            height = max(len(c) for c in cells) * round(size * 1.35) + 2 * pad
            if self.page.room() < height:
                self.new_page()
                if repeat_header and r >= header_rows:
                    for hrow in header:
                        self._row(hrow, widths, size, pad, bold=True)
            self._row(row, widths, size, pad, bold=r < header_rows)

    @staticmethod
    def _merge(row, widths):
        """``None`` cells merge into the cell on their left (a simple colspan)."""
        out_row, out_w = [], []
        for c, w in zip(row, widths):
            if c is None and out_row:
                out_w[-1] += w
            else:
                out_row.append("" if c is None else c)
                out_w.append(w)
        return out_row, out_w

    def _row(self, row, widths, size, pad, bold=False) -> None:
        p = self.page
        total = sum(widths)
        row, widths = self._merge(row, widths)
        cols = [p.width * w / total for w in widths]
        style = "sans" if bold else "serif"
        cells = [wrap(str(c), size, int(cw - 2 * pad), style) or [""] for c, cw in zip(row, cols)]
        step = round(size * 1.35)
        height = max(len(c) for c in cells) * step + 2 * pad
        x = p.left
        f = font(size, style)
        for lines, cw in zip(cells, cols):
            p.draw.rectangle((x, p.y, x + cw, p.y + height), outline=BLACK, width=2)
            ty = p.y + (height - len(lines) * step) / 2
            for line in lines:
                lw = f.getlength(line)
                tx = x + (cw - lw) / 2 if (bold or len(lines) == 1) and lw < cw - 2 * pad else x + pad
                p.draw.text((tx, ty), line, font=f, fill=BLACK)
                ty += step
            x += cw
        p.y += height

    def finish(self) -> list[Page]:
        """Add page numbers (公文 style: "— 3 —" at the foot) and return the pages."""
        if self.page_numbers and len(self.pages) > 1:
            size = pt(14, self.dpi)
            for i, p in enumerate(self.pages, 1):
                label = f"— {i} —"
                w = font(size, "serif").getlength(label)
                x = p.right - w if i % 2 else p.left
                p.draw.text((x, p.image.height - p.px(22)), label, font=font(size, "serif"), fill=BLACK)
        return self.pages
