"""Check a generated held-out corpus against truth.json, from the files themselves.

    python benchmarks/heldout_corpus/verify.py [OUTDIR] [--only h03_qinghai]

Per document: physical pages, A4 equivalents from the page sizes, layer (characters drawn per page), image colour,
and that every fact truth states is written in the document (its printed words, and for text-layer PDFs its text
layer) in a form this file parses back on its own — money (万元 / 亿元 / 元 tables / 大写), periods (N年 / N个月 /
中文月数 / date ranges) — and that documents truth states no amount or period for do not state one. Per filing: the
e-mail's addresses, dates, arrival stamp and attachments; and the dossier findings truth lists, re-derived from the
notice's rules over truth's own facts. Exit status 1 on any disagreement.
"""
from __future__ import annotations

import argparse
import email
import json
import re
import sys
from datetime import datetime
from email import policy
from pathlib import Path

HERE = Path(__file__).resolve().parent
CP_CITIES = {"大连市", "青岛市", "宁波市", "厦门市", "深圳市"}
CN = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")} | {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}


def cn_int(s: str) -> int:
    """壹万贰仟 -> 12000, 十八 -> 18, 二十四 -> 24 (an independent reading, not words.daxie reversed)."""
    total, section, digit = 0, 0, None
    for c in s:
        if c in CN:
            digit = CN[c]
        elif c in UNITS:
            section += (1 if digit is None else digit) * UNITS[c]
            digit = None
        elif c in "万萬":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def wan_of(words: str, table_unit: str | None) -> float | None:
    """The amount in 万元 that ``words`` state."""
    w = words.replace(",", "").strip()
    if m := re.fullmatch(r"([\d.]+)亿元", w):
        return float(m[1]) * 10000
    if m := re.fullmatch(r"([\d.]+)万元", w):
        return float(m[1])
    if m := re.fullmatch(r"([零壹贰叁肆伍陆柒捌玖拾佰仟万]+)万元", w):
        return float(cn_int(m[1]))
    if re.fullmatch(r"[\d.]+", w):
        return float(w) / 10000 if table_unit == "元" else float(w)
    return None


def months_of(words: str) -> int | None:
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月[至—\-~到](\d{4})年(\d{1,2})月", words):
        return (int(m[3]) - int(m[1])) * 12 + int(m[4]) - int(m[2]) + 1
    if m := re.fullmatch(r"(\d+)个月", words):
        return int(m[1])
    if m := re.fullmatch(r"([一二三四五六七八九十]+)个月", words):
        return cn_int(m[1])
    if m := re.fullmatch(r"([两一二三四五\d])年", words):
        return 12 * (int(m[1]) if m[1].isdigit() else CN[m[1]])
    return None


def _pdf_pages(path: Path):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    out = []
    for page in doc:
        w, h = page.get_size()
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range() if n else ""
        imgs = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
        out.append({"w_mm": w / 72 * 25.4, "h_mm": h / 72 * 25.4, "chars": n, "text": text, "images": len(imgs)})
    return out


def _colors_pdf(path: Path) -> set[str]:
    import pikepdf

    cols = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for im in page.get_images().values():
                if "/SMask" in im:
                    continue                     # an electronic seal on a born-digital page
                bpc, cs = int(im.get("/BitsPerComponent", 8)), str(im.get("/ColorSpace", ""))
                cols.add("bw" if bpc == 1 else "gray" if cs == "/DeviceGray" else "color")
    return cols


def _sheet(w_mm, h_mm) -> str:
    if abs(w_mm - 210) < 3 and abs(h_mm - 297) < 3:
        return "A4"
    if abs(w_mm - 420) < 4 and abs(h_mm - 297) < 4:
        return "A3"
    return "photo" if w_mm > 500 or h_mm > 500 else f"{w_mm:.0f}x{h_mm:.0f}"


