"""One builder per kind of document a province sends. Each writes a .docx or .xlsx laid out page by
page (explicit page breaks, so the page count is known by construction) and returns what it stated:
the facts (cities, subsidy, period) with the exact words used, and where seals go."""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

import corpus_text as T
from office import RED, SANS, SERIF, Docx, xl_box, xlsx_save, xlsx_sheet

AREA_CODES = {"广东省": "020", "山东省": "0531", "河南省": "0371", "湖北省": "027", "浙江省": "0571", "四川省": "028",
              "江苏省": "025", "湖南省": "0731", "河北省": "0311", "甘肃省": "0931", "福建省": "0591", "安徽省": "0551",
              "江西省": "0791", "陕西省": "029", "山西省": "0351", "辽宁省": "024"}
WHERE = {"广东省": "北部", "山东省": "东部沿海", "河南省": "西部", "湖北省": "西部", "浙江省": "东南部", "四川省": "北部",
         "江苏省": "西北部", "湖南省": "东部", "河北省": "中部", "甘肃省": "东南部", "福建省": "东南沿海", "安徽省": "东南部",
         "江西省": "南部", "陕西省": "西部", "山西省": "东南部", "辽宁省": "南部", }


@dataclass
class Ctx:
    province: str
    short: str              # 粤
    city: str               # the city this document is about (first city for a cover letter)
    project: dict           # truth.json project of that city
    start: tuple[int, int]  # first month of the implementation period
    doc_no: str
    date: str               # 2023年3月24日
    rng: random.Random
    cities: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    signers: tuple[str, str] = ("王志刚", "李建国")

    @property
    def fin(self) -> str:
        return f"{self.province}财政厅"

    @property
    def hr(self) -> str:
        return f"{self.province}人力资源和社会保障厅"

    @property
    def city_short(self) -> str:
        return self.city[:-1]

    def nums(self) -> dict:
        d = T.numbers(self.rng)
        d.update(city=self.city, prov=self.province, short=self.city_short, where=WHERE.get(self.province, ""))
        return d


@dataclass
class Stated:
    """What a document says, as the generator wrote it (goes to manifest.json)."""
    cities: list[str] | None = None
    central_wan: int | None = None
    central_text: str | None = None
    period_months: int | None = None
    period_text: str | None = None
    central_page: int | None = None   # 1-based page where the subsidy / the period is stated
    period_page: int | None = None
    joint: bool | None = None         # cover letters: both departments issue it
    seals: list[dict] = field(default_factory=list)  # {"page": i (0-based, -1 last), "anchor": text, "name": seal text}
    pages: int = 0


def _lines(text: str, cpl: int, indent: int = 2) -> int:
    width = indent + sum(0.55 if ord(ch) < 128 else 1.0 for ch in text)
    return max(1, math.ceil(width / cpl))


# ---- cover letters (请示 / 函) --------------------------------------------------------------------

def _red_head(d: Docx, ctx: Ctx, joint: bool, letter: bool) -> None:
    if joint:
        t = d.table(2, 2, [120, 36], grid=False)
        a, b = t.cell(0, 1), t.cell(1, 1)
        a.merge(b)
        for r, name in enumerate((ctx.fin, ctx.hr)):
            d.put(t.cell(r, 0), name, pt=24, font=SERIF, bold=True, align="distribute", line=40, color=RED)
        d.put(t.cell(0, 1), "文件", pt=40, font=SERIF, bold=True, align="center", line=60, color=RED)
        d.p("", line=14)
    else:
        d.p(ctx.fin, pt=40 if letter else 34, bold=True, align="center", color=RED, line=60, font=SERIF)
        d.p("", line=10)


def _doc_number(d: Docx, ctx: Ctx, with_signer: bool) -> None:
    p = d.p("", align="left", indent=0)
    d.right_tab(p)
    d.run(p, ctx.doc_no)
    if with_signer:
        d.run(p, "\t签发人：")
        d.run(p, "　".join(ctx.signers), font=SERIF, bold=True)


