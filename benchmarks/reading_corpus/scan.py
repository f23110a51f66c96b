"""What a scanner or a phone does to a printed page: paper tone, uneven lighting, skew, blur, noise,
dust, grayscale and 1-bit conversion, a header stamp line, and camera perspective with shadows."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SANS = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _field(rng: np.random.Generator, h: int, w: int, cells: int = 3) -> np.ndarray:
    small = rng.random((cells, cells)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def paper(img: np.ndarray, rng: np.random.Generator, tone: float = 0.03) -> np.ndarray:
    """Slightly off-white paper and toner that is not perfectly black."""
    tint = np.array([1.0, 1.0 - rng.uniform(0, tone), 1.0 - rng.uniform(tone, 2.5 * tone)], dtype=np.float32)
    black = np.float32(rng.uniform(18, 40))
    f = img.astype(np.float32)
    f *= (255 - black) / 255.0 * tint[None, None, :]
    f += black * tint[None, None, :]
    return f


def lighting(f: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Uneven illumination: a smooth multiplicative field plus a darker edge on one side."""
    h, w = f.shape[:2]
    fld = 1.0 - strength * _field(rng, h, w, 3)
    ramp = np.linspace(1.0, 1.0 - strength * 0.8, w, dtype=np.float32)
    if rng.random() < 0.5:
        ramp = ramp[::-1]
    fld *= ramp[None, :]
    f *= fld[..., None]
    return f


