"""The central subsidy read from a table is checked against the table's own sums (issue 11's misreads as classes):
a figure the sums deny is no reading (a wrong number is worse than "unread"), a number the OCR read upside down
(0008) is turned back only when the sums confirm it, a share column (26.7%) does not end a row."""
from __future__ import annotations

from precheck.files.ocr_engine import Line
from precheck.reading.numbers import cell_number, unturned
from precheck.reading.page import PageText
from precheck.reading.subsidy import from_tables, read_subsidy

W, H = 200, 60          # one cell


def grid(rows: list[list[str]], *, x0: int = 100, y0: int = 300, shift: dict | None = None) -> PageText:
    """A ruled table: every row a list of cell texts ("" = empty cell). ``shift`` {(r, c): dy} moves a cell's text
    down by dy pixels (a photographed page whose rows do not line up)."""
    cells, lines = [], []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            box = (x0 + c * W, y0 + r * H, x0 + (c + 1) * W, y0 + (r + 1) * H)
            cells.append(box)
            if text:
                dy = (shift or {}).get((r, c), 0)
                b = (box[0] + 10, box[1] + 15 + dy, box[2] - 10, box[3] - 15 + dy)
                lines.append(Line(text, b, 0.99, ()))
    lines.append(Line("单位：万元", (x0, y0 - 60, x0 + 300, y0 - 20), 0.99, ()))
    return PageText(0, 2480, 3508, lines, cells, "ocr", 0.99)


def test_numbers_read_upside_down_are_turned_back():
    assert cell_number("0008") is None and unturned("0008") == "8000"
    assert unturned("0006") == "9000" and unturned("006") == "900" and unturned("00.000,8") == "8,000.00"
    assert unturned("0.5") is None and unturned("8000") is None and cell_number("0.5") == (0.5, None)


def test_a_total_row_whose_label_the_ocr_put_elsewhere_is_found_by_the_row_sums():
    # a phone photo: the first item row is lost, the 合计 label sits a row above its figures; summing the column
    # (the old reading) gave 1820 + 1260 + 560 + 7000 = 10640
    rows = [["序号", "建设内容", "总投资", "中央财政补助资金", "省级财政资金", "市级财政资金"],
            ["2", "信息化平台", "2860", "1820", "520", "520"],
            ["3", "服务网点", "1980", "1260", "360", "360"],
            ["4", "培训", "880", "560", "160", "160"],
            ["合计", "", "", "", "", ""],
            ["", "", "11000", "7000", "2000", "2000"]]
    s = read_subsidy([grid(rows)])
    assert s["wan_yuan"] == 7000 and s["check"] == "checked"


def test_a_total_the_sums_deny_is_left_unread():
    rows = [["序号", "建设内容", "总投资", "中央财政补助资金", "地方资金"],
            ["1", "零工市场", "4620", "2940", "1680"],
            ["2", "信息化平台", "2860", "1820", "1040"],
            ["合计", "", "7480", "11060", "2720"]]     # 11060: misread; neither 2940 + 1820 nor 7480 - 2720
    denied = []
    assert read_subsidy([grid(rows)], denied) is None
    assert [d["wan_yuan"] for d in denied] == [11060] and "11060" in denied[0]["evidence"]["text"]
    rows[3][3] = "4760"
    assert read_subsidy([grid(rows)])["wan_yuan"] == 4760


def test_an_upside_down_figure_confirmed_by_the_column_sum():
    # a targets table: 实施期资金总额 13000 = 中央 8000 + 地方 5000, the 8000 read as 0008
    rows = [["项目资金", "", "实施期资金总额", "年度资金总额"],
            ["", "资金总额", "13000", "6500"],
            ["", "其中：中央财政补助", "0008", "4000"],
            ["", "地方资金", "5000", "2500"]]
    s = read_subsidy([grid(rows)])
    assert s["wan_yuan"] == 8000 and "倒置" in s["evidence"]["text"]
    rows[3][2] = ""                                  # nothing left to confirm the turned reading: unread
    assert read_subsidy([grid(rows)]) is None


