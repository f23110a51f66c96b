"""The central subsidy (中央财政补助) of the whole project, in 万元, from tables and from sentences.

Tables: the cell naming 中央 as a column header (the 合计 row's value, cross-checked against the sum of the rows
above it, or the sum itself when there is no total row) or as a row label (the value under the header for the
whole period — 实施期 / 总额 / 合计 — never a 年度 column). The unit comes from the cell, its header chain, the row's
label (项目资金（万元）), the caption above the table or the page's 单位 line, in that order.
Sentences: 中央(财政)(补助)(资金) followed closely by an amount with its unit; amounts after 累计 / 近三年 / 已下达
or a year's figure are not the project's subsidy.

    read_subsidy(pages) -> {"wan_yuan": 9800.0, "unit": "万元", "method": "table_total", "strength": 0.95,
                            "evidence": {"page": 1, "box": [...], "text": "合计 … 9,800.00"}} | None
"""
from __future__ import annotations

import re

from precheck.reading.numbers import AMOUNT, UNIT_FACTOR, amount_wan, cell_number, is_percent, unturned
from precheck.reading.page import PageText
from precheck.reading.tables import Cell, Table, row_tables, tables
from precheck.reading.text import Flat, norm

_CENTRAL = re.compile(r"中央(?:财政)?")
_NOT_CENTRAL = ("地方", "省级", "市级", "县级", "省财政", "市财政", "自筹", "社会")
_TOTAL_ROW = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|总额|合计金额|总投资|资金总额)$")
_UNIT_IN = re.compile(r"(?:单位|金额单位|金额)\s*[:：]?\s*[（(]?\s*(亿元|万元|元)|[（(]\s*(亿元|万元|元)\s*[)）]")
_WHOLE = ("实施期", "总额", "合计", "总计", "全部", "项目期", "总投资")
_REJECT_BEFORE = ("累计", "近三年", "近年", "近五年", "历年", "以来", "已下达", "已拨付", "争取到", "往年", "上年", "去年",
                  "年度", "每年", "共获得", "获得", "已获")
_GOOD_BEFORE = ("申请", "拟申请", "其中", "安排", "申报")
_NUMERAL = "0-9零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_TEXT = re.compile(rf"中央(?:财政)?(?:就业)?(?:补助|补贴|专项|转移支付)?(?:资金)?(?P<mid>[^。；;{_NUMERAL}]{{0,10}}?)"
                   + AMOUNT.pattern)

SOURCE_WEIGHT = {"text_layer": 1.0, "ocr": 0.95, "ocr_layer": 0.7}


def is_central_label(text: str) -> bool:
    t = norm(text)
    if not _CENTRAL.search(t) or any(x in t for x in _NOT_CENTRAL):
        return False
    t = _UNIT_IN.sub("", t)
    return len(t) <= 20 and cell_number(t) is None and not re.search(r"\d{3,}", t)


def _unit_of(text: str) -> str | None:
    m = _UNIT_IN.search(norm(text))
    return (m.group(1) or m.group(2)) if m else None


def _above(t: Table, cell: Cell) -> list[Cell]:
    out = []
    for r in range(cell.r0 - 1, -1, -1):
        c = t.at(r, cell.c0)
        if c is not None and c is not cell and (not out or out[-1] is not c):
            out.append(c)
    return out


def _left(t: Table, cell: Cell) -> list[Cell]:
    out = []
    for c in range(cell.c0 - 1, -1, -1):
        x = t.at(cell.r0, c)
        if x is not None and (not out or out[-1] is not x):
            out.append(x)
    return out


def _caption_unit(page: PageText, t: Table) -> str | None:
    top = t.box[1]
    near = [ln for ln in page.lines if ln.box[3] <= top + 4 and ln.box[1] >= top - page.height * 0.12]
    for ln in sorted(near, key=lambda ln: -ln.box[1]):
        u = _unit_of(ln.text)
        if u:
            return u
    return None


def _page_unit(page: PageText) -> str | None:
    for ln in page.lines:
        if "单位" in ln.text:
            u = _unit_of(ln.text)
            if u:
                return u
    return None


