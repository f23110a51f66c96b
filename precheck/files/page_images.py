"""Rendered pages: red-seal detection (Pillow only) and OCR with tesseract chi_sim (OMP_THREAD_LIMIT=1)."""
from __future__ import annotations

import io
import os
import re
import subprocess
from collections import deque

SEAL_DPI = 50
MIN_SEAL_MM, MAX_SEAL_MM = 25.0, 70.0        # official seals are 38–45 mm; a red-header character is < 15 mm


def render_pdf_pages(data: bytes, indexes: list[int], dpi: int):
    """Yield (index, PIL image) for the given 0-based pages (pypdfium2). A page pdfium cannot draw as it is
    (a CropBox outside the page: "Crop exceeds page dimensions") is repaired first (``pdf_repair.renderable``);
    one that still cannot be drawn is left out, so one bad page never stops the others."""
    import pypdfium2 as pdfium

    from precheck.files.pdf_repair import renderable

    pdf = pdfium.PdfDocument(data)
    try:
        n = len(pdf)
        for i in indexes:
            if 0 <= i < n:
                page = pdf[i]
                try:
                    if not renderable(page):
                        continue
                    try:
                        img = page.render(scale=dpi / 72).to_pil()
                    except pdfium.PdfiumError:
                        continue
                    yield i, img
                finally:
                    page.close()
    finally:
        pdf.close()


def image_frames(data: bytes, indexes: list[int]):
    from PIL import Image, ImageSequence

    from precheck.files.pictures import register_heif

    register_heif()
    with Image.open(io.BytesIO(data)) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            if i in indexes:
                yield i, frame.convert("RGB")
            if i >= max(indexes, default=0):
                break


def red_mask(img):
    """An "L" mask, 255 where the pixel is seal red (hue near 0, saturated, not dark)."""
    from PIL import ImageChops

    h, s, v = img.convert("RGB").convert("HSV").split()
    hue = h.point(lambda x: 255 if (x <= 14 or x >= 235) else 0)
    sat = s.point(lambda x: 255 if x >= 90 else 0)
    val = v.point(lambda x: 255 if x >= 90 else 0)
    return ImageChops.multiply(ImageChops.multiply(hue, sat), val)


def find_seal(img, dpi: float) -> dict | None:
    """The largest roughly round red component of seal size, or None. Pure Pillow + BFS on a small image."""
    from PIL import ImageFilter

    scale = SEAL_DPI / dpi
    if scale < 1:
        img = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))))
    mask = red_mask(img)
    if mask.getbbox() is None:
        return None
    mask = mask.filter(ImageFilter.MaxFilter(5))
    w, h = mask.size
    buf = mask.tobytes()
    seen = bytearray(w * h)
    best = None
    lo, hi = MIN_SEAL_MM / 25.4 * SEAL_DPI, MAX_SEAL_MM / 25.4 * SEAL_DPI
    for m in re.finditer(rb"[^\x00]", buf):
        i = m.start()
        if seen[i]:
            continue
        x0, y0, x1, y1, n = _component(buf, seen, w, h, i)
        bw, bh = x1 - x0 + 1, y1 - y0 + 1
        fill = n / (bw * bh)
        if lo <= bw <= hi and lo <= bh <= hi and 0.7 <= bw / bh <= 1.43 and 0.15 <= fill <= 0.85:
            cand = {"x_mm": round(x0 / SEAL_DPI * 25.4), "y_mm": round(y0 / SEAL_DPI * 25.4),
                    "d_mm": round((bw + bh) / 2 / SEAL_DPI * 25.4), "fill": round(fill, 2)}
            if best is None or cand["d_mm"] > best["d_mm"]:
                best = cand
    return best


def _component(buf, seen, w, h, start):
    q = deque([start])
    seen[start] = 1
    x0 = x1 = start % w
    y0 = y1 = start // w
    n = 0
    while q:
        i = q.popleft()
        n += 1
        cx, cy = i % w, i // w
        if cx < x0: x0 = cx
        if cx > x1: x1 = cx
        if cy < y0: y0 = cy
        if cy > y1: y1 = cy
        for j in ((i + 1) if cx + 1 < w else -1, (i - 1) if cx > 0 else -1, i + w if cy + 1 < h else -1, i - w):
            if j >= 0 and not seen[j] and buf[j]:
                seen[j] = 1
                q.append(j)
    return x0, y0, x1, y1, n


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")


def ocr_image(img, timeout: float = 60.0, psm: int = 6) -> str:
    """tesseract chi_sim on one page image; spaces tesseract puts between Chinese characters removed.
    psm 6 (one uniform block) read noisy scanned letters far better than psm 3 in our tests."""
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim+eng", "--psm", str(psm)],
                       input=buf.getvalue(), capture_output=True, timeout=timeout, env=env)
    if r.returncode != 0:
        raise RuntimeError("tesseract failed: " + r.stderr.decode("utf-8", "replace")[-300:])
    return _CJK_SPACE.sub("", r.stdout.decode("utf-8", "replace"))
