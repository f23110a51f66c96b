"""Round official seals (公章) drawn from scratch: ring, five-pointed star, the unit's name on the arc,
optional anti-counterfeit code at the bottom; stamped like ink (multiplied over the text beneath it,
uneven pressure, speckled, slightly rotated) or placed crisp as an electronic seal image."""
from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SEAL_FONT_INDEX = 2  # the SC face inside the collection


def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(SEAL_FONT, px, index=SEAL_FONT_INDEX)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    pts = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
    draw.polygon(pts, fill=255)


def seal_mask(name: str, size: int, code: str | None = None) -> np.ndarray:
    """A float mask in [0, 1] of a seal `size` pixels across (1 = full ink)."""
    big = size * 2
    img = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(img)
    c = big / 2
    outer = big / 2 * 0.97
    ring_w = big * 0.036
    draw.ellipse([c - outer, c - outer, c + outer, c + outer], fill=255)
    inner = outer - ring_w
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], fill=0)
    _star(draw, c, c, big * 0.16)
    n = len(name)
    ch = int(big * (0.155 if n <= 8 else 0.13 if n <= 11 else 0.118))
    span = min(262.0, max(160.0, n * 21.0 + 40))
    radius = inner - ch * 0.62
    font = _font(ch)
    for i, char in enumerate(name):
        theta = -span / 2 + span * (i + 0.5) / n  # degrees clockwise from the top
        glyph = Image.new("L", (ch * 2, ch * 2), 0)
        gd = ImageDraw.Draw(glyph)
        gd.text((ch, ch), char, font=font, fill=255, anchor="mm")
        glyph = glyph.resize((int(ch * 2 * 0.78), ch * 2))  # seal characters are tall and narrow
        glyph = glyph.rotate(-theta, resample=Image.BICUBIC, expand=True)
        t = math.radians(theta)
        gx = c + radius * math.sin(t) - glyph.width / 2
        gy = c - radius * math.cos(t) - glyph.height / 2
        img.paste(255, (int(gx), int(gy)), glyph)
    if code:
        cf = _font(int(big * 0.055))
        draw.text((c, c + outer * 0.62), code, font=cf, fill=255, anchor="mm")
    img = img.resize((size, size), Image.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    small = rng.random((cells, cells)).astype(np.float32)
    im = Image.fromarray((small * 255).astype(np.uint8)).resize((shape[1], shape[0]), Image.BICUBIC)
    return np.asarray(im, dtype=np.float32) / 255.0


def inked(name: str, size: int, rng: np.random.Generator, code: str | None = None) -> np.ndarray:
    """The seal as a stamp leaves it on paper: a coverage map in [0, 1], rotated and imperfect."""
    m = seal_mask(name, size, code)
    angle = float(rng.uniform(-14, 14))
    m = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).rotate(angle, resample=Image.BICUBIC),
                   dtype=np.float32) / 255.0
    pressure = 0.72 + 0.28 * _smooth_noise(rng, m.shape, 4)            # uneven pressure
    side = np.linspace(1.0 - rng.uniform(0.0, 0.22), 1.0, m.shape[1], dtype=np.float32)
    if rng.random() < 0.5:
        side = side[::-1]
    speckle = (rng.random(m.shape) > rng.uniform(0.04, 0.12)).astype(np.float32)  # ink holes
    speckle = np.asarray(Image.fromarray((speckle * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)),
                         dtype=np.float32) / 255.0
    cov = m * pressure * side[None, :] * speckle * float(rng.uniform(0.88, 0.98))
    return np.clip(cov, 0, 1)


def ink_colour(rng: np.random.Generator) -> np.ndarray:
    return np.array([rng.uniform(190, 225), rng.uniform(20, 55), rng.uniform(30, 65)], dtype=np.float32)


def stamp(page: np.ndarray, name: str, cx: int, cy: int, size: int, rng: np.random.Generator,
          code: str | None = None) -> None:
    """Stamp in place on an RGB uint8 page: ink multiplies with what is printed beneath."""
    cov = inked(name, size, rng, code)
    colour = ink_colour(rng) / 255.0
    h, w = cov.shape
    x0, y0 = cx - w // 2, cy - h // 2
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page.shape[1], x0 + w), min(page.shape[0], y0 + h)
    if px1 <= px0 or py1 <= py0:
        return
    c = cov[py0 - y0:py1 - y0, px0 - x0:px1 - x0, None]
    region = page[py0:py1, px0:px1].astype(np.float32)
    tinted = region * (1 - c * (1 - colour[None, None, :]))
    page[py0:py1, px0:px1] = np.clip(tinted, 0, 255).astype(np.uint8)


def electronic(name: str, size: int, code: str | None = None) -> Image.Image:
    """A crisp electronic seal (电子签章) as an RGBA image: pure red, transparent background."""
    m = seal_mask(name, size, code)
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., 0] = 230
    rgba[..., 1] = 0
    rgba[..., 2] = 18
    rgba[..., 3] = (m * 235).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")
