"""One page as the fact readers see it, whatever read it: text lines with boxes (and ruled cells when the page has
a grid), from a PDF's text layer or from OCR. JSON-able, so OCR results are stored and read again later.

    page = PageText(index=0, width=2480, height=3508, lines=[Line(...)], cells=[(x0, y0, x1, y1)], source="ocr")
    page.text()            # rows joined by newlines (skew undone), the string the text patterns run on
    page.to_json() / PageText.from_json(d)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from precheck.files.ocr_engine import Line, rows

SOURCES = ("text_layer", "ocr", "ocr_layer")   # born-digital text / our OCR / another tool's OCR text layer


@dataclass
class PageText:
    index: int                                   # 0-based page (frame) number in the file
    width: float                                 # in the unit of the boxes (pixels)
    height: float
    lines: list[Line] = field(default_factory=list)
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)
    source: str = "ocr"
    score: float = 1.0                           # mean recogniser confidence (1.0 for a text layer)

    def rows(self) -> list[list[Line]]:
        return rows(self.lines)

    def text(self) -> str:
        return "\n".join(" ".join(ln.text for ln in row) for row in self.rows())

    def to_json(self) -> dict:
        return {"index": self.index, "w": round(self.width), "h": round(self.height), "source": self.source,
                "score": round(self.score, 3), "cells": [list(c) for c in self.cells],
                "lines": [[ln.text, round(ln.score, 3), *ln.box, *[round(v) for xy in ln.quad for v in xy]]
                          for ln in self.lines]}

    @classmethod
    def from_json(cls, d: dict) -> "PageText":
        lines = []
        for row in d.get("lines", []):
            text, score, x0, y0, x1, y1, *q = row
            quad = tuple((float(q[i]), float(q[i + 1])) for i in range(0, len(q) - 1, 2)) if len(q) == 8 else ()
            lines.append(Line(text, (int(x0), int(y0), int(x1), int(y1)), float(score), quad))
        return cls(d["index"], float(d["w"]), float(d["h"]), lines, [tuple(c) for c in d.get("cells", [])],
                   d.get("source", "ocr"), float(d.get("score", 1.0)))


def mean_score(lines: list[Line]) -> float:
    chars = sum(len(ln.text) for ln in lines)
    if not chars:
        return 0.0
    return sum(ln.score * len(ln.text) for ln in lines) / chars