def test_year_columns_with_shares_between_them():
    # an A3 budget: 金额 and 占比 columns per year; the share cell is not "the next label"
    rows = [["资金来源", "2023年", "", "2024年", "", "合计", ""],
            ["", "金额", "占比", "金额", "占比", "金额", "占比"],
            ["中央财政补助", "4,000.00", "26.7%", "3,500.00", "23.3%", "7,500.00", "50.0%"],
            ["省级财政补助", "4,000.00", "26.7%", "3,500.00", "23.3%", "7,500.00", "50.0%"],
            ["合计", "8,000.00", "53.3%", "7,000.00", "46.7%", "15,000.00", "100%"]]
    s = read_subsidy([grid(rows)])
    assert s["wan_yuan"] == 7500 and s["check"] == "checked"


def test_a_central_subsidy_split_by_year_is_not_the_periods_subsidy():
    # a budget with 中央财政补助 for the whole period and a merged group "其中：中央财政补助分年度" over 2023年度 /
    # 2024年度: the first year's column (its own sums hold too) is one year's share, not the subsidy
    rows = [["序号", "项目内容", "中央财政补助", "省级财政补助", "合计", "其中：中央财政补助分年度", ""],
            ["", "", "", "", "", "2023年度", "2024年度"],
            ["1", "技能培训", "3072", "768", "3840", "1382", "1690"],
            ["2", "零工市场", "2112", "528", "2640", "950", "1162"],
            ["", "合计", "5184", "1296", "6480", "2332", "2852"]]
    p = grid(rows)
    n = len(rows[0])
    a, b = p.cells[5], p.cells[6]                      # merge (0,5) and (0,6)
    p.cells[5] = (a[0], a[1], b[2], b[3])
    del p.cells[6]
    assert n == 7
    assert sorted(c["wan_yuan"] for c in from_tables([p])) == [5184]      # no candidate from a year's column
    s = read_subsidy([p])
    assert s["wan_yuan"] == 5184 and s["check"] == "checked", s


def test_an_officer_is_told_why_no_subsidy_was_read():
    """The figure the sums denied reaches the subsidy_unreadable finding (page and words), through the reading
    (read_document → merge_facts) and the dossier check itself."""
    from datetime import timedelta
    from types import SimpleNamespace

    from config.call import load_call
    from precheck import checks
    from precheck.checks.context import DossierContext
    from precheck.reading.document import merge_facts, read_document

    call = load_call("2023")
    rows = [["序号", "建设内容", "总投资", "中央财政补助资金", "地方资金"],
            ["1", "零工市场", "4620", "2940", "1680"],
            ["2", "信息化平台", "2860", "1820", "1040"],
            ["合计", "", "7480", "11060", "2720"]]
    page = grid(rows)
    page.lines.insert(0, Line("资金预算表", (100, 150, 600, 200), 0.99, ()))
    facts = read_document([page], filename="附件3：资金预算表.pdf", call=call)
    a = merge_facts({"family": "pdf"}, facts)
    assert a.get("subsidy") is None and a["subsidy_denied"][0]["wan_yuan"] == 11060
    doc = SimpleNamespace(kind="budget", filename="附件3：资金预算表.pdf", analysis=a, pages=1)
    ctx = DossierContext(call=call, province="山东省", now=call.deadline - timedelta(hours=1),
                         submissions=[SimpleNamespace(on_time=True, province="山东省", date_sent=None, sender=None)],
                         documents=[doc], all_documents=[doc])
    found = [f for f in checks.run("dossier", ctx) if f.code == "subsidy_unreadable"]
    assert len(found) == 1 and "与表内合计不符" in found[0].message and "11060" in found[0].message
    assert found[0].figures["denied"][0]["wan_yuan"] == 11060
    a2 = merge_facts(a, {"subsidy": {"wan_yuan": 4760, "strength": 0.95, "evidence": {"source": "ocr"}}})
    assert "subsidy_denied" not in a2                  # a reading later: the denial is history
