"""The register as an Excel workbook: one sheet per view, Chinese headers, frozen header row, filters."""
from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.vocabulary import SEVERITY_ZH, kind_zh
from core.findings import code_zh
from bot.digest.data import OPEN_SEVERITIES, DigestData
from bot.digest.text import mailbox_names

SHEETS = ("全部单位", "问题清单", "未识别来信", "收件记录")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DT_FORMAT = "yyyy-mm-dd hh:mm:ss"


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


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list], widths: list[int]) -> None:
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E5E7EB")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r in rows:
        ws.append(r)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            _text_cell(cell)
            if isinstance(cell.value, datetime):
                cell.number_format = DT_FORMAT
            elif isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, ws.max_row)}"


def build_workbook(d: DigestData) -> bytes:
    names = mailbox_names(d)
    keys = list(names)
    wb = Workbook()
    wb.remove(wb.active)
    reg = d.register
    units = []
    for r, pr in zip(d.rows, reg.rows):
        units.append([r.province, r.status_zh, *[_local(d, r.arrivals.get(k)) for k in keys], r.submissions,
                      r.late_submissions, r.pages, r.count("error"), r.count("review"), r.count("warning"),
                      "\n".join(f"[{SEVERITY_ZH[f.severity]}] {code_zh(f.code)}" for f in r.open) or None,
                      "、".join(pr.cities) or None, r.paper or "未登记", pr.paper_copy_tracking,
                      "；".join(f"{kind_zh(x.kind)}:{x.filename}({x.pages if x.pages is not None else '?'}页)"
                               for x in pr.documents) or None])
    _sheet(wb, SHEETS[0], ["单位", "状态", *[f"{names[k]}邮箱首次按时到达（北京时间）" for k in keys], "按时报送(份)",
                           "逾期报送(份)", "A4页数", "错误", "待复核", "提醒", "待处理问题", "推荐城市", "纸质版",
                           "纸质版单号", "现行材料"],
           units, [18, 14, *[22] * len(keys), 10, 10, 8, 6, 7, 6, 36, 20, 12, 16, 60])
    problems = []
    for pr in reg.rows:
        for f in pr.findings:
            if f.severity in OPEN_SEVERITIES:
                problems.append([pr.province, pr.status_zh, SEVERITY_ZH[f.severity], f.code, code_zh(f.code), f.message,
                                 f.section, f.clause, f.ref])
    _sheet(wb, SHEETS[1], ["单位", "状态", "严重程度", "代码", "问题", "说明", "通知条款", "依据原文", "所涉报送"],
           problems, [18, 14, 8, 26, 18, 60, 10, 40, 10])
    unident = [[u.submission, u.sender, u.subject, _local(d, u.first_received_at), "是" if u.on_time else "否（截止后）",
                "、".join(f"{x.ref}/{names.get(x.mailbox, x.mailbox)}" for x in u.receipts),
                (u.attribution or {}).get("method")] for u in reg.unidentified]
    _sheet(wb, SHEETS[2], ["报送编号", "发件人", "主题", "首次到达（北京时间）", "按时", "收件记录", "识别方法"],
           unident, [10, 30, 40, 20, 12, 30, 14])
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
    _sheet(wb, SHEETS[3], ["收件编号", "邮箱", "服务器收到时间（北京时间）", "按时", "来源", "时间依据", "报送编号",
                           "单位", "发件人", "主题"], receipts, [10, 10, 22, 6, 8, 20, 10, 18, 30, 40])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_name(d: DigestData) -> str:
    return f"收件登记表_{d.call.to_local(d.generated_at):%Y%m%d_%H%M}.xlsx"
