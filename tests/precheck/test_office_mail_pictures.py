"""Outlook containers, OLE kinds, Office/PDF encryption, HEIC and the picture page policy, on real files."""
from __future__ import annotations

import io

from precheck.files.encryption import office_lock, pdf_lock
from precheck.files.ole import ole_kind
from precheck.files.outlook import is_tnef, unpack_msg, unpack_tnef
from precheck.files.pictures import heif_brand, picture_facts
from precheck.files.problems import is_clean

from tests.precheck.realfiles import real


def test_winmail_dat_attachments_become_members():
    data = real("poi__quick-winmail.dat")
    assert is_tnef(data)
    res = unpack_tnef(data)
    assert [m["name"] for m in res["members"]] == ["quick.doc", "quick.html", "quick.pdf", "quick.txt", "quick.xml"]
    pdf = next(m for m in res["members"] if m["name"] == "quick.pdf")
    assert pdf["data"].startswith(b"%PDF-") and len(pdf["data"]) == 18638


def test_msg_with_an_attached_message():
    data = real("poi__58214_with_attachment.msg")
    assert ole_kind(data) == "msg"                      # not a Word file, whatever LibreOffice thinks
    res = unpack_msg(data)
    assert res["subject"] == "Master mail" and "bertrand.beyssac@c6.eu" in res["sender"]
    [inner] = res["members"]
    assert inner["name"] == "Test mail attachment.msg" and ole_kind(inner["data"]) == "msg"
    again = unpack_msg(inner["data"])
    assert again["subject"] == "Test mail attachment" and again["members"] == [] and again["fatal"] is None


def test_broken_tnef_and_msg_say_so():
    for res in (unpack_tnef(b"\x78\x9f\x3e\x22garbage"), unpack_msg(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)):
        assert res["fatal"]["kind"] == "corrupt" and is_clean(res["fatal"]["message"])


def test_encrypted_office_files_are_encrypted_not_damaged():
    xls = office_lock(real("poi__password.xls"), "xls")
    xlsx = office_lock(real("poi__protected_passtika.xlsx"), "xlsx")
    assert ole_kind(real("poi__protected_passtika.xlsx")) == "encrypted_ooxml"
    assert xls.kind == xlsx.kind == "encrypted"
    assert xlsx.message == "Excel 文件已设置打开密码（需要密码），无法读取"


def test_plain_office_files_are_not_locked():
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    assert office_lock(buf.getvalue(), "xlsx") is None
    assert office_lock(b"%PDF-1.4", "doc") is None


def test_pdf_where_only_attachments_are_encrypted_is_readable():
    lock = pdf_lock(real("qpdf__enc-XI-R6-attachment.pdf"))
    assert lock.encrypted and lock.attachments_only and lock.problem() is None
    full = pdf_lock(real("pypdf__encryption_r6-user-password.pdf"))
    assert full.encrypted and not full.attachments_only and full.problem().kind == "encrypted"
    assert not pdf_lock(real("pypdf__jpeg.pdf")).encrypted


def test_heic_is_one_picture():
    data = real("pillow_heif__zPug_3.heic")
    assert heif_brand(data) == "heic"
    f = picture_facts(data)
    assert f["fmt"] == "heif" and f["frames"] == 3 and f["pages"] == 1 and f["size"] == (64, 64)
    assert f["note"] == "图片文件含 3 幅图像，按主图 1 张计"


def test_animated_gif_is_one_picture_and_tiff_pages_are_pages():
    from PIL import Image

    frames = [Image.new("RGB", (40, 40), (i * 40, 0, 0)) for i in range(5)]
    gif, tif = io.BytesIO(), io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    frames[0].save(tif, format="TIFF", save_all=True, append_images=frames[1:3])
    g = picture_facts(gif.getvalue())
    assert (g["frames"], g["pages"], g["note"]) == (5, 1, "动图共 5 帧，按 1 张图片计")
    t = picture_facts(tif.getvalue())
    assert (t["frames"], t["pages"], t["note"]) == (3, 3, "")


def test_jpeg_is_no_heif():
    assert heif_brand(real("Pillow__hopper_orientation_6.jpg")) is None
