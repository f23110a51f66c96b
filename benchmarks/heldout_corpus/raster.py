"""Paper: a layout page drawn by Pillow with CJK fonts at a scanner's dpi, seals pressed on it, then what a scanner
or a phone does to it (OpenCV / numpy): skew, uneven light, stains, noise, gray, 1-bit, perspective onto a desk."""
from __future__ import annotations

import math
import random
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from benchmarks.heldout_corpus.layout import Line, Page, Seal, Text, advance

NOTO = "/usr/share/fonts/opentype/noto/"
# AR PL UMing (宋体-like), UKai (楷体), WenQuanYi Zen Hei (黑体) come with scripts/install.sh --bench; without them
# the runtime's Noto CJK stands in (index 2 of each collection is its SC face)
FONTS = {"song": [("/usr/share/fonts/truetype/arphic/uming.ttc", 0), (NOTO + "NotoSerifCJK-Regular.ttc", 2)],
         "bold": [(NOTO + "NotoSerifCJK-Bold.ttc", 2), (NOTO + "NotoSansCJK-Bold.ttc", 2)],
         "hei": [("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0), (NOTO + "NotoSansCJK-Regular.ttc", 2)],
         "kai": [("/usr/share/fonts/truetype/arphic/ukai.ttc", 0), (NOTO + "NotoSerifCJK-Regular.ttc", 2)],
         "serif": [(NOTO + "NotoSerifCJK-Regular.ttc", 2)]}
_cache: dict = {}


def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    key = (name, px)
    if key not in _cache:
        path, index = next(((p, i) for p, i in FONTS[name] if Path(p).exists()), FONTS[name][-1])
        _cache[key] = ImageFont.truetype(path, px, index=index)
    return _cache[key]


def draw_page(page: Page, dpi: int, body_font: str = "song") -> Image.Image:
    k = dpi / 25.4
    w, h = round(page.size[0] * k), round(page.size[1] * k)
    im = Image.new("RGB", (w, h), (255, 255, 255))
    dr = ImageDraw.Draw(im)
    for o in page.ops:
        if isinstance(o, Text):
            name = body_font if o.font == "song" else o.font
            f = font(name, max(6, round(o.size * k)))
            x = o.x * k
            for c in o.text:          # per character, at the layout's advance, so lines keep their layout width
                dr.text((x, o.y * k), c, font=f, fill=o.color)
                x += advance(c, o.size) * k
        elif isinstance(o, Line):
            dr.line([(o.x1 * k, o.y1 * k), (o.x2 * k, o.y2 * k)], fill=o.color, width=max(1, round(o.width * k)))
    for s in page.seals:
        press_seal(im, s, k, random.Random(zlib.crc32(f"{s.unit}{s.cx:.0f}{s.cy:.0f}".encode())))
    return im


def seal_image(s: Seal, k: float, rng: random.Random, color=(214, 30, 40)) -> Image.Image:
    """RGBA: ring, five-pointed star, the unit's name along the upper arc; uneven pressure."""
    d = round(s.diameter * k)
    big = Image.new("L", (d, d), 0)
    dr = ImageDraw.Draw(big)
    ring = max(2, round(1.1 * k))
    dr.ellipse([ring // 2, ring // 2, d - ring // 2 - 1, d - ring // 2 - 1], outline=255, width=ring)
    cx = cy = d / 2
    rs = d * 0.17
    pts = [(cx + rs * (1 if i % 2 == 0 else 0.38) * math.sin(i * math.pi / 5),
            cy - rs * (1 if i % 2 == 0 else 0.38) * math.cos(i * math.pi / 5)) for i in range(10)]
    dr.polygon(pts, fill=255)
    n = len(s.unit)
    fpx = round(d * (0.15 if n <= 10 else 0.12 if n <= 14 else 0.098))
    f = font("serif", fpx)
    span = min(250.0, 18.0 * n + 40)
    r = d / 2 - ring - fpx * 0.62
    for i, ch in enumerate(s.unit):
        a = math.radians(-span / 2 + span * (i + 0.5) / n)
        tile = Image.new("L", (fpx * 2, fpx * 2), 0)
        ImageDraw.Draw(tile).text((fpx // 2, fpx // 2), ch, font=f, fill=255)
        tile = tile.rotate(-math.degrees(a), resample=Image.BICUBIC)
        x, y = cx + r * math.sin(a) - fpx, cy - r * math.cos(a) - fpx
        big.paste(255, (round(x), round(y)), tile)
    big = big.rotate(s.rotation, resample=Image.BICUBIC)
    a = np.asarray(big, dtype=np.float32) / 255.0
    yy, xx = (g / d for g in np.ogrid[0:d, 0:d])
    pressure = 0.55 + 0.45 * np.clip(0.7 + 0.5 * np.sin(xx * rng.uniform(2, 5) + rng.uniform(0, 6))
                                     * np.cos(yy * rng.uniform(2, 4)), 0, 1)
    noise = np.random.default_rng(rng.randint(0, 2 ** 31)).uniform(0, 1, (d, d)).astype(np.float32)
    grain = cv2.GaussianBlur(noise, (0, 0), 1.2)
    alpha = np.clip(a * pressure * (0.6 + 0.6 * grain), 0, 1)
    rgba = np.zeros((d, d, 4), np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = color
    rgba[..., 3] = (alpha * 235).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")


def press_seal(im: Image.Image, s: Seal, k: float, rng: random.Random) -> None:
    """Multiply the seal's ink over the page (text under it stays visible, reddened)."""
    st = seal_image(s, k, rng)
    d = st.size[0]
    x0, y0 = round(s.cx * k - d / 2), round(s.cy * k - d / 2)
    box = (max(0, x0), max(0, y0), min(im.width, x0 + d), min(im.height, y0 + d))
    base = np.asarray(im.crop(box), np.float32) / 255
    ink = np.asarray(st.crop((box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)), np.float32) / 255
    a = ink[..., 3:4]
    out = base * (1 - a + a * ink[..., :3])
    im.paste(Image.fromarray((out * 255).astype(np.uint8)), box[:2])


# ------------------------------------------------------------------ what the scanner does

def scan(im: Image.Image, rng: random.Random, *, skew=0.0, stain=False, color="color") -> Image.Image:
    a = np.asarray(im, np.float32)
    h, w = a.shape[:2]
    tone = np.array([rng.uniform(238, 250), rng.uniform(236, 248), rng.uniform(226, 242)], np.float32) / 255
    a = a * tone
    yy, xx = (g.astype(np.float32) for g in np.ogrid[0:h, 0:w])
    light = 1.0 - 0.10 * ((xx / w - rng.uniform(0.2, 0.8)) ** 2 + (yy / h - rng.uniform(0.2, 0.8)) ** 2)
    a *= light[..., None]
    if stain:
        cx, cy, r = rng.uniform(0.3, 0.8) * w, rng.uniform(0.5, 0.85) * h, rng.uniform(0.06, 0.1) * w
        dist = np.sqrt((xx - cx) ** 2 + ((yy - cy) * 1.15) ** 2)
        ring = np.exp(-((dist - r) / (0.012 * w)) ** 2) * 0.35 + (dist < r) * 0.08
        a *= (1 - ring[..., None] * np.array([0.25, 0.45, 0.75], np.float32))
    a += np.random.default_rng(rng.randint(0, 2 ** 31)).standard_normal(a.shape, dtype=np.float32) * 5
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if skew:
        im = im.rotate(skew, resample=Image.BICUBIC, fillcolor=(235, 235, 232))
    im = im.filter(ImageFilter.GaussianBlur(0.6))
    if color == "gray":
        im = im.convert("L")
    elif color == "bw":
        im = im.convert("L")                           # bw() makes it 1-bit
    return im


def bw(im: Image.Image, dither: bool) -> Image.Image:
    g = im.convert("L")
    if dither:
        return g.convert("1")                          # Floyd–Steinberg, Pillow's default
    return g.point(lambda v: 255 if v > 160 else 0).convert("1", dither=Image.Dither.NONE)


def photo(im: Image.Image, rng: random.Random, size=(2448, 3264)) -> Image.Image:
    """A phone picture of the sheet lying on a desk: perspective, wood-ish background, shadow, vignette, warm cast."""
    W, H = size
    nrng = np.random.default_rng(rng.randint(0, 2 ** 31))
    desk = np.zeros((H, W, 3), np.float32)
    desk[...] = (118, 92, 66)
    grain = cv2.resize(nrng.normal(0, 14, (H // 16, W // 4)).astype(np.float32), (W, H))
    desk += grain[..., None]
    src = np.float32([[0, 0], [im.width, 0], [im.width, im.height], [0, im.height]])
    m = lambda: rng.uniform(0.05, 0.11)
    dst = np.float32([[W * m(), H * m() * 0.6], [W * (1 - m()), H * m() * 0.7], [W * (1 - m() * 0.6), H * (1 - m() * 0.5)],
                      [W * m() * 0.5, H * (1 - m() * 0.6)]])
    M = cv2.getPerspectiveTransform(src, dst)
    sheet = cv2.warpPerspective(np.asarray(im.convert("RGB"), np.float32), M, (W, H))
    mask = cv2.warpPerspective(np.ones((im.height, im.width), np.float32), M, (W, H))
    mask = cv2.GaussianBlur(mask, (5, 5), 0)[..., None]
    out = desk * (1 - mask) + sheet * mask
    yy, xx = (g.astype(np.float32) for g in np.ogrid[0:H, 0:W])
    vign = 1 - 0.35 * (((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2) * 2
    shadow = 1 - 0.22 * np.clip((xx / W - 0.55) * 2.2, 0, 1) * np.clip(1 - yy / H, 0, 1)
    out = out * (vign * shadow)[..., None] * np.array([1.03, 1.0, 0.9], np.float32)
    out += nrng.standard_normal(out.shape, dtype=np.float32) * 4
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
