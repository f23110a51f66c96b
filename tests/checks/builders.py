"""Realistic filing inputs made in code: text PDFs (reportlab, CID font), scanned-looking PDFs (Pillow page
images with Chinese text and a red seal, img2pdf), A3/rotated/CropBox pages, xlsx/docx, archives, bad inputs.
The seal, the scan wrapper, the .docx writer and the GBK zip are the sample generators' own (demo.samples)."""
from __future__ import annotations

import io
import random
import zipfile
import zlib
from datetime import datetime, timezone

from demo.samples.fonts import font
from demo.samples.mail import gbk_zip
from demo.samples.office import docx_bytes
from demo.samples.scan import jpegs_to_pdf
from demo.samples.seal import stamp

A4 = (595.276, 841.89)
A3 = (841.89, 1190.55)


def text_pdf(pages: list[list[str]], sizes: list[tuple[float, float]] | None = None,
             rotate: dict[int, int] | None = None, cropbox: dict[int, tuple] | None = None) -> bytes:
    """A text PDF: each page a list of lines (first line large, a title). STSong-Light is a CID font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i, lines in enumerate(pages):
        size = (sizes or [])[i] if sizes and i < len(sizes) else A4
        c.setPageSize(size)
        y = size[1] - 72
        for j, line in enumerate(lines):
            c.setFont("STSong-Light", 16 if j == 0 else 11)
            c.drawString(60, y, line)
            y -= 26 if j == 0 else 18
        c.showPage()
    c.save()
    data = buf.getvalue()
    if rotate or cropbox:
        data = _patch(data, rotate or {}, cropbox or {})
    return data


def _patch(data: bytes, rotate: dict[int, int], cropbox: dict[int, tuple]) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for i, deg in rotate.items():
            pdf.pages[i].obj["/Rotate"] = deg
        for i, box in cropbox.items():
            pdf.pages[i].obj["/CropBox"] = pikepdf.Array(list(box))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def page_image(lines: list[str], *, seal: bool = False, dpi: int = 150, size_mm=(210, 297), noise: bool = True,
               red_header: str | None = None):
    """A scanned-looking page: black Chinese text, optionally a red header line and a red round seal."""
    from PIL import Image, ImageDraw, ImageFilter

    w, h = int(size_mm[0] / 25.4 * dpi), int(size_mm[1] / 25.4 * dpi)
    img = Image.new("RGB", (w, h), (250, 250, 246))
    d = ImageDraw.Draw(img)
    px = dpi / 72
    y = int(60 * px)
    if red_header:
        d.text((int(70 * px), y), red_header, font=font(int(26 * px), "sans"), fill=(210, 30, 30))
        y += int(44 * px)
        d.line((int(50 * px), y, w - int(50 * px), y), fill=(210, 30, 30), width=max(2, int(1.5 * px)))
        y += int(20 * px)
    for j, line in enumerate(lines):
        f = font(int((18 if j == 0 else 12) * px), "sans")
        d.text((int(60 * px), y), line, font=f, fill=(25, 25, 25))
        y += int((34 if j == 0 else 21) * px)
    if seal:
        stamp(img, "山东省财政厅", (int(w * 0.62), int(h * 0.62)), int(42 / 25.4 * dpi), random.Random(3))
    if noise:
        rnd = random.Random(7)
        for _ in range(w * h // 400):
            x, yy = rnd.randrange(w), rnd.randrange(h)
            img.putpixel((x, yy), (160, 160, 160))
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    return img


def scanned_pdf(images, dpi: int = 150, quality: int = 70) -> bytes:
    """JPEG page images wrapped into a PDF (no text layer), each page sized from its dpi."""
    return jpegs_to_pdf([jpeg(im, dpi, quality) for im in images], dpi=dpi)


def jpeg(img, dpi: int = 150, quality: int = 75) -> bytes:
    b = io.BytesIO()
    img.save(b, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return b.getvalue()


def multipage_tiff(images, dpi: int = 150) -> bytes:
    b = io.BytesIO()
    images[0].save(b, format="TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    return b.getvalue()


def budget_xlsx(central: float = 8000, total: float = 12000, period: str = "2023年—2024年") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "资金预算表"
    ws.append(["青岛市公共就业服务能力提升示范项目资金预算表"])
    ws.append(["实施期", period, "", "单位：万元"])
    ws.append(["资金来源", "金额"])
    ws.append(["中央财政补助", central])
    ws.append(["省级财政补助", 1000])
    ws.append(["市级财政补助", total - central - 1000])
    ws.append(["合计", total])
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    """A minimal valid .docx: the first paragraph is the title (LibreOffice reads it)."""
    return docx_bytes(paragraphs[0], paragraphs[1:])


def zip_gbk(members: dict[str, bytes]) -> bytes:
    """A zip as Chinese Windows writes it: names in GBK, no UTF-8 flag."""
    return gbk_zip(list(members.items()), datetime(2023, 3, 20, 9, 0, tzinfo=timezone.utc))


def zip_utf8(members: dict[str, bytes]) -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return b.getvalue()


def zip_bomb(uncompressed_mb: int = 600) -> bytes:
    """One member of zeros: about 1 MB that inflates to ``uncompressed_mb`` MB."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("报告.pdf", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(uncompressed_mb):
                fh.write(block)
    return b.getvalue()


