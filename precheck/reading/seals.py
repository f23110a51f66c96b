"""Red official seals on a page image: size from the page's real dimensions, a ring, and the colour — not any red
blob. A gray or 1-bit scan cannot show red at all: it is reported as such, never as "no seal".

    colour_mode(img)                         -> "color" | "gray" | "bw"
    find_seals(img, px_per_mm)               -> [{"x_mm", "y_mm", "d_mm", "ring", "fill", "box"}, ...]
    seal_verdict(pages)                      -> {"found": True | False | None, "colour": ..., ...}

A seal is a red connected region 25–75 mm across (official seals are 38–45 mm; ovals allowed), roughly round,
whose outer ring is inked around most of its circumference while its inside is not solid (a red logo or a filled
disc is solid; a 红头 line or a red rule is long and thin). Photos carry no trustworthy scale: the sheet is taken
to fill most of the picture (long side ≈ 340 mm).
"""
from __future__ import annotations

MIN_D_MM, MAX_D_MM = 25.0, 75.0
RING_MIN = 0.55
PHOTO_LONG_MM = 340.0


def colour_mode(img) -> str:
    """From the pixels: a page rendered from a gray or 1-bit image has R == G == B everywhere."""
    import numpy as np

    if img.mode in ("1",):
        return "bw"
    if img.mode in ("L", "LA", "I", "I;16"):
        a = np.asarray(img.convert("L"))
    else:
        a = np.asarray(img.convert("RGB")).astype(np.int16)
        spread = np.abs(a[:, :, 0] - a[:, :, 1]) + np.abs(a[:, :, 1] - a[:, :, 2])
        if np.percentile(spread, 99.5) > 6 or spread.mean() > 1.5:
            return "color"
        a = a[:, :, 1].astype(np.uint8)
    mid = np.count_nonzero((a > 40) & (a < 215)) / a.size
    return "bw" if mid < 0.004 else "gray"


def red_mask(img):
    """uint8 mask, 255 where the pixel is seal red (hue 330°–22°, saturated, not dark)."""
    import cv2
    import numpy as np

    hsv = cv2.cvtColor(np.asarray(img.convert("RGB")), cv2.COLOR_RGB2HSV)
    h, s, v = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    red = ((h <= 11) | (h >= 165)) & (s >= 70) & (v >= 80)
    return red.astype(np.uint8) * 255


def find_seals(img, px_per_mm: float, *, slack: float = 1.0) -> list[dict]:
    import cv2
    import numpy as np

    mask = red_mask(img)
    if not mask.any():
        return []
    k = max(1, round(px_per_mm * 1.2))
    closed = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1)))
    n, labels, stats, _c = cv2.connectedComponentsWithStats(closed, connectivity=8)
    lo, hi = MIN_D_MM / slack * px_per_mm, MAX_D_MM * slack * px_per_mm
    out = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if not (lo <= w <= hi and lo <= h <= hi and 0.6 <= w / h <= 1.67):
            continue
        sub = mask[y:y + h, x:x + w] > 0
        ring, fill = _ring(sub)
        if ring < RING_MIN or fill > 0.6:
            continue
        out.append({"x_mm": round(x / px_per_mm), "y_mm": round(y / px_per_mm),
                    "d_mm": round((w + h) / 2 / px_per_mm), "ring": round(ring, 2), "fill": round(fill, 2),
                    "box": [int(x), int(y), int(x + w), int(y + h)]})
    return sorted(out, key=lambda s: -s["ring"])


def _ring(sub) -> tuple[float, float]:
    """(share of 48 directions with red near the outer edge, share of red pixels well inside)."""
    import numpy as np

    h, w = sub.shape
    cy, cx = (h - 1) / 2, (w - 1) / 2
    ry, rx = h / 2, w / 2
    ys, xs = np.nonzero(sub)
    if len(xs) == 0:
        return 0.0, 0.0
    dy, dx = (ys - cy) / ry, (xs - cx) / rx
    r = np.sqrt(dx * dx + dy * dy)
    ang = (np.degrees(np.arctan2(dy, dx)) + 360) % 360
    outer = (r >= 0.78) & (r <= 1.08)
    bins = np.unique((ang[outer] // 7.5).astype(int))
    ring = len(bins) / 48
    yy, xx = np.mgrid[0:h, 0:w]
    inner_zone = np.sqrt(((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2) < 0.5
    fill = float(sub[inner_zone].mean()) if inner_zone.any() else 0.0
    return ring, fill


def px_per_mm(img, page_mm: tuple[float, float] | None, photo: bool) -> tuple[float, float]:
    """(pixels per mm, size slack): from the page's real size, or from the picture for a photo."""
    if photo or not page_mm or not all(page_mm) or max(page_mm) > 900:
        return max(img.size) / PHOTO_LONG_MM, 1.35
    return img.width / page_mm[0], 1.0


def seal_verdict(pages: list[tuple]) -> dict:
    """``pages``: (0-based index, image, (w_mm, h_mm) or None, is_photo, layer[, stored colour]). found: True (a red
    seal), False (pages that can show colour, no red seal), None (only gray or 1-bit scans: they cannot show a red
    seal). A born-digital page (layer "text") shows colour whatever its pixels are; a page image stored as RGB is a
    colour scan even when what it shows is black and white."""
    checked, modes, best = [], [], None
    for i, img, mm, photo, *rest in pages:
        layer = rest[0] if rest else "image"
        stored = rest[1] if len(rest) > 1 else None
        checked.append(i + 1)
        mode = "digital" if layer == "text" else (stored or colour_mode(img))
        modes.append(mode)
        if mode not in ("color", "digital"):
            continue
        k, slack = px_per_mm(img, mm, photo)
        seals = find_seals(img, k, slack=slack)
        if seals:
            best = {"found": True, "page": i + 1, **seals[0], "count": len(seals), "seals_on_page": seals[:4]}
            break
    decidable = [m for m in modes if m in ("color", "digital")]
    colour = (decidable[0] if decidable else ("bw" if modes and all(m == "bw" for m in modes) else
                                              ("gray" if modes else "unknown")))
    if best:
        return {**best, "colour": colour, "pages_checked": checked}
    if modes and not decidable:
        return {"found": None, "colour": colour, "pages_checked": checked, "reason": UNDECIDABLE_ZH}
    return {"found": False, "colour": colour, "pages_checked": checked}


UNDECIDABLE_ZH = "扫描件为黑白/灰度，无法判断红章"


def render_dpi_for(page_w_pt: float, page_h_pt: float, target_long_px: int = 1100) -> float:
    """A render scale that gives seals ~3 px per mm on A4 and keeps a photo page small."""
    long_pt = max(page_w_pt, page_h_pt, 1.0)
    return min(90.0, target_long_px / long_pt * 72)
