"""Check the generated files against truth.json: physical pages, layer (text drawn / page images), colour of the page
images and the sheet size. The generator's own check, independent of shenbao's reader."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from PIL import Image


def _pdf_pages(data: bytes) -> list[dict]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = []
    doc = pdfium.PdfDocument(data)
    for page in doc:
        w, h = page.get_size()
        tp = page.get_textpage()
        chars = tp.count_chars()
        tp.close()
        cover, modes = 0.0, set()
        for obj in page.get_objects():
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                l, b, r, t = obj.get_bounds()
                cover = max(cover, (r - l) * (t - b) / (w * h))
                img = obj.get_bitmap(render=False).to_pil()
                modes.add(img.mode)
        out.append({"w_mm": w / 72 * 25.4, "h_mm": h / 72 * 25.4, "chars": chars, "cover": cover, "modes": modes})
    doc.close()
    return out


def verify(out: Path, truth: dict, only=()) -> list[str]:
    problems = []
    mf = out / "manifest.json"
    manifest = json.loads(mf.read_text(encoding="utf-8")) if mf.exists() else {}
    for t in truth["filings"]:
        key = t["eml"].rsplit(".", 1)[0]
        if only and key not in only and t["province"] not in only:
            continue
        for d in t["documents"]:
            path = out / "docs" / key / d["file"]
            data = path.read_bytes()
            where = f"{key}/{d['file']}"
            if d.get("container"):
                with zipfile.ZipFile(out / "docs" / key / d["container"]) as z:
                    if z.read(d["file"]) != data:
                        problems.append(f"{where}: zip member differs")
            name = d["file"].lower()
            made = manifest.get(key, {}).get("seals", {}).get(d["file"])
            if made is not None and (made > 0) != bool(d["seal_imprint"]):
                problems.append(f"{where}: {made} seal(s) inside the printed pages, truth seal_imprint={d['seal_imprint']}")
            if name.endswith(".pdf"):
                pages = _pdf_pages(data)
                if len(pages) != d["physical_pages"]:
                    problems.append(f"{where}: {len(pages)} pages, truth {d['physical_pages']}")
                for i, p in enumerate(pages, 1):
                    scan = p["cover"] > 0.9
                    if scan != d["scan"]:
                        problems.append(f"{where} p{i}: page image cover {p['cover']:.2f}, truth scan={d['scan']}")
                    if d["layer"] == "image" and p["chars"]:
                        problems.append(f"{where} p{i}: {p['chars']} characters drawn on an image-only page")
                    if d["layer"] in ("image+text", "text") and not p["chars"]:
                        problems.append(f"{where} p{i}: no text drawn, truth layer {d['layer']}")
                    want = {"color": {"RGB"}, "gray": {"L"}, "bw": {"1", "L"}}.get(d["color"])
                    if want and d["scan"] and not (p["modes"] & want):
                        problems.append(f"{where} p{i}: image modes {p['modes']}, truth {d['color']}")
                    if d["sheet"] == "A3" and not (400 < max(p["w_mm"], p["h_mm"]) < 440):
                        problems.append(f"{where} p{i}: not A3 ({p['w_mm']:.0f}x{p['h_mm']:.0f} mm)")
            elif name.endswith((".jpg", ".png")):
                with Image.open(io.BytesIO(data)) as im:
                    mode = im.mode
                if d["physical_pages"] != 1:
                    problems.append(f"{where}: an image is one page")
                if d["color"] == "gray" and mode != "L":
                    problems.append(f"{where}: mode {mode}, truth gray")
    return problems



def seals_inside(pdf: bytes) -> int:
    """Seal-sized images (30–60 mm) lying wholly inside their page of a printed PDF: a seal the page did not clip.
    Chromium puts a blended image inside a form XObject: its box is mapped through the forms' matrices."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def boxes(objs, mats):
        for obj in objs:
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                l, b, r, t = obj.get_bounds()
                pts = [(l, b), (r, b), (l, t), (r, t)]
                for m in reversed(mats):
                    pts = [m.on_point(x, y) for x, y in pts]
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                yield min(xs), min(ys), max(xs), max(ys)
            elif obj.type == raw.FPDF_PAGEOBJ_FORM:
                n = raw.FPDFFormObj_CountObjects(obj.raw)
                kids = [pdfium.PdfObject(raw.FPDFFormObj_GetObject(obj.raw, i), page=obj.page, pdf=obj.pdf,
                                         level=obj.level + 1) for i in range(n)]
                yield from boxes(kids, mats + [obj.get_matrix()])

    n = 0
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        w, h = page.get_size()
        for l, b, r, t in boxes(list(page.get_objects(max_depth=0)), []):
            size = (r - l) / 72 * 25.4
            if 30 <= size <= 60 and l >= -1 and b >= -1 and r <= w + 1 and t <= h + 1:
                n += 1
    doc.close()
    return n
