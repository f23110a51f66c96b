"""PDF repairs, each on the real file that needs it (qpdf's, pdf.js's, pypdf's test files)."""
from __future__ import annotations

import io

import pytest

from precheck.files.pdf_repair import (LETTER, decrypted_copy, pdf_start, pdfium_pages, renderable, strip_junk,
                                       usable_box, user_unit)

from tests.precheck.realfiles import real


def test_page_tree_loop_pages_come_from_pdfium():
    import pikepdf

    data = real("qpdf__pages-loop.pdf")
    with pytest.raises(pikepdf.PdfError):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            len(pdf.pages)
    [page] = pdfium_pages(data)
    assert page["media"] == LETTER and page["chars"] > 0


def test_attachment_only_encryption_pages_come_from_pdfium():
    pages = pdfium_pages(real("qpdf__enc-XI-R6-attachment.pdf"))
    assert len(pages) == 30 and all(p["media"] == LETTER for p in pages)


def test_empty_user_password_gets_a_copy_pdfium_opens():
    import pypdfium2 as pdfium

    data = real("pypdf__encryption_r6-user-password.pdf")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)
    copy = decrypted_copy(data)
    assert copy is not None and len(pdfium.PdfDocument(copy)) == 1
    assert decrypted_copy(real("pypdf__jpeg.pdf")) is None


def test_zero_mediabox_and_crop_outside_page():
    import pypdfium2 as pdfium

    data = real("pdfjs__boundingBox_invalid.pdf")
    pages = pdfium_pages(data)
    boxes = [usable_box(p["media"], p["crop"]) for p in pages]
    assert boxes[0] == (LETTER, "页面尺寸（MediaBox）为 0，按阅读器默认的 Letter 尺寸计")
    assert boxes[1] == ((0.0, 0.0, 800.0, 600.0), "")
    assert boxes[2] == ((0.0, 0.0, 600.0, 800.0), "裁切框（CropBox）在页面之外，按整页（MediaBox）计")
    pdf = pdfium.PdfDocument(data)
    page = pdf[2]
    assert page.get_size() == (0.0, 0.0)
    assert renderable(page) and page.render(scale=50 / 72).to_pil().size == (417, 556)


def test_leading_junk_is_cut():
    import pypdfium2 as pdfium

    pdf = real("pypdf__jpeg.pdf")
    data = b"X-Gateway: scanned\r\n" * 250 + pdf            # 5 KiB before %PDF-
    assert pdf_start(data) == 5000
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)
    fixed, cut = strip_junk(data)
    assert cut == 5000 and fixed == pdf and len(pdfium.PdfDocument(fixed)) == 1


def test_user_unit():
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(297.64, 420.95))
    pdf.pages[0].obj["/UserUnit"] = 2
    assert user_unit(pdf.pages[0].obj) == 2.0
    pdf.pages[0].obj["/UserUnit"] = pikepdf.Name("/Bad")
    assert user_unit(pdf.pages[0].obj) == 1.0