def flate_bomb_pdf(mb: int = 1500) -> bytes:
    """A one-page PDF whose content stream inflates to ``mb`` MB of spaces (about 1.5 MB on disk)."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(comp.compress(chunk) for _ in range(mb)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    return _raw_pdf(objs)


def cycle_pdf() -> bytes:
    """A page tree whose /Kids contains its own parent."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    return _raw_pdf(objs)


def _raw_pdf(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)


def many_pages_pdf(n: int = 5000) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(n):
        pdf.add_blank_page(page_size=A4)
    b = io.BytesIO()
    pdf.save(b)
    return b.getvalue()


def encrypted_pdf(data: bytes, user: str = "secret") -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        b = io.BytesIO()
        pdf.save(b, encryption=pikepdf.Encryption(user=user, owner="owner" + user))
        return b.getvalue()


HTML_AS_PDF = b"<!DOCTYPE html><html><head><title>\xe4\xb8\x8b\xe8\xbd\xbd</title></head><body>login</body></html>"

LARGE_ATTACHMENT_HTML = """<div>请查收附件。</div>
<div style="clear:both;height:36px;padding:6px 4px;"><div><b>从网易163邮箱发来的超大附件</b></div>
<div style="clear:both;height:36px;padding:6px 4px;"><a download="山东省申报材料.zip"
 href="https://mail.163.com/large-attachment-download/index.html?p=X66&amp;file=abc">山东省申报材料.zip</a>
<span style="color:#bbb;">(256.3M, 2023年4月10日 18:20到期)</span></div></div>"""


def rar4_stored(members: dict[str, bytes]) -> bytes:
    """A RAR 4 archive with stored (uncompressed) members and ASCII names: no RAR tool is needed to make it."""
    import struct

    out = bytearray(b"Rar!\x1a\x07\x00")
    main = struct.pack("<BHHHI", 0x73, 0, 13, 0, 0)
    out += struct.pack("<H", zlib.crc32(main) & 0xFFFF) + main
    for name, data in members.items():
        nb = name.encode()
        hdr = struct.pack("<BHHIIBIIBBHI", 0x74, 0x8000, 32 + len(nb), len(data), len(data), 2, zlib.crc32(data),
                          0x56A00000, 29, 0x30, len(nb), 0x20) + nb
        out += struct.pack("<H", zlib.crc32(hdr) & 0xFFFF) + hdr + data
    end = struct.pack("<BHH", 0x7B, 0x4000, 7)
    out += struct.pack("<H", zlib.crc32(end) & 0xFFFF) + end
    return bytes(out)


def budget_table_pdf(central: str = "9,500") -> bytes:
    """A text PDF with a ruled budget table: the 中央财政补助 figure sits under its column header."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4 as RL_A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from reportlab.lib.styles import ParagraphStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    st = ParagraphStyle("t", fontName="STSong-Light", fontSize=16)
    rows = [["资金来源", "中央财政补助", "省级财政补助", "市级财政补助", "合计"],
            ["金额", central, "1,000", "2,000", "12,500"]]
    t = Table(rows)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.8, colors.black)]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=RL_A4).build([Paragraph("资金预算表", st), Paragraph("单位：万元", st), t])
    return buf.getvalue()
