"""The web desk in a real headless Chromium: login by one-time link, the register with filters and
counts, a province page, the unidentified queue, the printable A4 register, the chart; screenshots are
checked for content (size, the chart's colours) and kept under docs/img with SHENBAO_SCREENSHOTS=docs."""
from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from tests.demo.helpers import REPO
from tests.web.seed import OVERRIDE_REASON

GREEN = (0x1a, 0x7f, 0x37)


def shot(page, name: str, tmp_path: Path, **kw) -> Image.Image:
    png = page.screenshot(**kw)
    (tmp_path / f"{name}.png").write_bytes(png)
    if os.environ.get("SHENBAO_SCREENSHOTS") == "docs":
        (REPO / "docs" / "img" / f"{name}.png").write_bytes(png)
    return Image.open(io.BytesIO(png)).convert("RGB")


def share(img: Image.Image, rgb: tuple[int, int, int], tol: int = 40) -> float:
    """Fraction of pixels close to ``rgb`` (the chart's filed colour at 85 % opacity stays within tol)."""
    small = img.resize((img.width // 4, img.height // 4))
    px = list(small.get_flattened_data()) if hasattr(small, "get_flattened_data") else list(small.getdata())
    near = sum(1 for p in px if all(abs(a - b) <= tol for a, b in zip(p, rgb)))
    return near / len(px)


def login(page, desk) -> None:
    page.goto(desk.link())
    assert page.url.rstrip("/") == desk.url, page.url


def test_pages_need_a_login_and_a_link_works_once(page, desk):
    r = page.goto(desk.url + "/")
    assert r.status == 401 and "请先登录" in page.inner_text("main") and "/web" in page.inner_text("main")
    link = desk.link("once")
    r = page.goto(link)
    assert r.status == 200 and page.url.rstrip("/") == desk.url and "收件登记" in page.inner_text("h1")
    again = page.request.get(link, max_redirects=0)
    assert again.status == 403 and "已经使用过" in again.text()
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    bad = page.request.get(forged, max_redirects=0)
    assert bad.status == 403 and "无效" in bad.text()
    assert "HttpOnly" in (page.request.get(desk.link(), max_redirects=0).headers.get("set-cookie") or "")


def test_register_with_counts_filters_override_and_chart(page, desk, tmp_path):
    login(page, desk)
    counts = {}
    for a in page.query_selector_all(".counts a"):
        label, n = a.evaluate("e => [e.firstChild.textContent.trim(), e.querySelector('b').textContent]")
        counts[label] = int(n)
    rows = page.query_selector_all("#register tbody tr")
    assert len(rows) == 32 == counts["全部"]
    assert counts["已申报"] == 16 and counts["未申报"] == 16 and counts["未识别来信"] == 2
    js = next(r for r in rows if "江苏省" in r.inner_text())
    assert "已申报（人工认定）" in js.inner_text()               # the override is visible next to 截止后到达
    assert "截止后到达" in js.inner_text()
    img = shot(page, "web-register", tmp_path, full_page=True)
    assert img.width == 1280 and img.height > 1500
    assert share(img, GREEN) > 0.01                               # the chart's filed area and the status text
    page.goto(desk.url + "/?status=not_filed")
    assert len(page.query_selector_all("#register tbody tr")) == counts["未申报"]
    assert all("未申报" in r.inner_text() for r in page.query_selector_all("#register tbody tr"))
    page.goto(desk.url + "/?problems=1")
    probs = page.query_selector_all("#register tbody tr")
    assert len(probs) == counts["有错误/待复核"] and all(("错误" in r.inner_text() or "待复核" in r.inner_text())
                                                        for r in probs)
    page.goto(desk.url + "/?q=" + quote("甘肃"))
    assert [r.inner_text().split()[1] for r in page.query_selector_all("#register tbody tr")] == ["甘肃省"]
    svg = page.request.get(desk.url + "/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "已申报 16" in svg.text()


def test_province_page_arrivals_documents_findings_timeline(page, desk, tmp_path):
    login(page, desk)
    page.goto(desk.url + "/province/" + quote("江苏省"))
    assert "人工认定" in page.inner_text("#status") and OVERRIDE_REASON in page.inner_text("#override")
    arrivals = page.inner_text("#arrivals")
    assert "2023-03-27 00:01:00" in arrivals and "2023-03-27 00:01:05" in arrivals and "截止后" in arrivals
    findings = page.inner_text("#findings")
    assert "截止后到达" in findings and "late_arrival" in findings and "二（三）" in findings
    timeline = page.inner_text("#timeline")
    assert "人工认定状态" in timeline and OVERRIDE_REASON in timeline and "R0000" in timeline
    shot(page, "web-province", tmp_path, full_page=True)
    r = page.goto(desk.url + "/province/Guangdong")                  # pinyin → 广东省 (redirect)
    assert r.status == 200 and page.inner_text("h1") == "广东省"
    docs = page.inner_text("#documents")
    lines = [line.split("\t") for line in docs.splitlines()[1:]]
    assert {x[2] for x in lines} == {"申报文件", "实施方案", "资金预算表", "绩效目标表", "佐证材料"}
    assert all(x[3] == "2" and x[4] == "S000012" for x in lines)   # the 深圳 resubmission is the current version
    assert "现行材料合计 10 个A4页" in page.inner_text("main")
    assert page.goto(desk.url + "/province/" + quote("广冬省")).status == 404
    assert "广东省" in page.inner_text("main")                          # did you mean


def test_unidentified_queue(page, desk):
    login(page, desk)
    page.goto(desk.url + "/unidentified")
    rows = page.query_selector_all("#unidentified tbody tr")
    assert len(rows) == 2
    text = page.inner_text("#unidentified")
    assert "zhangwei1987@example.com" in text and "li.lei@example.org" in text and "否（截止后）" in text


def test_printable_register_is_a4_landscape_with_title_numbers_and_repeated_header(page, desk, tmp_path):
    import pypdfium2 as pdfium

    login(page, desk)
    page.goto(desk.url + "/print")
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "register.pdf").write_bytes(pdf)
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) >= 2
    texts = [unicodedata.normalize("NFKC", doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
    for i in range(len(doc)):
        w, h = doc[i].get_size()
        assert abs(w - 841.9) < 2 and abs(h - 595.3) < 2            # A4 landscape, in points
        assert f"第 {i + 1} 页 / 共 {len(doc)} 页" in texts[i]
        assert "序号" in texts[i] and "首次按时到达" in texts[i]        # the header row repeats on every page
    assert "收件登记表" in texts[0] and "新疆生产建设兵团" in texts[-1]
    flat = "".join(texts).replace("\r", "").replace("\n", "")           # cells wrap inside the table
    assert "人工认定" in flat and unicodedata.normalize("NFKC", OVERRIDE_REASON) in flat


def test_register_reads_on_a_400px_phone(page, desk, tmp_path):
    login(page, desk)
    page.set_viewport_size({"width": 400, "height": 860})
    page.goto(desk.url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width                                        # no sideways scrolling of the page
    img = shot(page, "web-register-400px", tmp_path)
    assert img.width == 400 and share(img, GREEN) > 0.005
    assert page.is_visible("text=江苏省") or page.is_visible("#register")
