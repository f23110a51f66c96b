"""From a rendered PDF to the file as the province attaches it: born-digital PDF, office file, electronic
seal on a born-digital letter, or paper through a scanner (pdftoppm → seals in ink → scanner effects →
JPEG/PNG → a PDF made by img2pdf, ImageMagick, Pillow, reportlab, tesseract or an invisible-text
overlay), a phone photo, a 1-bit TIFF, a PNG. Runs in worker processes, one document per call."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image

import scan as S
import seals as SEAL

MM = 72 / 25.4


def _rng(seed: int, *parts: str) -> np.random.Generator:
    h = hashlib.sha256(("/".join([str(seed), *parts])).encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


def seal_spots(pdf: Path, seals: list[dict]) -> list[tuple[int, float, float, str]]:
    """Where each seal goes: (page, x_pt, y_pt from the top, name), centred on the last occurrence of its
    anchor text on that page, nudged down over the date as a seal is pressed."""
    doc = pdfium.PdfDocument(str(pdf))
    out = []
    try:
        for s in seals:
            pi = s["page"] if s["page"] >= 0 else len(doc) + s["page"]
            page = doc[pi]
            h = page.get_height()
            tp = page.get_textpage()
            searcher = tp.search(s["anchor"], match_case=True)
            hit, last = searcher.get_next(), None
            while hit:
                last = hit
                hit = searcher.get_next()
            if last is None:
                raise RuntimeError(f"seal anchor {s['anchor']!r} not found on page {pi + 1} of {pdf.name}")
            i0, cnt = last
            boxes = [tp.get_charbox(i) for i in range(i0, i0 + cnt)]
            l = min(b[0] for b in boxes)
            r = max(b[2] for b in boxes)
            b = min(b[1] for b in boxes)
            t = max(b_[3] for b_ in boxes)
            out.append((pi, (l + r) / 2, h - (b + t) / 2 + 5 * MM, s["name"]))
    finally:
        doc.close()
    return out


def render(pdf: Path, dpi: int, tmp: Path) -> list[np.ndarray]:
    """Pages as RGB arrays, rendered by poppler's pdftoppm."""
    subprocess.run(["pdftoppm", "-r", str(dpi), str(pdf), str(tmp / "pg")], check=True)
    files = sorted(tmp.glob("pg-*.ppm"), key=lambda p: int(p.stem.split("-")[-1]))
    pages = [np.asarray(Image.open(f).convert("RGB")).copy() for f in files]
    for f in files:
        f.unlink()
    return pages


def stamp_all(pages: list[np.ndarray], spots, dpi: int, rng: np.random.Generator) -> list[str]:
    names = []
    for pi, x, y, name in spots:
        size = int((42 if "省" in name else 40) / 25.4 * dpi)  # provincial units 42 mm, city bureaus 40 mm
        cx = int((x / 72 + rng.uniform(-2, 2) / 25.4) * dpi)
        cy = int((y / 72 + rng.uniform(-1.5, 1.5) / 25.4) * dpi)
        code = "".join(str(int(d)) for d in rng.integers(0, 10, 13)) if rng.random() < 0.5 else None
        SEAL.stamp(pages[pi], name, cx, cy, size, rng, code=code)
        names.append(name)
    return names


def _pdf_date(iso: str) -> str:
    # 2023-03-24T16:05:12+08:00 → D:20230324160512+08'00'
    d, t = iso[:10].replace("-", ""), iso[11:19].replace(":", "")
    return f"D:{d}{t}+08'00'"


