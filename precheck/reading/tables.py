"""Tables rebuilt from a page's ruled cells and text boxes: rows, columns and merged cells.

    for t in tables(page):               # PageText with .cells (ruled) — or none: rows of boxes instead
        t.rows, t.cols                    # grid size
        cell = t.at(r, c)                 # the Cell covering grid position (r, c): a merged cell covers several
        cell.text, cell.r0, cell.r1, cell.c0, cell.c1, cell.box

A text box belongs to the cell holding its centre; a cell's text is its boxes in reading order, joined without
spaces (a header wrapped as 中央财政补 / 助资金 reads 中央财政补助资金). Cells that touch form one table.
Grid lines are the clustered cell edges, so a cell spanning three column edges is a merged cell of width 3.
Pages without rules get ``row_tables``: each text row a table row, columns by x position.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from precheck.files.ocr_engine import Line
from precheck.reading.page import PageText


@dataclass
class Cell:
    box: tuple[int, int, int, int]
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    r0: int = 0
    r1: int = 1
    c0: int = 0
    c1: int = 1


@dataclass
class Table:
    cells: list[Cell]
    rows: int
    cols: int
    box: tuple[int, int, int, int]
    ruled: bool = True
    grid: list[list[Cell | None]] = field(default_factory=list)

    def at(self, r: int, c: int) -> Cell | None:
        if 0 <= r < self.rows and 0 <= c < self.cols:
            return self.grid[r][c]
        return None

    def row_cells(self, r: int) -> list[Cell]:
        out = []
        for c in range(self.cols):
            cell = self.at(r, c)
            if cell is not None and (not out or out[-1] is not cell):
                out.append(cell)
        return out

    def text(self) -> str:
        return "\n".join(" ".join(c.text for c in self.row_cells(r)) for r in range(self.rows))


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _groups(cells: list[tuple[int, int, int, int]], gap: float) -> list[list[tuple[int, int, int, int]]]:
    """Cells that touch (within ``gap``) belong to one table (union-find)."""
    parent = list(range(len(cells)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(cells)), key=lambda i: cells[i][1])
    for a_i, a in enumerate(order):
        ax0, ay0, ax1, ay1 = cells[a]
        for b in order[a_i + 1:]:
            bx0, by0, bx1, by1 = cells[b]
            if by0 > ay1 + gap:
                break
            if bx0 <= ax1 + gap and ax0 <= bx1 + gap and by0 <= ay1 + gap and ay0 <= by1 + gap:
                parent[find(a)] = find(b)
    groups: dict[int, list] = {}
    for i in range(len(cells)):
        groups.setdefault(find(i), []).append(cells[i])
    return list(groups.values())


def tables(page: PageText) -> list[Table]:
    """Ruled tables of the page (largest first); ``row_tables`` when there are no rules."""
    if not page.cells:
        return []
    scale = page.height / 3508 if page.height else 1.0
    gap = max(4.0, 14 * scale)
    out = []
    for group in _groups(page.cells, gap):
        if len(group) < 4:
            continue
        xs = _cluster([c[0] for c in group] + [c[2] for c in group], gap)
        ys = _cluster([c[1] for c in group] + [c[3] for c in group], gap)
        cells = []
        for (x0, y0, x1, y1) in group:
            c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
            r0, r1 = _nearest(ys, y0), _nearest(ys, y1)
            if c1 <= c0 or r1 <= r0:
                continue
            cells.append(Cell((x0, y0, x1, y1), r0=r0, r1=r1, c0=c0, c1=c1))
        if not cells:
            continue
        t = Table(cells, len(ys) - 1, len(xs) - 1,
                  (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group),
                   max(c[3] for c in group)))
        t.grid = [[None] * t.cols for _ in range(t.rows)]
        for cell in cells:
            for r in range(cell.r0, cell.r1):
                for c in range(cell.c0, cell.c1):
                    t.grid[r][c] = cell
        out.append(t)
    _fill(out, page.lines)
    return sorted(out, key=lambda t: -(t.box[2] - t.box[0]) * (t.box[3] - t.box[1]))


def _fill(ts: list[Table], lines: list[Line]) -> None:
    from precheck.files.ocr_engine import reading_order

    for ln in reading_order(lines):
        cx, cy = (ln.box[0] + ln.box[2]) / 2, (ln.box[1] + ln.box[3]) / 2
        for t in ts:
            x0, y0, x1, y1 = t.box
            if not (x0 <= cx <= x1 and y0 <= cy <= y1):
                continue
            best = None
            for cell in t.cells:
                bx0, by0, bx1, by1 = cell.box
                if bx0 - 2 <= cx <= bx1 + 2 and by0 - 2 <= cy <= by1 + 2:
                    area = (bx1 - bx0) * (by1 - by0)
                    if best is None or area < best[0]:
                        best = (area, cell)
            if best:
                best[1].lines.append(ln)
            break
    for t in ts:
        for cell in t.cells:
            cell.text = "".join(ln.text.strip() for ln in cell.lines)


def row_tables(page: PageText) -> list[Table]:
    """An unruled page as one table: each text row a row; columns from the distinct x starts of its boxes."""
    rows = page.rows()
    if not rows:
        return []
    tol = max(6.0, page.width / 60)
    xs = _cluster([ln.box[0] for row in rows for ln in row], tol)
    edges = xs + [page.width]
    cells = []
    for r, row in enumerate(rows):
        for i, ln in enumerate(row):
            c0 = _nearest(xs, ln.box[0])
            nxt = row[i + 1].box[0] if i + 1 < len(row) else page.width
            c1 = max(c0 + 1, _nearest(edges, nxt))
            cells.append(Cell(ln.box, ln.text.strip(), [ln], r, r + 1, c0, c1))
    t = Table(cells, len(rows), len(xs), (0, 0, round(page.width), round(page.height)), ruled=False)
    t.grid = [[None] * t.cols for _ in range(t.rows)]
    for cell in cells:
        for c in range(cell.c0, min(cell.c1, t.cols)):
            if t.grid[cell.r0][c] is None:
                t.grid[cell.r0][c] = cell
    return [t]
