"""The readers on made inputs: scan detection from content, photographed sheets, seals by ring and colour, ruled
tables, the warm OCR worker (timeout, recycling, memory cap), and evidence that combines."""
from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw

from demo.samples.seal import stamp
from precheck.reading.grid import ruled_cells
from precheck.reading.page import PageText
from precheck.reading.seals import colour_mode, find_seals, seal_verdict
from precheck.reading.survey import survey_pdf
from precheck.reading.tables import tables
from tests.checks import builders as b


@pytest.fixture(scope="module")
def call():
    from config.call import load_call

    return load_call("2023")


def _rl_pdf(draw) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.276, 841.89))
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _scan_jpeg(lines=("关于推荐青岛市申报示范项目的请示",)):
    img = b.page_image(list(lines), dpi=100, noise=False)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_scan_detection_from_what_is_drawn():
    from reportlab.lib.utils import ImageReader

    jpg = ImageReader(io.BytesIO(_scan_jpeg()))

    def image_only(c):
        c.drawImage(jpg, 0, 0, 595.276, 841.89)

    def with_invisible_layer(c):            # a 双层PDF: the page image and an OCR layer in render mode 3
        c.drawImage(jpg, 0, 0, 595.276, 841.89)
        t = c.beginText(60, 780)
        t.setTextRenderMode(3)
        t.setFont("STSong-Light", 14)
        t.textLine("关于推荐青岛市申报示范项目的请示")
        c.drawText(t)

    def with_header_stamp(c):               # a scanner writing its stamp as real text over the image
        c.drawImage(jpg, 0, 0, 595.276, 841.89)
        c.setFont("STSong-Light", 7)
        c.drawString(20, 830, "2023-03-20 09:14 扫描")

    def text_only(c):
        c.setFont("STSong-Light", 14)
        c.drawString(60, 780, "关于推荐青岛市申报示范项目的请示")

    layers = [survey_pdf(_rl_pdf(f))[0]["layer"] for f in (image_only, with_invisible_layer, with_header_stamp,
                                                            text_only)]
    assert layers == ["image", "image+text", "image+text", "text"]
    s = survey_pdf(_rl_pdf(with_invisible_layer))[0]
    assert s["hidden_chars"] >= 10 and s["chars"] == 0 and s["cover"] == 1.0


def test_images_inside_scaled_forms_are_measured_on_the_page():
    # a born-digital letter whose two electronic seals are images inside form XObjects drawn at a quarter of their
    # size (as Chromium prints them): in the form's own space each image is half the page
    from reportlab.lib.utils import ImageReader

    seal = ImageReader(io.BytesIO(_scan_jpeg(("章",))))

    def letter(c):
        c.beginForm("seal")
        c.drawImage(seal, 0, 0, 500, 500)
        c.endForm()
        for x in (100, 350):
            c.saveState()
            c.translate(x, 150)
            c.scale(0.24, 0.24)
            c.doForm("seal")
            c.restoreState()
        c.setFont("STSong-Light", 14)
        for i in range(12):
            c.drawString(60, 780 - 24 * i, "关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示")

    s = survey_pdf(_rl_pdf(letter))[0]
    assert s["layer"] == "text" and s["cover"] < 0.1


def test_an_unused_font_resource_does_not_make_a_scan_electronic():
    import pikepdf

    data = b.scanned_pdf([b.page_image(["请示"], dpi=100, noise=False)], dpi=100)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.pages[0].obj.Resources.Font = pikepdf.Dictionary(F1=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
        out = io.BytesIO()
        pdf.save(out)
    assert survey_pdf(out.getvalue())[0]["layer"] == "image"


async def test_a_phone_photo_at_72_dpi_counts_as_the_sheet_it_shows(call):
    from precheck.analysis import analyse_attachments
    from precheck.parse import AttachmentPart

    photo = Image.new("RGB", (3024, 4032), (120, 90, 60))
    ImageDraw.Draw(photo).rectangle((200, 250, 2800, 3800), fill=(240, 238, 230))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=70, dpi=(72, 72))
    import img2pdf

    pdf = img2pdf.convert(buf.getvalue(), layout_fun=img2pdf.get_fixed_dpi_layout_fun((72, 72)))
    res = await analyse_attachments([AttachmentPart("照片.pdf", "application/pdf", pdf, "x")], call=call)
    d = res.documents[0]
    assert d.page_detail["pages"][0][3] == "照片" and d.pages == 1        # not 14 A4 pages
    assert d.analysis["layer"] == "photo" and d.analysis["is_scan"] is True


def _page(seal=False, logo=False, gray=False):
    img = Image.new("RGB", (827, 1169), (250, 248, 242))                # A4 at 100 dpi
    d = ImageDraw.Draw(img)
    d.text((80, 60), "山东省财政厅", fill=(210, 30, 30))
    d.line((60, 120, 767, 120), fill=(210, 30, 30), width=4)             # a red rule: long and thin
    if seal:
        stamp(img, "山东省财政厅", (560, 800), int(42 / 25.4 * 100), random.Random(3))
    if logo:
        d.ellipse((100, 800, 260, 960), fill=(200, 20, 30))              # a filled red disc: not a seal
    return img.convert("L").convert("RGB") if gray else img


