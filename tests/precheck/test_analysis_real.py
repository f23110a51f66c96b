"""The whole analysis (sandboxed children, checks) on the real files and on what provinces send."""
from __future__ import annotations

import io

import pytest

from config.call import load_call
from precheck.analysis import analyse_attachments
from precheck.files.problems import is_clean
from precheck.parse import AttachmentPart, parse_mail

from tests.checks import builders as b
from tests.precheck.realfiles import real


@pytest.fixture(scope="module")
def call():
    return load_call("2023")


def att(name, data, ctype="application/octet-stream"):
    return AttachmentPart(name, ctype, data, "")


async def run(call, *files):
    return (await analyse_attachments([att(n, d) for n, d in files], call=call)).documents


def codes(doc):
    return [f.code for f in doc.findings]


def all_messages_clean(docs):
    return all(is_clean(f.message) for d in docs for f in d.findings)


async def test_real_ofd_is_read_not_unsupported(call):
    [d] = await run(call, ("电子发票.ofd", real("ofdrw__999.ofd")))
    assert d.analysis["family"] == "ofd" and d.pages == 5 and codes(d) == []
    seal = d.analysis["seal"]
    assert seal["found"] and seal["source"] == "electronic_seal" and seal["valid"] is True
    assert d.analysis["signatures"][0]["seal_name"] == "测试全国统一发票监制章国家税务总局重庆市税务局"


async def test_real_encrypted_office_files(call):
    docs = await run(call, ("资金预算表.xls", real("poi__password.xls")), ("绩效目标表.xlsx", real("poi__protected_passtika.xlsx")))
    for d in docs:
        assert codes(d) == ["encrypted_attachment"]
        assert "javaldx" not in d.findings[0].message and "RuntimeError" not in d.findings[0].message
    assert docs[1].findings[0].message == ("附件「绩效目标表.xlsx」已加密：Excel 文件已设置打开密码（需要密码），无法读取。"
                                           "请联系报送单位提供未加密的文件")


async def test_real_outlook_files_become_members(call):
    docs = await run(call, ("winmail.dat", real("poi__quick-winmail.dat")), ("邮件.msg", real("poi__58214_with_attachment.msg")))
    names = [d.filename for d in docs]
    assert names[:2] == ["winmail.dat", "邮件.msg"]
    assert {"quick.pdf", "quick.doc", "Test mail attachment.msg"} <= set(names)
    pdf = next(d for d in docs if d.filename == "quick.pdf")
    assert pdf.parent == 0 and pdf.pages == 1
    assert docs[1].analysis["fmt"] == "msg" and docs[1].analysis["message"]["subject"] == "Master mail"
    assert all_messages_clean(docs)


async def test_real_archives(call):
    docs = await run(call, ("附件.7z", real("libarchive__7zip_bcj2_lzma2_1.7z")),
                     ("加密.7z", real("libarchive__7zip_encryption_header.7z")),
                     ("加密.rar", real("libarchive__rar5_encrypted_filenames.rar")),
                     ("资料.part01.rar", real("libarchive__rar5_multiarchive.part01.rar")),
                     ("名称.zip", real("libarchive__zip_7075_utf8_paths.zip")))
    by = {d.filename: d for d in docs}
    assert by["附件.7z"].analysis["members"] == 1 and by["附件.7z"].analysis["tool"] == "libarchive"
    assert codes(by["加密.7z"]) == ["encrypted_attachment"] and codes(by["加密.rar"]) == ["encrypted_attachment"]
    [f] = by["资料.part01.rar"].findings
    assert f.code == "split_archive_incomplete" and "第 2 卷及之后的分卷未收到" in f.message
    assert {"File 2 - ö.txt", "File 4 - å.txt"} <= set(by)
    assert all_messages_clean(docs)


