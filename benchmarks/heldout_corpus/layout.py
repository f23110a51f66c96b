"""A page as a list of drawing operations in millimetres, and the few layout helpers the documents need.

Every renderer (Pillow raster, hand-written PDF) draws the same operations, so the page count and the words on each
page are fixed here, by construction, before any pixel exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field

A4 = (210.0, 297.0)
A3_LANDSCAPE = (420.0, 297.0)
PT = 25.4 / 72          # one point in mm
RED = (205, 28, 36)
BLACK = (20, 20, 20)


@dataclass
class Text:
    x: float
    y: float            # top of the line box, mm from the top edge
    size: float         # em size in mm
    text: str
    font: str = "song"  # song / hei / kai / bold
    color: tuple = BLACK


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.3
    color: tuple = BLACK


@dataclass
class Seal:
    cx: float
    cy: float
    unit: str
    diameter: float = 42.0
    rotation: float = 0.0


@dataclass
class Page:
    size: tuple = A4
    ops: list = field(default_factory=list)
    seals: list = field(default_factory=list)

    def text(self) -> str:
        """The page's words in reading order (what a perfect reader of the page would read)."""
        lines = [o for o in self.ops if isinstance(o, Text)]
        lines.sort(key=lambda o: (round(o.y, 1), o.x))
        out, row_y, row = [], None, []
        for o in lines:
            if row_y is not None and abs(o.y - row_y) > 1.0:
                out.append(" ".join(row))
                row = []
            row_y = o.y
            row.append(o.text)
        if row:
            out.append(" ".join(row))
        return "\n".join(out)


def width(s: str, size: float) -> float:
    """Advance of ``s`` at ``size`` mm: CJK and full-width signs 1 em, Latin half an em (both renderers use this)."""
    return sum(advance(c, size) for c in s)


def advance(c: str, size: float) -> float:
    return size * (0.5 if ord(c) < 0x2000 else 1.0)


def wrap(s: str, size: float, room: float, indent: float = 0.0) -> list[str]:
    lines, cur, first = [], "", True
    for c in s:
        lim = room - (indent if first else 0.0)
        if cur and width(cur + c, size) > lim and c not in "，。；：、）》”":
            lines.append(cur)
            cur, first = "", False
        cur += c
    if cur:
        lines.append(cur)
    return lines


class Flow:
    """Writes paragraphs down a page from ``top``; ``room_left`` says how much height is left."""

    def __init__(self, page: Page, left=28.0, right=26.0, top=37.0, bottom=30.0):
        self.page, self.left, self.top, self.bottom = page, left, top, bottom
        self.right_x = page.size[0] - right
        self.y = top

    @property
    def room(self) -> float:
        return self.right_x - self.left

    def room_left(self) -> float:
        return self.page.size[1] - self.bottom - self.y

    def para(self, s, size=5.2, font="song", indent=2, lead=1.55, color=BLACK, align="left", gap=0.0):
        ind = indent * size
        for i, ln in enumerate(wrap(s, size, self.room, ind)):
            if align == "center":
                x = self.left + (self.room - width(ln, size)) / 2
            elif align == "right":
                x = self.right_x - width(ln, size)
            else:
                x = self.left + (ind if i == 0 else 0.0)
            self.page.ops.append(Text(x, self.y, size, ln, font, color))
            self.y += size * lead
        self.y += gap

    def lines_fit(self, size=5.2, lead=1.55) -> int:
        return int(self.room_left() // (size * lead))

    def rule(self, color=RED, width_=0.8, gap=4.0):
        self.page.ops.append(Line(self.left - 2, self.y, self.right_x + 2, self.y, width_, color))
        self.y += gap

    def skip(self, mm):
        self.y += mm


def table(page: Page, x: float, y: float, cols: list[float], rows: list[list], size=3.9, row_h=9.0,
          heights: dict | None = None) -> float:
    """A ruled grid. ``rows`` hold cells: a string, or (text, colspan, rowspan); None marks a cell covered by a
    span (from the left or from above). Text is centred (``<`` prefix: left-aligned) and wrapped inside its cell. Returns the bottom y."""
    heights = heights or {}
    hs = [heights.get(i, row_h) for i in range(len(rows))]
    ys = [y]
    for h in hs:
        ys.append(ys[-1] + h)
    xs = [x]
    for w in cols:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        c, pending = 0, 0
        for cell in row:
            if cell is None:
                if pending:
                    pending -= 1
                else:
                    c += 1
                continue
            text, cs, rs = (cell, 1, 1) if isinstance(cell, str) else cell
            x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
            for seg in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                page.ops.append(Line(*seg, width=0.25))
            left = text.startswith("<")
            text = text.lstrip("<")
            lines = wrap(text, size, x1 - x0 - 2.0) if text else []
            ty = (y0 + y1) / 2 - len(lines) * size * 1.3 / 2 + 0.15 * size
            for ln in lines:
                tx = x0 + 1.2 if left else (x0 + x1) / 2 - width(ln, size) / 2
                page.ops.append(Text(tx, ty, size, ln, "song"))
                ty += size * 1.3
            c += cs
            pending = cs - 1
    return ys[-1]
