"""precheck.files.ocr_engine: rendering under a pixel budget, lines with boxes from RapidOCR, reading order of a
ruled table, and an engine that starts and reads with no network at all."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from precheck.files import ocr_engine
from precheck.files.ocr_engine import Line, fit_image, ocr_page, page_text, reading_order, render_pdf_page, render_scale

ROOT = Path(__file__).resolve().parents[2]
FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SANS_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SC = 2                                            # the Simplified Chinese face inside the Noto CJK collections
LINE = "关于申报2023年度公共就业服务能力提升示范项目的请示"


def _font(path=FONT, px=42):
    return ImageFont.truetype(path, px, index=SC)


def line_image(text: str = LINE, px: int = 42) -> Image.Image:
    f = _font(px=px)
    w = int(f.getlength(text)) + 2 * px
    im = Image.new("RGB", (w, px * 3), "white")
    ImageDraw.Draw(im).text((px, px), text, font=f, fill="black")
    return im


TABLE = [["项目内容", "中央财政补助", "合计"],
         ["平台建设", "1,250.00", "2,400.00"],
         ["信息化", "380.50", "760.00"]]


def table_image() -> Image.Image:
    """A 3 x 3 ruled table at about 200 dpi (10.5 pt text), thin 1 px rules."""
    cw, rh, x0, y0 = [330, 330, 300], 80, 60, 60
    im = Image.new("RGB", (x0 * 2 + sum(cw), y0 * 2 + rh * len(TABLE)), "white")
    d = ImageDraw.Draw(im)
    xs = [x0]
    for w in cw:
        xs.append(xs[-1] + w)
    for r in range(len(TABLE) + 1):
        d.line([(xs[0], y0 + r * rh), (xs[-1], y0 + r * rh)], fill="black", width=1)
    for x in xs:
        d.line([(x, y0), (x, y0 + rh * len(TABLE))], fill="black", width=1)
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            f = _font(SANS_BOLD if r == 0 else FONT, 30)
            d.text(((xs[c] + xs[c + 1]) / 2, y0 + r * rh + rh / 2), text, font=f, fill="black", anchor="mm")
    return im


# ---------------------------------------------------------------- pixel budget (pure)

def test_render_scale_caps_dpi_for_a4_and_pixels_for_a_photographed_sheet():
    a4 = (595.28, 841.89)                              # points
    assert render_scale(*a4, max_long_px=10_000, max_dpi=300) == pytest.approx(300 / 72)
    assert round(841.89 * render_scale(*a4, max_long_px=2500)) == 2500
    photo = (3024 / 72 * 72, 4032 / 72 * 72)           # a 3024 x 4032 phone photo saved at 72 dpi: 1067 mm tall
    s = render_scale(*photo, max_long_px=3500, max_dpi=300)
    assert round(photo[1] * s) == 3500 and s < 1.0    # 300 dpi would have been 16 800 px


def test_render_pdf_page_keeps_a_phone_photo_within_the_budget():
    import img2pdf

    im = Image.new("RGB", (3024, 4032), (200, 190, 170))
    buf = io.BytesIO()
    im.save(buf, format="JPEG", dpi=(72, 72))
    pdf = img2pdf.convert(buf.getvalue())
    out = render_pdf_page(pdf, 0, max_long_px=2000)
    assert out.mode == "RGB" and max(out.size) == 2000 and out.size[0] == 1500


def test_fit_image_shrinks_only_what_is_over_budget():
    assert fit_image(Image.new("L", (3024, 4032)), 3500).size == (2625, 3500)
    small = Image.new("L", (800, 600))
    assert fit_image(small, 3500) is small


# ---------------------------------------------------------------- recognition

def test_a_chinese_line_is_read_with_its_box_and_score():
    im = line_image()
    lines = ocr_page(im)
    assert "".join(l.text for l in lines).replace(" ", "") == LINE
    ink = ImageDraw.Draw(im).textbbox((42, 42), LINE, font=_font(px=42))     # where the glyphs really are
    assert len(lines) == 1
    assert all(abs(got - want) <= 12 for got, want in zip(lines[0].box, ink)), (lines[0].box, ink)
    assert len(lines[0].quad) == 4 and all(l.score > 0.9 for l in lines)


def test_short_numbers_stay_upright_and_an_upside_down_page_is_still_read():
    # the direction classifier turns short, nearly symmetric boxes (8000 -> 0008, 9000 -> 0006) and now and then a
    # whole line: an upright page is read without it; a page scanned upside down (low scores without it) with it
    nums = ["8000", "9000", "900", "6000", "0"]
    f = _font(px=40)
    im = Image.new("RGB", (1400, 160), "white")
    for i, t in enumerate(nums):
        ImageDraw.Draw(im).text((60 + 270 * i, 60), t, font=f, fill="black")
    assert [ln.text for ln in ocr_page(im)] == nums
    turned = ocr_page(line_image().rotate(180))
    assert "".join(ln.text for ln in turned).replace(" ", "") == LINE


def test_a_ruled_table_comes_back_row_by_row_and_cell_by_cell():
    lines = ocr_page(table_image())
    rows = page_text(lines).split("\n")
    assert [r.split(" ") for r in rows] == TABLE
    # columns from boxes: every cell of a column shares its centre x within a quarter of the column width
    cols = [[(l.box[0] + l.box[2]) / 2 for l in lines][c::3] for c in range(3)]
    assert all(max(c) - min(c) < 80 for c in cols)


def test_reading_order_puts_a_row_together_whatever_the_detector_order():
    a = Line("乙", (300, 100, 340, 130), 0.99)
    b = Line("甲", (10, 104, 50, 134), 0.99)
    c = Line("丙", (10, 200, 50, 230), 0.99)
    assert [l.text for l in reading_order([c, a, b])] == ["甲", "乙", "丙"]
    assert page_text(reading_order([c, a, b])) == "甲 乙\n丙"


# ---------------------------------------------------------------- no network

CHILD = r"""
import json, socket, sys
attempts = []
def refuse(*a, **k):
    attempts.append(repr(a[:2]))
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from PIL import Image
from precheck.files.ocr_engine import ocr_page
lines = ocr_page(Image.open(sys.argv[1]))
print(json.dumps({"text": "".join(l.text for l in lines), "attempts": attempts}, ensure_ascii=False))
"""


def _netns_works() -> bool:
    exe = shutil.which("unshare")
    if not exe:
        return False
    return subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0


def test_the_engine_starts_and_reads_with_no_network(tmp_path):
    """A fresh interpreter (nothing loaded yet), every socket call refused and counted; inside a new network
    namespace (no interface but a down loopback) where `unshare -n` is allowed, as it is for root here and in CI."""
    img = tmp_path / "line.png"
    line_image().save(img)
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    cmd = [sys.executable, str(script), str(img)]
    isolated = _netns_works()
    if isolated:
        cmd = ["unshare", "-n", *cmd]
    env = dict(os.environ, PYTHONPATH=str(ROOT), HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["text"].replace(" ", "") == LINE
    assert out["attempts"] == []                   # not one connection was even tried
    if os.geteuid() == 0:
        assert isolated                            # as root the namespace must have been used, not just the guard


def test_model_files_are_the_ones_inside_the_wheel():
    paths = ocr_engine.model_paths()
    assert set(paths) == {"det", "cls", "rec"}
    assert all(p.is_file() and p.stat().st_size > 500_000 for p in paths.values())
