"""Tables for a terminal: columns aligned by display width (a 汉字 is two cells wide), not by tabs."""
from __future__ import annotations

import unicodedata


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide/full-width characters count 2, combining marks 0."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def format_table(headers: list[str], rows: list[list[str]], *, gap: int = 2, last_free: bool = True) -> list[str]:
    """Lines of a left-aligned table; the last column is not padded (it may be long)."""
    cols = len(headers)
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] + [""] * (cols - len(r)) for r in rows]
    widths = [max(cell_width(r[i]) for r in cells) for i in range(cols)]
    sep = " " * gap
    out = []
    for r in cells:
        parts = [pad(c, widths[i]) if not (last_free and i == cols - 1) else c for i, c in enumerate(r)]
        out.append(sep.join(parts).rstrip())
    return out
