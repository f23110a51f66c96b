"""Draw an OFD page as a picture (Pillow): what seal detection and OCR look at.

Drawn: template pages, paths (``AbbreviatedData``: M/S, L, Q, B, A, C, with CTM, stroke and fill colours),
pictures (PNG/JPEG/BMP/TIFF/GIF; JBIG2 through ``jbig2dec`` when installed), text in its colour with the CJK
font when one is installed, and the electronic seals' own pictures at their ``StampAnnot`` (a seal picture
that is itself an OFD is drawn with this module, one level deep). Not drawn: shading patterns, clipping,
blend modes — none changes where a red seal is or what the text says.

    img = render_page(data, doc, 0, dpi=50)     # PIL.Image, RGB
"""
from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import tempfile

from precheck.files.ofd import OfdDocument, Package, _floats, _local, child, read_ofd

MAX_PIXELS = 40_000_000
FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def render_page(data: bytes, doc: OfdDocument, index: int, dpi: float = 50, *, stamps: bool = True,
                depth: int = 0):
    from PIL import Image

    page = doc.pages[index]
    scale = dpi / 25.4
    w, h = max(1, int(page.w_mm * scale)), max(1, int(page.h_mm * scale))
    if w * h > MAX_PIXELS:
        f = math.sqrt(MAX_PIXELS / (w * h))
        scale *= f
        w, h = max(1, int(w * f)), max(1, int(h * f))
    img = Image.new("RGB", (w, h), (255, 255, 255))
    pkg = Package(data)
    canvas = _Canvas(img, scale, pkg)
    for path in page.template_paths:
        canvas.draw_tree(pkg.xml(path))
    if page.content_path and pkg.exists(page.content_path):
        canvas.draw_tree(pkg.xml(page.content_path))
    if stamps and depth == 0:
        for sig in doc.signatures:
            if sig.page == index + 1 and sig.boundary and sig.seal_picture:
                canvas.paste_stamp(sig.seal_picture_type, sig.seal_picture, sig.boundary, depth)
    return img


def _color(el, name: str, default):
    c = child(el, name)
    if c is None:
        return default
    v = (c.get("Value") or "").strip()
    if v.startswith("#") and len(v) >= 7:
        try:
            return tuple(int(v[i:i + 2], 16) for i in (1, 3, 5))
        except ValueError:
            return default
    nums = _floats(v, 3)
    if nums is None:
        g = _floats(v, 1)
        return (int(g[0]),) * 3 if g else default
    if all(x <= 1.0 for x in nums) and any(0 < x < 1 for x in nums):
        return tuple(int(x * 255) for x in nums)
    return tuple(max(0, min(255, int(x))) for x in nums)


_TOKEN = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")