def check_document(f, d, man, folder: Path, textdir: Path) -> list[str]:
    from PIL import Image

    errs, name = [], f"{f['eml']} {d['file']}"
    path = folder / d["file"]
    if not path.exists():
        return [f"{name}: missing"]
    ext = path.suffix.lower()
    pages_text = (textdir / (d["file"] + ".txt")).read_text(encoding="utf-8").split("\f")
    flat = [re.sub(r"\s+", "", t) for t in pages_text]
    if ext == ".pdf":
        pages = _pdf_pages(path)
        n = len(pages)
        sheets = [_sheet(p["w_mm"], p["h_mm"]) for p in pages]
        layer = d["layer"]
        for i, p in enumerate(pages):
            if layer == "text" and (p["chars"] == 0):
                errs.append(f"{name}: page {i + 1} has no text layer")
            if layer in ("image", "photo") and p["chars"]:
                errs.append(f"{name}: page {i + 1} draws {p['chars']} characters")
            if layer == "image+text" and not (p["chars"] and p["images"]):
                errs.append(f"{name}: page {i + 1} is not image + text")
            if layer == "text":
                continue
            if not p["images"]:
                errs.append(f"{name}: page {i + 1} has no image")
        if layer in ("text", "image+text"):
            for key in ("central_text", "period_text"):
                st = man["stated"].get(key)
                pg = man["stated"].get(key.replace("text", "page"))
                if st and re.sub(r"\s+", "", st) not in re.sub(r"\s+", "", pages[pg - 1]["text"]):
                    errs.append(f"{name}: text layer of page {pg} lacks “{st}”")
        colors = _colors_pdf(path) if layer != "text" else {"digital"}
    else:
        im = Image.open(path)
        n = getattr(im, "n_frames", 1)
        sheets = ["photo"] * n if d["sheet"] == "photo" else [
            _sheet(im.width / im.info["dpi"][0] * 25.4, im.height / im.info["dpi"][1] * 25.4)] * n
        colors = {{"1": "bw", "L": "gray", "RGB": "color"}[im.mode]}
    if n != d["physical_pages"]:
        errs.append(f"{name}: {n} pages, truth {d['physical_pages']}")
    if d["sheet"] == "photo" and set(sheets) != {"photo"}:
        errs.append(f"{name}: sheets {sheets} are not photos")
    if d["sheet"] != "photo" and set(sheets) != {d["sheet"]}:
        errs.append(f"{name}: sheets {sheets}, truth {d['sheet']}")
    a4 = sum(2 if s == "A3" else 1 for s in sheets)
    if a4 != d["a4_pages"]:
        errs.append(f"{name}: {a4} A4 pages, truth {d['a4_pages']}")
    if colors != {d["color"]}:
        errs.append(f"{name}: colours {colors}, truth {d['color']}")
    # the facts, in the printed words
    for c in d.get("cities", []):
        if c not in "".join(flat):
            errs.append(f"{name}: city {c} not written")
    st = man["stated"]
    if "central_subsidy_wan" in d:
        words, pg = st.get("central_text"), st.get("central_page")
        unit = "元" if "单位：元" in flat[(pg or 1) - 1] else None
        if not words or re.sub(r"\s+", "", words) not in flat[pg - 1]:
            errs.append(f"{name}: subsidy words “{words}” not on page {pg}")
        elif wan_of(words, unit) != d["central_subsidy_wan"]:
            errs.append(f"{name}: “{words}” reads {wan_of(words, unit)}, truth {d['central_subsidy_wan']}")
    elif d["kind"] in ("cover_letter", "plan", "budget", "performance_targets") and "中央财政补助资金" in "".join(flat):
        errs.append(f"{name}: states a central subsidy truth does not list")
    if "period_months" in d:
        words, pg = st.get("period_text"), st.get("period_page")
        if not words or words not in flat[pg - 1]:
            errs.append(f"{name}: period words “{words}” not on page {pg}")
        elif months_of(words) != d["period_months"]:
            errs.append(f"{name}: “{words}” reads {months_of(words)} months, truth {d['period_months']}")
    elif d["kind"] in ("cover_letter", "plan", "budget", "performance_targets") and re.search("实施期(限为|为|：)|实施周期", "".join(flat)):
        errs.append(f"{name}: states a period truth does not list")
    if bool(man["seals"]) != d["seal_imprint"]:
        errs.append(f"{name}: seals {man['seals']}, truth seal_imprint {d['seal_imprint']}")
    if "joint" in d:
        head = flat[0][:120]
        prov = f["province"]
        both = ("财政" in head.split("人力资源")[0]) and ("人力资源和社会保障" in head) and head.count(prov) >= 2
        if both != d["joint"]:
            errs.append(f"{name}: 红头 {'names both' if both else 'names one'} department(s), truth joint {d['joint']}")
        if d["seal_imprint"] and (len(set(man["seals"])) == 2) != d["joint"]:
            errs.append(f"{name}: {len(set(man['seals']))} seal unit(s), truth joint {d['joint']}")
    return errs


