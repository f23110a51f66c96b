"""Check a generated corpus against truth.json in everything the generator can know.

    python benchmarks/reading_corpus/verify_truth.py OUTDIR

From the files themselves: every .eml parses, its sender, recipients, Date: and the receiving MX's
Received stamp are truth's, its attachment names decode (RFC 2231 / RFC 2047 / GBK zip members) to
truth's file names in truth's order and their bytes are the documents in OUTDIR/docs; per document the
physical page count (PDF pages, TIFF frames, 1 per JPEG/PNG, LibreOffice pages for .docx/.xlsx), the page
layers (full-page image, drawn text, both, camera picture), the colour of the page images (RGB, gray,
1-bit), the sheet size (A4, A3, or a photo's nominal size) and from it the A4 equivalents; for born-digital
files the stated subsidy and period words appear in the text layer. From manifest.json (what the
generator did): seals stamped, cities / subsidy / period / joint issuance stated, kind of builder.
Exit status 1 if anything disagrees."""
from __future__ import annotations

import argparse
import email
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from email import policy
from email.utils import format_datetime, parseaddr
from pathlib import Path

import datetime as dt

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

HERE = Path(__file__).resolve().parent
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)
KIND_OF_BUILDER = {"cover": "cover_letter", "plan": "plan", "budget_docx": "budget", "budget_xlsx": "budget",
                   "targets": "performance_targets", "evidence": "evidence", "prior": "prior_report",
                   "toc": "other", "contacts_xlsx": "other"}


def close(a: float, b: float, tol: float = 0.03) -> bool:
    return abs(a - b) <= tol * b


def sheet_of(w: float, h: float) -> str:
    w, h = sorted((w, h))
    if close(w, A4[0]) and close(h, A4[1]):
        return "A4"
    if close(w, A3[0]) and close(h, A3[1]):
        return "A3"
    if w * h > 4 * A4[0] * A4[1]:
        return "photo"
    return f"{w:.0f}x{h:.0f}pt"


def pdf_facts(path: Path) -> dict:
    """Per page: drawn characters, the share of the page covered by its largest image, that image's colour."""
    doc = pdfium.PdfDocument(str(path))
    pages = []
    with pikepdf.open(path) as pk:
        for i, page in enumerate(doc):
            w, h = page.get_width(), page.get_height()
            chars = page.get_textpage().count_chars()
            cover = 0.0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                l, b, r, t = obj.get_bounds()
                cover = max(cover, max(0.0, (r - l)) * max(0.0, (t - b)) / (w * h))
            colour = None
            pg = pk.pages[i]
            imgs = list((pg.get_images() if hasattr(pg, "get_images") else pg.images).values())
            if imgs:
                big = max(imgs, key=lambda x: int(x.Width) * int(x.Height))
                pim = pikepdf.PdfImage(big)
                cs = str(pim.colorspace or "")
                colour = "bw" if pim.bits_per_component == 1 else "gray" if "Gray" in cs else "color" if "RGB" in cs else cs
            pages.append({"chars": chars, "cover": cover, "colour": colour, "sheet": sheet_of(w, h)})
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    doc.close()
    return {"pages": pages, "text": re.sub(r"\s+", "", text)}


def image_facts(path: Path) -> dict:
    im = Image.open(path)
    frames, modes, sheets = getattr(im, "n_frames", 1), [], []
    dpi = im.info.get("dpi", (72, 72))
    for k in range(frames):
        im.seek(k)
        modes.append({"1": "bw", "L": "gray", "RGB": "color"}.get(im.mode, im.mode))
        w_pt, h_pt = im.size[0] / float(dpi[0]) * 72, im.size[1] / float(dpi[1]) * 72
        sheets.append(sheet_of(w_pt, h_pt))
    exif = im.getexif() if hasattr(im, "getexif") else {}
    return {"frames": frames, "modes": modes, "sheets": sheets, "dpi": tuple(round(float(x)) for x in dpi),
            "orientation": exif.get(0x0112)}


def office_pdfs(files: list[Path], tmp: Path) -> dict[Path, Path]:
    if not files:
        return {}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp), *map(str, files)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {f: tmp / (f.stem + ".pdf") for f in files}