def path_points(data: str, steps: int = 12) -> list[tuple[list[tuple[float, float]], bool]]:
    """AbbreviatedData → polylines (list of points, closed?), curves flattened into ``steps`` segments."""
    toks = _TOKEN.findall(data or "")
    out, cur, closed = [], [], False
    x = y = 0.0
    i = 0

    def nums(n):
        nonlocal i
        vals = [float(t) for t in toks[i:i + n]]
        i += n
        if len(vals) < n:
            raise ValueError
        return vals

    try:
        while i < len(toks):
            op = toks[i]
            i += 1
            if op in ("M", "S"):
                if len(cur) > 1:
                    out.append((cur, closed))
                x, y = nums(2)
                cur, closed = [(x, y)], False
            elif op == "L":
                x, y = nums(2)
                cur.append((x, y))
            elif op == "Q":
                x1, y1, x2, y2 = nums(4)
                x0, y0 = x, y
                cur += [((1 - t) ** 2 * x0 + 2 * (1 - t) * t * x1 + t * t * x2,
                         (1 - t) ** 2 * y0 + 2 * (1 - t) * t * y1 + t * t * y2)
                        for t in (k / steps for k in range(1, steps + 1))]
                x, y = x2, y2
            elif op == "B":
                x1, y1, x2, y2, x3, y3 = nums(6)
                x0, y0 = x, y
                cur += [((1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * x1 + 3 * (1 - t) * t * t * x2 + t ** 3 * x3,
                         (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y1 + 3 * (1 - t) * t * t * y2 + t ** 3 * y3)
                        for t in (k / steps for k in range(1, steps + 1))]
                x, y = x3, y3
            elif op == "A":
                rx, ry, rot, large, sweep, x2, y2 = nums(7)
                cur += _arc(x, y, rx, ry, rot, bool(large), bool(sweep), x2, y2, steps * 3)
                x, y = x2, y2
            elif op == "C":
                closed = True
                if cur:
                    cur.append(cur[0])
            elif re.match(r"-?\d", op):
                i -= 1                     # implicit repeat of L
                x, y = nums(2)
                cur.append((x, y))
    except (ValueError, IndexError):
        pass
    if len(cur) > 1:
        out.append((cur, closed))
    return out


def _arc(x1, y1, rx, ry, rot, large, sweep, x2, y2, steps):
    """SVG-style endpoint arc flattened to points (the OFD ``A`` operator)."""
    if rx == 0 or ry == 0 or (x1 == x2 and y1 == y2):
        return [(x2, y2)]
    phi = math.radians(rot)
    cp, sp = math.cos(phi), math.sin(phi)
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    xp, yp = cp * dx + sp * dy, -sp * dx + cp * dy
    rx, ry = abs(rx), abs(ry)
    lam = xp * xp / (rx * rx) + yp * yp / (ry * ry)
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * yp * yp - ry * ry * xp * xp
    den = rx * rx * yp * yp + ry * ry * xp * xp
    coef = math.sqrt(max(0.0, num / den)) if den else 0.0
    if large == sweep:
        coef = -coef
    cxp, cyp = coef * rx * yp / ry, -coef * ry * xp / rx
    cx, cy = cp * cxp - sp * cyp + (x1 + x2) / 2, sp * cxp + cp * cyp + (y1 + y2) / 2

    def ang(ux, uy, vx, vy):
        a = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
        return a

    t1 = ang(1, 0, (xp - cxp) / rx, (yp - cyp) / ry)
    dt = ang((xp - cxp) / rx, (yp - cyp) / ry, (-xp - cxp) / rx, (-yp - cyp) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    pts = []
    for k in range(1, steps + 1):
        t = t1 + dt * k / steps
        pts.append((cx + rx * math.cos(t) * cp - ry * math.sin(t) * sp, cy + rx * math.cos(t) * sp + ry * math.sin(t) * cp))
    return pts


class _Canvas:
    def __init__(self, img, scale: float, pkg: Package) -> None:
        from PIL import ImageDraw

        self.img, self.scale, self.pkg = img, scale, pkg
        self.draw = ImageDraw.Draw(img)
        self.resources = self._all_media()
        self._font_path = next((f for f in FONTS if os.path.exists(f)), None)
        self._fonts: dict[int, object] = {}

    def _all_media(self) -> dict[str, tuple[str, str]]:
        """Every MultiMedia in every *Res.xml of the package (cheap; resources are few)."""
        import posixpath

        from precheck.files.ofd import descendants, text_of

        out = {}
        for name in list(self.pkg.names)[:5000]:
            base_name = posixpath.basename(name).lower()
            if not base_name.endswith(".xml") or "res" not in base_name:
                continue
            try:
                root = self.pkg.xml(name)
            except Exception:
                continue
            base = posixpath.join(posixpath.dirname(name), root.get("BaseLoc", "") or "")
            for mm in descendants(root, "MultiMedia"):
                f = text_of(child(mm, "MediaFile"))
                if mm.get("ID") and f:
                    out[mm.get("ID")] = (self.pkg.resolve(f, base), (mm.get("Format") or "").upper())
        return out

    def draw_tree(self, root) -> None:
        for el in root.iter():
            name = _local(el.tag)
            try:
                if name == "PathObject":
                    self._path(el)
                elif name == "ImageObject":
                    self._image(el)
                elif name == "TextObject":
                    self._text(el)
            except Exception:  # one bad object never stops the page
                continue

    def _xf(self, el):
        b = _floats(el.get("Boundary", ""), 4) or (0, 0, 0, 0)
        m = _floats(el.get("CTM") or "", 6) or (1, 0, 0, 1, 0, 0)
        a, bb, c, d, e, f = m
        s = self.scale
        return lambda x, y: ((b[0] + a * x + c * y + e) * s, (b[1] + bb * x + d * y + f) * s)

    def _path(self, el) -> None:
        ad = child(el, "AbbreviatedData")
        if ad is None or not (ad.text or "").strip():
            return
        xf = self._xf(el)
        stroke = el.get("Stroke", "true").lower() != "false"
        fill = el.get("Fill", "false").lower() == "true"
        sc = _color(el, "StrokeColor", (0, 0, 0))
        fc = _color(el, "FillColor", (0, 0, 0))
        lw = max(1, int(float(el.get("LineWidth", "0.353") or 0.353) * self.scale))
        for pts, closed in path_points(ad.text):
            dev = [xf(x, y) for x, y in pts]
            if fill and len(dev) > 2:
                self.draw.polygon(dev, fill=fc)
            if stroke:
                self.draw.line(dev, fill=sc, width=lw)

    def _image(self, el) -> None:
        from PIL import Image

        media = self.resources.get(el.get("ResourceID", ""))
        b = _floats(el.get("Boundary", ""), 4)
        if not media or not b:
            return
        pic = decode_picture(self.pkg.read(media[0], 64 << 20), media[1])
        if pic is None:
            return
        from precheck.files.ofd import _placed

        x, y, w, h = _placed(b, el.get("CTM"))
        s = self.scale
        size = (max(1, int(w * s)), max(1, int(h * s)))
        if size[0] * size[1] > MAX_PIXELS:
            return
        pic = pic.convert("RGBA").resize(size, Image.BILINEAR)
        self.img.paste(pic, (int(x * s), int(y * s)), pic)

    def _font(self, px: int):
        from PIL import ImageFont

        px = max(4, min(px, 400))
        if px not in self._fonts:
            self._fonts[px] = ImageFont.truetype(self._font_path, px) if self._font_path else ImageFont.load_default()
        return self._fonts[px]

    def _text(self, el) -> None:
        b = _floats(el.get("Boundary", ""), 4)
        if not b:
            return
        size = float(el.get("Size", "3.5") or 3.5)
        color = _color(el, "FillColor", (0, 0, 0))
        font = self._font(int(size * self.scale))
        s = self.scale
        for tc in el:
            if _local(tc.tag) != "TextCode":
                continue
            text = "".join(tc.itertext())
            x = b[0] + float(tc.get("X", "0") or 0)
            y = b[1] + float(tc.get("Y", "0") or 0)
            dx = _deltas(tc.get("DeltaX", ""), len(text))
            for k, ch in enumerate(text):
                self.draw.text((x * s, y * s), ch, fill=color, font=font, anchor="ls")
                x += dx[k] if k < len(dx) else size

    def paste_stamp(self, kind: str, blob: bytes, box, depth: int) -> None:
        from PIL import Image

        if kind == "ofd":
            try:
                inner = read_ofd(blob, max_pages=1)
                pic = render_page(blob, inner, 0, dpi=max(20, self.scale * 25.4), stamps=False, depth=depth + 1)
            except Exception:
                return
            pic = _white_to_clear(pic)
        else:
            pic = decode_picture(blob, kind.upper())
            if pic is None:
                return
            pic = pic.convert("RGBA")
        s = self.scale
        size = (max(1, int(box[2] * s)), max(1, int(box[3] * s)))
        pic = pic.resize(size, Image.BILINEAR)
        self.img.paste(pic, (int(box[0] * s), int(box[1] * s)), pic)


def _deltas(spec: str, n: int) -> list[float]:
    """DeltaX "g 3 1.5 2.0" → [1.5, 1.5, 1.5, 2.0]."""
    toks = (spec or "").split()
    out, i = [], 0
    try:
        while i < len(toks) and len(out) < n + 1:
            if toks[i] == "g":
                out += [float(toks[i + 2])] * int(toks[i + 1])
                i += 3
            else:
                out.append(float(toks[i]))
                i += 1
    except (ValueError, IndexError):
        pass
    return out


def _white_to_clear(img):
    """A seal picture's white background made transparent, so the page under it shows."""
    from PIL import ImageChops

    rgb = img.convert("RGB")
    r, g, b = rgb.split()
    alpha = ImageChops.darker(ImageChops.darker(r, g), b).point(lambda v: 0 if v > 245 else 255)
    rgba = rgb.copy()
    rgba.putalpha(alpha)
    return rgba


def decode_picture(blob: bytes, fmt: str):
    """A PIL image for an OFD picture resource; JBIG2 (what scanners in Chinese offices write) via jbig2dec."""
    from PIL import Image

    if fmt in ("JB2", "JBIG2") or blob[:8] == b"\x97JB2\r\n\x1a\n":
        return _jbig2(blob)
    try:
        im = Image.open(io.BytesIO(blob))
        im.load()
        return im
    except Exception:
        return None


def _jbig2(blob: bytes):
    from PIL import Image

    if not shutil.which("jbig2dec"):
        return None
    with tempfile.TemporaryDirectory(prefix="sbjb2-") as tmp:
        src, out = os.path.join(tmp, "in.jb2"), os.path.join(tmp, "out.png")
        with open(src, "wb") as fh:
            fh.write(blob)
        r = subprocess.run(["jbig2dec", "-t", "png", "-o", out, src], capture_output=True, timeout=30,
                           stdin=subprocess.DEVNULL)
        if r.returncode != 0 or not os.path.exists(out):
            return None
        im = Image.open(out)
        im.load()
        return im