def skew(f: np.ndarray, angle: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rotate the sheet on the glass (degrees, counter-clockwise positive), shifted a little; returns the
    image and the 2x3 matrix mapping page pixels to scan pixels."""
    h, w = f.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    m[0, 2] += rng.uniform(-0.01, 0.01) * w
    m[1, 2] += rng.uniform(-0.008, 0.008) * h
    border = tuple(float(x) for x in np.median(f[:20, :20].reshape(-1, f.shape[2]), axis=0))
    out = cv2.warpAffine(f, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return out, m


def grain(f: np.ndarray, rng: np.random.Generator, blur: float, sigma: float, dust: float) -> np.ndarray:
    if blur > 0:
        f = cv2.GaussianBlur(f, (0, 0), blur)
    f += np.float32(sigma) * rng.standard_normal(f.shape[:2], dtype=np.float32)[..., None]
    if dust > 0:
        h, w = f.shape[:2]
        n = int(h * w * dust)
        ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
        f[ys, xs] = rng.uniform(20, 90, (n, 1))
    return np.clip(f, 0, 255, out=f)


def to_gray(f: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(np.clip(f, 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)


def to_bw(f: np.ndarray, threshold: int | None = None) -> Image.Image:
    """1-bit by a fixed threshold (most office scanners' 'text' mode)."""
    g = to_gray(f)
    t = threshold if threshold is not None else 165
    return Image.fromarray(((g > t) * 255).astype(np.uint8)).convert("1", dither=Image.Dither.NONE)


def to_bw_dither(f: np.ndarray) -> Image.Image:
    """1-bit by Floyd–Steinberg error diffusion (a scanner's 'photo' B/W mode): paper first clipped to
    white, as the scanner's white point does, so only ink and seals are dithered."""
    g = to_gray(f).astype(np.float32)
    g = np.clip((g - 20) * (255 / 205.0), 0, 255)
    g[g > 228] = 255
    return Image.fromarray(g.astype(np.uint8)).convert("1")


def header_line(img: Image.Image, text: str, dpi: int, rng: np.random.Generator) -> Image.Image:
    """The one-line stamp a scanner or fax prints at the top edge of every page."""
    img = img.copy()
    d = ImageDraw.Draw(img)
    size = max(10, int(dpi * 8 / 72))
    font = ImageFont.truetype(SANS, size, index=2)
    x = int(dpi * rng.uniform(0.3, 0.6))
    y = int(dpi * rng.uniform(0.12, 0.22))
    fill = 40 if img.mode in ("L", "1") else (40, 40, 40)
    d.text((x, y), text, font=font, fill=fill if img.mode != "1" else 0)
    return img


def scanned(page: np.ndarray, rng: np.random.Generator, *, skew_deg: float, light: float, blur: float,
            noise: float, dust: float = 0.00004) -> tuple[np.ndarray, np.ndarray]:
    """An RGB float page image after the scanner: returns (image, page→scan matrix)."""
    f = paper(page, rng)
    f = lighting(f, rng, light)
    f, m = skew(f, skew_deg, rng)
    # the scanner's automatic white point: paper comes out nearly white, the unevenness stays
    white = float(np.percentile(f[::7, ::7], 92))
    f *= np.float32(rng.uniform(244, 252) / max(white, 1.0))
    f = grain(f, rng, blur, noise, dust)
    return f, m


def _desk(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A wooden or grey desk surface under the sheet (made at a quarter size, then scaled up)."""
    base = np.array(rng.choice([[128, 92, 60], [150, 118, 84], [96, 96, 100], [170, 160, 150]]), dtype=np.float32)
    qh, qw = max(4, h // 4), max(4, w // 4)
    streaks = cv2.resize(rng.random((1, max(8, qw // 10))).astype(np.float32), (qw, qh), interpolation=cv2.INTER_LINEAR)
    tex = 0.85 + 0.3 * cv2.GaussianBlur(streaks, (0, 0), 1.5) + 0.02 * rng.standard_normal((qh, qw), dtype=np.float32)
    tex = cv2.resize(tex, (w, h), interpolation=cv2.INTER_LINEAR)
    return tex[..., None] * base[None, None, :]


def photographed(page: np.ndarray, rng: np.random.Generator, out_w: int, out_h: int) -> np.ndarray:
    """A phone picture of the printed sheet lying on a desk: perspective, shadow, colour cast, vignette."""
    ph, pw = page.shape[:2]
    f = paper(page, rng, tone=0.05)
    # where the sheet's corners land in the picture
    margin_x, margin_y = out_w * rng.uniform(0.05, 0.1), out_h * rng.uniform(0.03, 0.07)
    sheet_h = out_h - 2 * margin_y
    sheet_w = min(out_w - 2 * margin_x, sheet_h * pw / ph)
    x0 = (out_w - sheet_w) / 2
    y0 = margin_y
    j = lambda s: rng.uniform(-s, s)
    tl = (x0 + j(0.03) * sheet_w + 0.02 * sheet_w, y0 + j(0.02) * sheet_h)
    tr = (x0 + sheet_w + j(0.03) * sheet_w - 0.02 * sheet_w, y0 + j(0.02) * sheet_h)
    br = (x0 + sheet_w + j(0.02) * sheet_w, y0 + sheet_h + j(0.015) * sheet_h)
    bl = (x0 + j(0.02) * sheet_w, y0 + sheet_h + j(0.015) * sheet_h)
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    dst = np.float32([tl, tr, br, bl])
    hm = cv2.getPerspectiveTransform(src, dst)
    desk = _desk(rng, out_h, out_w)
    warped = cv2.warpPerspective(f, hm, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), hm, (out_w, out_h), flags=cv2.INTER_LINEAR)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.2)[..., None]
    img = desk
    img -= warped
    img *= (1 - mask)
    img += warped   # = warped * mask + desk * (1 - mask)
    # a soft shadow of the phone and hand falling across one corner, and lens vignetting: both smooth,
    # so computed on a small grid and scaled up
    sh, sw = max(8, out_h // 16), max(8, out_w // 16)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    cx, cy = sw * rng.uniform(0.6, 1.1), sh * rng.uniform(0.6, 1.1)
    d = np.sqrt(((xx - cx) / sw) ** 2 + ((yy - cy) / sh) ** 2)
    shadow = 1.0 - rng.uniform(0.25, 0.4) * np.clip(1.0 - d / rng.uniform(0.45, 0.7), 0, 1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), sw * 0.03 + 0.5)
    vign = 1.0 - 0.22 * np.clip(np.sqrt(((xx - sw / 2) / sw) ** 2 + ((yy - sh / 2) / sh) ** 2) * 1.6, 0, 1)
    light = cv2.resize((shadow * vign).astype(np.float32), (out_w, out_h), interpolation=cv2.INTER_CUBIC)
    light *= 1.0  # (keeps dtype float32)
    cast = np.array([1.0, rng.uniform(0.95, 0.99), rng.uniform(0.86, 0.93)], dtype=np.float32)
    img *= light[..., None] * cast[None, None, :]
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.7, 1.1))
    img += 3.5 * rng.standard_normal(img.shape[:2], dtype=np.float32)[..., None]
    return np.clip(img, 0, 255, out=img)
