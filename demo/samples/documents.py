"""Scanned-looking PDFs of each document kind (DESIGN.md): page images with Chinese text and red seals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from demo.samples import texts
from demo.samples.applicant import Applicant, cn_date, wan
from demo.samples.page import RED, Page, Writer, pt
from demo.samples.scan import scanned_pdf
from demo.samples.seal import stamp

PDF = "application/pdf"


@dataclass(frozen=True)
class SampleFile:
    """One generated file: its name as attached, intended document kind, bytes and intended page counts."""

    filename: str
    kind: str
    data: bytes
    content_type: str = PDF
    pages: int | None = None        # physical pages
    a4_pages: int | None = None     # A4 single-sided equivalents (an A3 page counts 2)
    note: str = ""


def _when(a: Applicant) -> datetime:
    return datetime.combine(a.signed, time(10, 30))


def _a4(pages: list[Page]) -> int:
    return sum(2 if p.paper == "A3" else 1 for p in pages)


def _file(name: str, kind: str, a: Applicant, pages: list[Page], what: str, *, colour=frozenset(),
          rotate=None, note: str = "") -> SampleFile:
    data = scanned_pdf(pages, a.rng(what + "/scan"), colour_pages=set(colour), title=name.rsplit(".", 1)[0],
                       when=_when(a), rotate=rotate)
    return SampleFile(name, kind, data, PDF, len(pages), _a4(pages), note)


def cover_letter_pages(a: Applicant, *, joint: bool = True, seal: bool = True, dpi: int = 150) -> list[Page]:
    """The 请示 on red letterhead (红头), signed by both departments with a seal over each name."""
    w = Writer(dpi=dpi, margins_mm=(25.0, 26.0, 30.0, 28.0))
    heads = [a.finance, a.hrss] if joint else [a.finance]
    for h in heads:
        w.text(h, size_pt=26, style="serif-bold", align="center", fill=RED)
    w.text(f"{a.doc_no}", size_pt=15, align="center")
    w.rule(RED, 4)
    w.skip(0.3)
    w.title(texts.cover_title(a, joint))
    w.text("财政部、人力资源社会保障部：")
    for p in texts.cover_body(a, joint):
        (w.heading if p[:2] in ("一、", "二、", "三、") else w.para)(p)
    w.skip(0.5)
    for i, line in enumerate(["附件："] + texts.attachments_list(a)):
        w.text(line, indent=2 if i == 0 else 0, x_offset=0 if i == 0 else pt(16, dpi) * 5)
    w.ensure(w.page.px(58))
    w.skip(1.4)
    p = w.page
    size = pt(16, dpi)
    centres = [p.left + p.width * 0.27, p.left + p.width * 0.70] if joint else [p.left + p.width * 0.68]
    from demo.samples.fonts import font
    f = font(size, "serif")
    y_names = p.y
    for unit, cx in zip(heads, centres):
        p.draw.text((cx, y_names), unit, font=f, fill=(25, 25, 25), anchor="ma")
    p.y += size * 2
    date = cn_date(a.signed)
    p.draw.text((centres[-1], p.y), date, font=f, fill=(25, 25, 25), anchor="ma")
    p.y += size * 3
    if seal:
        rng = a.rng("seal")
        for unit, cx in zip(heads, centres):
            stamp(p.image, unit, (round(cx + rng.uniform(-15, 15)), round(y_names + size * 1.8)), p.px(42), rng)
    w.text(f"（联系人：{a.contact[0]}，联系电话：{a.contact[1]}）", indent=2)
    return w.finish()


def cover_letter(a: Applicant, *, joint: bool = True, seal: bool = True, filename: str | None = None) -> SampleFile:
    pages = cover_letter_pages(a, joint=joint, seal=seal)
    name = filename or f"{texts.cover_title(a, joint).replace(' ', '')}.pdf"
    return _file(name, "cover_letter", a, pages, "cover", colour=range(len(pages)))


def plan(a: Applicant, city: str, pages: int = 4, filename: str | None = None, *, rotate=None) -> SampleFile:
    """实施方案 of exactly ``pages`` A4 pages; page 1 carries the title, the city and the 实施期限."""
    w = Writer()
    w.title(f"{city}{a.programme}\n实施方案")
    w.text(f"（{city}人民政府  {cn_date(a.signed)}）", size_pt=14, align="center")
    w.para(f"为做好{a.year}年{a.programme}申报工作，根据{a.call_doc_no}要求，结合{city}实际，制定本方案。"
           f"项目实施期限：{a.period_text}；申请中央财政补助资金{wan(a.subsidy_wan[city])}万元。")
    blocks: list[tuple[str, str]] = []
    for head, paras in texts.PLAN_SECTIONS:
        blocks.append(("h", head))
        blocks += [("p", texts.fill(p, a, city)) for p in paras]
    k = 0
    while True:
        if k < len(blocks):
            style, text = blocks[k]
        else:
            style, text = "p", texts.FILLER[(k - len(blocks)) % len(texts.FILLER)]
        if len(w.pages) == pages and not _fits(w, text):
            break
        if len(w.pages) > pages:
            break
        (w.heading if style == "h" else w.para)(text)
        k += 1
    result = w.finish()[:pages]
    return _file(filename or f"{city}实施方案.pdf", "plan", a, result, f"plan/{city}", rotate=rotate)


def _fits(w: Writer, text: str) -> bool:
    from demo.samples.page import wrap
    lines = len(wrap(text, w.body, w.page.width, "serif", 2))
    return w.page.room() >= lines * (w.body + w.line_gap)


def budget_rows(a: Applicant, city: str, detail: int = 0) -> list[list[str]]:
    """Rows of the 资金预算表 (万元): items × funding sources, the 合计 row last; sums are exact."""
    items = ["零工市场建设", "就业服务信息化平台", "基层公共就业服务站点改造", "公共就业服务人员能力提升", "就业服务专项活动"]
    for i in range(detail):
        items.append(f"{items[i % 5]}（{'二三四五六七八九十'[i // 5 % 9]}期）")
    shares = [0.34, 0.26, 0.18, 0.12, 0.10] + [0.0] * detail
    if detail:
        shares = [1 / len(items)] * len(items)
    cents = round(a.subsidy_wan[city] * 100)
    central = [round(cents * s) for s in shares]
    central[-1] += cents - sum(central)
    table = []
    for c in central:
        prov, cityf, other = round(c * 0.25), round(c * 0.2), round(c * 0.15)
        table.append([c + prov + cityf + other, c, prov, cityf, other])
    sums = [sum(col) for col in zip(*table)]
    rows = [[str(i), item] + [wan(v / 100) for v in vals] + [""]
            for i, (item, vals) in enumerate(zip(items, table), 1)]
    rows.append(["", "合计"] + [wan(v / 100) for v in sums] + [""])
    return rows


BUDGET_HEADER = ["序号", "项目内容", "总预算", "中央财政补助资金", "省级财政补助资金", "市级财政补助资金", "其他渠道资金", "备注"]


def budget(a: Applicant, city: str, *, a3_pages: int = 0, filename: str | None = None) -> SampleFile:
    """资金预算表 in 万元; with ``a3_pages`` a wide A3 landscape print: 总表 then one 明细表 per page."""
    if not a3_pages:
        w = Writer()
        w.title(f"{city}{a.programme}\n资金预算表")
        w.text(f"填报单位：{a.finance}（盖章）    实施期限：{a.period_text}    单位：万元", size_pt=11)
        w.table([BUDGET_HEADER] + budget_rows(a, city), [0.7, 3.2, 1.5, 1.6, 1.6, 1.6, 1.5, 0.9], size_pt=10)
        w.skip(0.5)
        w.text(f"说明：中央财政补助资金合计{wan(a.subsidy_wan[city])}万元。", size_pt=11)
        return _file(filename or f"{city}资金预算表.pdf", "budget", a, w.finish(), f"budget/{city}")
    w = Writer(paper="A3", landscape=True, margins_mm=(25.0, 20.0, 20.0, 20.0))
    w.title(f"{city}{a.programme}资金预算表")
    w.text(f"填报单位：{a.finance}（盖章）          实施期限：{a.period_text}          单位：万元", size_pt=12)
    w.table([BUDGET_HEADER] + budget_rows(a, city), [0.6, 4, 1.6, 1.9, 1.9, 1.9, 1.6, 2.5], size_pt=13)
    w.skip(0.5)
    w.text(f"说明：中央财政补助资金合计{wan(a.subsidy_wan[city])}万元，明细见后附分项预算明细表。", size_pt=12)
    detail = budget_rows(a, city, detail=(a3_pages - 1) * 20)[:-1]
    for k in range(1, a3_pages):
        w.new_page()
        w.title(f"分项资金预算明细表（{k}）", 18)
        head = ["序号", "项目内容", "建设内容及测算依据", "实施年度", "总预算", "中央财政补助资金", "省级财政补助资金",
                "市级财政补助资金", "其他渠道资金"]
        rows = []
        for r in detail[(k - 1) * 20:k * 20]:
            year = a.period[int(r[0]) % 2]
            rows.append([r[0], r[1], f"按{year}年建设任务和市场价格测算", f"{year}年"] + r[2:7])
        w.table([head] + rows, [0.6, 3.2, 3.6, 1.1, 1.4, 1.6, 1.6, 1.6, 1.4], size_pt=12)
    pages = w.finish()
    return _file(filename or f"{city}资金预算表.pdf", "budget", a, pages, f"budget/{city}",
                 note=f"{len(pages)} 页 A3 横向")


def performance_targets(a: Applicant, city: str, filename: str | None = None) -> SampleFile:
    """中央对地方转移支付项目绩效目标表: 基本信息, 年度目标, then 产出/效益/满意度 indicators."""
    w = Writer(margins_mm=(25.0, 20.0, 22.0, 20.0))
    w.title("中央对地方转移支付项目绩效目标表", 20)
    w.text(f"（{a.year}年度）", size_pt=14, align="center")
    sub, tot = wan(a.subsidy_wan[city]), wan(a.total_wan[city])
    info = [
        ["项目名称", f"{city}{a.programme}", None, None],
        ["中央主管部门", "财政部、人力资源社会保障部", "实施期", a.period_text],
        ["省级财政部门", a.finance, "省级主管部门", a.hrss],
        ["资金情况（万元）", f"实施期金额：{tot}", "年度金额", tot],
        ["其中：中央财政补助", sub, "地方资金及其他资金", wan(a.total_wan[city] - a.subsidy_wan[city])],
        ["年度目标", "目标1：新建或改造提升零工市场，实现供需精准对接。目标2：建成就业服务信息平台并上线运行。"
                     "目标3：基层公共就业服务能力明显提升。", None, None],
    ]
    w.table(info, [1.6, 2.6, 1.4, 2.2], size_pt=10.5, header_rows=0)
    rows = [["一级指标", "二级指标", "三级指标", "指标值"]]
    rows += [[x[0], x[1], x[2], texts.fill(x[3], a, city)] for x in texts.PERF_INDICATORS]
    w.table(rows, [1.2, 1.6, 3.2, 1.6], size_pt=10.5)
    return _file(filename or f"{city}绩效目标表.pdf", "performance_targets", a, w.finish(), f"perf/{city}")