def _unit(page: PageText, t: Table, label: Cell, value: Cell, own: str | None) -> tuple[str | None, str]:
    if own:
        return own, "value"
    for c in [label] + _above(t, value) + _above(t, label) + _left(t, label):
        u = _unit_of(c.text)
        if u:
            return u, "header"
    u = _caption_unit(page, t) or _page_unit(page)
    return (u, "caption") if u else (None, "")


_YEAR_HEAD = re.compile(r"^(?:20\d\d年度?|第[一二三]年|年度|当年)$")


def _context(t: Table, label: Cell, value: Cell) -> str:
    """"whole" / "year" / "": what the headers above the label and above the value say the amount is for."""
    heads = []
    for c in (_above(t, label)[:1] + [h for h in _above(t, value) if _num(h) is None][:2]):
        heads.append(norm(c.text))
    joined = " ".join(heads)
    if any(_YEAR_HEAD.match(h) for h in heads) or ("年度" in joined and "实施期" not in joined):
        return "year"
    if any(w in joined for w in _WHOLE):
        return "whole"
    return ""


def _num(cell: Cell | None):
    """The cell's number (value, unit) — read the right way up when the OCR turned it (0008 -> 8000)."""
    if cell is None or not cell.text:
        return None
    n = cell_number(cell.text)
    if n is not None:
        return n
    u = unturned(cell.text)
    return (float(u.replace(",", "")), None) if u else None


def _turned(cell: Cell) -> bool:
    return cell_number(cell.text) is None and unturned(cell.text) is not None


def _sums(values: list[float]) -> bool:
    """One of the numbers is the sum of all the others (a total and its parts: 合计 = rows, 总投资 = 中央 + 地方)."""
    if len(values) < 3:
        return False
    big = max(values)
    return big > 0 and abs(big - (sum(values) - big)) <= max(0.011, big * 1e-6)


def _line_ok(t: Table, cell: Cell, axis: str) -> bool | None:
    """Does the table's own arithmetic hold on the row (``axis="row"``) or column of ``cell``? True: one number of
    the line is the sum of the others; False: the line has three numbers or more and none is; None: nothing to
    check (or a cell of the line unreadable). A leading 序号 (1, 2, 一 …) is left out of a row."""
    seen: list[Cell] = []
    n = t.cols if axis == "row" else t.rows
    for i in range(n):
        x = t.at(cell.r0, i) if axis == "row" else t.at(i, cell.c0)
        if x is not None and x.text and x not in seen:
            seen.append(x)
    nums, bad = [], False
    for x in seen:
        v = _num(x)
        if v is not None:
            nums.append((x, v[0]))
        elif is_percent(x.text) or not re.search(r"\d", x.text):
            continue
        elif not re.search(r"[\u4e00-\u9fff]", x.text):
            bad = True                              # a number garbled or signed (-1000): the line proves nothing
    values = [v for _x, v in nums]
    if axis == "row" and nums and nums[0][0].c0 == 0 and nums[0][1] < 100 and nums[0][1] == int(nums[0][1]):
        values = values[1:]
    if len(values) < 3:
        return None
    if _sums(values):
        return True
    return None if bad else False


def _verdict(checks: list[bool | None]) -> str:
    if any(c is True for c in checks):
        return "checked"
    return "contradicted" if any(c is False for c in checks) else "unchecked"