def normalise_pdf(path: Path, when: str, meta: dict | None) -> None:
    """Fixed dates and a deterministic /ID; the producer a recipe names, else the tool's own."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        info = pdf.docinfo
        info["/CreationDate"] = _pdf_date(when)
        info["/ModDate"] = _pdf_date(when)
        for k, v in (meta or {}).items():
            info[f"/{k}"] = v
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        for page in pdf.pages:  # reportlab names image forms by a digest of the temporary file's path
            xo = page.obj.get("/Resources", pikepdf.Dictionary()).get("/XObject")
            if xo is not None and any(len(str(k)) > 24 for k in xo.keys()):
                _fixed_names(page, {k for k in xo.keys() if len(str(k)) <= 24}, "/Scan")
        for key in ("/ID", "/DocChecksum"):  # qpdf keeps an existing first ID element; LibreOffice adds a
            if key in pdf.trailer:           # time-based checksum: drop both so the ID comes from content
                del pdf.trailer[key]
        pdf.save(path, deterministic_id=True)


def declare_fonts(path: Path) -> None:
    """Give every page a /Font resource it never uses, as some scanner firmware writes."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
        for page in pdf.pages:
            res = page.obj.get("/Resources")
            if res is None:
                res = page.obj["/Resources"] = pikepdf.Dictionary()
            res["/Font"] = pikepdf.Dictionary(F1=font)
        pdf.save(path)


def _fixed_names(page, before: set, prefix: str) -> None:
    """pikepdf names an overlay's form XObject at random; give it a fixed name so output is reproducible."""
    xo = page.obj.Resources.XObject
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for j, key in enumerate(sorted(k for k in xo.keys() if k not in before)):
        name = f"{prefix}{j}"
        xo[name] = xo[key]
        del xo[key]
        for st in streams:
            data = st.read_bytes()
            if key.encode() in data:
                st.write(data.replace(key.encode() + b" Do", name.encode() + b" Do"))


def _jpeg(img: Image.Image, path: Path, q: int, dpi: int) -> None:
    img.save(path, "JPEG", quality=q, dpi=(dpi, dpi), subsampling=2 if q < 75 else 1, optimize=True)


def _text_lines(src: Path):
    """Lines of the born-digital source, per page: (text, x0, y0, x1, height) in PDF points (y up)."""
    doc = pdfium.PdfDocument(str(src))
    pages = []
    for page in doc:
        tp = page.get_textpage()
        chars = []
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                continue
            l, b, r, t = tp.get_charbox(i)
            chars.append((ch, l, b, r, t))
        lines, cur = [], []
        for c in chars:
            if cur:
                h = max(2.0, float(np.median([x[4] - x[2] for x in cur])))
                mid = float(np.median([(x[2] + x[4]) / 2 for x in cur]))
                if abs((c[2] + c[4]) / 2 - mid) > 0.6 * h or c[1] < cur[-1][1] - 2:
                    lines.append(cur)
                    cur = []
            cur.append(c)
        if cur:
            lines.append(cur)
        out = []
        for ln in lines:
            text = "".join(c[0] for c in ln)
            out.append((text, min(c[1] for c in ln), min(c[2] for c in ln), max(c[3] for c in ln),
                        float(np.median([c[4] - c[2] for c in ln]))))
        pages.append((page.get_width(), page.get_height(), out))
    doc.close()
    return pages


def _overlay_pdf(jpegs: list[Path], dpi: int, src: Path, mats: list[np.ndarray], out: Path) -> None:
    """Image pages with the source's text drawn invisibly (render mode 3) where the skewed scan shows it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = _text_lines(src)
    c = canvas.Canvas(str(out), invariant=1)
    for jp, (w, h, lns), m in zip(jpegs, lines, mats):
        c.setPageSize((w, h))
        c.drawImage(str(jp), 0, 0, w, h)
        angle = np.degrees(np.arctan2(-m[1, 0], m[0, 0]))
        cos, sin = np.cos(np.radians(angle)), np.sin(np.radians(angle))
        for text, x0, y0, x1, ht in lns:
            px, py = x0 / 72 * dpi, (h - y0) / 72 * dpi
            qx, qy = m @ np.array([px, py, 1.0])
            X, Y = qx / dpi * 72, h - qy / dpi * 72
            size = max(4.0, ht)
            sw = c.stringWidth(text, "STSong-Light", size) or 1
            t = c.beginText()
            t.setTextRenderMode(3)
            t.setFont("STSong-Light", size)
            t.setHorizScale(max(10.0, min(400.0, (x1 - x0) / sw * 100)))
            t.setTextTransform(cos, sin, -sin, cos, X, Y)
            t.textOut(text)
            c.drawText(t)
        c.showPage()
    c.save()


def _stamp_text_pdf(jpegs: list[Path], dpi: int, sizes: list[tuple[int, int]], header: str, out: Path) -> None:
    """Image pages with the scanner's header line drawn as real text over the top edge."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(out), invariant=1)
    n = len(jpegs)
    for i, (jp, (pw, ph)) in enumerate(zip(jpegs, sizes)):
        w, h = pw / dpi * 72, ph / dpi * 72
        c.setPageSize((w, h))
        c.drawImage(str(jp), 0, 0, w, h)
        c.setFont("STSong-Light", 7.5)
        c.setFillGray(0.15)
        c.drawString(22, h - 14, header.format(p=i + 1, n=n))
        c.showPage()
    c.setCreator("Canon iR-ADV 4545")
    c.setProducer("Canon iR-ADV 4545 PDF")
    c.save()


