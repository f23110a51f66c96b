"""Policy 4: pages as A4 single-sided equivalents, with the arithmetic shown (pure functions)."""
from __future__ import annotations

import math

PT_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)
A4_AREA = A4_MM[0] * A4_MM[1]
IMAGE_LABEL = "图片"
PHOTO_LABEL = "照片"          # a camera picture in a PDF page of nominal metres: counted as the one sheet it shows
NAMED = (("A4", 210, 297), ("A3", 297, 420), ("A5", 148, 210), ("B4", 250, 353), ("B5", 176, 250),
         ("Letter", 216, 279), ("Legal", 216, 356))


def size_label(w_mm: float, h_mm: float, tolerance: float) -> str:
    """"A4" when the area is within ``tolerance`` of A4 (scanner sizes); else a paper name or "W×H mm"."""
    short, long_ = sorted((w_mm, h_mm))
    area = short * long_
    if abs(area / A4_AREA - 1) <= tolerance and long_ / max(short, 1) < 1.9:
        return "A4"
    for name, a, b in NAMED:
        if abs(short - a) <= 6 and abs(long_ - b) <= 6:
            return name
    return f"{round(short)}×{round(long_)} mm"


def a4_equivalents(w_mm: float, h_mm: float, tolerance: float) -> int:
    """``max(1, round(area / A4 area))``; a page within tolerance of A4 counts 1 (A3 counts 2)."""
    ratio = (w_mm * h_mm) / A4_AREA
    if abs(ratio - 1) <= tolerance:
        return 1
    return max(1, math.floor(ratio + 0.5))


def page_entry(w_pt: float, h_pt: float, rotate: int, tolerance: float) -> dict:
    """One page as displayed (rotation applied): millimetres, label, A4 equivalents."""
    if not (math.isfinite(w_pt) and math.isfinite(h_pt)) or max(abs(w_pt), abs(h_pt)) > 14_400 * 75:
        raise ValueError(f"page size is not a usable number: {w_pt!r} x {h_pt!r}")   # found by fuzzing
    w_mm, h_mm = abs(w_pt) / PT_PER_MM, abs(h_pt) / PT_PER_MM
    if rotate % 180 == 90:
        w_mm, h_mm = h_mm, w_mm
    return {"w_mm": round(w_mm, 1), "h_mm": round(h_mm, 1), "rotate": rotate % 360,
            "label": size_label(w_mm, h_mm, tolerance), "a4": a4_equivalents(w_mm, h_mm, tolerance)}


def summarise(pages: list[dict], max_listed: int = 60) -> dict:
    """page_detail JSON: sheets, A4 total, groups by label (in order of first appearance), arithmetic."""
    groups: dict[tuple[str, int], int] = {}
    for p in pages:
        groups[(p["label"], p["a4"])] = groups.get((p["label"], p["a4"]), 0) + 1
    total = sum(p["a4"] for p in pages)
    glist = [{"label": lab, "a4_each": each, "count": n} for (lab, each), n in groups.items()]
    non_a4 = [i + 1 for i, p in enumerate(pages) if p["label"] not in ("A4", IMAGE_LABEL, PHOTO_LABEL)]
    return {"unit": "A4单版面", "sheets": len(pages), "a4": total, "groups": glist,
            "non_a4_pages": non_a4[:max_listed], "non_a4_count": len(non_a4),
            "arithmetic": arithmetic(glist, total),
            "pages": [[p["w_mm"], p["h_mm"], p["rotate"], p["label"], p["a4"]] for p in pages[:max_listed]]}


def arithmetic(groups: list[dict], total: int) -> str:
    """"9 页 A4 + 1 页 A3 = 11 页" (a group counting more than 1 each is named; A3 counts 2)."""
    if not groups:
        return "0 页"
    parts = []
    for g in groups:
        s = f"{g['count']} 页 {g['label']}"
        if g["label"] not in ("A4", "A3", PHOTO_LABEL) and g["a4_each"] != 1:
            s += f"（每页按 {g['a4_each']} 页计）"
        parts.append(s)
    return " + ".join(parts) + f" = {total} 页"


def combine(named: list[tuple[str, dict]]) -> str:
    """Arithmetic across documents: "实施方案 11 + 资金预算表 2 = 13 页"."""
    return " + ".join(f"{n} {d.get('a4', 0)}" for n, d in named) + f" = {sum(d.get('a4', 0) for _, d in named)} 页"