def _candidates_in_table(page: PageText, t: Table, doc_unit: str | None = None,
                         denied: list | None = None) -> list[dict]:
    out = []
    for label in t.cells:
        if not is_central_label(label.text):
            continue
        # (A) a column header: the values below it
        below = []
        for r in range(label.r1, t.rows):
            c = t.at(r, label.c0)
            if c is None or c is label or (below and below[-1][1] is c):
                continue
            if c.c0 < label.c0 or c.c1 > label.c1:
                continue
            n = _num(c)
            if n is not None:
                heads = [x for x in t.row_cells(r) if x.c1 <= label.c0 and x.text and _num(x) is None]
                is_total = any(_TOTAL_ROW.match(norm(x.text)) for x in heads)
                below.append((r, c, n, is_total))
        if below and _context(t, label, below[0][1]) == "year":
            continue                  # 其中：中央财政补助分年度 / 2023年度: one year's share, never the period's subsidy
        if below:
            totals = [b for b in below if b[3]]
            items = [b for b in below if not b[3]]
            if not totals and len(items) >= 2 and items[-1][2][0] == max(b[2][0] for b in items) and (
                    _sums([b[2][0] for b in items]) or _line_ok(t, items[-1][1], "row")):
                totals, items = [items[-1]], items[:-1]     # a 合计 row whose label the OCR put elsewhere
            if totals:
                _r, cell, (v, own), _t = totals[-1]
                s = sum(b[2][0] for b in items)
                col = (abs(s - v) <= max(0.011, abs(v) * 1e-6)) if items else None
                row = _line_ok(t, cell, "row")
                verdict = _verdict([col, row])
                method, strength = {"checked": ("table_total_checked", 0.95 if col else 0.9),
                                    "unchecked": ("table_total", 0.85)}.get(verdict, ("", 0))
                if col is False and row is not True and any(_line_ok(t, b[1], "row") is False for b in items):
                    verdict = "contradicted"
            elif len(items) == 1:
                _r, cell, (v, own), _t = items[0]
                verdict = _verdict([_line_ok(t, cell, "row"), _line_ok(t, cell, "col")])
                method, strength = ("table_value", 0.9 if verdict == "checked" else 0.85)
            else:
                v = sum(b[2][0] for b in items)
                cell, own = items[-1][1], items[-1][2][1]
                rows_ok = [_line_ok(t, b[1], "row") for b in items]
                verdict = "contradicted" if any(x is False for x in rows_ok) or any(_turned(b[1]) for b in items) \
                    else "unchecked"
                method, strength = "table_sum", 0.6
            if verdict == "contradicted" or (_turned(cell) and verdict != "checked"):
                _deny(denied, page, t, label, cell, v, own, doc_unit)   # the table's own sums deny it: unread
                continue
            out.append(_cand(page, t, label, cell, v, own, method, strength, doc_unit) | {"check": verdict})
            continue
        # (B) a row label: the values to its right (up to the next label), for the whole period, not one year
        right = []
        for c in range(label.c1, t.cols):
            x = t.at(label.r0, c)
            if x is None or x is label or (right and right[-1][0] is x):
                continue
            n = _num(x)
            if n is None:
                if x.text and not is_percent(x.text):
                    break                       # the next label (年度资金总额 | 其中：中央财政补助 | …)
                continue                        # an empty cell or a share (占比 26.7%)
            right.append((x, n, _context(t, label, x)))
        if right:
            whole = [x for x in right if x[2] == "whole"]
            plain = [x for x in right if x[2] == ""]
            pick = (whole or plain or [None])[0]
            if pick is None:
                continue
            cell, (v, own), _ctx = pick
            vals = [n[0] for _x, n, _c in right]
            row = (_sums(vals) or None) if len(vals) >= 3 and whole else None
            verdict = _verdict([row, _line_ok(t, cell, "col")])
            if verdict == "contradicted" and _line_ok(t, cell, "row") is True:
                verdict = "checked"
            if verdict == "contradicted" or (_turned(cell) and verdict != "checked"):
                _deny(denied, page, t, label, cell, v, own, doc_unit)
                continue
            strength = (0.9 if whole else 0.8) + (0.03 if verdict == "checked" else 0)
            out.append(_cand(page, t, label, cell, v, own, "table_row", strength, doc_unit) | {"check": verdict})
    return out


def _deny(denied: list | None, page, t, label, cell, v, own, doc_unit) -> None:
    """Keep a figure the table's arithmetic denied, so the officer is told why no subsidy was read."""
    if denied is not None:
        c = _cand(page, t, label, cell, v, own, "table_denied", 0.0, doc_unit)
        denied.append({"wan_yuan": c["wan_yuan"], "evidence": c["evidence"]})