def _assemble(files: list[Path], dpi: int, producer: str, out: Path, q: int, tmp: Path) -> None:
    if producer == "img2pdf":
        import img2pdf
        out.write_bytes(img2pdf.convert([str(f) for f in files]))
    elif producer == "magick":
        cmd = ["/usr/bin/convert", "-density", str(dpi), "-units", "PixelsPerInch", *map(str, files),
               "-compress", "jpeg", "-quality", str(q), str(out)]
        r = subprocess.run(cmd, capture_output=True)
        if r.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            # ImageMagick's policy.xml forbids writing PDF on this machine: fall back to Pillow
            print(f"  ! ImageMagick could not write {out.name} ({r.stderr.decode(errors='replace').strip()[:80]}); using Pillow")
            _assemble(files, dpi, "pillow", out, q, tmp)
    elif producer == "pillow":
        ims = [Image.open(f) for f in files]
        ims[0].save(out, "PDF", save_all=True, append_images=ims[1:], resolution=float(dpi), quality=q)
    elif producer == "tesseract":
        lst = tmp / "pages.txt"
        lst.write_text("\n".join(str(f) for f in files) + "\n")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        subprocess.run(["tesseract", str(lst), str(out.with_suffix("")), "-l", "chi_sim", "--psm", "3", "pdf"],
                       check=True, capture_output=True, env=env)
    else:
        raise ValueError(producer)


