"""Ruled table cells from a page image (OpenCV): the holes of the page's horizontal + vertical rule mask.

    cells = ruled_cells(pil_image)     # [(x0, y0, x1, y1), ...] in the image's pixels, merged cells as one

Rules are found by morphological opening with long thin kernels on a binarised page, short enough that a
2-3 degree skew still leaves segments; small gaps (dithering, JPEG) are closed before the holes are taken.
Text characters are far shorter than the kernels, so body text leaves no holes.
"""
from __future__ import annotations

MIN_CELL_PX = 12


def ruled_cells(image, max_side: int = 1600) -> list[tuple[int, int, int, int]]:
    import cv2
    import numpy as np

    gray = np.asarray(image.convert("L"))
    h, w = gray.shape
    k = 1.0
    if max(h, w) > max_side:                      # rules survive downscaling; CPU and memory do not
        k = max_side / max(h, w)
        gray = cv2.resize(gray, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    hh, ww = gray.shape
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, ww // 40), 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, hh // 60))))
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    grid = cv2.bitwise_or(horiz, vert)
    if cv2.countNonZero(vert) < hh // 10 or cv2.countNonZero(horiz) < ww // 5:
        return []                                  # no table (or too few rules to close a cell)
    contours, hierarchy = cv2.findContours(grid, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    out = []
    min_px = MIN_CELL_PX * (hh / 1754)
    for i, c in enumerate(contours):
        if hierarchy[0][i][3] < 0:                 # an outer boundary, not a hole
            continue
        x, y, cw, ch = cv2.boundingRect(c)
        if cw < min_px or ch < min_px or cw * ch > 0.5 * ww * hh:
            continue
        if cv2.contourArea(c) < 0.6 * cw * ch:    # a ragged hole (text between broken rules), not a cell
            continue
        out.append((round(x / k), round(y / k), round((x + cw) / k), round((y + ch) / k)))
    return sorted(out, key=lambda b: (b[1], b[0]))