def expected_findings(f) -> set[str]:
    """The notice's rules over truth's own facts (the reviewer's reading of the filing)."""
    deadline = datetime.fromisoformat("2023-03-27T00:00:00+08:00")
    if datetime.fromisoformat(f["arrival"]) >= deadline:
        return {"late_arrival"}
    out = set()
    cities = [p["city"] for p in f["projects"]]
    allowed = 1 + any(c in CP_CITIES for c in cities)
    if len(cities) > allowed:
        out.add("quota_exceeded")
    if any(p["central_wan"] > 10000 for p in f["projects"]):
        out.add("subsidy_over_cap")
    if any(p["period_months"] > 24 for p in f["projects"]):
        out.add("period_over_limit")
    kinds = [d["kind"] for d in f["documents"]]
    for k, code in (("plan", "missing_plan"), ("budget", "missing_budget"),
                    ("performance_targets", "missing_performance_targets"), ("evidence", "missing_evidence")):
        if k not in kinds:
            out.add(code)
    cover = [d for d in f["documents"] if d["kind"] == "cover_letter"]
    if cover and cover[0].get("joint") is False:
        out.add("not_joint_issuance")
    if cover and not cover[0]["scan"]:
        out.add("not_scanned")
    if cover and cover[0]["red_seal"] is False:
        out.add("no_seal_detected")
    if any(d["kind"] == "plan" and d["a4_pages"] > 10 for d in f["documents"]):
        out.add("plan_over_page_limit")
    if sum(d["a4_pages"] for d in f["documents"]) > 30:
        out.add("total_over_page_limit")
    if any(d["sheet"] == "A3" for d in f["documents"]):
        out.add("non_a4_pages")
    if len(f["to"]) == 1:
        out.add("one_mailbox_only")
    return out


def check_mail(f, out: Path) -> list[str]:
    errs, name = [], f["eml"]
    msg = email.message_from_bytes((out / "eml" / f["eml"]).read_bytes(), policy=policy.default)
    if f["from"] not in str(msg["From"]):
        errs.append(f"{name}: From {msg['From']}")
    if [a.strip() for a in str(msg["To"]).split(",")] != f["to"]:
        errs.append(f"{name}: To {msg['To']}")
    if email.utils.parsedate_to_datetime(str(msg["Date"])) != datetime.fromisoformat(f["date_header"]):
        errs.append(f"{name}: Date {msg['Date']}")
    stamp = email.utils.parsedate_to_datetime(str(msg["Received"]).rsplit(";", 1)[1].replace("(CST)", "").strip())
    if stamp != datetime.fromisoformat(f["arrival"]) or "(Coremail)" not in str(msg["Received"]):
        errs.append(f"{name}: Received {msg['Received']}")
    atts = [(p.get_filename(), p.get_content()) for p in msg.iter_attachments()]
    if [a[0] for a in atts] != [d["file"] for d in f["documents"]]:
        errs.append(f"{name}: attachments {[a[0] for a in atts]}")
    folder = out / "docs" / f["eml"].rsplit(".", 1)[0]
    for (fn, data), d in zip(atts, f["documents"]):
        if data != (folder / d["file"]).read_bytes():
            errs.append(f"{name}: attachment {fn} differs from the document")
    return errs


def verify(out: Path, only=(), truth: dict | None = None) -> list[str]:
    truth = truth or json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    man = {f["eml"]: {d["file"]: d for d in f["documents"]}
           for f in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["filings"]}
    errs = []
    for f in truth["filings"]:
        if only and f["eml"].rsplit(".", 1)[0] not in only and f["province"] not in only:
            continue
        if set(f["dossier_findings"]) != expected_findings(f):
            errs.append(f"{f['eml']}: truth findings {sorted(f['dossier_findings'])}, rules give "
                        f"{sorted(expected_findings(f))}")
        if f["eml"] not in man:
            errs.append(f"{f['eml']}: not generated")
            continue
        stem = f["eml"].rsplit(".", 1)[0]
        for d in f["documents"]:
            errs += check_document(f, d, man[f["eml"]][d["file"]], out / "docs" / stem, out / "text" / stem)
        errs += check_mail(f, out)
    return errs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", nargs="?", type=Path, default=HERE.parents[1] / "benchmarks" / "out" / "heldout_corpus")
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args(argv)
    errs = verify(args.outdir, args.only)
    print("\n".join(errs) if errs else "truth and corpus agree")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