def finish(job: dict) -> dict:
    """Make one attachment. job: src (PDF rendered from the office file), office (the .docx/.xlsx),
    out (destination), spec (recipe 'out'), seals, seed, key, when (arrival, for PDF dates)."""
    import time
    t0 = time.monotonic()
    spec, out = job["spec"], Path(job["out"])
    src, mode = Path(job["src"]), spec["mode"]
    rng = _rng(job["seed"], job["key"])
    info = {"mode": mode, "seals": []}
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corpus-") as td:
        tmp = Path(td)
        if mode == "pdf":
            shutil.copyfile(src, out)
            normalise_pdf(out, job["when"], spec.get("meta"))
        elif mode == "office":
            shutil.copyfile(job["office"], out)
        elif mode == "eseal":
            from reportlab.lib.utils import ImageReader
            from reportlab.pdfgen import canvas
            spots = seal_spots(src, job["seals"])
            with pikepdf.open(src) as pdf:
                sizes = [(float(p.mediabox[2]), float(p.mediabox[3])) for p in pdf.pages]
            ov = tmp / "overlay.pdf"
            c = canvas.Canvas(str(ov), invariant=1)
            for pi, (w, h) in enumerate(sizes):
                c.setPageSize((w, h))
                for spi, x, y, name in spots:
                    if spi == pi:
                        im = SEAL.electronic(name, 600)
                        s = 42 * MM
                        c.drawImage(ImageReader(im), x - s / 2, h - y - s / 2, s, s, mask="auto")
                        info["seals"].append(name)
                c.showPage()
            c.save()
            with pikepdf.open(src) as pdf, pikepdf.open(ov) as o:
                for pi, page in enumerate(pdf.pages):
                    res = page.obj.get("/Resources", pikepdf.Dictionary())
                    before = set(res.get("/XObject", pikepdf.Dictionary()).keys())
                    page.add_overlay(o.pages[pi])
                    _fixed_names(page, before, f"/Seal{pi}_")
                pdf.save(out)
            normalise_pdf(out, job["when"], spec.get("meta"))
        else:
            dpi = (300 if spec.get("iphone") else 200) if mode.startswith("photo") else spec["dpi"]
            pages = render(src, dpi, tmp)
            spots = seal_spots(src, job["seals"]) if job["seals"] else []
            info["seals"] = stamp_all(pages, spots, dpi, rng)
            info["dpi"] = dpi
            if mode in ("scan", "tiff", "png"):
                files, mats, sizes = [], [], []
                frames = []
                for i, pg in enumerate(pages):
                    f, m = S.scanned(pg, rng, skew_deg=spec.get("skew", 0.5), light=spec.get("light", 0.1),
                                     blur=spec.get("blur", 0.55), noise=spec.get("noise", 4.0))
                    mats.append(m)
                    color = spec.get("color", "color") if mode == "scan" else ("bw" if mode == "tiff" else "gray")
                    if color == "color":
                        im = Image.fromarray(f.astype(np.uint8), "RGB")
                    elif color == "gray":
                        im = Image.fromarray(S.to_gray(f), "L")
                    elif color == "bw":
                        im = S.to_bw(f)
                    else:
                        im = S.to_bw_dither(f)
                    hdr = spec.get("header")
                    if hdr and hdr["as"] == "raster":
                        im = S.header_line(im, hdr["text"].format(p=i + 1, n=len(pages)), dpi, rng)
                    sizes.append(im.size)
                    if mode == "tiff":
                        frames.append(im)
                        continue
                    if mode == "png":
                        im.save(out, "PNG", dpi=(dpi, dpi), optimize=True)
                        continue
                    if im.mode == "1":
                        p = tmp / f"p{i:03d}.png"
                        im.save(p, "PNG", dpi=(dpi, dpi), optimize=True)
                    else:
                        p = tmp / f"p{i:03d}.jpg"
                        _jpeg(im, p, spec.get("q", 70), dpi)
                    files.append(p)
                info["color"] = spec.get("color", "color") if mode == "scan" else ("bw" if mode == "tiff" else "gray")
                if mode == "tiff":
                    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="group4",
                                   dpi=(dpi, dpi))
                elif mode == "scan":
                    producer = spec.get("producer", "img2pdf")
                    info["producer"] = producer
                    hdr = spec.get("header")
                    if producer == "overlay":
                        _overlay_pdf(files, dpi, src, mats, out)
                    elif producer == "reportlab":
                        _stamp_text_pdf(files, dpi, sizes, hdr["text"], out)
                    else:
                        _assemble(files, dpi, producer, out, spec.get("q", 70), tmp)
                    if spec.get("font_res"):
                        declare_fonts(out)
                    normalise_pdf(out, job["when"], spec.get("meta"))
            elif mode in ("photo_jpg", "photo_pdf"):
                w, h = spec["size"]
                files = []
                for i, pg in enumerate(pages):
                    ph = S.photographed(pg, rng, w, h)
                    im = Image.fromarray(ph.astype(np.uint8), "RGB")
                    if mode == "photo_jpg":
                        exif = Image.Exif()
                        exif[0x010F] = "Apple" if spec.get("iphone") else "HUAWEI"
                        exif[0x0110] = "iPhone 12" if spec.get("iphone") else "ELS-AN00"
                        exif[0x0132] = job["when"][:10].replace("-", ":") + " " + job["when"][11:19]
                        if spec.get("iphone"):
                            im = im.transpose(Image.Transpose.ROTATE_90)  # stored landscape…
                            exif[0x0112] = 6                              # …shown upright by the viewer
                        im.save(out, "JPEG", quality=spec.get("q", 85), dpi=(72, 72), exif=exif.tobytes())
                    else:
                        p = tmp / f"ph{i:03d}.jpg"
                        im.save(p, "JPEG", quality=spec.get("q", 80), dpi=(72, 72))
                        files.append(p)
                if mode == "photo_pdf":
                    import img2pdf
                    out.write_bytes(img2pdf.convert([str(f) for f in files]))
                    normalise_pdf(out, job["when"], None)
            else:
                raise ValueError(mode)
    data = out.read_bytes()
    info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    info["_seconds"] = round(time.monotonic() - t0, 2)
    return info
