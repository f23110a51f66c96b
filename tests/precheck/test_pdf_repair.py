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


def big_stream_pdf(decoded_mib: int) -> bytes:
    """One page whose content stream decodes to ``decoded_mib`` MiB of line segments (compressed ~0.25 %)."""
    import zlib

    unit = b"0 0 m 100 100 l S\n" * 4096
    c = zlib.compressobj(1)
    parts = [c.compress(unit) for _ in range((decoded_mib << 20) // len(unit))] + [c.flush()]
    stream = b"".join(parts)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offs = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, o in enumerate(objs, 1):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    x = out.tell()
    out.write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offs))
    out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % x)
    return out.getvalue()


def test_heavy_content_stream_is_measured_without_expanding_it():
    import resource
    import time

    from precheck.files.pdf_budget import PAGE_CONTENT_CAP, heavy_pages

    data = big_stream_pdf(40)
    assert len(data) < 1 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    assert heavy_pages(data, [0], cap=4 << 20) == {0: (4 << 20) + 1}
    assert heavy_pages(data, [0]) == {0: PAGE_CONTENT_CAP + 1}
    assert time.monotonic() - t0 < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 40 * 1024     # KiB: below the 40 MiB
    assert heavy_pages(real("pypdf__jpeg.pdf"), [0]) == {}