def cover_letter(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """A 请示 (joint) or a 函 of 财政厅 alone, two pages (or one when rec['one_page'])."""
    joint = rec.get("joint", True)
    letter = not joint
    one_page = rec.get("one_page", False)
    d = Docx(margins=(30 if one_page else 37, 28 if one_page else 35, 28, 26), pt=15 if one_page else 16,
             line=25 if one_page else 28)
    st = Stated(joint=joint)
    _red_head(d, ctx, joint, letter)
    if letter:
        p = d.p(ctx.doc_no, align="right", indent=0)
    else:
        _doc_number(d, ctx, with_signer=True)
    d.rule(double=letter)
    d.p("", line=18 if one_page else 28)
    kind = "函" if letter else "请示"
    issuers = ctx.fin if letter else f"{ctx.fin}　{ctx.hr}"
    title = rec.get("title") or f"{issuers}关于报送2023年公共就业服务能力提升示范项目申报材料的{kind}"
    d.p(title, pt=20 if one_page else 22, bold=True, align="center", line=30 if one_page else 34, font=SERIF)
    d.p("", line=14 if one_page else 20)
    d.p("财政部、人力资源社会保障部：", align="left", indent=0)
    cities_txt = rec.get("cities_text") or "、".join(ctx.cities)
    st.cities = list(ctx.cities)
    basis = "根据《财政部办公厅 人力资源社会保障部办公厅关于组织申报2023年公共就业服务能力提升示范项目的通知》（财办社〔2023〕22号）要求，"
    sel = rec.get("selection", "plain")
    if letter:
        p1 = basis + f"我厅认真组织开展了示范项目申报工作。经省人民政府同意，并商省人力资源社会保障厅同意，现推荐{cities_txt}申报2023年公共就业服务能力提升示范项目。"
    elif sel == "competitive":
        others = rec["others"]
        p1 = basis + f"我们组织{others}等{rec['n_applied']}个地市开展竞争性评审，经省人民政府同意，择优推荐{cities_txt}申报2023年公共就业服务能力提升示范项目。"
    elif sel == "cp":
        p1 = basis + f"经省人民政府同意，我省推荐{rec['cp_city']}（计划单列市）和{rec['other_city']}申报2023年公共就业服务能力提升示范项目。"
    elif one_page:
        p1 = basis + f"经省人民政府同意，现推荐{cities_txt}申报2023年公共就业服务能力提升示范项目。"
    else:
        p1 = basis + f"我们高度重视，认真组织开展了申报工作。经省人民政府同意，现推荐{cities_txt}申报2023年公共就业服务能力提升示范项目。"
    d.p(p1)
    n = ctx.nums()
    if not one_page:
        d.p(T.fill(rec.get("p2", "{city}就业工作基础扎实，近年来累计实现城镇新增就业{jobs}万人，建成零工市场{zero}个、基层就业服务站{station}个，公共就业服务网络覆盖城乡，具备实施示范项目的良好条件。"), n))
    facts = []
    if "money" in rec:
        w = ctx.project["central_wan"]
        st.central_wan, st.central_text = w, T.money(w, rec["money"])
        facts.append(f"总投资{ctx.project['total_wan']}万元，其中申请中央财政补助资金{st.central_text}")
    if "period" in rec:
        st.period_months = ctx.project["period_months"]
        st.period_text = T.period(ctx.start, st.period_months, rec["period"])
        facts.append(f"实施期限为{st.period_text}")
    body2 = []
    if facts:
        body2.append(f"{ctx.city}示范项目" + "，".join(facts) + "。")
    if not one_page:
        body2.append("我们对项目实施的必要性、实施条件、建设内容、资金使用情况和资金测算等进行了认真审查，认为项目符合申报要求，并对审查结果负责。现将有关申报材料随文报送，请予审定。")
    if st.central_wan is not None:
        st.central_page = 1 if one_page else 2
    if st.period_months is not None:
        st.period_page = 1 if one_page else 2
    closing = "特此函告。" if letter else "妥否，请示。"
    first2 = True
    for para in body2:
        d.p(para, page_break=(first2 and not one_page))
        first2 = False
    d.p(closing, page_break=(first2 and not one_page))
    d.p("", line=14 if one_page else 28)
    atts = ctx.attachments
    for k, a in enumerate(atts):
        lead = "附件：" if k == 0 else "　　　"
        d.p(f"{lead}{k + 1}．{a}", align="left", indent=0, hanging=5.0 if False else None, left_mm=0)
    d.p("", line=20 if one_page else 40)
    d.p("", line=20 if one_page else 28)
    if joint:
        t = d.table(1, 2, [78, 78], grid=False)
        d.put(t.cell(0, 0), ctx.fin, pt=d.pt, align="center", line=d.line)
        d.put(t.cell(0, 1), ctx.hr, pt=d.pt, align="center", line=d.line)
        p = d.p(ctx.date, align="right", indent=0)
        p.paragraph_format.right_indent = Pt_(12)
        st.seals = [{"page": -1, "anchor": ctx.fin, "name": ctx.fin}, {"page": -1, "anchor": ctx.hr, "name": ctx.hr}]
    else:
        p = d.p(ctx.fin, align="right", indent=0)
        p.paragraph_format.right_indent = Pt_(40)
        p = d.p(ctx.date, align="right", indent=0)
        p.paragraph_format.right_indent = Pt_(32)
        st.seals = [{"page": -1, "anchor": ctx.fin, "name": ctx.fin}]
    if not one_page:
        d.p("", line=20)
    area = AREA_CODES.get(ctx.province, "010")
    who = ctx.rng.choice(T.CONTACTS)
    d.p(f"（联系人：{who}，联系电话：{area}-{ctx.rng.randint(8300_0000, 8899_9999)}）", align="left", indent=2)
    if rec.get("unsealed"):
        st.seals = []
    st.pages = 1 if one_page else 2
    d.save(path)
    return st


def Pt_(x):
    from docx.shared import Pt
    return Pt(x)


# ---- 实施方案 ---------------------------------------------------------------------------------------

def _schedule(start: tuple[int, int], months: int) -> list[str]:
    y0, m0 = start
    a_end = T.add_months(y0, m0, 2)
    b_start = T.add_months(y0, m0, 3)
    b_end = T.add_months(y0, m0, months - 4)
    c_start = T.add_months(y0, m0, months - 3)
    c_end = T.add_months(y0, m0, months - 1)
    f = lambda ym: f"{ym[0]}年{ym[1]}月"
    return [f"{f((y0, m0))}—{f(a_end)}", f"{f(b_start)}—{f(b_end)}", f"{f(c_start)}—{f(c_end)}"]


def plan(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """An 实施方案 of exactly rec['pages'] pages. The sections flow in order; 五 (实施期限, whose first
    paragraph states the period) opens on rec['period_page'] and 六 (资金, whose first paragraph states the
    money) on rec['money_page'] (1-based). 三 (主要建设内容) stretches, repeating its bank with fresh
    figures if it must, so that 五 lands where the recipe says; 七 fills the rest of the last page."""
    pages = rec["pages"]
    d = Docx(margins=(30, 28, 28, 26), pt=15, line=26)
    cpl, budget = 29, 21.0
    st = Stated(cities=[ctx.city], pages=pages)
    n = ctx.nums()
    t4 = rec.get("period_page", max(2, round(pages * 0.6)))
    t5 = rec.get("money_page", min(pages, t4 + (1 if pages >= 6 else 0)))
    assert 1 <= t4 <= t5 <= pages, (t4, t5, pages)
    fixed: dict[int, list[str]] = {k: [] for k in range(7)}
    if "period" in rec:
        st.period_months = ctx.project["period_months"]
        st.period_text = T.period(ctx.start, st.period_months, rec["period"])
        fixed[4].append(f"{rec.get('period_lead', '项目实施期限为')}{st.period_text}，分三个阶段推进。")
        for ph, txt in zip(_schedule(ctx.start, st.period_months), T.BANK[4]):
            head, rest = txt.split("。", 1)
            fixed[4].append(f"{head}（{ph}）。{rest}")
    else:
        fixed[4].append("项目按照启动、全面实施、总结验收三个阶段推进，各阶段任务和时间节点见进度安排表。")
        fixed[4].extend(T.BANK[4])
    pj = ctx.project
    if "money" in rec:
        st.central_wan, st.central_text = pj["central_wan"], T.money(pj["central_wan"], rec["money"])
        other = rec.get("others_style", "wan")
        parts = [f"申请中央财政补助资金{st.central_text}", f"省级财政补助{T.money(pj['provincial_wan'], other)}",
                 f"市级财政配套{T.money(pj['city_wan'], other)}"]
        if pj["other_wan"]:
            parts.append(f"社会资本等其他资金{T.money(pj['other_wan'], other)}")
        fixed[5].append(f"项目资金总规模{T.money(pj['total_wan'], other)}，其中：" + "，".join(parts) + "。")
    else:
        fixed[5].append("项目所需资金总规模及各级财政补助资金、其他渠道筹集资金的规模详见资金预算表。")
    banks = {0: T.BANK[0], 1: T.BANK[1], 2: T.BANK[2] + T.BANK[3], 3: T.BANK[3], 4: T.SCHEDULE_EXTRA,
             5: T.BANK[5], 6: T.BANK[6]}
    queue = {k: list(range(len(v)))[::-1] for k, v in banks.items()}  # in the bank's order: (一) before (二)

    def fresh(k: int) -> bool:
        return bool(queue[k])

    def filler(k: int) -> str:
        if not queue[k]:  # bank used up: repeat it with new figures
            queue[k] = list(range(len(banks[k])))[::-1]
            n.update(ctx.nums())
        return T.fill(banks[k][queue[k].pop()], n)

    layout: list[list[tuple[str, str]]] = [[]]
    left = [budget - 3.2]
    layout[0] += [("title", f"{ctx.city}公共就业服务能力提升示范项目实施方案"), ("sub", f"{ctx.city}人民政府")]

    def page() -> int:
        return len(layout)

    def put(kind: str, text: str, need: float, *, may_break: bool = True) -> bool:
        if need > left[-1]:
            if not may_break or page() >= pages:
                return False
            layout.append([])
            left.append(budget)
        layout[-1].append((kind, text))
        left[-1] -= need
        return True

    def section(k: int, *, must_fit: bool = False) -> None:
        first = fixed[k][0] if fixed[k] else None
        need = 1.3 + (_lines(first, cpl) if first else 3)
        if need > left[-1]:
            if must_fit or page() >= pages:
                raise RuntimeError(f"{path.name}: section {k + 1} does not fit on page {page()}")
            layout.append([])
            left.append(budget)
        put("h", T.PLAN_SECTIONS[k], 1.3)
        for para in fixed[k]:
            if not put("p", para, _lines(para, cpl), may_break=not must_fit or page() < pages):
                raise RuntimeError(f"{path.name}: fixed text of section {k + 1} overflows the last page")

    def fill(k: int, until, *, at_least: int = 0) -> None:
        """Add paragraphs of section k while until() holds (and at least `at_least` of them)."""
        count = 0
        while count < at_least or until():
            para = filler(k)
            if not put("p", para, _lines(para, cpl), may_break=page() < pages):
                return
            count += 1

    cap0, cap1 = max(1, round(pages * 0.12)), max(1, round(pages * 0.22))
    section(0)
    fill(0, lambda: fresh(0) and page() <= cap0 and left[-1] > 6, at_least=1)
    section(1)
    fill(1, lambda: fresh(1) and page() <= cap1 and left[-1] > 6, at_least=1)
    section(2)
    fill(2, lambda: page() < t4 - 1 or (page() == t4 - 1 and left[-1] > 10 and fresh(2)), at_least=2)
    if page() > t4:
        raise RuntimeError(f"{path.name}: content before 五 already reaches page {page()} > {t4}")
    section(3)
    fill(3, lambda: page() < t4, at_least=1 if page() < t4 else 0)
    if page() != t4:
        raise RuntimeError(f"{path.name}: 五 would open on page {page()}, recipe says {t4}")
    section(4, must_fit=True)
    fill(4, lambda: page() < t5)
    if page() != t5:
        raise RuntimeError(f"{path.name}: 六 would open on page {page()}, recipe says {t5}")
    section(5, must_fit=True)
    fill(5, lambda: fresh(5) and page() == t5)
    section(6)
    fill(6, lambda: True)
    if page() != pages:
        raise RuntimeError(f"{path.name}: laid out {page()} pages, recipe says {pages}")
    st.period_page = t4 if st.period_months is not None else None
    st.central_page = t5 if st.central_wan is not None else None
    for pg, blocks in enumerate(layout):
        for j, (typ, text) in enumerate(blocks):
            br = pg > 0 and j == 0
            if typ == "title":
                d.p(text, pt=20, bold=True, align="center", line=34, font=SERIF)
            elif typ == "sub":
                d.p(text, pt=15, align="center", line=30)
            elif typ == "h":
                d.p(text, pt=16, bold=True, align="left", indent=2, line=30, font=SANS, page_break=br)
            else:
                d.p(text, page_break=br)
    d.save(path)
    return st


# ---- 资金预算表 -------------------------------------------------------------------------------------

def _split(v: float, shares: list[float], step: int = 100) -> list[float]:
    out = [round(v * s / step) * step for s in shares[:-1]]
    out.append(v - sum(out))
    return out


def _years(ctx: Ctx) -> list[int]:
    ey, _ = T.add_months(ctx.start[0], ctx.start[1], ctx.project["period_months"] - 1)
    return list(range(ctx.start[0], ey + 1))


SOURCES = [("中央财政补助", "central_wan"), ("省级财政补助", "provincial_wan"), ("市级财政补助", "city_wan"), ("其他资金", "other_wan")]
USES = ["特色技能培训", "零工市场和人力资源市场建设", "重点群体就业帮扶", "智慧就业平台建设", "基层公共就业服务能力建设"]
USE_SHARES = [0.3, 0.2, 0.15, 0.25, 0.1]


def budget_docx(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """A budget as a Word table: sources (single amount column or one column per year) and uses."""
    pj = ctx.project
    sty = rec["fmt"]
    unit = "元" if sty.startswith("yuan") else "万元"
    d = Docx(margins=(25, 22, 20, 20), pt=12, line=20)
    st = Stated(cities=[ctx.city], central_wan=pj["central_wan"], pages=1, central_page=1)
    st.central_text = T.cell(pj["central_wan"], sty)
    d.p(f"{ctx.city}公共就业服务能力提升示范项目资金预算表", pt=18, bold=True, align="center", line=30)
    d.p("", line=8)
    header_unit = rec.get("unit_in_header", True)
    if not header_unit:
        d.p(f"单位：{unit}", align="right", indent=0, pt=11, line=18)
    amount_h = f"金额（{unit}）" if header_unit else "金额"
    labels = rec.get("labels", {})
    total = pj["total_wan"]
    if rec.get("layout") == "years":
        yrs = _years(ctx)
        shares = [0.55, 0.45] if len(yrs) == 2 else [0.4, 0.35, 0.25]
        ncol = 3 + len(yrs)
        w = [34] + [24] * len(yrs) + [26, 170 - 34 - 26 - 24 * len(yrs)]
        t = d.table(7, ncol, w)
        t.cell(0, 0).merge(t.cell(1, 0))
        t.cell(0, 1).merge(t.cell(0, len(yrs)))
        t.cell(0, 1 + len(yrs)).merge(t.cell(1, 1 + len(yrs)))
        t.cell(0, 2 + len(yrs)).merge(t.cell(1, 2 + len(yrs)))
        d.put(t.cell(0, 0), "资金来源", bold=True)
        d.put(t.cell(0, 1), f"年度预算（{unit}）", bold=True)
        d.put(t.cell(0, 1 + len(yrs)), f"合计（{unit}）", bold=True)
        d.put(t.cell(0, 2 + len(yrs)), "备注", bold=True)
        for j, y in enumerate(yrs):
            d.put(t.cell(1, 1 + j), f"{y}年", bold=True)
        col_tot = [0.0] * len(yrs)
        for i, (lab, key) in enumerate(SOURCES):
            v = pj[key]
            parts = _split(v, shares)
            d.put(t.cell(2 + i, 0), labels.get(key, lab), align="left")
            for j, x in enumerate(parts):
                d.put(t.cell(2 + i, 1 + j), T.cell(x, sty), align="right")
                col_tot[j] += x
            d.put(t.cell(2 + i, 1 + len(yrs)), T.cell(v, sty), align="right")
            d.put(t.cell(2 + i, 2 + len(yrs)), "", align="left")
        d.put(t.cell(6, 0), "合计", bold=True)
        for j, x in enumerate(col_tot):
            d.put(t.cell(6, 1 + j), T.cell(x, sty), align="right", bold=True)
        d.put(t.cell(6, 1 + len(yrs)), T.cell(total, sty), align="right", bold=True)
        for r in t.rows:
            r.height = Pt_(26)
    else:
        t = d.table(7, 5, [14, 50, 36, 22, 48])
        heads = ["序号", "资金来源", amount_h, "占比", "备注"]
        for j, h in enumerate(heads):
            d.put(t.cell(0, j), h, bold=True)
        notes = {"central_wan": "申请中央财政支持", "provincial_wan": "省级就业补助资金", "city_wan": "市级财政预算安排",
                 "other_wan": "社会资本、企业投入等"}
        for i, (lab, key) in enumerate(SOURCES):
            v = pj[key]
            d.put(t.cell(1 + i, 0), "一二三四"[i])
            d.put(t.cell(1 + i, 1), labels.get(key, lab), align="left")
            d.put(t.cell(1 + i, 2), T.cell(v, sty), align="right")
            d.put(t.cell(1 + i, 3), f"{v / total * 100:.2f}%")
            d.put(t.cell(1 + i, 4), notes[key], align="left", pt=10)
        t.cell(5, 0).merge(t.cell(5, 1))
        d.put(t.cell(5, 0), "合　　计", bold=True)
        d.put(t.cell(5, 2), T.cell(total, sty), align="right", bold=True)
        d.put(t.cell(5, 3), "100%")
        d.put(t.cell(5, 4), "")
        t.cell(6, 0).merge(t.cell(6, 4))
        d.put(t.cell(6, 0), "注：各级财政补助资金按项目实施进度分年度拨付。", align="left", pt=10)
        for r in t.rows:
            r.height = Pt_(28)
    d.p("", line=16)
    d.p("项目支出预算", pt=13, bold=True, align="center", font=SANS, line=24)
    t2 = d.table(2 + len(USES) + 1, 5, [14, 62, 30, 32, 32])
    t2.cell(0, 0).merge(t2.cell(1, 0))
    t2.cell(0, 1).merge(t2.cell(1, 1))
    t2.cell(0, 2).merge(t2.cell(1, 2))
    t2.cell(0, 3).merge(t2.cell(0, 4))
    d.put(t2.cell(0, 0), "序号", bold=True)
    d.put(t2.cell(0, 1), "支出方向", bold=True)
    d.put(t2.cell(0, 2), f"预算金额\n（{unit}）", bold=True)
    d.put(t2.cell(0, 3), "其中", bold=True)
    d.put(t2.cell(1, 3), "中央财政补助", bold=True, pt=10)
    d.put(t2.cell(1, 4), "地方及其他资金", bold=True, pt=10)
    tot_parts = _split(total, USE_SHARES, 10)
    cen_parts = _split(pj["central_wan"], USE_SHARES, 10)
    for i, use in enumerate(USES):
        d.put(t2.cell(2 + i, 0), str(i + 1))
        d.put(t2.cell(2 + i, 1), use, align="left")
        d.put(t2.cell(2 + i, 2), T.cell(tot_parts[i], sty), align="right")
        d.put(t2.cell(2 + i, 3), T.cell(cen_parts[i], sty), align="right")
        d.put(t2.cell(2 + i, 4), T.cell(tot_parts[i] - cen_parts[i], sty), align="right")
    r = 2 + len(USES)
    t2.cell(r, 0).merge(t2.cell(r, 1))
    d.put(t2.cell(r, 0), "合　　计", bold=True)
    d.put(t2.cell(r, 2), T.cell(total, sty), align="right", bold=True)
    d.put(t2.cell(r, 3), T.cell(pj["central_wan"], sty), align="right", bold=True)
    d.put(t2.cell(r, 4), T.cell(total - pj["central_wan"], sty), align="right", bold=True)
    for row in t2.rows:
        row.height = Pt_(24)
    d.p("", line=30)
    fin_city, hr_city = f"{ctx.city}财政局", f"{ctx.city}人力资源和社会保障局"
    d.p(f"填报单位（盖章）：{fin_city}　{hr_city}", align="left", indent=0, pt=12, line=22)
    d.p(f"填报日期：{ctx.date}", align="left", indent=0, pt=12, line=22)
    seal_to = rec.get("seal_by", "fin")
    if seal_to:
        name = fin_city if seal_to == "fin" else hr_city
        st.seals = [{"page": 0, "anchor": name, "name": name}]
    d.save(path)
    return st


def budget_xlsx(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """A budget as an Excel sheet (merged headers, one column per year), A4 portrait or A3 landscape."""
    pj = ctx.project
    sty = rec["fmt"]
    unit = "元" if sty.startswith("yuan") else "万元"
    a3 = rec.get("paper") == "A3"
    wb, ws = xlsx_sheet("资金预算表", paper="A3" if a3 else "A4", landscape=a3 or rec.get("landscape", False))
    st = Stated(cities=[ctx.city], central_wan=pj["central_wan"], central_text=T.cell(pj["central_wan"], sty), pages=1,
                central_page=1)
    yrs = _years(ctx)
    shares = [0.55, 0.45] if len(yrs) == 2 else [0.4, 0.35, 0.25]
    total = pj["total_wan"]
    big = 16 if a3 else 11
    from openpyxl.utils import get_column_letter as L
    if a3:
        # 序号 | 资金来源 | per year: 金额, 占比 | 合计: 金额, 占比 | 主要支出方向 | 备注
        ncol = 2 + 2 * len(yrs) + 2 + 2
        widths = [8, 22] + [16, 10] * len(yrs) + [18, 10, 44, 18]
        for i, w in enumerate(widths):
            ws.column_dimensions[L(i + 1)].width = w
        xl_box(ws, f"A1:{L(ncol)}1", f"{ctx.city}公共就业服务能力提升示范项目资金预算表", pt=24, bold=True, border=False)
        ws.row_dimensions[1].height = 48
        xl_box(ws, f"A2:{L(ncol)}2", f"单位：{unit}", pt=14, align="right", border=False)
        xl_box(ws, "A3:A4", "序号", pt=big, bold=True)
        xl_box(ws, "B3:B4", "资金来源", pt=big, bold=True)
        c = 3
        for y in yrs:
            xl_box(ws, f"{L(c)}3:{L(c + 1)}3", f"{y}年", pt=big, bold=True)
            xl_box(ws, f"{L(c)}4", "金额", pt=big, bold=True)
            xl_box(ws, f"{L(c + 1)}4", "占比", pt=big, bold=True)
            c += 2
        xl_box(ws, f"{L(c)}3:{L(c + 1)}3", "合计", pt=big, bold=True)
        xl_box(ws, f"{L(c)}4", "金额", pt=big, bold=True)
        xl_box(ws, f"{L(c + 1)}4", "占比", pt=big, bold=True)
        xl_box(ws, f"{L(c + 2)}3:{L(c + 2)}4", "主要支出方向", pt=big, bold=True)
        xl_box(ws, f"{L(c + 3)}3:{L(c + 3)}4", "备注", pt=big, bold=True)
        uses = {"central_wan": "技能培训、零工市场、智慧就业平台", "provincial_wan": "就业援助、基层服务能力建设",
                "city_wan": "零工市场、基层服务站改造", "other_wan": "企业培训投入"}
        yt = [0.0] * len(yrs)
        for i, (lab, key) in enumerate(SOURCES):
            r = 5 + i
            v = pj[key]
            parts = _split(v, shares)
            xl_box(ws, f"A{r}", "一二三四"[i], pt=big)
            xl_box(ws, f"B{r}", lab, pt=big, align="left")
            c = 3
            for j, x in enumerate(parts):
                yt[j] += x
                xl_box(ws, f"{L(c)}{r}", T.cell(x, sty), pt=big, align="right")
                xl_box(ws, f"{L(c + 1)}{r}", f"{x / total * 100:.1f}%", pt=big)
                c += 2
            xl_box(ws, f"{L(c)}{r}", T.cell(v, sty), pt=big, align="right")
            xl_box(ws, f"{L(c + 1)}{r}", f"{v / total * 100:.1f}%", pt=big)
            xl_box(ws, f"{L(c + 2)}{r}", uses[key], pt=big - 2, align="left")
            xl_box(ws, f"{L(c + 3)}{r}", "", pt=big)
            ws.row_dimensions[r].height = 64
        r = 9
        xl_box(ws, f"A{r}:B{r}", "合计", pt=big, bold=True)
        c = 3
        for x in yt:
            xl_box(ws, f"{L(c)}{r}", T.cell(x, sty), pt=big, align="right", bold=True)
            xl_box(ws, f"{L(c + 1)}{r}", f"{x / total * 100:.1f}%", pt=big)
            c += 2
        xl_box(ws, f"{L(c)}{r}", T.cell(total, sty), pt=big, align="right", bold=True)
        xl_box(ws, f"{L(c + 1)}{r}", "100%", pt=big)
        xl_box(ws, f"{L(c + 2)}{r}:{L(c + 3)}{r}", "", pt=big)
        for rr in (3, 4, 9):
            ws.row_dimensions[rr].height = 52
        ws.row_dimensions[10].height = 40
        foot = 11
    else:
        ncol = 3 + len(yrs)
        widths = [20] + [14] * len(yrs) + [15, 18]
        for i, w in enumerate(widths):
            ws.column_dimensions[L(i + 1)].width = w
        xl_box(ws, f"A1:{L(ncol)}1", f"{ctx.city}公共就业服务能力提升示范项目\n资金预算表", pt=16, bold=True, border=False)
        ws.row_dimensions[1].height = 50
        xl_box(ws, f"A2:{L(ncol)}2", f"单位：{unit}", pt=10, align="right", border=False)
        xl_box(ws, "A3:A4", "资金来源", bold=True)
        xl_box(ws, f"B3:{L(1 + len(yrs))}3", "分年度安排", bold=True)
        for j, y in enumerate(yrs):
            xl_box(ws, f"{L(2 + j)}4", f"{y}年", bold=True)
        xl_box(ws, f"{L(2 + len(yrs))}3:{L(2 + len(yrs))}4", "合计", bold=True)
        xl_box(ws, f"{L(3 + len(yrs))}3:{L(3 + len(yrs))}4", "备注", bold=True)
        yt = [0.0] * len(yrs)
        for i, (lab, key) in enumerate(SOURCES):
            r = 5 + i
            v = pj[key]
            parts = _split(v, shares)
            xl_box(ws, f"A{r}", rec.get("labels", {}).get(key, lab), align="left")
            for j, x in enumerate(parts):
                yt[j] += x
                xl_box(ws, f"{L(2 + j)}{r}", T.cell(x, sty), align="right")
            xl_box(ws, f"{L(2 + len(yrs))}{r}", T.cell(v, sty), align="right")
            xl_box(ws, f"{L(3 + len(yrs))}{r}", "")
            ws.row_dimensions[r].height = 26
        r = 9
        xl_box(ws, f"A{r}", "合计", bold=True)
        for j, x in enumerate(yt):
            xl_box(ws, f"{L(2 + j)}{r}", T.cell(x, sty), align="right", bold=True)
        xl_box(ws, f"{L(2 + len(yrs))}{r}", T.cell(total, sty), align="right", bold=True)
        xl_box(ws, f"{L(3 + len(yrs))}{r}", "")
        for rr in (3, 4, 9):
            ws.row_dimensions[rr].height = 26
        # the uses, with their own sub-header
        xl_box(ws, f"A11:{L(ncol)}11", "支出预算明细", pt=12, bold=True, border=False)
        xl_box(ws, "A12", "支出方向", bold=True)
        xl_box(ws, f"B12:{L(1 + len(yrs))}12", "主要内容", bold=True)
        xl_box(ws, f"{L(2 + len(yrs))}12", "金额", bold=True)
        xl_box(ws, f"{L(3 + len(yrs))}12", "其中：中央", bold=True)
        tot_parts = _split(total, USE_SHARES, 10)
        cen_parts = _split(pj["central_wan"], USE_SHARES, 10)
        what = ["急需紧缺职业培训", "零工市场新建改造", "困难人员就业援助", "政策经办与招聘系统", "基层服务站设施设备"]
        for i, use in enumerate(USES):
            r = 13 + i
            xl_box(ws, f"A{r}", use, align="left", pt=10)
            xl_box(ws, f"B{r}:{L(1 + len(yrs))}{r}", what[i], align="left", pt=10)
            xl_box(ws, f"{L(2 + len(yrs))}{r}", T.cell(tot_parts[i], sty), align="right", pt=10)
            xl_box(ws, f"{L(3 + len(yrs))}{r}", T.cell(cen_parts[i], sty), align="right", pt=10)
            ws.row_dimensions[r].height = 30
        foot = 19
    fin_city, hr_city = f"{ctx.city}财政局", f"{ctx.city}人力资源和社会保障局"
    last = L(ncol)
    xl_box(ws, f"A{foot}:{last}{foot}", f"填报单位（盖章）：{fin_city}　　{hr_city}　　填报日期：{ctx.date}",
           pt=14 if a3 else 10, align="left", border=False)
    ws.row_dimensions[foot].height = 34
    ws.print_area = f"A1:{last}{foot}"
    if rec.get("seal_by"):
        name = fin_city if rec["seal_by"] == "fin" else hr_city
        st.seals = [{"page": 0, "anchor": name, "name": name}]
    xlsx_save(wb, path)
    return st


# ---- 绩效目标表 -------------------------------------------------------------------------------------

def targets(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """中央对地方转移支付项目绩效目标表: basic block with 实施期 and 资金情况, then the indicators."""
    pj = ctx.project
    pages = rec.get("pages", 1)
    land = rec.get("landscape", False)
    d = Docx(landscape=land, margins=(20, 18, 20, 20) if pages == 1 else (25, 22, 22, 22), pt=11, line=18)
    tw = d.text_width_mm
    st = Stated(cities=[ctx.city], central_wan=pj["central_wan"], pages=pages, central_page=1, period_page=1)
    sty = rec.get("fmt", "wan2_plain")
    st.central_text = T.cell(pj["central_wan"], sty)
    st.period_months = pj["period_months"]
    st.period_text = T.period(ctx.start, pj["period_months"], rec.get("period", "dash_range"))
    n = ctx.nums()
    fs = 9 if land else 10 if pages == 1 else 11
    d.p(rec.get("title", "中央对地方转移支付项目绩效目标表"), pt=17, bold=True, align="center", line=28, font=SANS)
    d.p(f"（{ctx.start[0]}年度）", pt=12, align="center", line=20)
    d.p("", line=6)
    w = [28, (tw - 28) / 4, (tw - 28) / 4, (tw - 28) / 4, (tw - 28) / 4]
    t = d.table(12, 5, w)
    for r in (0, 1, 3, 4):
        t.cell(r, 1).merge(t.cell(r, 4))
    t.cell(2, 3).merge(t.cell(2, 4))
    t.cell(5, 0).merge(t.cell(8, 0))
    t.cell(9, 0).merge(t.cell(10, 0))
    t.cell(9, 1).merge(t.cell(9, 2))
    t.cell(9, 3).merge(t.cell(9, 4))
    t.cell(10, 1).merge(t.cell(10, 2))
    t.cell(10, 3).merge(t.cell(10, 4))
    t.cell(11, 0).merge(t.cell(11, 4))
    put = lambda r, c, s, **kw: d.put(t.cell(r, c), s, **({"pt": fs} | kw))
    put(0, 0, "项目名称", bold=True)
    put(0, 1, f"{ctx.city}公共就业服务能力提升示范项目", align="left")
    put(1, 0, "中央主管部门", bold=True)
    put(1, 1, "财政部、人力资源社会保障部", align="left")
    put(2, 0, "省级财政部门", bold=True)
    put(2, 1, ctx.fin)
    put(2, 2, "省级主管部门", bold=True)
    put(2, 3, ctx.hr)
    put(3, 0, "实施单位", bold=True)
    put(3, 1, f"{ctx.city}人民政府", align="left")
    put(4, 0, "实施期", bold=True)
    put(4, 1, st.period_text, align="left")
    yrs = _years(ctx)
    shares = [0.55, 0.45] if len(yrs) == 2 else [0.4, 0.35, 0.25]
    y_c = _split(pj["central_wan"], shares)[0]
    local = pj["provincial_wan"] + pj["city_wan"]
    y_l = _split(local, shares)[0]
    y_o = _split(pj["other_wan"], shares)[0]
    put(5, 0, "资金情况\n（万元）", bold=True)
    rows = [("实施期资金总额", pj["total_wan"], "年度资金总额", y_c + y_l + y_o),
            ("其中：中央财政补助", pj["central_wan"], "其中：中央财政补助", y_c),
            ("地方资金", local, "地方资金", y_l), ("其他资金", pj["other_wan"], "其他资金", y_o)]
    for i, (a, av, b, bv) in enumerate(rows):
        put(5 + i, 1, a, align="left")
        put(5 + i, 2, T.cell(av, sty), align="right")
        put(5 + i, 3, b, align="left")
        put(5 + i, 4, T.cell(bv, sty), align="right")
    put(9, 0, "总体目标", bold=True)
    put(9, 1, "实施期目标", bold=True)
    put(9, 3, "年度目标", bold=True)
    long_goal = T.fill("目标1：完善公共就业服务体系，建成标准化零工市场{market}个；目标2：开展补贴性职业技能培训{train}万人次；目标3：建成智慧就业平台，就业政策网办率达到{online}%。", n)
    year_goal = T.fill("目标1：启动零工市场建设，完成基层就业服务站改造；目标2：开展职业技能培训；目标3：智慧就业平台一期上线运行。", n)
    put(10, 1, long_goal, align="left", pt=fs - 1)
    put(10, 3, year_goal, align="left", pt=fs - 1)
    put(11, 0, "绩效指标见下表", align="left", pt=fs - 1)
    for r in t.rows:
        r.height = Pt_(17 if land else 22 if pages == 1 else 28)
    inds = T.INDICATORS if pages > 1 else [T.INDICATORS[i] for i in ((0, 1, 5, 8, 9, 12) if land else (0, 1, 2, 5, 8, 9, 11, 12))]
    if pages > 1:
        d.p("", page_break=True, line=6)
        d.p("绩效指标", pt=14, bold=True, align="center", line=24, font=SANS)
    else:
        d.p("", line=8)
    t2 = d.table(1 + len(inds), 4, [24, 34, tw - 24 - 34 - 40, 40])
    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "指标值")):
        d.put(t2.cell(0, j), h, pt=fs, bold=True)
    # vertical merges of equal 一级 / 二级 runs
    def runs(col):
        out, s = [], 0
        for i in range(1, len(inds) + 1):
            if i == len(inds) or inds[i][col] != inds[s][col] or (col == 1 and inds[i][0] != inds[s][0]):
                out.append((s, i - 1))
                s = i
        return out
    for col in (0, 1):
        for a, b in runs(col):
            if b > a:
                t2.cell(1 + a, col).merge(t2.cell(1 + b, col))
            d.put(t2.cell(1 + a, col), inds[a][col], pt=fs)
    for i, (_, _, name, val) in enumerate(inds):
        d.put(t2.cell(1 + i, 2), name, pt=fs, align="left")
        d.put(t2.cell(1 + i, 3), T.fill(val, n), pt=fs)
    for r in t2.rows:
        r.height = Pt_(16 if land else 20 if pages == 1 else 27)
    d.save(path)
    return st


# ---- 佐证材料, 执行情况报告, other ------------------------------------------------------------------

def _photo(rng: random.Random, w: int, h: int, label: str) -> bytes:
    """A stand-in for a site photo: sky, floor, a building, people as blobs, a banner with text."""
    a = np.zeros((h, w, 3), np.float32)
    sky = np.array([rng.uniform(150, 210), rng.uniform(170, 220), rng.uniform(200, 245)])
    floor = np.array([rng.uniform(90, 150)] * 3)
    hor = int(h * rng.uniform(0.45, 0.6))
    a[:hor] = sky
    a[hor:] = floor
    im = Image.fromarray(a.astype(np.uint8))
    dr = ImageDraw.Draw(im)
    for _ in range(rng.randint(2, 4)):
        x0 = rng.randint(0, w - 60)
        bw = rng.randint(w // 6, w // 2)
        top = rng.randint(h // 8, hor - 20)
        dr.rectangle([x0, top, x0 + bw, hor + 10], fill=tuple(rng.randint(120, 230) for _ in range(3)))
        for k in range(rng.randint(2, 6)):
            wx = x0 + 8 + k * (bw // 7)
            dr.rectangle([wx, top + 12, wx + bw // 12, top + 30], fill=(70, 90, 120))
    for _ in range(rng.randint(6, 14)):
        px, py = rng.randint(0, w), rng.randint(hor, h - 10)
        s = rng.randint(8, 18)
        col = tuple(rng.randint(20, 200) for _ in range(3))
        dr.ellipse([px - s // 2, py - 2 * s, px + s // 2, py - s], fill=(230, 190, 160))
        dr.rectangle([px - s // 2, py - s, px + s // 2, py + s], fill=col)
    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", max(12, w // 26), index=2)
    bx = int(w * 0.1)
    dr.rectangle([bx, int(h * 0.08), w - bx, int(h * 0.08) + w // 14], fill=(200, 30, 30))
    dr.text((w // 2, int(h * 0.08) + w // 28), label, font=font, fill=(255, 240, 200), anchor="mm")
    im = im.filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _mini_head(d: Docx, names: list[str], doc_no: str) -> None:
    if len(names) == 2:
        t = d.table(2, 2, [120, 36], grid=False)
        t.cell(0, 1).merge(t.cell(1, 1))
        for r, nm in enumerate(names):
            d.put(t.cell(r, 0), nm, pt=21, bold=True, align="distribute", line=36, color=RED)
        d.put(t.cell(0, 1), "文件", pt=36, bold=True, line=54, color=RED)
    else:
        d.p(names[0], pt=30, bold=True, align="center", color=RED, line=50)
    d.p(doc_no, align="center", indent=0, pt=15, line=26, before=8)
    d.rule()


def evidence(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """佐证材料: a sequence of page types (statistics, policy list, narrative, photos, certificate,
    the city's own sealed 请示, the provincial government's sealed reply)."""
    d = Docx(margins=(30, 28, 28, 26), pt=15, line=26)
    st = Stated(pages=len(rec["pages"]))
    n = ctx.nums()
    city_fin, city_hr = f"{ctx.city}财政局", f"{ctx.city}人力资源和社会保障局"
    for i, kind in enumerate(rec["pages"]):
        br = i > 0
        if kind == "city_request":
            d.p("", line=4, page_break=br)
            _mini_head(d, [city_fin, city_hr], f"{ctx.city_short[0]}财社〔2023〕{ctx.rng.randint(5, 40)}号")
            d.p("", line=16)
            d.p(f"{city_fin}　{city_hr}关于申报2023年公共就业服务能力提升示范项目的请示", pt=19, bold=True, align="center", line=30)
            d.p("", line=10)
            d.p("省财政厅、省人力资源社会保障厅：", align="left", indent=0)
            d.p(f"根据省财政厅、省人力资源社会保障厅关于做好2023年公共就业服务能力提升示范项目申报工作的通知要求，经市人民政府同意，我市申报2023年公共就业服务能力提升示范项目，现将项目实施方案、资金预算表和绩效目标表等材料随文报上。")
            d.p("妥否，请示。")
            d.p("", line=40)
            t = d.table(1, 2, [78, 78], grid=False)
            d.put(t.cell(0, 0), city_fin, pt=15, line=26)
            d.put(t.cell(0, 1), city_hr, pt=15, line=26)
            p = d.p(f"2023年3月{ctx.rng.randint(10, 16)}日", align="right", indent=0)
            p.paragraph_format.right_indent = Pt_(20)
            st.seals += [{"page": i, "anchor": city_fin, "name": city_fin}, {"page": i, "anchor": city_hr, "name": city_hr}]
        elif kind == "gov_letter":
            gov = f"{ctx.province}人民政府办公厅"
            d.p("", line=4, page_break=br)
            _mini_head(d, [gov], f"{ctx.short}政办函〔2023〕{ctx.rng.randint(20, 60)}号")
            d.p("", line=16)
            d.p(f"{gov}关于同意推荐{ctx.city}申报2023年公共就业服务能力提升示范项目的函", pt=19, bold=True, align="center", line=30)
            d.p("", line=10)
            d.p("省财政厅、省人力资源社会保障厅：", align="left", indent=0)
            d.p(f"你们《关于推荐{ctx.city}申报2023年公共就业服务能力提升示范项目的请示》收悉。经省政府同意，现函复如下：")
            d.p(f"同意推荐{ctx.city}申报2023年公共就业服务能力提升示范项目。请你们按照财政部、人力资源社会保障部有关要求，认真做好项目申报和组织实施工作。")
            d.p("", line=40)
            p = d.p(gov, align="right", indent=0)
            p.paragraph_format.right_indent = Pt_(30)
            p = d.p(f"2023年3月{ctx.rng.randint(17, 21)}日", align="right", indent=0)
            p.paragraph_format.right_indent = Pt_(40)
            st.seals.append({"page": i, "anchor": gov, "name": gov})
        elif kind == "stats":
            d.p(f"{ctx.city}近三年就业工作主要指标", pt=18, bold=True, align="center", line=32, page_break=br, font=SANS)
            d.p("", line=10)
            rows = [("城镇新增就业（万人）", [n["jobs"] * 0.9, n["jobs"] * 0.95, n["jobs"]]),
                    ("城镇调查失业率（%）", [n["rate"] + 0.3, n["rate"] + 0.1, n["rate"]]),
                    ("补贴性职业技能培训（万人次）", [n["train"] * 0.8, n["train"] * 0.9, n["train"]]),
                    ("帮扶就业困难人员就业（人）", [n["hard"] * 0.9, n["hard"] * 0.95, n["hard"]]),
                    ("零工市场数量（个）", [max(1, n["zero"] - 4), max(1, n["zero"] - 2), n["zero"]]),
                    ("基层就业服务站（个）", [n["station"] - 30, n["station"] - 12, n["station"]]),
                    ("农村劳动力转移就业（万人）", [n["migr"] * 0.97, n["migr"] * 0.99, n["migr"]]),
                    ("就业服务网办率（%）", [n["online"] - 12, n["online"] - 5, n["online"]])]
            t = d.table(1 + len(rows), 4, [68, 28, 28, 28])
            for j, h in enumerate(("指标", "2020年", "2021年", "2022年")):
                d.put(t.cell(0, j), h, pt=12, bold=True)
            for i2, (lab, vals) in enumerate(rows):
                d.put(t.cell(1 + i2, 0), lab, pt=12, align="left")
                for j, v in enumerate(vals):
                    d.put(t.cell(1 + i2, 1 + j), f"{v:.1f}" if isinstance(v, float) else str(v), pt=12)
            for r in t.rows:
                r.height = Pt_(30)
            d.p("", line=16)
            d.p("数据来源：人力资源社会保障统计报表、就业信息监测系统。", pt=12, line=20, indent=0, align="left")
        elif kind == "policies":
            d.p(f"{ctx.city}促进就业政策文件目录", pt=18, bold=True, align="center", line=32, page_break=br, font=SANS)
            d.p("", line=10)
            pol = ctx.rng.sample(T.POLICIES, 9)
            for k, s in enumerate(pol):
                d.p(f"{k + 1}．" + s.format(city=ctx.city, short=ctx.city_short[0], y=ctx.rng.choice([2021, 2022]), n=ctx.rng.randint(3, 40)),
                    align="left", indent=0, hanging=1.5, pt=14, line=26)
        elif kind == "text":
            d.p(f"关于{ctx.city}公共就业服务工作情况的说明", pt=18, bold=True, align="center", line=32, page_break=br, font=SANS)
            d.p("", line=8)
            for s in ctx.rng.sample(T.EVIDENCE_TEXT, 4):
                d.p(T.fill(s, n))
        elif kind == "photos":
            d.p(f"{ctx.city}公共就业服务工作图片资料", pt=18, bold=True, align="center", line=32, page_break=br, font=SANS)
            for cap in ctx.rng.sample(["零工市场", "就业服务站", "招聘会现场", "技能培训", "直播带岗"], 2):
                d.picture(_photo(ctx.rng, 640, 400, f"{ctx.city_short}{cap}"), 120)
                d.p(f"图：{ctx.city}{cap}", align="center", indent=0, pt=12, line=22)
        elif kind == "honor":
            issuer = rec.get("issuer") or ctx.hr
            d.p("", line=60, page_break=br)
            d.p("荣 誉 证 书", pt=40, bold=True, align="center", color=RED, line=64)
            d.p("", line=50)
            d.p(f"{city_hr}：", align="left", indent=0, pt=18, line=34)
            d.p(f"在2022年度全省就业工作目标责任考核中成绩突出，被评为全省公共就业服务工作先进单位。", pt=18, line=34)
            d.p("特发此证，以资鼓励。", pt=18, line=34)
            d.p("", line=80)
            p = d.p(issuer, align="right", indent=0, pt=18, line=34)
            p.paragraph_format.right_indent = Pt_(20)
            p = d.p("2023年1月", align="right", indent=0, pt=18, line=34)
            p.paragraph_format.right_indent = Pt_(60)
            st.seals.append({"page": i, "anchor": issuer, "name": issuer})
        else:
            raise ValueError(kind)
    d.save(path)
    return st


def prior_report(path: Path, ctx: Ctx, rec: dict) -> Stated:
    """2022年示范项目执行情况报告: three pages of narrative, no amounts and no period of its own."""
    d = Docx(margins=(32, 30, 28, 26), pt=15, line=27)
    n = ctx.nums()
    prior_city = rec["prior_city"]
    heads = ["一、项目总体进展", "二、资金使用情况", "三、主要成效", "四、存在的问题", "五、下一步工作计划"]
    paras = [
        f"2022年，我省{prior_city}入选公共就业服务能力提升示范项目。项目实施以来，省财政厅、省人力资源社会保障厅加强指导督促，{prior_city}成立工作专班，按照实施方案确定的任务清单和时间节点扎实推进，各项建设任务总体按计划实施。",
        f"截至2023年2月底，项目确定的{n['kinds']}项重点任务已完成{n['kinds'] - 6}项，零工市场新建改造、基层就业服务站标准化建设、智慧就业平台一期等重点工程已建成投用。",
        "项目资金实行专账核算、专款专用，严格按照就业补助资金管理办法规定的范围使用，资金拨付进度与项目建设进度相匹配，截至2023年2月底资金执行率为68.5%。",
        "省财政厅会同省人力资源社会保障厅对项目资金使用情况开展了专项检查，未发现挤占挪用等问题。",
        f"示范项目实施以来，{prior_city}累计开展补贴性职业技能培训{n['train']}万人次，新建零工市场{n['zero']}个，帮扶就业困难人员就业{n['hard']}人，就业政策网办率提升到{n['online']}%，服务对象满意度达到{n['sat']}%。",
        "形成了零工市场“即时快招”、就业服务“家门口”办理等一批可复制推广的经验做法，在全省范围内推广应用。",
        "一是部分建设任务受多种因素影响进度有所滞后；二是智慧就业平台与相关部门数据共享还不够充分；三是基层就业服务人员专业化水平有待进一步提升。",
        "下一步，我们将督促项目所在市加快项目建设进度，确保按期完成各项建设任务；加强项目绩效运行监控，按时开展总体绩效自评；及时总结推广示范项目经验做法，充分发挥示范引领作用。",
    ]
    d.p(f"{ctx.province}2022年公共就业服务能力提升示范项目执行情况报告", pt=20, bold=True, align="center", line=34)
    d.p("", line=14)
    layout = [[("h", 0), ("p", 0), ("p", 1), ("h", 1), ("p", 2)], [("p", 3), ("h", 2), ("p", 4), ("p", 5)],
              [("h", 3), ("p", 6), ("h", 4), ("p", 7)]]
    for pg, blocks in enumerate(layout):
        for j, (typ, k) in enumerate(blocks):
            br = pg > 0 and j == 0
            if typ == "h":
                d.p(heads[k], pt=16, bold=True, align="left", font=SANS, page_break=br, line=30)
            else:
                d.p(paras[k], page_break=br)
    end = d.p(f"{ctx.fin}　{ctx.hr}", align="right", indent=0, before=30)
    d.p(ctx.date, align="right", indent=0)
    d.save(path)
    return Stated(pages=3)


def toc(path: Path, ctx: Ctx, rec: dict) -> Stated:
    d = Docx(margins=(35, 30, 28, 26), pt=15, line=30)
    d.p(f"{ctx.province}2023年公共就业服务能力提升示范项目申报材料目录", pt=19, bold=True, align="center", line=34)
    d.p("", line=20)
    for k, (name, pages) in enumerate(rec["entries"]):
        p = d.p("", align="left", indent=0)
        d.right_tab(p)
        d.run(p, f"{k + 1}．{name}\t{pages}页")
    d.save(path)
    return Stated(pages=1)


def contacts_xlsx(path: Path, ctx: Ctx, rec: dict) -> Stated:
    wb, ws = xlsx_sheet("联系人", landscape=True)
    from openpyxl.utils import get_column_letter as L
    for i, w in enumerate([26, 10, 14, 16, 16, 26]):
        ws.column_dimensions[L(i + 1)].width = w
    xl_box(ws, "A1:F1", f"{ctx.province}2023年公共就业服务能力提升示范项目申报联系人信息表", pt=14, bold=True, border=False)
    ws.row_dimensions[1].height = 36
    for j, h in enumerate(("单位", "姓名", "职务", "办公电话", "手机", "电子邮箱")):
        xl_box(ws, f"{L(j + 1)}2", h, bold=True)
    area = AREA_CODES.get(ctx.province, "010")
    units = [ctx.fin, ctx.hr, f"{ctx.city}财政局", f"{ctx.city}人力资源和社会保障局"]
    for i, u in enumerate(units):
        r = 3 + i
        nm = ctx.rng.choice(T.CONTACTS)
        for j, v in enumerate((u, nm, ctx.rng.choice(["处长", "副处长", "一级主任科员", "科长"]),
                               f"{area}-{ctx.rng.randint(8300_0000, 8899_9999)}", f"1{ctx.rng.randint(3, 9)}{ctx.rng.randint(0, 9)}{ctx.rng.randint(1000_0000, 9999_9999)}",
                               f"contact{i + 1}@example.gov.cn")):
            xl_box(ws, f"{L(j + 1)}{r}", v, pt=10)
        ws.row_dimensions[r].height = 24
    ws.print_area = "A1:F6"
    xlsx_save(wb, path)
    return Stated(pages=1)


BUILDERS = {"cover": cover_letter, "plan": plan, "budget_docx": budget_docx, "budget_xlsx": budget_xlsx,
            "targets": targets, "evidence": evidence, "prior": prior_report, "toc": toc, "contacts_xlsx": contacts_xlsx}
