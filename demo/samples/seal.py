"""Draw a red circular official seal (公章): outer ring, five-pointed star, the unit's name on an arc."""
from __future__ import annotations

import math
import random

from PIL import Image, ImageChops, ImageDraw

from demo.samples.fonts import font

SEAL_RED = (208, 30, 38)


def _star(cx: float, cy: float, r_outer: float) -> list[tuple[float, float]]:
    r_inner = r_outer * 0.382
    pts = []
    for k in range(10):
        r = r_outer if k % 2 == 0 else r_inner
        a = math.radians(-90 + 36 * k)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def seal_mask(name: str, diameter_px: int, rng: random.Random, below: str = "") -> Image.Image:
    """An 'L' mask (255 = ink) of a round seal with ``name`` along the upper arc."""
    ss = 2  # supersample, then reduce: smooth edges
    d = diameter_px * ss
    m = Image.new("L", (d, d), 0)
    dr = ImageDraw.Draw(m)
    ring = max(3, round(d * 0.035))
    dr.ellipse((ring // 2, ring // 2, d - ring // 2 - 1, d - ring // 2 - 1), outline=255, width=ring)
    c = d / 2
    dr.polygon(_star(c, c, d * 0.19), fill=255)
    n = len(name)
    char = round(d * (0.16 if n <= 8 else 0.14 if n <= 11 else 0.12 if n <= 14 else 0.10))
    f = font(char, "sans-bold")
    radius = c - ring - char * 0.62
    span = min(265.0, 28.0 * n + 40)
    for i, ch in enumerate(name):
        ang = -span / 2 + span * (i + 0.5) / n  # degrees from the top, clockwise
        tile = Image.new("L", (char * 2, char * 2), 0)
        ImageDraw.Draw(tile).text((char, char), ch, font=f, fill=255, anchor="mm")
        tile = tile.rotate(-ang, resample=Image.BICUBIC)
        x = c + radius * math.sin(math.radians(ang)) - char
        y = c - radius * math.cos(math.radians(ang)) - char
        m.paste(ImageChops.lighter(m.crop((round(x), round(y), round(x) + char * 2, round(y) + char * 2)), tile),
                (round(x), round(y)))
    if below:
        fb = font(round(d * 0.085), "sans")
        dr.text((c, c + d * 0.30), below, font=fb, fill=255, anchor="mm")
    # Uneven ink: knock out a sprinkle of pixels and fade one side a little, like a real stamp.
    speckle = Image.frombytes("L", (d, d), rng.randbytes(d * d)).point(lambda v: 0 if v < 40 else 255)
    m = ImageChops.multiply(m, speckle)
    fade = Image.linear_gradient("L").resize((d, d)).rotate(rng.uniform(0, 360)).point(lambda v: 150 + v * 105 // 255)
    m = ImageChops.multiply(m, fade)
    m = m.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC)
    return m.resize((diameter_px, diameter_px), Image.LANCZOS)


def stamp(page: Image.Image, name: str, center: tuple[int, int], diameter_px: int, rng: random.Random,
          below: str = "") -> None:
    """Press a red seal onto an RGB page in place (multiply blend: text under the ink stays visible)."""
    mask = seal_mask(name, diameter_px, rng, below)
    x0, y0 = center[0] - diameter_px // 2, center[1] - diameter_px // 2
    box = (x0, y0, x0 + diameter_px, y0 + diameter_px)
    region = page.crop(box)
    ink = Image.composite(Image.new("RGB", mask.size, SEAL_RED), Image.new("RGB", mask.size, "white"), mask)
    page.paste(ImageChops.multiply(region, ink), box[:2])
