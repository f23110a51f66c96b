"""The digest as people get it: the e-mail's HTML in a real Chromium at phone width (400 px), and the xlsx
printed by LibreOffice (A4 landscape, one page wide, header row and page numbers on every page)."""
from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import unicodedata

import openpyxl
import pytest

from tests.demo.helpers import REPO
from tests.web.digest_files import render_digest
from tests.web.seed import OVERRIDE_REASON
from tests.web.test_desk_browser import GREEN, share


@pytest.fixture(scope="module")
def digest(desk):
    return render_digest(desk.data_dir)


def as_a_mail_client_shows_it(digest) -> str:
    """The mail's HTML with its ``cid:`` chart resolved to the inline PNG part, as a mail client does."""
    src = "data:image/png;base64," + base64.b64encode(digest["chart_png"]).decode()
    html = digest["html"]
    assert f'src="cid:{digest["chart_cid"]}"' in html
    return html.replace(f'cid:{digest["chart_cid"]}', src)


def test_digest_email_reads_on_a_400px_phone_problems_first(page, digest, tmp_path):
    page.set_viewport_size({"width": 400, "height": 900})
    page.set_content(as_a_mail_client_shows_it(digest))
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    chart = page.query_selector("img[alt^='申报进度图']")
    assert page.evaluate("i => [i.complete, i.naturalWidth, i.naturalHeight]", chart) == [True, 640, 320]
    box = chart.bounding_box()
    assert 360 <= box["width"] <= 400 and abs(box["height"] - box["width"] / 2) < 2   # scaled to the phone, not cut
    from PIL import Image

    pic = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    assert share(pic, GREEN, tol=10) > 0.03                          # the filed band shows at phone width
    heads = [h.inner_text() for h in page.query_selector_all("h3")]
    i_prob = next(i for i, h in enumerate(heads) if h.startswith("需要关注"))
    i_clean = next(i for i, h in enumerate(heads) if h.startswith("已申报"))
    assert i_prob < i_clean                                          # problem units before the clean ones
    body = page.inner_text("body")
    assert body.index("尚未申报（16个") < body.index("需要关注")         # not filed: one line, near the top
    assert body.count("吉林省") == 1                                   # … and not again as an empty row
    assert "江苏省 已申报（人工认定）" in body and OVERRIDE_REASON in body  # override visible with the status
    png = page.screenshot(full_page=True)
    (tmp_path / "digest-400.png").write_bytes(png)
    if os.environ.get("SHENBAO_SCREENSHOTS") == "docs":
        (REPO / "docs/img/digest-email.png").write_bytes(png)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.width == 400 and share(img, GREEN) > 0.002              # the progress bar is drawn


def test_digest_text_lists_problem_units_first_and_the_override(digest):
    text = digest["text"]
    rows = [line.split("｜")[0] for line in text.splitlines() if "｜" in line]
    assert len(rows) == 16 and "吉林省" not in rows
    assert rows.index("江苏省") < rows.index("北京市")
    assert f"    [人工认定] {OVERRIDE_REASON}" in text


def test_xlsx_prints_on_few_a4_landscape_pages_with_title_and_page_numbers(digest, tmp_path):
    import pypdfium2 as pdfium

    wb = openpyxl.load_workbook(io.BytesIO(digest["xlsx"]))
    js = next(r for r in wb["全部单位"].iter_rows(min_row=3, values_only=True) if r[1] == "江苏省")
    assert js[2] == "已申报（人工认定）" and js[-1] == OVERRIDE_REASON
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (scripts/install.sh) is needed to print the workbook"
    x = tmp_path / "register.xlsx"
    x.write_bytes(digest["xlsx"])
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(x)], check=True, capture_output=True, timeout=120)
    doc = pdfium.PdfDocument(tmp_path / "register.pdf")
    assert len(doc) <= 10                                          # 22 before: cut cells, no fit to width
    texts = [unicodedata.normalize("NFKC", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    for i, t in enumerate(texts):
        w, h = doc[i].get_size()
        assert w > h and abs(w - 841.9) < 2                          # A4 landscape
        assert f"第 {i + 1} 页 / 共 {len(doc)} 页" in t
        assert "序号" in t                                            # the header row on every page
    assert "收件登记表 · 全部单位" in texts[0]
