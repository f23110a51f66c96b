"""OFD: a real signed invoice (ofdrw's test file) and OFD packages made in code."""
from __future__ import annotations

import io
import zipfile

import pytest

from precheck.files.ofd import read_ofd
from precheck.files.ofd_render import path_points, render_page
from precheck.files.problems import FileProblem, is_clean

from tests.precheck.ofdmaker import make_ofd, scan_png
from tests.precheck.realfiles import real


@pytest.fixture(scope="module")
def invoice():
    return real("ofdrw__999.ofd")


def test_real_invoice_pages_sizes_and_text(invoice):
    doc = read_ofd(invoice)
    assert [(p.w_mm, p.h_mm) for p in doc.pages] == [(210, 140)] + [(210, 297)] * 4
    assert "财天下科技有限公司" in doc.pages[0].text and "壹万零陆佰圆整" in doc.pages[0].text
    assert "*餐饮服务*餐费 100.00 6% 6.00" in doc.pages[1].text            # a row of the goods list, in order
    assert doc.info["custom"]["价税合计"] == "10600.00"
    assert doc.attachments == ["original_invoice"]


def test_real_invoice_signature_is_read_and_verifies(invoice):
    [sig] = read_ofd(invoice).signatures
    assert sig.seal_name == "测试全国统一发票监制章国家税务总局重庆市税务局"
    assert sig.signer == "全国统一发票监制章国家税务总局重庆市税务局"
    assert sig.time == "2020-08-17T11:13:29+00:00" and sig.page == 1 and sig.provider == "KingGrid"
    assert sig.references == 20 and sig.references_ok is True and sig.data_hash_ok is True
    assert sig.signature_ok is True                      # SM2 over TBS_Sign with the signer's key
    assert sig.seal_picture_type == "ofd" and sig.seal_picture[:2] == b"PK"
    assert sig.verdict() == "签名值与证书匹配，签章后内容未被修改（证书链未核验）"


def _rewrite(data: bytes, name: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            blob = src.read(info)
            z.writestr(info.filename, change(blob) if info.filename == name else blob)
    return out.getvalue()


def test_changed_page_breaks_the_signature(invoice):
    forged = _rewrite(invoice, "Doc_0/Pages/Page_0/Content.xml", lambda b: b.replace("10000.00".encode(), b"90000.00"))
    [sig] = read_ofd(forged).signatures
    assert sig.references_ok is False and sig.changed == ["Content.xml"]
    assert sig.signature_ok is True                       # the signature itself is intact; the page is not
    assert sig.verdict().startswith("签章后文件被修改") and "签章无效" in sig.verdict()


def test_changed_signed_list_breaks_the_signature(invoice):
    forged = _rewrite(invoice, "Doc_0/Signs/Sign_0/Signature.xml", lambda b: b.replace(b"20200817111329Z", b"20200818111329Z"))
    [sig] = read_ofd(forged).signatures
    assert sig.data_hash_ok is False and "签章无效" in sig.verdict()


def test_real_invoice_renders_with_its_red_seal(invoice):
    doc = read_ofd(invoice)
    img = render_page(invoice, doc, 0, dpi=50)
    assert img.size == (413, 275)                        # 210 × 140 mm at 50 dpi
    x0, y0 = int(90 / 25.4 * 50), int(8 / 25.4 * 50)      # the StampAnnot box (90, 8, 30 × 20 mm)
    crop = img.crop((x0, y0, x0 + int(30 / 25.4 * 50), y0 + int(20 / 25.4 * 50)))
    px = crop.convert("RGB").tobytes()
    red = sum(1 for i in range(0, len(px), 3) if px[i] > 150 and px[i + 1] < 110 and px[i + 2] < 110)
    assert red > 40


def test_made_ofd_a3_default_box_and_scan():
    data = make_ofd([{"lines": ["关于申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部："]},
                     {"box": (297, 420), "lines": ["附表"]},
                     {"image": scan_png()}], title="请示")
    doc = read_ofd(data)
    assert [(p.w_mm, p.h_mm) for p in doc.pages] == [(210, 297), (297, 420), (210, 297)]
    assert doc.pages[0].text.splitlines()[0] == "关于申报2023年公共就业服务能力提升示范项目的请示"
    assert doc.pages[2].text == "" and doc.pages[2].image_cover == pytest.approx(1.0)
    assert doc.pages[0].image_cover == 0 and doc.info["Title"] == "请示" and doc.signatures == []


def test_made_ofd_seal_path_renders_red_ring():
    data = make_ofd([{"lines": ["盖章页"], "seal": True}])
    doc = read_ofd(data)
    img = render_page(data, doc, 0, dpi=50)
    ring = [(x, y) for y in range(img.height) for x in range(img.width)
            if (lambda p: p[0] > 200 and p[1] < 60)(img.getpixel((x, y)))]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    diameter_mm = (max(xs) - min(xs)) / 50 * 25.4
    assert 34 <= diameter_mm <= 40


def test_arc_flattening_reaches_its_end_point():
    [(pts, closed)] = path_points("M 0 0 A 10 10 0 0 1 20 0 C")
    assert closed and pts[-1] == (0.0, 0.0)
    assert min(y for _x, y in pts) == pytest.approx(-10, abs=0.3)     # half circle above the chord


def test_entity_bomb_is_not_expanded():
    data = make_ofd([{"lines": ["正文"]}], entity_bomb=True)
    doc = read_ofd(data)
    assert len(doc.pages) == 1 and "lolololo" not in doc.pages[0].text


@pytest.mark.parametrize("blob,expect", [
    (b"PK\x03\x04not really", "OFD 文件已损坏"),
    (None, "缺少入口文件 OFD.xml"),
])
def test_broken_ofd_says_why_in_chinese(blob, expect):
    if blob is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("Doc_0/Document.xml", "<x/>")
        blob = out.getvalue()
    with pytest.raises(FileProblem) as ei:
        read_ofd(blob)
    assert expect in ei.value.problem.message and is_clean(ei.value.problem.message)
