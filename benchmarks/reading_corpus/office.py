"""Word and Excel helpers (python-docx, openpyxl) in the way provincial staff lay out documents:
A4 pages, Chinese fonts, exact line spacing, grid tables with merged cells, explicit page breaks."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
RED = RGBColor(0xE6, 0x00, 0x12)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "distribute": WD_ALIGN_PARAGRAPH.DISTRIBUTE}
FIXED_TIME = (2023, 3, 20, 9, 30, 0)


def _cached_cell(self, row_idx: int, col_idx: int):
    """Table.cell without rebuilding the whole cell grid on every call (python-docx does, which is
    quadratic in the table size); the cache is dropped whenever cells are merged."""
    grid = getattr(self, "_grid_cache", None)
    if grid is None:
        grid = self._grid_cache = self._cells
    return grid[row_idx * self._column_count + col_idx]


def _merge_and_drop(self, other):
    self._parent._grid_cache = None
    out = _orig_merge(self, other)
    self._parent._grid_cache = None
    return out


from docx.table import Table as _Table, _Cell  # noqa: E402

_orig_merge = _Cell.merge
_Table.cell = _cached_cell
_Cell.merge = _merge_and_drop


def _east_asian(run, name: str) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


class Docx:
    """A document with one section; paragraphs carry their own font and spacing."""

    def __init__(self, *, paper: str = "A4", landscape: bool = False, margins=(37, 35, 28, 26),
                 font: str = SERIF, pt: float = 16, line: float = 28):
        self.doc = Document()
        s = self.doc.sections[0]
        w, h = {"A4": (210, 297), "A3": (297, 420)}[paper]
        if landscape:
            s.orientation = WD_ORIENT.LANDSCAPE
            w, h = h, w
        s.page_width, s.page_height = Mm(w), Mm(h)
        s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = (Mm(x) for x in margins)
        s.header_distance = Mm(12)
        s.footer_distance = Mm(12)
        self.text_width_mm = w - margins[2] - margins[3]
        self.font, self.pt, self.line = font, pt, line
        st = self.doc.styles["Normal"]
        st.font.name = font
        st.font.size = Pt(pt)
        rpr = st.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        cp = self.doc.core_properties
        import datetime as _dt
        cp.created = cp.modified = _dt.datetime(*FIXED_TIME)
        cp.author = cp.last_modified_by = "Administrator"

    def run(self, p, text: str, *, pt=None, font=None, bold=False, color=None):
        r = p.add_run(text)
        r.font.size = Pt(pt or self.pt)
        r.bold = bold
        _east_asian(r, font or self.font)
        if color is not None:
            r.font.color.rgb = color
        return r

    def p(self, text: str = "", *, pt=None, font=None, bold=False, color=None, align="justify", indent=None,
          line=None, before=0.0, after=0.0, page_break=False, left_mm=0.0, hanging=None, keep=False):
        p = self.doc.add_paragraph()
        f = p.paragraph_format
        f.alignment = ALIGN[align]
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(line or self.line)
        f.space_before, f.space_after = Pt(before), Pt(after)
        if indent is None:
            indent = 2 if align == "justify" else 0
        size = pt or self.pt
        if hanging:
            f.left_indent = Pt(size * hanging)
            f.first_line_indent = Pt(-size * hanging)
        elif indent:
            f.first_line_indent = Pt(size * indent)
        if left_mm:
            f.left_indent = Mm(left_mm)
        if page_break:
            f.page_break_before = True
        f.widow_control = False
        if text:
            self.run(p, text, pt=pt, font=font, bold=bold, color=color)
        return p

    def rule(self, color: str = "E60012", size_eighths: int = 18, double: bool = False):
        """A paragraph whose bottom border is the red rule under a 红头."""
        p = self.p("", pt=4, line=6)
        ppr = p._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        b = OxmlElement("w:bottom")
        b.set(qn("w:val"), "thinThickSmallGap" if double else "single")
        b.set(qn("w:sz"), str(size_eighths))
        b.set(qn("w:space"), "1")
        b.set(qn("w:color"), color)
        bdr.append(b)
        ppr.append(bdr)
        return p

    def right_tab(self, p):
        p.paragraph_format.tab_stops.add_tab_stop(Mm(self.text_width_mm), WD_TAB_ALIGNMENT.RIGHT)

    def table(self, rows: int, cols: int, widths_mm: list[float], *, grid: bool = True):
        t = self.doc.add_table(rows=rows, cols=cols)
        if grid:
            t.style = "Table Grid"
        t.autofit = False
        t.alignment = 1  # centred
        for i, w in enumerate(widths_mm):
            t.columns[i].width = Mm(w)
            for c in t.columns[i].cells:
                c.width = Mm(w)
        return t

    def put(self, cell, text: str, *, pt=11, font=None, bold=False, align="center", line=None, color=None):
        cell.text = ""
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        lines = text.split("\n")
        for k, ln in enumerate(lines):
            p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
            f = p.paragraph_format
            f.alignment = ALIGN[align]
            f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            f.line_spacing = Pt(line or pt * 1.45)
            f.space_before = f.space_after = Pt(0)
            self.run(p, ln, pt=pt, font=font, bold=bold, color=color)

    def row_height(self, row, mm: float):
        row.height = Mm(mm)

    def picture(self, data: bytes, width_mm: float):
        p = self.p("", align="center", indent=0, line=None)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
        return p

    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        self.doc.save(buf)
        repack(buf.getvalue(), path)


def repack(data: bytes, path: Path) -> None:
    """Rewrite an OOXML zip with fixed member times and core-property dates, so output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2023-03-20T01:30:00Z\g<2>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(zi, blob)


# ---- Excel ----------------------------------------------------------------------------------------

def xlsx_sheet(title: str, *, paper: str = "A4", landscape: bool = False):
    from openpyxl import Workbook
    from openpyxl.worksheet.page import PageMargins
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.page_setup.paperSize = 9 if paper == "A4" else 8
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    wb.properties.creator = "Administrator"
    return wb, ws


def xl_box(ws, ref: str, text, *, pt=11, bold=False, align="center", border=True, wrap=True, font=SERIF):
    """Write into a cell range (merged if it spans several), with thin borders on every cell."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils.cell import range_boundaries
    c0, r0, c1, r1 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    if (c0, r0) != (c1, r1):
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    side = Side(style="thin", color="000000")
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            cell = ws.cell(row=r, column=c)
            if border:
                cell.border = Border(left=side, right=side, top=side, bottom=side)
    cell = ws.cell(row=r0, column=c0)
    cell.value = text
    cell.font = Font(name=font, size=pt, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)


def xlsx_save(wb, path: Path) -> None:
    import datetime as _dt
    wb.properties.created = wb.properties.modified = _dt.datetime(*FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    repack(buf.getvalue(), path)