def _cand(page, t, label, cell, v, own, method, strength, doc_unit=None) -> dict:
    unit, how = _unit(page, t, label, cell, own)
    if unit is None and doc_unit:                   # a wide sheet printed over two pages: 单位 on the other one
        unit, how = doc_unit, "document"
    if unit is None:                                # no unit anywhere: a subsidy in 元 has 8+ digits
        unit, how = ("元" if v >= 1e6 else "万元"), "inferred"
        strength -= 0.2
    wan = round(v * UNIT_FACTOR[unit], 4)
    x0 = min(label.box[0], cell.box[0])
    box = [x0, min(label.box[1], cell.box[1]), max(label.box[2], cell.box[2]), max(label.box[3], cell.box[3])]
    return {"wan_yuan": wan, "unit": unit, "unit_from": how, "method": method, "strength": round(strength, 3),
            "evidence": {"page": page.index + 1, "box": box, "source": page.source,
                         "text": f"{label.text} {_shown(cell)}{'' if own else unit}"[:120]}}


def _shown(cell: Cell) -> str:
    if _turned(cell):
        return f"{unturned(cell.text)}（识别为“{cell.text}”，倒置读回，表内合计相符）"
    return cell.text


def _doc_unit(pages: list[PageText]) -> str | None:
    for p in pages:
        u = _page_unit(p)
        if u:
            return u
    return None


def from_tables(pages: list[PageText], denied: list | None = None) -> list[dict]:
    out = []
    doc_unit = _doc_unit(pages)
    for p in pages:
        for t in tables(p) or []:
            out.extend(_candidates_in_table(p, t, doc_unit, denied))
    return out


def from_text(pages: list[PageText]) -> list[dict]:
    out = []
    flat = Flat(pages)
    text = flat.text
    for m in _TEXT.finditer(text):
        before = text[max(0, m.start() - 18): m.start()]
        clause = re.split(r"[。；;，,]", before)[-1]
        if any(x in clause for x in _REJECT_BEFORE) or re.search(r"20\d\d年(?!\d)", clause):
            continue
        wan = amount_wan(m.group("num"), m.group("unit"))
        if wan is None or wan <= 0:
            continue
        strength = 0.9 if any(x in clause for x in _GOOD_BEFORE) else 0.8
        out.append({"wan_yuan": wan, "unit": m.group("unit"), "unit_from": "text", "method": "text",
                    "strength": strength, "evidence": flat.evidence(m.start(), m.end())})
    return out


def from_rows(pages: list[PageText]) -> list[dict]:
    """Unruled tables (or rules lost in a 1-bit scan): rows of boxes, label then value."""
    out = []
    for p in pages:
        if p.cells:
            continue
        for t in row_tables(p):
            for c in _candidates_in_table(p, t, _doc_unit(pages)):
                c["strength"] = round(c["strength"] - 0.1, 3)
                c["method"] = "rows_" + c["method"]
                out.append(c)
    return out


PLAUSIBLE_WAN = (10.0, 1_000_000.0)     # a project's central subsidy: more than 10万元, less than 100亿元


def read_subsidy(pages: list[PageText], denied: list | None = None) -> dict | None:
    """The best candidate: tables before sentences when both exist; agreeing candidates strengthen each other.
    An implausible figure (a 序号 read as the amount, a unit lost) is no candidate at all."""
    cands = [c for c in from_tables(pages, denied) + from_text(pages) + from_rows(pages)
             if PLAUSIBLE_WAN[0] <= c["wan_yuan"] <= PLAUSIBLE_WAN[1]]
    if not cands:
        return None
    for c in cands:
        w = SOURCE_WEIGHT.get(c["evidence"].get("source", "ocr"), 0.9)
        agree = sum(1 for o in cands if o is not c and abs(o["wan_yuan"] - c["wan_yuan"]) < 0.01)
        c["strength"] = round(min(0.99, c["strength"] * w + 0.03 * min(agree, 3)), 3)
        c["agree"] = agree
    best = max(cands, key=lambda c: (c["strength"], c["agree"]))
    best = dict(best)
    best.pop("agree", None)
    return best