async def test_real_pdfs_poppler_reads_are_counted(call):
    docs = await run(call, ("附件.pdf", real("qpdf__enc-XI-R6-attachment.pdf")), ("循环.pdf", real("qpdf__pages-loop.pdf")),
                     ("尺寸.pdf", real("pdfjs__boundingBox_invalid.pdf")),
                     ("空密码.pdf", real("pypdf__encryption_r6-user-password.pdf")),
                     ("网关.pdf", b"X-Gateway: scanned\r\n" * 100 + real("pypdf__jpeg.pdf")))
    att_only, loop, boxes, empty_pw, junk = docs
    assert att_only.pages == 30 and codes(att_only) == [] and "嵌入的附件已加密" in att_only.analysis["warnings"][0]
    assert loop.pages == 1 and codes(loop) == []
    assert boxes.pages == 3 and boxes.analysis["seal"]["pages_checked"] == [1, 2, 3]    # the 0×0 page no longer stops it
    assert empty_pw.pages == 1 and empty_pw.analysis["text_pages"] == 1 and codes(empty_pw) == []
    assert junk.pages == 1 and "已忽略" in junk.analysis["warnings"][0]


async def test_user_unit_scales_the_page(call):
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(420.945, 595.276))       # A3 halved, in points …
    pdf.pages[0].obj["/UserUnit"] = 2                       # … at 2/72 inch a unit: A3
    buf = io.BytesIO()
    pdf.save(buf)
    [d] = await run(call, ("附表.pdf", buf.getvalue()))
    assert d.pages == 2 and d.page_detail["groups"][0]["label"] == "A3"


async def test_heic_and_animated_gif_are_one_picture(call):
    from PIL import Image

    frames = [Image.new("RGB", (300, 300), (200, 10 * i, 10)) for i in range(8)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    heic, anim = await run(call, ("IMG_0001.HEIC", real("pillow_heif__zPug_3.heic")), ("动图.gif", gif.getvalue()))
    assert heic.analysis["fmt"] == "heic" and heic.pages == 1 and codes(heic) == []
    assert anim.pages == 1 and anim.analysis["frames"] == 8


async def test_forwarded_real_mail_counts_its_pdf_once(call):
    parsed = parse_mail(real("mikel-mail__attachment_message_rfc822.eml"))
    res = await analyse_attachments(parsed.attachments, call=call, forwarded=parsed.forwarded)
    pdfs = [d for d in res.documents if d.filename == "broken.pdf"]
    assert len(pdfs) == 1 and res.documents[pdfs[0].parent].filename == "ForwardedMessage.eml"
    [f] = [f for f in res.findings if f.code == "forwarded_mail"]
    assert f.message.startswith("由 foo@example.com 转发；原邮件发件人 Test Tester <xxxx@xxxx.com>")


async def test_split_7z_in_one_mail(call):
    import os

    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as z:
        z.writestr(b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案"]]) + os.urandom(20_000), "实施方案.pdf")
    whole = buf.getvalue()
    third = len(whole) // 3 + 1
    vols = [(f"资料.7z.{i + 1:03d}", whole[i * third:(i + 1) * third]) for i in range(3)]
    docs = await run(call, *vols)
    assert [d.filename for d in docs] == ["资料.7z.001", "资料.7z.002", "资料.7z.003", "实施方案.pdf"]
    assert docs[3].parent == 0 and docs[3].kind == "plan" and docs[3].pages == 1
    assert all(codes(d) == [] for d in docs)
    docs = await run(call, vols[0], vols[2])
    assert [codes(d) for d in docs] == [["split_archive_incomplete"], []]
    assert "缺少第 2 卷（资料.7z.002）" in docs[0].findings[0].message


async def test_scanned_ofd_waits_for_ocr_and_ocr_reads_its_drawn_page(call):
    from precheck.analysis import ocr_document
    from tests.precheck.ofdmaker import make_ofd

    img = b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示"], noise=False, dpi=100)
    png = io.BytesIO()
    img.save(png, format="PNG")
    data = make_ofd([{"image": png.getvalue()}])
    [d] = await run(call, ("请示.ofd", data))
    assert d.analysis["is_scan"] is True and d.analysis["ocr"]["status"] == "pending" and d.pages == 1
    upd, pages = await ocr_document(data, "请示.ofd", "", d.analysis, call, kind=d.kind, kind_source=d.kind_source)
    assert len(pages) == 1 and upd["analysis"]["ocr"]["status"] == "done"
    assert "示范项目" in upd["analysis"]["title"] and upd["kind"] == "cover_letter"