def test_seals_by_size_ring_and_colour():
    k = 827 / 210
    found = find_seals(_page(seal=True), k)
    assert len(found) == 1 and 38 <= found[0]["d_mm"] <= 46 and found[0]["ring"] >= 0.55
    assert find_seals(_page(logo=True), k) == [] and find_seals(_page(), k) == []
    assert colour_mode(_page(seal=True)) == "color" and colour_mode(_page(seal=True, gray=True)) == "gray"
    mm = (210.0, 297.0)
    assert seal_verdict([(0, _page(seal=True), mm, False, "image")])["found"] is True
    assert seal_verdict([(0, _page(), mm, False, "image")])["found"] is False
    v = seal_verdict([(0, _page(seal=True, gray=True), mm, False, "image")])
    assert v["found"] is None and v["reason"] == "扫描件为黑白/灰度，无法判断红章"
    # a born-digital page shows colour whatever its pixels: black text only is "no seal", not "undecidable"
    assert seal_verdict([(0, _page(gray=True), mm, False, "text")])["found"] is False


def test_a_ruled_table_with_merged_header_cells():
    from precheck.files.ocr_engine import Line
    from precheck.reading.subsidy import read_subsidy

    img = Image.new("RGB", (1600, 700), "white")
    d = ImageDraw.Draw(img)
    xs, ys = [100, 300, 700, 1000, 1300, 1500], [100, 200, 300, 400, 500, 600]
    for y in ys:
        d.line((xs[0], y, xs[-1], y), fill="black", width=3)
    for i, x in enumerate(xs):
        d.line((x, ys[0] if i in (0, 1, 2, 5) else ys[1], x, ys[-1]), fill="black", width=3)
    d.line((xs[2], ys[0], xs[2], ys[-1]), fill="black", width=3)
    cells = ruled_cells(img)
    texts = {(150, 150): "序号", (450, 150): "项目", (1100, 150): "资金来源（万元）", (850, 250): "中央财政补助",
             (1150, 250): "省级", (1400, 250): "市级", (450, 350): "零工市场", (850, 350): "5,000.00",
             (450, 450): "信息平台", (850, 450): "4,800.00", (200, 550): "合计", (850, 550): "9,800.00"}
    lines = [Line(t, (x - 40, y - 15, x + 40, y + 15), 0.99, ((x - 40, y - 15), (x + 40, y - 15), (x + 40, y + 15),
                                                             (x - 40, y + 15))) for (x, y), t in texts.items()]
    page = PageText(0, 1600, 700, lines, cells, "ocr", 0.99)
    [t] = tables(page)
    assert (t.rows, t.cols) == (5, 5)
    head = t.at(0, 2)
    assert head.text == "资金来源（万元）" and (head.c0, head.c1) == (2, 5)        # merged over three columns
    s = read_subsidy([page])
    assert s["wan_yuan"] == 9800 and s["method"] == "table_total_checked" and s["unit_from"] == "header"


@pytest.mark.slow
def test_warm_worker_times_out_recycles_and_respects_its_cap():
    from precheck.ocr_worker import OcrWorker

    data = b.scanned_pdf([b.page_image(["关于推荐青岛市申报示范项目的请示"], dpi=150, noise=False)], dpi=150)
    w = OcrWorker(recycle_rss_mib=1)                 # every job's peak is above 1 MiB: recycled after each
    try:
        r = w.read(data, "pdf", [0], timeout=120)
        assert r.ok and r.pages[0]["lines"] and r.peak_rss_mib > 100 and not w.alive()
        r = w.read(data, "pdf", [0], timeout=0.05)    # too short: the worker is killed, the job fails
        assert not r.ok and r.error == "timeout" and not w.alive()
        r = w.read(data, "pdf", [0], timeout=120)
        assert r.ok and w.starts == 3
    finally:
        w.stop()
    small = OcrWorker(mem_bytes=600 << 20)             # the engine cannot run under 600 MiB of address space
    try:
        r = small.read(data, "pdf", [0], timeout=120)
        assert not r.ok and r.error in ("memory", "crash", "exception")
    finally:
        small.stop()


def test_stored_colour_of_the_page_image_decides_whether_red_can_show():
    import img2pdf

    def pdf_of(mode):
        img = _page(seal=True).convert(mode)
        buf = io.BytesIO()
        img.save(buf, "PNG" if mode == "1" else "JPEG", dpi=(100, 100))
        return img2pdf.convert(buf.getvalue())

    assert [survey_pdf(pdf_of(m))[0]["colour"] for m in ("RGB", "L", "1")] == ["color", "gray", "bw"]
    mm = (210.0, 297.0)
    # an RGB page image showing only black and white is still a colour scan: no red seal is "no seal"
    plain = _page(gray=True)
    assert seal_verdict([(0, plain, mm, False, "image", "color")])["found"] is False
    assert seal_verdict([(0, plain, mm, False, "image", "gray")])["found"] is None
