"""Office-format samples: an xlsx 资金预算表 (openpyxl) and a minimal hand-written .docx (no python-docx)."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from demo.samples.applicant import Applicant
from demo.samples.documents import BUDGET_HEADER, SampleFile, budget_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def budget_xlsx(a: Applicant, city: str, filename: str | None = None) -> SampleFile:
    """资金预算表 as a workbook; amounts are numbers (not formulas: openpyxl writes no cached values)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "资金预算表"
    ws.append([f"{city}{a.programme}资金预算表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(BUDGET_HEADER))
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"填报单位：{a.finance}", None, None, f"实施期限：{a.period_text}", None, None, "单位：万元"])
    ws.append(BUDGET_HEADER)
    thin = Side(style="thin")
    for row in budget_rows(a, city):
        ws.append([int(row[0]) if row[0] else None, row[1]] +
                  [float(v.replace(",", "")) for v in row[2:7]] + [row[7] or None])
    for r in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for c in r:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if isinstance(c.value, float):
                c.number_format = "#,##0.00"
    for col, width in zip("ABCDEFGH", (6, 28, 12, 16, 16, 16, 14, 10)):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "shenbao.samples"
    wb.properties.created = wb.properties.modified = datetime(a.signed.year, a.signed.month, a.signed.day, 9, 0)
    out = io.BytesIO()
    wb.save(out)
    return SampleFile(filename or f"{city}资金预算表.xlsx", "budget", out.getvalue(), XLSX, None, None, "xlsx")


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _p(text: str, size_half_pt: int = 32, bold: bool = False, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    rpr = (f'<w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/>{"<w:b/>" if bold else ""}'
           f'<w:sz w:val="{size_half_pt}"/></w:rPr>')
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx_bytes(title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal but valid WordprocessingML package (LibreOffice and Word open it)."""
    body = [_p(title, 44, bold=True, center=True)] + [_p("　　" + t) for t in paragraphs]
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>{_p(c, 24)}</w:tc>"
                                          for c in r) + "</w:tr>" for r in table)
        borders = "".join(f'<w:{b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                          for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        body.append(f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders>'
                    f'</w:tblPr>{rows}</w:tbl>')
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
           + "".join(body) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("word/document.xml", doc)):
            info = zipfile.ZipInfo(name, date_time=(2023, 3, 20, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return out.getvalue()


def evidence_docx(a: Applicant, filename: str | None = None) -> SampleFile:
    city = a.cities[0]
    data = docx_bytes(f"{a.cities_text()}{a.programme}佐证材料", [
        f"一、{city}近三年城镇新增就业稳定增长，公共就业服务体系较为健全。",
        "二、已建成标准化零工市场和基层就业服务站点，服务网络覆盖市、县、乡、村四级。",
        f"三、{a.province}人民政府已同意推荐上述城市申报示范项目（复函见附件）。",
    ], [["指标", f"{a.year - 2}年", f"{a.year - 1}年"], ["城镇新增就业（人）", "81,858", "86,492"],
        ["零工市场服务人次", "73,673", "77,843"]])
    return SampleFile(filename or "佐证材料.docx", "evidence", data, DOCX, None, None, "docx")
