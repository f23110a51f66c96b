"""Official seals drawn from scratch (Pillow): a ring, a five-pointed star, the unit's name on the upper arc and
an optional horizontal line under the star; uneven ink, a slight rotation, an RGBA image (transparent paper)."""
from __future__ import annotations

import math
import random

import numpy as np

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_SANS = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def seal_image(unit: str, *, px: int = 520, colour=(205, 30, 38), rng: random.Random, under: str = "",
               ink: float = 0.9) -> Image.Image:
    """A round seal of ``px`` pixels: the unit's name clockwise on the upper arc, a star, ``under`` below it."""
    big = px * 2
    im = Image.new("L", (big, big), 0)
    d = ImageDraw.Draw(im)
    c = big / 2
    ring = big * 0.035
    d.ellipse((ring / 2, ring / 2, big - ring / 2, big - ring / 2), outline=255, width=round(ring))
    # star
    r_out, r_in = big * 0.16, big * 0.065
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = r_out if k % 2 == 0 else r_in
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=255)
    # the name on the arc: from about 210 degrees to -30 degrees (over the top), clockwise
    n = len(unit)
    span = min(250.0, 22.0 * n + 20)
    start = 270 - span / 2
    fsize = round(big * min(0.13, 1.9 / max(n, 8)))
    font = ImageFont.truetype(FONT_SANS, fsize)
    radius = big / 2 - ring * 1.2 - fsize * 0.62
    for i, ch in enumerate(unit):
        ang = math.radians(start + span * (i + 0.5) / n)
        x, y = c + radius * math.cos(ang), c + radius * math.sin(ang)
        glyph = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(glyph).text((fsize, fsize), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-(math.degrees(ang) + 90), resample=Image.BICUBIC)
        im.paste(255, (round(x - fsize), round(y - fsize)), glyph)
    if under:
        f2 = ImageFont.truetype(FONT_SANS, round(big * 0.075))
        d.text((c, c + big * 0.26), under, font=f2, fill=255, anchor="mm")
    im = im.rotate(rng.uniform(-14, 14), resample=Image.BICUBIC)
    im = im.resize((px, px), Image.LANCZOS)
    # uneven pressure: a low-frequency field and speckle holes
    field = Image.effect_noise((max(4, px // 40), max(4, px // 40)), 60).resize((px, px), Image.BICUBIC)
    holes = Image.effect_noise((px, px), 90).point(lambda v: 0 if v < 40 else 255)
    a = np.asarray(im, dtype=np.float32) * (np.asarray(holes, dtype=np.float32) > 0)
    side = rng.uniform(0.55, 1.0)
    ramp = side + (1 - side) * np.arange(px, dtype=np.float32)[None, :] / px
    a = a * ink * (0.7 + 0.3 * np.asarray(field, dtype=np.float32) / 255) * ramp
    alpha = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    alpha = alpha.filter(ImageFilter.GaussianBlur(0.6))
    out = Image.new("RGBA", (px, px), colour + (0,))
    out.putalpha(alpha)
    return out
