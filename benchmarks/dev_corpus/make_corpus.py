"""Write the development corpus of issue 11: documents and e-mails stating exactly what truth.json (written first)
says. Tools: Chromium (HTML → PDF), Ghostscript (rasterising), numpy/OpenCV/Pillow (scanner and phone effects),
pikepdf and fpdf2 (PDF writers, invisible OCR layer, header stamp), openpyxl (an .xlsx budget), zipfile, email.

    python benchmarks/dev_corpus/make_corpus.py OUTDIR [--only d05_guizhou]

Output: OUTDIR/docs/<filing>/<attachment>, OUTDIR/eml/<filing>.eml, OUTDIR/manifest.json (how each file was made).
Nothing of shenbao is imported: the corpus must not know the reader.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content as C  # noqa: E402
import paper as P  # noqa: E402
from mail import build as build_mail  # noqa: E402
from seal import seal_image  # noqa: E402
from verify import seals_inside  # noqa: E402

PROVINCES = {   # finance, hrss, short name used in "已商…同意", doc-no prefix
    "吉林省": ("吉林省财政厅", "吉林省人力资源和社会保障厅", "省", "吉财社"),
    "黑龙江省": ("黑龙江省财政厅", "黑龙江省人力资源和社会保障厅", "省", "黑财社"),
    "广西壮族自治区": ("广西壮族自治区财政厅", "广西壮族自治区人力资源和社会保障厅", "自治区", "桂财社"),
    "云南省": ("云南省财政厅", "云南省人力资源和社会保障厅", "省", "云财社"),
    "贵州省": ("贵州省财政厅", "贵州省人力资源和社会保障厅", "省", "黔财社"),
    "内蒙古自治区": ("内蒙古自治区财政厅", "内蒙古自治区人力资源和社会保障厅", "自治区", "内财社"),
    "海南省": ("海南省财政厅", "海南省人力资源和社会保障厅", "省", "琼财社"),
    "宁夏回族自治区": ("宁夏回族自治区财政厅", "宁夏回族自治区人力资源和社会保障厅", "自治区", "宁财社"),
    "浙江省": ("浙江省财政厅", "浙江省人力资源和社会保障厅", "省", "浙财社"),
    "新疆维吾尔自治区": ("新疆维吾尔自治区财政厅", "新疆维吾尔自治区人力资源和社会保障厅", "自治区", "新财社"),
}
SEAL_RED = [(205, 30, 38), (214, 45, 32), (190, 22, 60), (222, 60, 40)]


class Maker:
    def __init__(self, out: Path, seed: int):
        self.out = out
        self.seed = seed
        self.tmp = Path(tempfile.mkdtemp(prefix="devcorpus-"))
        self.manifest: dict = {}
        self.printed: list[int] = []        # seals inside the pages of each printed PDF, in recipe order
        self.texts: list[list[str] | None] = []   # the printed PDF's text per page: the source text of its scan

    # ---------------------------------------------------------------- building blocks
    def rng(self, *key) -> random.Random:
        return random.Random(f"{self.seed}/" + "/".join(map(str, key)))

    def seal(self, unit: str, key: str, **kw) -> str:
        r = self.rng("seal", key, unit)
        im = seal_image(unit, rng=r, colour=r.choice(SEAL_RED), **kw)
        name = f"seal-{hashlib.sha1(f'{key}/{unit}'.encode()).hexdigest()[:10]}.png"
        im.save(self.tmp / name)
        return name

    def html_pdf(self, pages: list[str], f: C.Filing, key: str, **kw) -> bytes:
        pdf = P.print_html(C.doc(pages, f.body_font, **kw), self.tmp, hashlib.sha1(key.encode()).hexdigest()[:12])
        self.printed.append(seals_inside(pdf))
        self.texts.append(page_texts(pdf))
        return pdf

    def scan(self, pdf: bytes, key: str, *, dpi: int, mode: str = "color", skew: float = 0.6, quality: int = 72,
             writer: str = "pikepdf", noise: float = 6.0, unused_font: bool = False, header: str | None = None,
             text_layer: str | None = None) -> bytes:
        """Rasterise ``pdf`` at ``dpi`` and wrap the scanned pages as a PDF."""
        r = self.rng("scan", key)
        imgs = []
        for i, im in enumerate(P.rasterise(pdf, dpi)):
            im = P.scan_effects(im, r, skew=P.angle_rng(r, skew * 0.6, skew) if skew else 0.0, noise=noise)
            imgs.append(im.convert("L") if mode == "gray" else im)
        if mode == "bw":
            return P.pdf_of_bw([P.to_bw(im) for im in imgs], dpi, producer="Canon iR-ADV C5535 PDF")
        jpgs = [P.jpeg(im, quality, dpi) for im in imgs]
        if writer == "pikepdf":
            return P.pdf_of_jpegs([(j, im.width, im.height, dpi) for j, im in zip(jpgs, imgs)],
                                  producer="EPSON Scan", unused_font=unused_font)
        layer = None
        if text_layer:
            layer = P.text_lines(pdf)
            if text_layer == "garbled":
                layer = P.garble(layer, r)
        stamp = None
        if header:
            stamp = [f"{header}  第{i + 1}页/共{len(imgs)}页" for i in range(len(imgs))]
        return P.pdf_fpdf([(j, dpi) for j in jpgs], text_layer=layer, header=stamp,
                          producer="ABBYY FineReader PDF 15" if text_layer else "HP Scan")

    def photos(self, pdf: bytes, key: str) -> list[bytes]:
        """Each page photographed (3024 x 4032, 72 dpi JPEG, upright pixels)."""
        r = self.rng("photo", key)
        return [P.jpeg(P.photo(im, r), 82, 72) for im in P.rasterise(pdf, 150)]

    # ---------------------------------------------------------------- filings
    def filing_params(self, t: dict, body_font: str) -> C.Filing:
        fin, hrss, short, prefix = PROVINCES[t["province"]]
        projects = [C.Project(p["city"], p["central_wan"], p["provincial_wan"], p["city_wan"], p["other_wan"],
                              p["period_months"], (2023, 7) if p["period_months"] == 18 else (2023, 4))
                    for p in t["projects"]]
        key = t["eml"].rsplit(".", 1)[0]
        r = self.rng("filing", key)
        day = datetime.fromisoformat(t["date_header"]).day - r.randint(1, 3)
        return C.Filing(key, t["province"], short, fin, hrss, f"{prefix}〔2023〕{r.randint(5, 40)}号",
                        f"2023年3月{day}日", (r.choice(["张华", "刘洋", "陈静", "赵磊", "孙悦"]),
                                              f"0{r.randint(431, 991)}-{r.randint(6000000, 8999999)}"),
                        projects, body_font, r)


def recipes(m: Maker, t: dict) -> list[bytes]:
    """The documents of filing ``t`` in truth order (each recipe states what truth.json says of it)."""
    key = t["eml"].rsplit(".", 1)[0]
    fonts = {"d01": "song", "d02": "kai", "d03": "song", "d04": "song", "d05": "kai", "d06": "song", "d07": "kai",
             "d08": "song", "d09": "song", "d10": "kai"}
    f = m.filing_params(t, fonts[key[:3]])
    p = f.projects
    seals2 = lambda k: [(f.finance, m.seal(f.finance, k)), (f.hrss, m.seal(f.hrss, k))]
    city_seal = lambda x, k: m.seal(f"{x.city}人力资源和社会保障局", k)
    out: list[bytes] = []
    if key == "d01_jilin":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="plain", period="years_cn"), f, key + "c"),
                          key + "c", dpi=200))
        out.append(m.html_pdf(C.plan_pages(f, p[0], 6, money="comma2", period="range", fact_page=2, period_page=3), f, key + "p"))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], decimals=True, seal_png=city_seal(p[0], key)), f, key + "b"),
                          key + "b", dpi=300, quality=80))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="years"), f, key + "t"), key + "t", dpi=200, mode="gray"))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 3), f, key + "e"), key + "e", dpi=150, quality=60))
    elif key == "d02_heilongjiang":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="plain", period="months"), f, key + "c"),
                          key + "c", dpi=300, writer="fpdf", text_layer="garbled"))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[0], 11, money="plain", period="months", fact_page=7, period_page=8),
                                     f, key + "p"), key + "p", dpi=150, mode="gray", quality=55))
        out.append(xlsx_budget(f, p[0]))
        m.printed.append(0)
        m.texts.append(None)
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="months", two_pages=True), f, key + "t"),
                          key + "t", dpi=200, skew=1.5))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 2, seal_pngs=[city_seal(p[0], key)]), f, key + "e"),
                          key + "e", dpi=200, mode="bw"))
    elif key == "d03_guangxi":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money=None, period="years"), f, key + "c"),
                          key + "c", dpi=200))
        out.append(m.html_pdf(C.plan_pages(f, p[0], 5, money="plain", period="years"), f, key + "p1"))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[1], 4, money="daxie", period="years_cn"), f, key + "p2"),
                          key + "p2", dpi=150))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], unit_where="line", seal_png=city_seal(p[0], key)), f, key + "b1"),
                          key + "b1", dpi=200))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[1], a3=True, central_label="中央补助",
                                                    seal_png=city_seal(p[1], key)), f, key + "b2", a3=True),
                          key + "b2", dpi=200))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="range"), f, key + "t1"), key + "t1", dpi=200))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[1], period="years_cn"), f, key + "t2"), key + "t2", dpi=200))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 2), f, key + "e"), key + "e", dpi=200))
    elif key == "d04_yunnan":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="yi", period="years", two_pages=False),
                                     f, key + "c"), key + "c", dpi=300, quality=85))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[0], 7, money="plain", period="years", fact_page=4), f, key + "p"),
                          key + "p", dpi=200, writer="fpdf", text_layer="exact"))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], unit="元", unit_where="line", decimals=True,
                                                    seal_png=city_seal(p[0], key)), f, key + "b"), key + "b", dpi=200))
        out.append(m.html_pdf(C.targets_pages(f, p[0], period="years", two_pages=True), f, key + "t"))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 4, seal_pngs=[city_seal(p[0], key + "e")]), f, key + "e"),
                          key + "e", dpi=200))
        out.append(m.html_pdf(C.contacts_page(f), f, key + "o"))
    elif key == "d05_guizhou":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="daxie", period="months", two_pages=False),
                                     f, key + "c"), key + "c", dpi=300, mode="bw"))
        out.append(m.html_pdf(C.plan_pages(f, p[0], 8, money="plain", period="range", fact_page=3, period_page=4), f, key + "p"))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], seal_png=city_seal(p[0], key)), f, key + "b"), key + "b",
                          dpi=200, writer="fpdf"))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="months"), f, key + "t"), key + "t", dpi=200,
                          writer="fpdf"))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 2), f, key + "e"), key + "e", dpi=200, writer="fpdf"))
    elif key == "d06_neimenggu":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, joint=False, seals=[(f.finance, m.seal(f.finance, "c"))],
                                                   money="plain", period="year_span", two_pages=False), f, key + "c"),
                          key + "c", dpi=200))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[0], 5, money="plain", period="year_span", fact_page=3), f, key + "p"),
                          key + "p", dpi=200, writer="fpdf", header="2023-03-21 09:14  HP LaserJet MFP M227fdw"))
        out.append(m.html_pdf(C.budget_pages(f, p[0], unit_where="header"), f, key + "b"))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="year_span"), f, key + "t"), key + "t", dpi=200,
                          mode="gray"))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 3, seal_pngs=[city_seal(p[0], key + "e")]), f, key + "e"),
                          key + "e", dpi=200))
    elif key == "d07_hainan":
        cover = m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="daxie", period="years_cn"), f, key + "c")
        shots = m.photos(cover, key + "c")
        out.append(P.pdf_of_jpegs([(j, 3024, 4032, 72) for j in shots], producer="Microsoft: Print To PDF"))
        out.append(m.html_pdf(C.plan_pages(f, p[0], 5, money="plain", period="years"), f, key + "p"))
        b = m.html_pdf(C.budget_pages(f, p[0], seal_png=city_seal(p[0], key)), f, key + "b")
        r = m.rng("photo", key + "b")
        shot = P.photo(P.rasterise(b, 150)[0], r)
        out.append(P.jpeg(P.rotate_for_exif6(shot), 84, 72, exif=P.exif_bytes(6, 72)))
        tg = P.rasterise(m.html_pdf(C.targets_pages(f, p[0], period="years"), f, key + "t"), 150)[0]
        out.append(P.png_bytes(P.scan_effects(tg, m.rng("scan", key + "t"), skew=0.5).convert("L"), 150))
        ev = m.html_pdf(C.evidence_pages(f, 3), f, key + "e")
        out.append(P.pdf_of_jpegs([(j, 3024, 4032, 72) for j in m.photos(ev, key + "e")], producer="Microsoft: Print To PDF"))
    elif key == "d08_ningxia":
        members = []
        c = m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="plain", period="years", two_pages=False), f, key + "c")
        members.append(c)
        members.append(m.html_pdf(C.plan_pages(f, p[0], 10, money="plain", period="years", fact_page=4), f, key + "p"))
        members.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], decimals=True, seal_png=city_seal(p[0], key)), f, key + "b"),
                              key + "b", dpi=300, quality=80))
        members.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="years"), f, key + "t"), key + "t", dpi=200))
        members.append(m.scan(m.html_pdf(C.evidence_pages(f, 2), f, key + "e"), key + "e", dpi=200))
        out.extend(members)
    elif key == "d09_zhejiang":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money=None, period=None,
                                                   considered=["杭州市", "温州市", "绍兴市", "金华市"]), f, key + "c"),
                          key + "c", dpi=200))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[0], 6, money="plain", period="months", fact_page=5,
                                                  distractor_page=2), f, key + "p1"), key + "p1", dpi=200))
        out.append(m.html_pdf(C.plan_pages(f, p[1], 6, money="plain", period="months_range", fact_page=4), f, key + "p2"))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], uses_table=True, seal_png=city_seal(p[0], key)), f, key + "b1"),
                          key + "b1", dpi=200))
        out.append(m.html_pdf(C.budget_pages(f, p[1], unit_where="line"), f, key + "b2"))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="months"), f, key + "t1"), key + "t1", dpi=200))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[1], period="months_range"), f, key + "t2"), key + "t2", dpi=200))
        city_pngs = [m.seal(f"{p[0].city}财政局", key + "e"), m.seal(f"{p[0].city}人力资源和社会保障局", key + "e")]
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 4, first_request=True, seal_pngs=city_pngs), f, key + "e"),
                          key + "e", dpi=200))
    elif key == "d10_xinjiang":
        out.append(m.scan(m.html_pdf(C.cover_pages(f, seals=seals2("c"), money="plain", period="years", two_pages=False),
                                     f, key + "c"), key + "c", dpi=150, unused_font=True))
        out.append(m.scan(m.html_pdf(C.plan_pages(f, p[0], 4, money="plain", period="years", fact_page=2), f, key + "p"),
                          key + "p", dpi=150, skew=2.0, unused_font=True))
        out.append(m.scan(m.html_pdf(C.budget_pages(f, p[0], seal_png=city_seal(p[0], key)), f, key + "b"), key + "b", dpi=200))
        out.append(m.scan(m.html_pdf(C.targets_pages(f, p[0], period="years"), f, key + "t"), key + "t", dpi=200))
        out.append(m.scan(m.html_pdf(C.evidence_pages(f, 2), f, key + "e"), key + "e", dpi=200))
    else:
        raise KeyError(key)
    return out


def page_texts(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        tp = page.get_textpage()
        out.append(tp.get_text_range())
        tp.close()
    doc.close()
    return out


def xlsx_budget(f: C.Filing, p: C.Project) -> bytes:
    """An .xlsx budget in 元 with merged header cells (openpyxl), one printed A4 page."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算表"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.merge_cells("A1:G1")
    ws["A1"] = f"{p.city}{C.PROGRAMME}资金预算表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:G2")
    ws["A2"] = "金额单位：元"
    ws["A2"].alignment = Alignment(horizontal="right")
    ws.merge_cells("A3:A4"), ws.merge_cells("B3:B4"), ws.merge_cells("C3:C4"), ws.merge_cells("D3:G3")
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "序号", "项目", "合计", "资金来源"
    for col, name in zip("DEFG", ["中央财政补助资金", "省级财政资金", "市级财政资金", "其他资金"]):
        ws[f"{col}4"] = name
    items = [("零工市场建设", 0.45), ("信息化平台建设", 0.30), ("基层服务网点改造", 0.25)]
    amounts = [p.central, p.provincial, p.city_funds, p.other]
    row = 5
    acc = [0, 0, 0, 0]
    for k, (name, share) in enumerate(items):
        vals = [round(a * share) if k < len(items) - 1 else a - s for a, s in zip(amounts, acc)]
        acc = [s + v for s, v in zip(acc, vals)]
        ws.cell(row, 1, k + 1), ws.cell(row, 2, name), ws.cell(row, 3, sum(vals) * 10000)
        for j, v in enumerate(vals):
            ws.cell(row, 4 + j, v * 10000).number_format = "#,##0.00"
        ws.cell(row, 3).number_format = "#,##0.00"
        row += 1
    ws.cell(row, 1, "合计")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.cell(row, 3, p.total * 10000).number_format = "#,##0.00"
    for j, a in enumerate(amounts):
        ws.cell(row, 4 + j, a * 10000).number_format = "#,##0.00"
    thin = Side(style="thin")
    for r in ws.iter_rows(min_row=3, max_row=row, max_col=7):
        for c in r:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, w in zip("ABCDEFG", (6, 22, 18, 18, 16, 16, 12)):
        ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def mail_body(t: dict, f_province: str) -> str:
    return ("财政部社会保障司、人力资源社会保障部就业促进司：\n"
            f"  现报送{f_province}2023年公共就业服务能力提升示范项目申报材料电子版，纸质材料另行寄送，请查收。\n"
            "  联系人及电话见申报文件。\n")


