"""The generated documents are real PDFs/xlsx/docx with the intended geometry, visible text and red seals."""
from __future__ import annotations

import io
import subprocess
import zipfile
from xml.etree import ElementTree

import openpyxl
import pdfplumber
import pikepdf
import pytest

from demo.samples import documents as docs
from demo.samples import office, reports, textpdf
from demo.samples.applicant import applicant
from samples_helpers import dark_fraction, red_pixels, render

A4 = (595.28, 841.89)
A3_LANDSCAPE = (1190.55, 841.89)


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [(round(float(p.mediabox[2] - p.mediabox[0]), 2), round(float(p.mediabox[3] - p.mediabox[1]), 2))
                for p in doc.pages]


def near(a, b, tol=0.5) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


@pytest.fixture(scope="module")
def gd(call):
    return applicant(call, "广东省", ("韶关市",))


def test_cover_letter_is_a_scanned_a4_pdf_with_two_red_seals_on_its_last_page(gd):
    f = docs.cover_letter(gd)
    assert f.kind == "cover_letter" and f.filename.endswith("请示.pdf")
    assert "广东省财政厅" in f.filename and "广东省人力资源和社会保障厅" in f.filename
    page_sizes = sizes(f.data)
    assert len(page_sizes) == f.pages == 2
    assert all(near(s, A4) for s in page_sizes)
    last = render(f.data, f.pages - 1)
    first = render(f.data, 0)
    assert dark_fraction(first) > 0.01          # text is there
    assert red_pixels(last) > 700               # two seals (42 mm each) in red ink
    # The seals sit below the body text, where the two departments sign.
    lower = last.crop((0, last.height // 3, last.width, last.height))
    assert red_pixels(lower) >= 0.95 * red_pixels(last)


def test_scanned_pages_carry_images_and_no_text_layer(gd):
    f = docs.plan(gd, "韶关市", 2)
    with pikepdf.open(io.BytesIO(f.data)) as doc:
        for page in doc.pages:
            images = list(page.get_images().values())
            assert len(images) == 1 and images[0].Filter == "/DCTDecode"
    with pdfplumber.open(io.BytesIO(f.data)) as pdf:
        assert all(not (p.extract_text() or "").strip() for p in pdf.pages)


def test_unsealed_and_single_unit_variants(gd):
    unsealed = docs.cover_letter(gd, seal=False)
    assert red_pixels(render(unsealed.data, unsealed.pages - 1)) < 50
    single = docs.cover_letter(gd, joint=False)
    assert "人力资源" not in single.filename
    assert 300 < red_pixels(render(single.data, single.pages - 1)) < red_pixels(
        render(docs.cover_letter(gd).data, 1))


@pytest.mark.parametrize("n", [1, 4, 10])
def test_plan_has_exactly_the_requested_pages_all_with_text(gd, n):
    f = docs.plan(gd, "韶关市", n)
    assert f.pages == n == len(sizes(f.data))
    for i in range(n):
        assert dark_fraction(render(f.data, i, 30)) > 0.01, f"page {i + 1} is blank"


def test_a_scanned_blank_sheet_counts_as_blank(gd):
    """Negative control for the 'text is rendered' measure: paper grain, skew and shadow are not ink."""
    from demo.samples.page import Page
    from demo.samples.scan import scanned_pdf

    blank = scanned_pdf([Page()], gd.rng("blank"))
    assert dark_fraction(render(blank, 0, 30)) < 0.001


def test_a3_budget_pages_are_landscape_a3_and_count_double(gd):
    f = docs.budget(gd, "韶关市", a3_pages=3)
    page_sizes = sizes(f.data)
    assert len(page_sizes) == 3 and all(near(s, A3_LANDSCAPE) for s in page_sizes)
    assert f.a4_pages == 6
    for i in range(3):
        assert dark_fraction(render(f.data, i, 25)) > 0.01


def test_rotated_page_option_sets_rotate(gd):
    f = docs.plan(gd, "韶关市", 2, rotate={1: 90})
    with pikepdf.open(io.BytesIO(f.data)) as doc:
        assert [int(p.obj.get("/Rotate", 0)) for p in doc.pages] == [0, 90]


def test_cover_letter_title_is_legible_to_ocr(gd, tmp_path):
    """OCR (tesseract chi_sim) reads the rendered title: the scan is realistic, not noise."""
    f = docs.cover_letter(gd)
    img = render(f.data, 0, 200)
    title = img.crop((0, int(img.height * 0.20), img.width, int(img.height * 0.36)))
    path = tmp_path / "title.png"
    title.save(path)
    out = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "6"], capture_output=True,
                         text=True, timeout=60, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    text = "".join(out.stdout.split())
    assert "请示" in text and ("示范项目" in text or "公共就业" in text), text


def test_performance_targets_and_evidence_and_prior_report(call, gd):
    perf = docs.performance_targets(gd, "韶关市")
    assert perf.pages == 1 and near(sizes(perf.data)[0], A4)
    gs = applicant(call, "甘肃省", ("天水市",))
    ev = reports.evidence(gs, 4)
    assert ev.pages == 4 and red_pixels(render(ev.data, 0)) > 300  # 省政府办公厅 seal on the consent letter
    pr = reports.prior_report(gs, "天水市")
    assert pr.kind == "prior_report" and "2022年" in pr.filename and pr.pages == 2


def test_text_layer_cover_letter_is_readable_without_ocr(gd):
    f = textpdf.cover_letter_text(gd)
    with pdfplumber.open(io.BytesIO(f.data)) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages).replace("\n", "")
        assert not any(p.images for p in pdf.pages)
    assert "广东省财政厅" in text and "广东省人力资源和社会保障厅" in text and "韶关市" in text
    assert all(near(s, A4) for s in sizes(f.data))


def test_xlsx_budget_states_the_central_subsidy_in_wan_yuan(call):
    a = applicant(call, "山东省", ("青岛市", "济南市"), subsidy_wan={"青岛市": 6000.0, "济南市": 4500.0})
    f = office.budget_xlsx(a, "济南市")
    ws = openpyxl.load_workbook(io.BytesIO(f.data)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]
    col = header.index("中央财政补助资金")
    total = next(r for r in rows if r[1] == "合计")
    assert total[col] == 4500.0
    assert sum(r[col] for r in rows[3:] if r[1] != "合计") == pytest.approx(4500.0)
    assert "单位：万元" in rows[1]


def test_docx_is_a_valid_wordprocessingml_package(call):
    f = office.evidence_docx(applicant(call, "山东省", ("青岛市", "济南市")))
    with zipfile.ZipFile(io.BytesIO(f.data)) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(z.namelist())
        root = ElementTree.fromstring(z.read("word/document.xml"))
    text = "".join(t.text or "" for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert "佐证材料" in text and "青岛市" in text


def test_generation_is_deterministic(gd):
    assert docs.performance_targets(gd, "韶关市").data == docs.performance_targets(gd, "韶关市").data
