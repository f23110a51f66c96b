"""The register as an Excel workbook people print: per sheet a title row (call, view, time), the header row
with 序号, frozen panes and filters; print setup A4 landscape, fit to one page wide, the header row repeated
on every page, page numbers in the footer; long cells wrap instead of being cut. Overrides are shown with
the status (已申报（人工认定）) and their reason has its own column."""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from core.vocabulary import SEVERITY_ZH, kind_zh
from core.findings import code_zh
from core.status_display import shown_status
from bot.digest.data import OPEN_SEVERITIES, DigestData
from bot.digest.text import mailbox_names

SHEETS = ("全部单位", "问题清单", "未识别来信", "收件记录")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DT_FORMAT = "yyyy-mm-dd hh:mm:ss"
TITLE_ROW, HEADER_ROW = 1, 2
THIN = Side(style="thin", color="9CA3AF")


def _local(d: DigestData, dt: datetime | None):
    return d.call.to_local(dt).replace(tzinfo=None) if dt else None     # Excel has no time zones: Beijing time


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _text_cell(cell) -> None:
    """A sender-written string is text, never a formula: openpyxl stores a string starting with ``=`` as a
    formula (``=HYPERLINK`` phishing, DDE). Force the string type and Excel's quote prefix (shown as typed,
    and still text after an edit)."""
    if isinstance(cell.value, str) and cell.value.lstrip(" ").startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a 汉字 takes two)."""
    import math
    import unicodedata

    n = 0
    for part in text.split("\n"):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in part)
        n += max(1, math.ceil(w / max(width - 1, 1)))
    return min(n, 12)


def _sheet(wb: Workbook, d: DigestData, title: str, headers: list[str], rows: list[list], widths: list[int]) -> None:
    ws = wb.create_sheet(title)
    headers = ["序号", *headers]
    widths = [5, *widths]
    ncol = len(headers)
    ws.cell(TITLE_ROW, 1, f"{d.call.doc_no} 收件登记表 · {title}（{d.call.to_local(d.generated_at):%Y-%m-%d %H:%M} "
                          "北京时间）")
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncol)
    ws.row_dimensions[TITLE_ROW].height = 22
    for i, h in enumerate(headers, 1):
        c = ws.cell(HEADER_ROW, i, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E5E7EB")
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for n, r in enumerate(rows, 1):
        ws.append([n, *r])
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            _text_cell(cell)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            if isinstance(cell.value, datetime):
                cell.number_format = DT_FORMAT
                cell.alignment = Alignment(vertical="top")
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    # LibreOffice and WPS do not grow a row for wrapped text: set heights from the widest cell's line count
    for row in ws.iter_rows(min_row=HEADER_ROW):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, widths[cell.column - 1]))
        ws.row_dimensions[row[0].row].height = 16.5 * lines + 3
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(ncol)}{max(HEADER_ROW, ws.max_row)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.right.text = f"{d.call.doc_no} {title}"
    ws.oddHeader.left.text = "&A"


def build_workbook(d: DigestData) -> bytes:
    names = mailbox_names(d)
    keys = list(names)
    wb = Workbook()
    wb.remove(wb.active)
    reg = d.register
    units = []
    for r, pr in zip(d.rows, reg.rows):
        units.append([r.province, shown_status(pr), *[_local(d, r.arrivals.get(k)) for k in keys], r.submissions,
                      r.late_submissions, r.pages, r.count("error"), r.count("review"), r.count("warning"),
                      "\n".join(f"[{SEVERITY_ZH[f.severity]}] {code_zh(f.code)}" for f in r.open) or None,
                      "、".join(pr.cities) or None, r.paper or "未登记", pr.paper_copy_tracking,
                      "\n".join(f"{kind_zh(x.kind)}:{x.filename}({x.pages if x.pages is not None else '?'}页)"
                                for x in pr.documents) or None, pr.override_reason])
    _sheet(wb, d, SHEETS[0], ["单位", "状态", *[f"{names[k]}邮箱首次按时到达（北京时间）" for k in keys], "按时报送(份)",
                              "逾期报送(份)", "A4页数", "错误", "待复核", "提醒", "待处理问题", "推荐城市", "纸质版",
                              "纸质版单号", "现行材料", "人工认定理由"],
           units, [14, 18, *[19] * len(keys), 7, 7, 6, 5, 6, 5, 24, 12, 10, 12, 46, 18])
    problems = []
    for pr in reg.rows:
        for f in pr.findings:
            if f.severity in OPEN_SEVERITIES:
                problems.append([pr.province, shown_status(pr), SEVERITY_ZH[f.severity], f.code, code_zh(f.code),
                                 f.message, f.section, f.clause, f.ref])
    _sheet(wb, d, SHEETS[1], ["单位", "状态", "严重程度", "代码", "问题", "说明", "通知条款", "依据原文", "所涉报送"],
           problems, [14, 12, 7, 18, 14, 48, 8, 36, 9])
    unident = [[u.submission, u.sender, u.subject, _local(d, u.first_received_at), "是" if u.on_time else "否（截止后）",
                "、".join(f"{x.ref}/{names.get(x.mailbox, x.mailbox)}" for x in u.receipts),
                (u.attribution or {}).get("method")] for u in reg.unidentified]
    _sheet(wb, d, SHEETS[2], ["报送编号", "发件人", "主题", "首次到达（北京时间）", "按时", "收件记录", "识别方法"],
           unident, [10, 28, 44, 19, 10, 26, 10])
    receipts = []
    for pr in reg.rows:
        for s in pr.submissions:
            for x in s.receipts:
                receipts.append([x.ref, names.get(x.mailbox, x.mailbox), _local(d, x.received_at),
                                 "是" if x.on_time else "否", x.source, x.time_source, s.ref, pr.province, s.sender,
                                 s.subject])
    for u in reg.unidentified:
        for x in u.receipts:
            receipts.append([x.ref, names.get(x.mailbox, x.mailbox), _local(d, x.received_at),
                             "是" if x.on_time else "否", x.source, x.time_source, u.submission, "（未识别）", u.sender,
                             u.subject])
    receipts.sort(key=lambda r: (r[2], r[0]))
    _sheet(wb, d, SHEETS[3], ["收件编号", "邮箱", "服务器收到时间（北京时间）", "按时", "来源", "时间依据", "报送编号",
                              "单位", "发件人", "主题"], receipts, [9, 8, 19, 5, 7, 16, 9, 14, 26, 36])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_name(d: DigestData) -> str:
    return f"收件登记表_{d.call.to_local(d.generated_at):%Y%m%d_%H%M}.xlsx"