def write_filing(m: Maker, t: dict) -> dict:
    key = t["eml"].rsplit(".", 1)[0]
    t0 = time.perf_counter()
    m.printed, m.texts = [], []
    datas = recipes(m, t)
    assert len(m.printed) == len(datas), (key, "one printed PDF per document", m.printed)
    docs = t["documents"]
    assert len(datas) == len(docs), (key, len(datas), len(docs))
    d = m.out / "docs" / key
    d.mkdir(parents=True, exist_ok=True)
    info = []
    (m.out / "text" / key).mkdir(parents=True, exist_ok=True)
    for doc, data, text in zip(docs, datas, m.texts):
        (d / doc["file"]).write_bytes(data)
        if text is not None:                  # what a perfect reader of the page would read (for OCR CER)
            (m.out / "text" / key / (doc["file"] + ".txt")).write_text("\f".join(text), encoding="utf-8")
        info.append({"file": doc["file"], "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    containers = [x.get("container") for x in docs if x.get("container")]
    if containers:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for doc, data in zip(docs, datas):
                zi = zipfile.ZipInfo(doc["file"], date_time=(2023, 3, 26, 9, 30, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, data)
        attachments = [(containers[0], buf.getvalue())]
        (d / containers[0]).write_bytes(buf.getvalue())
    else:
        attachments = [(doc["file"], data) for doc, data in zip(docs, datas)]
    arrival = datetime.fromisoformat(t["arrival"])
    sent = datetime.fromisoformat(t["date_header"])
    r = m.rng("mail", key)
    subject = f"{t['province']}2023年公共就业服务能力提升示范项目申报材料"
    raw = build_mail(sender=t["from"], sender_name=f"{t['province']}财政厅社保处", to=t["to"], subject=subject,
                     date=sent, arrival=arrival, body=mail_body(t, t["province"]), attachments=attachments,
                     style=r.choice(["rfc2231", "rfc2047"]), charset=r.choice(["utf-8", "gb18030"]),
                     msgid=hashlib.sha1(f"{m.seed}/{key}".encode()).hexdigest()[:24])
    (m.out / "eml").mkdir(parents=True, exist_ok=True)
    (m.out / "eml" / t["eml"]).write_bytes(raw)
    return {"documents": info, "eml_bytes": len(raw), "seconds": round(time.perf_counter() - t0, 1),
            "seals": {doc["file"]: n for doc, n in zip(docs, m.printed)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--seed", type=int, default=2023)
    args = ap.parse_args(argv)
    truth = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))
    m = Maker(args.out, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for t in truth["filings"]:
        key = t["eml"].rsplit(".", 1)[0]
        if args.only and key not in args.only and t["province"] not in args.only:
            continue
        m.manifest[key] = write_filing(m, t)
        print(f"[{time.perf_counter() - t0:6.1f}s] {key}: {len(t['documents'])} documents", flush=True)
    (args.out / "manifest.json").write_text(json.dumps(m.manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    from verify import verify

    problems = verify(args.out, truth, only=args.only)
    for p in problems:
        print("MISMATCH", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
