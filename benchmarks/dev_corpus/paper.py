"""From HTML to paper and back: Chromium prints the HTML to PDF, Ghostscript rasterises it, numpy/OpenCV make the
page look scanned or photographed, and the pages are wrapped into PDF files by hand (pikepdf), by fpdf2 (also the
invisible OCR text layer and the scanner's header stamp), as a PNG or a JPEG with EXIF."""
from __future__ import annotations

import io
import math
import random
import subprocess
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

import cv2
import numpy as np
from PIL import Image


def print_html(html: str, workdir: Path, name: str) -> bytes:
    """Chromium headless, no header/footer; the page size comes from the CSS @page rule."""
    src = workdir / f"{name}.html"
    out = workdir / f"{name}.pdf"
    src.write_text(html, encoding="utf-8")
    cmd = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
           "--run-all-compositor-stages-before-draw", f"--print-to-pdf={out}", src.resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    return out.read_bytes()


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Ghostscript png16m with anti-aliasing, one RGB image per page."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", f"-r{dpi}",
                        "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", f"-sOutputFile={tmp}/p%03d.png", str(src)],
                       check=True, capture_output=True, timeout=300)
        return [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p*.png"))]


# ------------------------------------------------------------------ scanner effects

def scan_effects(img: Image.Image, rng: random.Random, *, skew: float = 0.0, noise: float = 6.0,
                 tone=(246, 243, 234), blur: float = 0.5, shading: float = 0.06) -> Image.Image:
    """Paper tone, uneven lamp, a slight rotation (white fill), blur, sensor noise and dust."""
    a = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = a.shape[:2]
    paper = np.array(tone, dtype=np.float32)[None, None, :]
    a = a / 255.0 * paper
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    lamp = 1.0 - shading * (0.6 * xx * rng.choice((-1, 1)) + 0.4 * yy * yy)
    a = a * lamp[:, :, None]
    if skew:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        a = cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                           borderValue=tuple(float(t) for t in tone))
    if blur:
        a = cv2.GaussianBlur(a, (0, 0), blur)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    a = a + gen.normal(0, noise, a.shape[:2])[:, :, None]
    for _ in range(int(h * w / 400_000)):
        x, y = gen.integers(0, w), gen.integers(0, h)
        cv2.circle(a, (int(x), int(y)), int(gen.integers(1, 3)), (60.0, 60.0, 60.0), -1)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def to_gray(img: Image.Image) -> Image.Image:
    return img.convert("L")


def to_bw(img: Image.Image, threshold: int = 165) -> Image.Image:
    return img.convert("L").point(lambda v: 255 if v > threshold else 0).convert("1")


def jpeg(img: Image.Image, quality: int, dpi: int | None = None, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    kw = {"quality": quality, "subsampling": 2 if quality < 80 else 0}
    if dpi:
        kw["dpi"] = (dpi, dpi)
    if exif is not None:
        kw["exif"] = exif
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


# ------------------------------------------------------------------ phone photos

def photo(img: Image.Image, rng: random.Random, *, size=(3024, 4032)) -> Image.Image:
    """The page lying on a desk, shot from above at an angle: perspective, warm light, shadow, vignette, blur."""
    W, H = size
    desk = np.zeros((H, W, 3), np.float32)
    desk[:] = (112, 84, 60)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    grain = cv2.GaussianBlur(gen.normal(0, 18, (H // 8, W // 8)).astype(np.float32), (0, 0), 3)
    desk += cv2.resize(grain, (W, H))[:, :, None]
    page = np.asarray(img.convert("RGB"), np.float32)
    ph, pw = page.shape[:2]
    m = 0.07
    jitter = lambda: rng.uniform(-0.025, 0.025)
    dst = np.float32([[W * (m + jitter()), H * (m + jitter())], [W * (1 - m + jitter()), H * (m + 0.01 + jitter())],
                      [W * (1 - m - 0.02 + jitter()), H * (1 - m + jitter())], [W * (m + 0.02 + jitter()), H * (1 - m - 0.01 + jitter())]])
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    t = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, t, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), t, (W, H), flags=cv2.INTER_LINEAR)
    shadow = cv2.GaussianBlur(np.roll(mask, (40, 30), axis=(0, 1)), (0, 0), 40)
    out = desk * (1 - 0.45 * shadow[:, :, None])
    out = out * (1 - mask[:, :, None]) + warped * mask[:, :, None]
    yy = np.linspace(-1, 1, H, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, W, dtype=np.float32)[None, :]
    vign = 1 - 0.22 * (xx * xx + yy * yy)
    light = 1 - 0.18 * np.clip(xx * 0.7 + yy * 0.5 + 0.3, 0, None)
    out = out * (vign * light)[:, :, None] * np.float32([1.02, 0.98, 0.90])[None, None, :]
    out = cv2.GaussianBlur(out, (0, 0), 1.1)
    out += gen.normal(0, 4, (H, W))[:, :, None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def exif_bytes(orientation: int = 1, dpi: int = 72) -> bytes:
    ex = Image.Exif()
    ex[0x0112] = orientation
    ex[0x010F] = "Xiaomi"
    ex[0x0110] = "Redmi K50"
    ex[0x011A] = (dpi, 1)
    ex[0x011B] = (dpi, 1)
    return ex.tobytes()


# ------------------------------------------------------------------ PDF writers

def pdf_of_jpegs(pages: list[tuple[bytes, int, int, float]], *, producer: str, unused_font: bool = False) -> bytes:
    """A PDF written by hand with pikepdf: each page one DCTDecode image filling a page of w/dpi inches.
    ``pages``: (jpeg bytes, width px, height px, dpi). ``unused_font``: declare a /Font no content uses."""
    import pikepdf

    pdf = pikepdf.new()
    for data, w, h, dpi in pages:
        with Image.open(io.BytesIO(data)) as im:
            mode = im.mode
        cs = pikepdf.Name.DeviceGray if mode == "L" else pikepdf.Name.DeviceRGB
        img = pikepdf.Stream(pdf, data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=w, Height=h,
                             ColorSpace=cs, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
        pw, ph = w / dpi * 72, h / dpi * 72
        content = f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode()
        res = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img))
        if unused_font:
            res.Font = pikepdf.Dictionary(F1=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                                BaseFont=pikepdf.Name.Helvetica))
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph], Resources=res,
                                  Contents=pikepdf.Stream(pdf, content))
        pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo["/Producer"] = producer
    pdf.docinfo["/Creator"] = producer
    buf = io.BytesIO()
    pdf.save(buf, static_id=True, deterministic_id=True)
    return buf.getvalue()


