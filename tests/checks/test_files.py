"""File analysis in sandboxed children: geometry, scans, seals, office files, archives and bad inputs."""
from __future__ import annotations

import time

import pytest

from precheck.analysis import analyse_attachments
from precheck.files.geometry import a4_equivalents, size_label
from precheck.files.links import large_attachment_links
from precheck.files.unpack import safe_name
from precheck.parse import AttachmentPart
from . import builders as b


def att(name: str, data: bytes, ctype: str = "application/octet-stream") -> AttachmentPart:
    return AttachmentPart(name, ctype, data, "")


async def one(call, name, data, **kw):
    res = await analyse_attachments([att(name, data)], call=call, **kw)
    return res.documents


def codes(doc) -> list[str]:
    return [f.code for f in doc.findings]


def test_a4_equivalents_policy_4():
    assert a4_equivalents(210, 297, 0.12) == 1
    assert a4_equivalents(297, 210, 0.12) == 1          # landscape A4
    assert a4_equivalents(216, 279, 0.12) == 1          # Letter: a scanner size within tolerance
    assert a4_equivalents(297, 420, 0.12) == 2          # A3
    assert a4_equivalents(148, 210, 0.12) == 1          # A5 still one page
    assert size_label(297, 420, 0.12) == "A3" and size_label(216, 279, 0.12) == "A4"


async def test_plan_with_a3_rotated_and_cropped_pages(call):
    pages = [["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想"]] + [["正文"]] * 9
    sizes = [b.A4] * 9 + [b.A3]
    # page 3 rotated 90°; page 5 an A3 MediaBox cropped to A4 (counts 1)
    data = b.text_pdf(pages, sizes=[*sizes[:4], b.A3, *sizes[5:]], rotate={2: 90},
                      cropbox={4: (0, 0, 595.276, 841.89)})
    [d] = await one(call, "实施方案.pdf", data)
    assert d.kind == "plan" and d.kind_source == "title"
    assert d.pages == 11
    assert d.page_detail["arithmetic"] == "9 页 A4 + 1 页 A3 = 11 页"
    assert d.page_detail["non_a4_pages"] == [10]
    assert d.page_detail["pages"][2][2] == 90 and d.page_detail["pages"][2][3] == "A4"
    assert d.analysis["is_scan"] is False and d.analysis["ocr"]["status"] == "not_needed"


async def test_scanned_cover_letter_with_seal(call):
    img = b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部："],
                       seal=True, red_header="山东省财政厅 山东省人力资源和社会保障厅 文件")
    [d] = await one(call, "山东省请示.pdf", b.scanned_pdf([img]))
    assert d.kind == "cover_letter" and d.pages == 1
    a = d.analysis
    assert a["is_scan"] is True and a["scan_pages"] == 1 and a["text_pages"] == 0
    assert a["seal"]["found"] is True and 35 <= a["seal"]["d_mm"] <= 50
    assert a["ocr"]["status"] == "pending"


async def test_red_header_alone_is_not_a_seal(call):
    img = b.page_image(["关于申报的请示", "正文"], seal=False, red_header="山东省财政厅 山东省人力资源和社会保障厅 文件")
    [d] = await one(call, "请示.pdf", b.scanned_pdf([img]))
    assert d.analysis["seal"]["found"] is False


async def test_multipage_tiff_counts_one_per_frame(call):
    frames = [b.page_image([f"佐证材料 第{i}页"], noise=False, dpi=72) for i in range(3)]
    [d] = await one(call, "佐证材料.tif", b.multipage_tiff(frames, dpi=72))
    assert d.pages == 3 and d.kind == "evidence"
    assert d.page_detail["non_a4_count"] == 0


async def test_xlsx_budget_via_libreoffice_and_cells(call):
    [d] = await one(call, "资金预算表.xlsx", b.budget_xlsx(central=12000, total=15000))
    assert d.kind == "budget" and d.pages == 1
    assert d.analysis["subsidy"]["wan_yuan"] == 12000
    assert d.analysis["period"]["years"] == 2
    assert d.analysis["converted"] == "LibreOffice → PDF"


async def test_docx_plan_converted_and_counted(call):
    paras = ["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想", "项目实施期限：3年"] + ["内容"] * 10
    [d] = await one(call, "方案.docx", b.docx(paras))
    assert d.kind == "plan" and d.pages >= 1
    assert d.analysis["period"]["years"] == 3