def attachments(raw: bytes) -> tuple[email.message.EmailMessage, list[tuple[str, bytes]]]:
    msg = email.message_from_bytes(raw, policy=policy.default)
    out = []
    for part in msg.iter_attachments():
        out.append((part.get_filename(), part.get_payload(decode=True)))
    return msg, out


def gbk_members(data: bytes) -> list[tuple[str, bytes, bool]]:
    z = zipfile.ZipFile(io.BytesIO(data))
    out = []
    for info in z.infolist():
        utf8 = bool(info.flag_bits & 0x800)
        name = info.filename if utf8 else info.filename.encode("cp437").decode("gbk")
        out.append((name, z.read(info), utf8))
    return out


def verify(outdir: Path, truth_path: Path = HERE / "truth.json") -> list[str]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    made = {f["eml"]: {d["file"]: d for d in f["documents"]} for f in manifest["filings"]}
    errors: list[str] = []
    err = lambda where, what: errors.append(f"{where}: {what}")
    office = []
    checked = 0
    for f in truth["filings"]:
        if f["eml"] not in made:
            err(f["eml"], "not in manifest.json (generated with --only?)")
            continue
        stem = f["eml"].removesuffix(".eml")
        eml = outdir / "eml" / f["eml"]
        if not eml.exists():
            err(f["eml"], "missing")
            continue
        msg, atts = attachments(eml.read_bytes())
        if parseaddr(str(msg["From"]))[1] != f["from"]:
            err(f["eml"], f"From {msg['From']} != {f['from']}")
        to = [parseaddr(x.strip())[1] for x in str(msg["To"]).split(",")]
        if to != f["to"]:
            err(f["eml"], f"To {to} != {f['to']}")
        if msg["Date"].datetime != dt.datetime.fromisoformat(f["date_header"]):
            err(f["eml"], f"Date {msg['Date']} != {f['date_header']}")
        stamp = format_datetime(dt.datetime.fromisoformat(f["arrival"]))
        received = msg.get_all("Received") or []
        if not received or stamp not in re.sub(r"\s+", " ", str(received[0])):
            err(f["eml"], f"top Received does not carry the arrival {stamp}")
        names = [d["file"] for d in f["documents"]]
        containers = {d.get("container") for d in f["documents"]} - {None}
        if containers:
            if [a[0] for a in atts] != sorted(containers):
                err(f["eml"], f"attachments {[a[0] for a in atts]} != the zip {containers}")
            else:
                members = gbk_members(atts[0][1])
                if [m[0] for m in members] != names:
                    err(f["eml"], f"zip members {[m[0] for m in members]} != {names}")
                if any(m[2] for m in members):
                    err(f["eml"], "zip member names carry the UTF-8 flag; truth says GBK")
                atts = [(m[0], m[1]) for m in members]
        elif [a[0] for a in atts] != names:
            err(f["eml"], f"attachment names {[a[0] for a in atts]} != {names}")
        by_name = dict(atts)
        for d in f["documents"]:
            where = f"{stem}/{d['file']}"
            path = outdir / "docs" / stem / d["file"]
            m = made[f["eml"]].get(d["file"])
            if not path.exists() or m is None:
                err(where, "file or manifest entry missing")
                continue
            data = path.read_bytes()
            if by_name.get(d["file"]) != data:
                err(where, "attachment bytes differ from the document file")
            if hashlib.sha256(data).hexdigest() != m["sha256"]:
                err(where, "sha256 differs from manifest")
            checked += 1
            # what the generator did
            if KIND_OF_BUILDER[m["builder"]] != d["kind"]:
                err(where, f"built by {m['builder']}, truth kind {d['kind']}")
            st = m["stated"]
            if d.get("cities") is not None and st["cities"] != d["cities"]:
                err(where, f"states cities {st['cities']}, truth {d['cities']}")
            if st["central_wan"] != d.get("central_subsidy_wan"):
                err(where, f"states subsidy {st['central_wan']}, truth {d.get('central_subsidy_wan')}")
            if st["period_months"] != d.get("period_months"):
                err(where, f"states period {st['period_months']}, truth {d.get('period_months')}")
            if d["kind"] == "cover_letter" and st["joint"] != d.get("joint"):
                err(where, f"joint {st['joint']}, truth {d.get('joint')}")
            sealed = len(m["seals"]) > 0
            if sealed != d["seal_imprint"]:
                err(where, f"{len(m['seals'])} seals stamped, truth seal_imprint {d['seal_imprint']}")
            want_red = "undecidable" if d["color"] in ("gray", "bw") else d["seal_imprint"]
            if d["red_seal"] != want_red:
                err(where, f"red_seal {d['red_seal']!r} but colour {d['color']} and imprint {d['seal_imprint']}")
            if d["scan"] != (d["layer"] in ("image", "image+text", "photo")):
                err(where, f"scan {d['scan']} contradicts layer {d['layer']}")
            want_a4 = d["physical_pages"] * (2 if d["sheet"] == "A3" else 1)
            if d["a4_pages"] != want_a4:
                err(where, f"a4_pages {d['a4_pages']} but {d['physical_pages']} {d['sheet']} pages")
            # what the file is
            ext = path.suffix.lower()
            if ext == ".pdf":
                pf = pdf_facts(path)
                check_pdf(where, d, pf, st, err)
            elif ext in (".jpg", ".png", ".tif"):
                im = image_facts(path)
                if im["frames"] != d["physical_pages"]:
                    err(where, f"{im['frames']} frames, truth {d['physical_pages']}")
                if d["layer"] == "photo":
                    if im["dpi"] != (72, 72):
                        err(where, f"photo saved at {im['dpi']} dpi, truth says 72")
                    if set(im["modes"]) != {"color"}:
                        err(where, f"photo modes {im['modes']}")
                else:
                    if set(im["modes"]) != {d["color"]}:
                        err(where, f"image modes {im['modes']}, truth colour {d['color']}")
                    if set(im["sheets"]) != {d["sheet"]}:
                        err(where, f"image sheets {im['sheets']}, truth {d['sheet']}")
                if not d["scan"]:
                    err(where, "an image file that truth calls born-digital")
            elif ext in (".docx", ".xlsx"):
                if d["scan"] or d["layer"] != "text":
                    err(where, "office file must be born-digital text")
                office.append((where, d, path, st))
            else:
                err(where, f"unexpected file type {ext}")
    with tempfile.TemporaryDirectory() as td:
        pdfs = office_pdfs([o[2] for o in office], Path(td))
        for where, d, path, st in office:
            pf = pdf_facts(pdfs[path])
            check_pdf(where, d, pf, st, err)
    print(f"checked {checked} documents in {len(truth['filings'])} filings")
    return errors