def pdf_of_bw(pages: list[Image.Image], dpi: int, *, producer: str) -> bytes:
    """1-bit pages as Flate-compressed 1 bpc DeviceGray images (pikepdf), as many office scanners write them."""
    import pikepdf

    pdf = pikepdf.new()
    for im in pages:
        im = im.convert("1")
        w, h = im.size
        raw = im.tobytes()                      # 1 = white in PIL's "1" packing; /Decode keeps 0 black
        img = pikepdf.Stream(pdf, zlib.compress(raw, 9), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                             Width=w, Height=h, ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=1,
                             Filter=pikepdf.Name.FlateDecode)
        pw, ph = w / dpi * 72, h / dpi * 72
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph],
                                  Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img)),
                                  Contents=pikepdf.Stream(pdf, f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode()))
        pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo["/Producer"] = producer
    buf = io.BytesIO()
    pdf.save(buf, static_id=True, deterministic_id=True)
    return buf.getvalue()


FPDF_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def pdf_fpdf(pages: list[tuple[bytes, float]], *, text_layer: list[list[tuple[str, float, float, float]]] | None = None,
             header: list[str] | None = None, producer: str = "") -> bytes:
    """fpdf2: image pages (JPEG bytes, dpi) of A4 size; optional invisible text (text, x_mm, y_mm, size_pt) per
    page (a 双层PDF) and an optional visible header line per page (a scanner's stamp)."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime(2023, 3, 20, 9, 0, tzinfo=timezone.utc))
    pdf.add_font("wqy", "", FPDF_FONT)
    for i, (data, dpi) in enumerate(pages):
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
        pdf.add_page(format=(w / dpi * 25.4, h / dpi * 25.4))
        pdf.image(io.BytesIO(data), x=0, y=0, w=w / dpi * 25.4, h=h / dpi * 25.4)
        if text_layer:
            pdf.text_mode = TextMode.INVISIBLE
            for text, x, y, size in text_layer[i]:
                pdf.set_font("wqy", size=size)
                pdf.text(x, y, text)
            pdf.text_mode = TextMode.FILL
        if header:
            pdf.set_font("wqy", size=8)
            pdf.set_text_color(40, 40, 40)
            pdf.text(8, 6, header[i])
    pdf.set_producer(producer) if producer else None
    return bytes(pdf.output())


def text_lines(pdf: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Lines of a born-digital PDF as (text, x_mm, baseline_mm, size_pt) per page, from pypdfium2's text rects:
    where an OCR engine would have put its invisible text."""
    import pypdfium2 as pdfium

    out = []
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        _w, h = page.get_size()
        tp = page.get_textpage()
        lines = []
        for i in range(tp.count_rects()):
            l, b, r, t = tp.get_rect(i)
            text = tp.get_text_bounded(l, b, r, t).strip()
            if text:
                size = max(4.0, (t - b) * 0.9)
                lines.append((text, l / 72 * 25.4, (h - b) / 72 * 25.4 - (t - b) * 0.12 / 72 * 25.4, size))
        tp.close()
        out.append(lines)
    doc.close()
    return out


def garble(lines, rng: random.Random, rate: float = 0.08):
    """An imperfect OCR layer: some characters replaced by look-alikes or dropped."""
    look = {"财": "则", "厅": "斤", "资": "姿", "补": "朴", "助": "肋", "市": "巿", "万": "方", "元": "兀", "年": "牟",
            "月": "丹", "人": "入", "力": "カ", "社": "杜", "部": "郜", "推": "椎"}
    out = []
    for page in lines:
        new = []
        for text, x, y, s in page:
            chars = []
            for ch in text:
                r = rng.random()
                if r < rate and ch in look:
                    chars.append(look[ch])
                elif r < rate / 3:
                    continue
                else:
                    chars.append(ch)
            new.append(("".join(chars), x, y, s))
        out.append(new)
    return out


def png_bytes(img: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def rotate_for_exif6(img: Image.Image) -> Image.Image:
    """Pixels as a phone stores them with Orientation 6: the upright picture rotated 90° counter-clockwise."""
    return img.transpose(Image.ROTATE_90)


def downscale(img: Image.Image, k: float) -> Image.Image:
    return img.resize((max(1, round(img.width * k)), max(1, round(img.height * k))), Image.LANCZOS)


def angle_rng(rng: random.Random, lo: float, hi: float) -> float:
    return rng.uniform(lo, hi) * rng.choice((-1, 1))


__all__ = ["print_html", "rasterise", "scan_effects", "to_gray", "to_bw", "jpeg", "photo", "exif_bytes",
           "pdf_of_jpegs", "pdf_of_bw", "pdf_fpdf", "text_lines", "garble", "png_bytes", "rotate_for_exif6",
           "downscale", "angle_rng", "math"]