async def test_encrypted_truncated_cycle_html(call):
    good = b.text_pdf([["实施方案"]] * 3)
    docs = (await analyse_attachments([att("加密.pdf", b.encrypted_pdf(good)), att("截断.pdf", good[: len(good) // 2]),
                                       att("循环.pdf", b.cycle_pdf()), att("网页.pdf", b.HTML_AS_PDF)],
                                      call=call)).documents
    enc, trunc, cyc, html = docs
    assert codes(enc) == ["encrypted_attachment"] and "已加密" in enc.findings[0].message
    assert enc.findings[0].figures["reason"] == "PDF 已加密（需要密码），无法读取"
    # a loop whose pages pdfium cannot load either (qpdf's real pages-loop.pdf is counted: tests/precheck)
    assert codes(cyc) == ["unreadable_attachment"] and cyc.pages is None
    assert cyc.findings[0].figures["reason"] == "PDF 页面树存在循环引用（文件结构异常）"
    assert "HTML" in html.findings[0].message and html.findings[0].figures["filename"] == "网页.pdf"
    # qpdf may repair a truncated file; either it is counted or it is reported, never a crash
    assert trunc.pages is not None or codes(trunc) == ["unreadable_attachment"]


async def test_flate_bomb_is_contained(call):
    t0 = time.monotonic()
    [d] = await one(call, "炸弹.pdf", b.flate_bomb_pdf(1500), timeout=20)
    assert time.monotonic() - t0 < 45
    # the page's content is measured before pdfium loads it (pdf_budget): counted, not read, and said so
    assert codes(d) == ["unreadable_attachment"]
    assert d.pages == 1
    assert "内容过大" in d.findings[0].figures["reason"] and d.analysis["child_rss_mib"] < 300


async def test_five_thousand_pages_counted_within_limits(call):
    t0 = time.monotonic()
    [d] = await one(call, "5000.pdf", b.many_pages_pdf(5000))
    assert d.pages == 5000 and d.page_detail["arithmetic"] == "5000 页 A4 = 5000 页"
    assert time.monotonic() - t0 < 30


async def test_zip_gbk_names_nested_and_traversal(call):
    inner = b.zip_utf8({"../../etc/实施方案.pdf": b.text_pdf([["实施方案"]])})
    outer = b.zip_gbk({"山东省/资金预算表.pdf": b.text_pdf([["资金预算表", "中央财政补助 9000 万元"]]),
                       "附件.zip": inner})
    docs = (await analyse_attachments([att("申报材料.zip", outer, "application/zip")], call=call)).documents
    names = [(d.filename, d.member_path, d.parent) for d in docs]
    assert names[0] == ("申报材料.zip", None, None) and docs[0].analysis["container"] is True
    budget = next(d for d in docs if d.filename == "资金预算表.pdf")
    assert budget.member_path == "山东省/资金预算表.pdf" and budget.parent == 0 and budget.kind == "budget"
    plan = next(d for d in docs if d.filename == "实施方案.pdf")
    assert plan.member_path == "etc/实施方案.pdf" and docs[plan.parent].filename == "附件.zip"
    assert safe_name("C:\\..\\x/../y.pdf", 0) == "x/y.pdf"


async def test_zip_bomb_becomes_a_finding(call):
    t0 = time.monotonic()
    docs = (await analyse_attachments([att("bomb.zip", b.zip_bomb(600))], call=call)).documents
    assert len(docs) == 1 and codes(docs[0]) == ["unreadable_attachment"]
    assert "上限" in docs[0].findings[0].message
    assert time.monotonic() - t0 < 30


async def test_7z_and_forwarded_message(call):
    import io

    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as z:
        z.writestr(b.text_pdf([["绩效目标表", "产出指标", "效益指标", "满意度指标"]]), "绩效目标表.pdf")
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "a@example.cn", "sbsjyc@163.com", "转发"
    m.set_content("见附件")
    m.add_attachment(b.text_pdf([["佐证材料"]]), maintype="application", subtype="pdf", filename="佐证材料.pdf")
    docs = (await analyse_attachments([att("目标.7z", buf.getvalue()), att("fw.eml", m.as_bytes(), "message/rfc822")],
                                      call=call)).documents
    kinds = {d.filename: d.kind for d in docs}
    assert kinds["绩效目标表.pdf"] == "performance_targets" and kinds["佐证材料.pdf"] == "evidence"


def test_large_attachment_links():
    links = large_attachment_links(b.LARGE_ATTACHMENT_HTML)
    assert links == [{"filename": "山东省申报材料.zip", "size": "256.3M", "expiry": "2023年4月10日18:20到期",
                      "href": "https://mail.163.com/large-attachment-download/index.html?p=X66&file=abc"}]
    assert large_attachment_links("<p>普通正文</p>") == []


async def test_link_only_finding(call):
    res = await analyse_attachments([], html_body=b.LARGE_ATTACHMENT_HTML, call=call)
    [f] = res.findings
    assert f.code == "link_only_attachment" and f.figures["links"][0]["size"] == "256.3M"
    assert f.section == "二（三）"


async def test_rar_members_are_read(call):
    rar = b.rar4_stored({"budget/yusuan.pdf": b.text_pdf([["资金预算表", "中央财政补助 9000 万元"]])})
    docs = (await analyse_attachments([att("材料.rar", rar)], call=call)).documents
    assert docs[0].analysis["fmt"] == "rar" and docs[0].analysis["members"] == 1
    assert docs[1].member_path == "budget/yusuan.pdf" and docs[1].kind == "budget"
    assert docs[1].analysis["subsidy"]["wan_yuan"] == 9000


async def test_pipeline_adapter_shape(call):
    from email.message import EmailMessage

    from precheck.analysis import analyse_for_pipeline
    from precheck.parse import parse_mail

    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "czt@sd.gov.cn", "sbsjyc@163.com", "山东省申报材料"
    m.set_content("见附件")
    m.add_alternative(b.LARGE_ATTACHMENT_HTML, subtype="html")
    m.add_attachment(b.zip_utf8({"实施方案.pdf": b.text_pdf([["实施方案"]])}), maintype="application",
                     subtype="zip", filename="材料.zip")
    items, sub_findings = await analyse_for_pipeline(parse_mail(m.as_bytes()), call)
    assert [i["filename"] for i in items] == ["材料.zip", "实施方案.pdf"]
    assert items[1]["parent"] == 0 and items[1]["kind"] == "plan" and items[1]["pages"] == 1
    assert items[1]["analysis"]["member_path"] == "实施方案.pdf" and isinstance(items[1]["data"], bytes)
    assert [f.code for f in sub_findings] == ["link_only_attachment"]


async def test_budget_table_read_with_pdfplumber(call):
    [d] = await one(call, "附件3.pdf", b.budget_table_pdf("9,500"))
    assert d.kind == "budget"
    s = d.analysis["subsidy"]
    assert (s["wan_yuan"], s["unit"], s["method"]) == (9500.0, "万元", "table_value")
    assert s["evidence"]["page"] == 1 and s["evidence"]["source"] == "text_layer" and "9,500" in s["evidence"]["text"]


async def test_wps_spreadsheet_et_is_converted(call, tmp_path):
    import subprocess

    src = tmp_path / "budget.xlsx"
    src.write_bytes(b.budget_xlsx(central=9000))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(src)], capture_output=True, timeout=120, check=True)
    xls = (tmp_path / "budget.xls").read_bytes()
    assert xls.startswith(b"\xd0\xcf\x11\xe0")
    [d] = await one(call, "资金预算表.et", xls)
    assert d.analysis["family"] == "office" and d.analysis["fmt"] == "et"
    assert d.kind == "budget" and d.pages == 1 and d.analysis["subsidy"]["wan_yuan"] == 9000


async def test_nesting_deeper_than_the_cap_is_reported(call):
    data = b.zip_utf8({"实施方案.pdf": b.text_pdf([["实施方案"]])})
    for i in range(4):
        data = b.zip_utf8({f"层{i}.zip": data})
    docs = (await analyse_attachments([att("套娃.zip", data)], call=call)).documents
    assert [d.filename for d in docs] == ["套娃.zip", "层3.zip", "层2.zip", "层1.zip"]
    assert codes(docs[-1]) == ["unreadable_attachment"] and "嵌套超过 3 层" in docs[-1].findings[0].message