def check_pdf(where: str, d: dict, pf: dict, st: dict, err) -> None:
    pages = pf["pages"]
    if len(pages) != d["physical_pages"]:
        err(where, f"{len(pages)} pages, truth {d['physical_pages']}")
    layer = d["layer"]
    for i, p in enumerate(pages, 1):
        full = p["cover"] >= 0.9
        if layer == "text" and (p["chars"] == 0 or full):
            err(where, f"page {i}: {p['chars']} chars, image cover {p['cover']:.2f}; truth says born-digital text")
        if layer in ("image", "photo") and (p["chars"] or not full):
            err(where, f"page {i}: {p['chars']} chars, image cover {p['cover']:.2f}; truth says image only")
        if layer == "image+text" and (not p["chars"] or not full):
            err(where, f"page {i}: {p['chars']} chars, image cover {p['cover']:.2f}; truth says image with text")
        if layer != "text" and layer != "photo" and p["colour"] != d["color"]:
            err(where, f"page {i}: page image is {p['colour']}, truth {d['color']}")
        if p["sheet"] != d["sheet"]:
            err(where, f"page {i}: sheet {p['sheet']}, truth {d['sheet']}")
    if layer == "text":
        for key in ("central_text", "period_text"):
            words = st.get(key)
            if words and re.sub(r"\s+", "", words) not in pf["text"]:
                err(where, f"text layer lacks the stated {key} {words!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--truth", type=Path, default=HERE / "truth.json", help="another truth file (to test this checker)")
    a = ap.parse_args(argv)
    errors = verify(a.outdir, a.truth)
    for e in errors:
        print("  ✗", e)
    print("OK: the corpus agrees with truth.json" if not errors else f"{len(errors)} disagreements")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
