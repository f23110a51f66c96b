"""What each document says, as HTML pages (one ``<section class="page">`` per sheet, so the page count is known by
construction) for Chromium to print. Wording is this corpus's own; the facts come from the filing parameters."""
from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

PROGRAMME = "公共就业服务能力提升示范项目"
CALL_NO = "财办社〔2023〕22号"

FONTS = {
    "song": "'AR PL UMing CN', 'Noto Serif CJK SC', serif",
    "kai": "'AR PL UKai CN', 'Noto Serif CJK SC', serif",
    "hei": "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', sans-serif",
    "title": "'Noto Serif CJK SC', serif",
    "sans": "'Noto Sans CJK SC', sans-serif",
}

CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"


@dataclass
class Project:
    city: str
    central: int          # 万元
    provincial: int
    city_funds: int
    other: int
    months: int
    start: tuple[int, int] = (2023, 4)

    @property
    def total(self) -> int:
        return self.central + self.provincial + self.city_funds + self.other

    @property
    def end(self) -> tuple[int, int]:
        y, m = self.start
        m += self.months - 1
        return y + (m - 1) // 12, (m - 1) % 12 + 1


@dataclass
class Filing:
    key: str
    province: str
    short: str            # 吉林 / 广西 …
    finance: str
    hrss: str
    doc_no: str
    date: str             # 2023年3月20日
    contact: tuple[str, str]
    projects: list[Project]
    body_font: str = "song"
    rng: random.Random = field(default_factory=lambda: random.Random(0))


# ------------------------------------------------------------------ number and period wording

def wan(v: float, style: str = "plain") -> str:
    """An amount in 万元 written as a province might: 8500 / 8,500.00 / 捌仟伍佰 / 1.2亿 (unit included)."""
    if style == "plain":
        return f"{v:g}万元"
    if style == "comma2":
        return f"{v:,.2f}万元"
    if style == "daxie":
        return daxie_wan(int(v)) + "万元"
    if style == "yi":
        return f"{v / 10000:g}亿元"
    if style == "yuan":
        return f"{v * 10000:,.2f}元"
    raise ValueError(style)


def daxie_wan(n: int) -> str:
    """9500 -> 玖仟伍佰 (n < 10000, hundreds at least)."""
    units = [(1000, "仟"), (100, "佰"), (10, "拾"), (1, "")]
    out, zero = "", False
    for u, name in units:
        d = n // u % 10
        if d:
            if zero and out:
                out += "零"
            out += CN_DIGITS[d] + name
            zero = False
        else:
            zero = True
    return out


CN_SMALL = {2: "两", 3: "三", 1: "一"}


def period_words(p: Project, style: str) -> str:
    (y0, m0), (y1, m1) = p.start, p.end
    if style == "years_cn":
        return f"{CN_SMALL[p.months // 12]}年"
    if style == "years":
        return f"{p.months // 12}年"
    if style == "months":
        return f"{p.months}个月"
    if style == "range":
        return f"{y0}年{m0}月至{y1}年{m1}月"
    if style == "months_range":
        return f"{p.months}个月（{y0}年{m0}月至{y1}年{m1}月）"
    if style == "year_span":                    # whole calendar years: 24 months are 2023年—2024年, not —2025年
        return f"{y0}年—{y0 + max(1, p.months // 12) - 1}年"
    raise ValueError(style)


# ------------------------------------------------------------------ HTML scaffolding

def css(body_font: str, *, a3: bool = False, size_pt: float = 16, line: float = 1.75) -> str:
    w, h = ("420mm", "297mm") if a3 else ("210mm", "297mm")
    return f"""
@page {{ size: {'A3 landscape' if a3 else 'A4'}; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: {FONTS[body_font]}; font-size: {size_pt}pt; line-height: {line}; color: #111 }}
.page {{ width: {w}; height: {h}; overflow: hidden; position: relative; box-sizing: border-box;
         padding: 34mm 26mm 30mm 28mm; page-break-after: always; break-after: page }}
.page:last-child {{ page-break-after: auto; break-after: auto }}
.redhead {{ color: #d0161b; font-family: {FONTS['title']}; font-weight: 900; text-align: center; letter-spacing: 2pt }}
.docno {{ text-align: center; font-size: 15pt; margin: 4mm 0 2mm 0 }}
.rule {{ border-top: 1.2mm solid #d0161b; margin: 2mm 0 8mm 0 }}
h1 {{ font-family: {FONTS['title']}; font-size: 21pt; font-weight: 700; text-align: center; line-height: 1.45;
      margin: 0 0 6mm 0 }}
h2 {{ font-family: {FONTS['hei']}; font-size: {size_pt}pt; font-weight: normal; margin: 0 }}
h3 {{ font-family: {FONTS['kai']}; font-size: {size_pt}pt; font-weight: normal; margin: 0 }}
p {{ margin: 0; text-indent: 2em; text-align: justify }}
p.flat {{ text-indent: 0 }}
.sig {{ position: relative; margin-top: 12mm; height: 52mm }}
.sig .unit {{ position: absolute; top: 0; text-align: center; width: 80mm }}
.sig .date {{ position: absolute; top: 13mm; text-align: center; width: 80mm }}
.seal {{ position: absolute; mix-blend-mode: multiply }}
table {{ border-collapse: collapse; width: 100% }}
td, th {{ border: 0.25mm solid #222; padding: 1.2mm 1.5mm; text-align: center; vertical-align: middle;
          font-weight: normal; line-height: 1.3 }}
td.l {{ text-align: left }}
.caption {{ text-align: center; font-family: {FONTS['title']}; font-size: 18pt; font-weight: 700; margin-bottom: 3mm }}
.unitline {{ text-align: right; font-size: 11pt; margin-bottom: 1.5mm }}
.photo {{ border: 0.3mm solid #555; background: #b9b9b9; height: 60mm; margin: 3mm 0 1mm 0 }}
"""


def doc(pages: list[str], body_font: str, **kw) -> str:
    body = "\n".join(f'<section class="page">{p}</section>' for p in pages)
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{css(body_font, **kw)}</style></head>' \
           f"<body>{body}</body></html>"


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def paras(items: list[str]) -> str:
    return "".join(f"<p>{esc(x)}</p>" for x in items)


FILLER = [
    "坚持以人民为中心的发展思想，把促进高质量充分就业作为经济社会发展的优先目标，着力健全覆盖城乡的公共就业服务体系。",
    "围绕劳动者求职就业全过程，推动就业服务向街道社区、产业园区和高校延伸，打通服务群众的“最后一公里”。",
    "依托数字化平台归集岗位信息、求职信息和培训信息，实现供需精准匹配，提高人岗对接效率。",
    "建立健全零工市场运行管理制度，规范信息发布、岗位对接、权益维护等服务流程。",
    "加强基层公共就业服务人员队伍建设，开展业务轮训和岗位练兵，提升专业化服务水平。",
    "聚焦高校毕业生、农民工、就业困难人员等重点群体，提供政策咨询、职业指导和创业服务。",
    "健全就业失业动态监测机制，定期分析研判就业形势，及时发现和应对规模性失业风险。",
    "推动公共就业服务与人力资源服务业协同发展，引导经营性人力资源服务机构参与公益性服务。",
    "完善“一站式”服务窗口，推行就业登记、失业登记、补贴申领等事项“一网通办”。",
    "开展“春风行动”“民营企业服务月”等专项活动，常态化组织线上线下招聘对接。",
    "加强项目资金全过程管理，严格执行财务制度，确保资金使用规范、安全、有效。",
    "建立项目台账，明确责任分工和时间节点，实行清单化管理、项目化推进。",
    "强化督促检查和绩效评价，评价结果作为资金安排和政策调整的重要依据。",
    "注重总结提炼经验做法，形成可复制、可推广的服务模式，发挥示范引领作用。",
    "加大宣传力度，通过政务网站、新媒体等渠道宣传就业政策和服务成效，营造良好氛围。",
    "统筹用好各级各类资金，优化支出结构，优先保障基层服务平台建设和信息化建设需要。",
]


def filler(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(FILLER) + rng.choice(FILLER) for _ in range(n)]


# ------------------------------------------------------------------ cover letters

def cover_title(f: Filing, *, letter: str = "请示") -> str:
    cities = "、".join(p.city for p in f.projects)
    issuers = f"{f.finance} {f.hrss}" if letter == "请示" else f.finance
    return f"{issuers}关于推荐{cities}申报2023年{PROGRAMME}的{letter}"


def cover_pages(f: Filing, *, joint: bool = True, seals: list[tuple[str, str]] | None = None,
                money: str | None = "plain", period: str | None = "years_cn", considered: list[str] = (),
                two_pages: bool = True) -> list[str]:
    """A 请示 (joint) or a 函 of the finance department alone; ``seals``: [(unit, png path)] stamped over the
    signatures."""
    head = (f'<div class="redhead" style="font-size:27pt">{esc(f.finance)}</div>'
            f'<div class="redhead" style="font-size:27pt">{esc(f.hrss)}</div>' if joint else
            f'<div class="redhead" style="font-size:30pt">{esc(f.finance)}</div>')
    head += f'<div class="docno">{esc(f.doc_no)}</div><div class="rule"></div>'
    title = cover_title(f, letter="请示" if joint else "函")
    p = f.projects
    cities = "、".join(x.city for x in p)
    sel = (f"经各市自愿申报、省级初审和专家评审，{'、'.join(considered)}等市虽具备一定基础，但综合考虑工作基础、"
           f"示范带动作用和资金配套能力，决定推荐{cities}申报。" if considered else
           f"经各市自愿申报、资格审核和专家评审，并报经省政府同意，决定推荐{cities}申报2023年{PROGRAMME}。")
    body = [f"根据《财政部办公厅 人力资源社会保障部办公厅关于组织申报2023年{PROGRAMME}的通知》（{CALL_NO}）要求，"
            f"{'我们' if joint else '我厅'}认真组织开展了项目申报工作。{sel}"]
    if not joint:
        body[0] += f"此事已商{f.short}人力资源和社会保障厅同意。"
    for x in p:
        s = f"{x.city}项目计划总投资{wan(x.total)}"
        if money:
            s += f"，其中申请中央财政补助资金{wan(x.central, money)}"
        if period and len(p) == 1:
            s += f"，项目实施期限为{period_words(x, period)}"
        body.append(s + "。项目围绕零工市场建设、基层公共就业服务平台提档升级和就业服务数字化转型等方面开展建设。")
    if period and len(p) > 1:
        body.append(f"各推荐城市项目实施期限均为{period_words(p[0], period)}。")
    body.append("我们将督促指导推荐城市严格按照要求，规范使用项目资金，确保项目按期实施、取得实效。")
    body.append("妥否，请批示。" if joint else "特此函告。")
    att = ["附件：1．实施方案", "2．资金预算表", "3．中央对地方转移支付项目绩效目标表", "4．佐证材料"]
    first = head + f"<h1>{esc(title)}</h1><p class='flat'>财政部、人力资源社会保障部：</p>" + paras(body[:2])
    rest = paras(body[2:]) + "<div style='margin-top:6mm'>" + "".join(
        f"<p style='text-indent:{'2em' if i == 0 else '5em'}'>{esc(a)}</p>" for i, a in enumerate(att)) + "</div>"
    sig = signature(f, joint, seals)
    contact = f"<p style='margin-top:4mm'>（联系人：{esc(f.contact[0])}；联系电话：{esc(f.contact[1])}）</p>"
    if two_pages:
        return [first, rest + sig + contact]
    # one sheet: the 公文 squeezed as offices do (smaller 红头, 三号 → 小三, one-line attachment list)
    compact = first.replace("font-size:27pt", "font-size:20pt").replace("font-size:30pt", "font-size:24pt")
    att_line = "<p>附件：实施方案、资金预算表、绩效目标表、佐证材料</p>"
    return ["<div style='font-size:13pt; line-height:1.5'>" + compact.replace("<h1>", "<h1 style='font-size:17pt'>")
            + paras(body[2:]) + att_line + sig + contact + "</div>"]


def signature(f: Filing, joint: bool, seals, date: str | None = None) -> str:
    date = date or f.date
    units = [f.finance, f.hrss] if joint else [f.finance]
    lefts = [8, 84] if joint else [76]
    out = "<div class='sig'>"
    for u, left in zip(units, lefts):
        out += f"<div class='unit' style='left:{left}mm'>{esc(u)}</div>"
    out += f"<div class='date' style='left:{lefts[-1]}mm'>{esc(date)}</div>"
    for (unit, png), left in zip(seals or [], lefts):
        out += f"<img class='seal' src='{png}' style='left:{left + 19}mm; top:-13mm; width:42mm'>"
    return out + "</div>"


# ------------------------------------------------------------------ plans

def plan_pages(f: Filing, p: Project, n: int, *, money: str = "plain", period: str = "range",
               fact_page: int = 1, period_page: int | None = None, distractor_page: int | None = None,
               size_pt: float = 14) -> list[str]:
    """An n-page 实施方案; the subsidy on ``fact_page`` and the period on ``period_page`` (1-based)."""
    rng = random.Random(f"{f.key}/{p.city}/plan")
    period_page = period_page or fact_page
    title = f"<h1>{esc(p.city)}{PROGRAMME}<br>实施方案</h1>"
    sections = ["一、项目背景", "二、总体要求", "三、主要建设内容", "四、资金安排", "五、实施期限和进度安排",
                "六、预期成效", "七、保障措施", "八、组织实施"]
    pages = []
    lines_per_page = 24 if size_pt >= 14 else 28
    for i in range(1, n + 1):
        parts = [title] if i == 1 else []
        budget = lines_per_page - (6 if i == 1 else 0)
        if i == 1:
            parts.append(paras([f"为贯彻落实{CALL_NO}文件精神，进一步提升{p.city}公共就业服务能力，结合本市实际，"
                                f"制定本方案。"]))
            budget -= 3
        head = sections[(i - 1) % len(sections)]
        parts.append(f"<h2>{esc(head)}</h2>")
        budget -= 1
        if i == fact_page:
            parts.append(paras([f"项目总投资{wan(p.total)}，其中申请中央财政补助资金{wan(p.central, money)}，省级财政安排"
                                f"{wan(p.provincial)}，市级财政配套{wan(p.city_funds)}"
                                + (f"，社会资本投入{wan(p.other)}。" if p.other else "。")
                                + "资金主要用于零工市场建设、信息化平台升级和基层服务网点改造。"]))
            budget -= 4
        if i == period_page:
            parts.append(paras([f"本项目实施期限为{period_words(p, period)}，分三个阶段推进：启动部署阶段、"
                                "全面实施阶段和总结评估阶段，各阶段任务按月细化到责任单位。"]))
            budget -= 3
        if i == distractor_page:
            parts.append(paras([f"近年来，{p.city}就业形势总体稳定，近三年全市累计发放各类就业补助资金3.6亿元，"
                                "城镇新增就业年均保持在4万人以上，公共就业服务基础较好。"]))
            budget -= 3
        parts.append(paras(filler(rng, max(1, budget // 3))))
        pages.append("".join(parts))
    return pages


# ------------------------------------------------------------------ budgets

def _num(v: float, unit: str, decimals: bool) -> str:
    x = v * 10000 if unit == "元" else v
    return f"{x:,.2f}" if decimals else f"{x:g}"


def budget_pages(f: Filing, p: Project, *, unit: str = "万元", unit_where: str = "header", decimals: bool = False,
                 central_label: str = "中央财政补助资金", uses_table: bool = False, a3: bool = False,
                 seal_png: str | None = None) -> list[str]:
    """A grid table with a two-level 资金来源 header (merged cells), items, and a 合计 row that sums them."""
    items = [("零工市场建设", 0.42), ("公共就业服务信息化平台升级", 0.26), ("基层就业服务网点改造", 0.18),
             ("就业服务人员能力提升培训", 0.08), ("项目管理及绩效评价", 0.06)]
    cols = [("central", central_label), ("provincial", "省级财政资金"), ("city_funds", "市级财政资金"),
            ("other", "其他资金")]
    amounts = {"central": p.central, "provincial": p.provincial, "city_funds": p.city_funds, "other": p.other}
    rows = []
    for k, (name, share) in enumerate(items):
        row = {}
        for key, total in amounts.items():
            if k < len(items) - 1:
                row[key] = round(total * share)
            else:
                row[key] = total - sum(r[key] for r in rows)
        rows.append(row)
    ucap = f"（{unit}）" if unit_where == "header" else ""
    head = (f"<tr><th rowspan=2>序号</th><th rowspan=2>建设内容</th><th rowspan=2>总投资{ucap}</th>"
            f"<th colspan=4>资金来源{ucap}</th><th rowspan=2>备注</th></tr><tr>"
            + "".join(f"<th>{esc(lbl)}</th>" for _k, lbl in cols) + "</tr>")
    body = ""
    for i, ((name, _s), row) in enumerate(zip(items, rows), 1):
        tot = sum(row.values())
        body += (f"<tr><td>{i}</td><td class='l'>{esc(name)}</td><td>{_num(tot, unit, decimals)}</td>"
                 + "".join(f"<td>{_num(row[k], unit, decimals)}</td>" for k, _l in cols) + "<td></td></tr>")
    body += (f"<tr><td colspan=2>合计</td><td>{_num(p.total, unit, decimals)}</td>"
             + "".join(f"<td>{_num(amounts[k], unit, decimals)}</td>" for k, _l in cols) + "<td></td></tr>")
    unitline = f"<div class='unitline'>{'金额单位' if unit == '元' else '单位'}：{unit}</div>" if unit_where == "line" else \
        "<div class='unitline'>&nbsp;</div>"
    page = (f"<div class='caption'>{esc(p.city)}{PROGRAMME}资金预算表</div>{unitline}"
            f"<table style='font-size:{'12pt' if a3 else ('8.5pt' if unit == '元' else '10.5pt')}'>{head}{body}</table>")
    if uses_table:
        uses = [("设备购置", 0.5), ("系统开发", 0.3), ("场地改造", 0.2)]
        urows, left = [], p.central
        for k, (name, share) in enumerate(uses):
            v = round(p.central * share) if k < len(uses) - 1 else left
            left -= v
            urows.append((name, v))
        page += ("<div style='height:8mm'></div><div class='caption' style='font-size:14pt'>中央财政补助资金支出明细</div>"
                 f"<table style='font-size:10.5pt'><tr><th>支出用途</th><th>中央资金{ucap}</th><th>说明</th></tr>"
                 + "".join(f"<tr><td>{esc(n)}</td><td>{_num(v, unit, decimals)}</td><td></td></tr>" for n, v in urows)
                 + "</table>")
    page += (f"<div class='sig' style='height:40mm'><div class='unit' style='left:{200 if a3 else 80}mm'>"
             f"{esc(p.city)}人力资源和社会保障局</div><div class='date' style='left:{200 if a3 else 80}mm'>{esc(f.date)}</div>")
    if seal_png:
        page += f"<img class='seal' src='{seal_png}' style='left:{219 if a3 else 99}mm; top:-12mm; width:40mm'>"
    page += "</div>"
    return [page]


# ------------------------------------------------------------------ performance targets

def targets_pages(f: Filing, p: Project, *, period: str | None = "range", two_pages: bool = False) -> list[str]:
    """The 中央对地方转移支付项目绩效目标表: project funds for the whole period and for the first year."""
    year_central = round(p.central / 2)
    per = (f"<tr><td>实施期限</td><td colspan=3 class='l'>{esc(period_words(p, period))}</td></tr>" if period else "")
    t1 = (f"<div class='caption'>中央对地方转移支付项目绩效目标表</div>"
          f"<div class='unitline'>（2023年度）</div><table style='font-size:10.5pt'>"
          f"<tr><td style='width:22%'>项目名称</td><td colspan=3 class='l'>{esc(p.city)}{PROGRAMME}</td></tr>"
          f"<tr><td>主管部门</td><td class='l'>{esc(f.hrss)}</td><td>实施单位</td>"
          f"<td class='l'>{esc(p.city)}人力资源和社会保障局</td></tr>{per}"
          f"<tr><td rowspan=4>项目资金<br>（万元）</td><td></td><td>实施期资金总额</td><td>年度资金总额</td></tr>"
          f"<tr><td>资金总额</td><td>{p.total:g}</td><td>{round(p.total / 2):g}</td></tr>"
          f"<tr><td>其中：中央财政补助</td><td>{p.central:g}</td><td>{year_central:g}</td></tr>"
          f"<tr><td>地方资金</td><td>{p.total - p.central:g}</td><td>{round((p.total - p.central) / 2):g}</td></tr>"
          f"<tr><td rowspan=2>总体目标</td><td colspan=2>实施期目标</td><td>年度目标</td></tr>"
          f"<tr><td colspan=2 class='l'>建成覆盖城乡的零工市场网络，公共就业服务数字化水平明显提升。</td>"
          f"<td class='l'>完成零工市场主体建设，信息平台上线运行。</td></tr></table>")
    ind = [("产出指标", "数量指标", "新建或改造零工市场数量", "≥8个"), ("产出指标", "质量指标", "服务网点达标率", "≥95%"),
           ("产出指标", "时效指标", "平台上线时间", "2023年12月前"),
           ("效益指标", "社会效益指标", "服务灵活就业人员人次", "≥5万人次"),
           ("效益指标", "可持续影响指标", "形成可推广服务模式", "长期"),
           ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%")]
    rows, seen = "", {}
    for a, b, c, d in ind:
        n = sum(1 for x in ind if x[0] == a)
        first = a not in seen
        seen[a] = True
        rows += "<tr>" + (f"<td rowspan={n}>{a}</td>" if first else "") + f"<td>{b}</td><td class='l'>{c}</td><td>{d}</td></tr>"
    t2 = ("<div style='height:5mm'></div><table style='font-size:10.5pt'><tr><th>一级指标</th><th>二级指标</th>"
          f"<th>三级指标</th><th>指标值</th></tr>{rows}</table>")
    return [t1, t2] if two_pages else [t1 + t2]


# ------------------------------------------------------------------ evidence and others

def evidence_pages(f: Filing, n: int, *, first_request: bool = False, seal_pngs: list[str] = ()) -> list[str]:
    rng = random.Random(f"{f.key}/evidence")
    pages = []
    for i in range(1, n + 1):
        if i == 1 and first_request:
            cities = "、".join(x.city for x in f.projects)
            units = [f"{x.city}财政局 {x.city}人力资源和社会保障局" for x in f.projects]
            parts = [f"<h1 style='font-size:18pt'>{esc(units[0])}关于申报2023年{PROGRAMME}的请示</h1>",
                     f"<p class='flat'>{esc(f.finance)}、{esc(f.hrss)}：</p>",
                     paras([f"为进一步提升公共就业服务能力，{cities}按照通知要求编制了项目实施方案，现申请参加示范项目评选。"]),
                     paras(filler(rng, 2))]
            sig = "<div class='sig' style='height:45mm'>"
            sig += f"<div class='unit' style='left:8mm'>{esc(f.projects[0].city)}财政局</div>"
            sig += f"<div class='unit' style='left:84mm'>{esc(f.projects[0].city)}人力资源和社会保障局</div>"
            sig += f"<div class='date' style='left:84mm'>2023年3月10日</div>"
            for png, left in zip(seal_pngs, (27, 103)):
                sig += f"<img class='seal' src='{png}' style='left:{left}mm; top:-13mm; width:40mm'>"
            parts.append(sig + "</div>")
            pages.append("".join(parts))
            continue
        if i == 1:
            head = "<div class='caption'>佐证材料</div>"
        else:
            head = ""
        caption = rng.choice(["零工市场服务大厅", "基层就业服务站", "人力资源市场招聘会现场", "就业服务信息平台界面",
                              "职业指导工作室"])
        parts = [head, f"<h2>{i}．{esc(f.projects[0].city)}{caption}</h2>", "<div class='photo'></div>",
                 paras(filler(rng, 2))]
        if seal_pngs and not first_request and i == n:
            parts.append(f"<div class='sig' style='height:40mm'><div class='unit' style='left:80mm'>"
                         f"{esc(f.projects[0].city)}人力资源和社会保障局</div>"
                         f"<div class='date' style='left:80mm'>{esc(f.date)}</div>"
                         f"<img class='seal' src='{seal_pngs[0]}' style='left:99mm; top:-12mm; width:40mm'></div>")
        pages.append("".join(parts))
    return pages


def contacts_page(f: Filing) -> list[str]:
    rows = "".join(f"<tr><td>{esc(u)}</td><td>{esc(n)}</td><td>{esc(t)}</td></tr>" for u, n, t in [
        (f.finance + "社会保障处", f.contact[0], f.contact[1]), (f.hrss + "就业促进处", "李明", "0871-65412233"),
        (f.projects[0].city + "人力资源和社会保障局", "王芳", "0874-3121456")])
    return [f"<div class='caption'>项目联系人及联系方式</div><table><tr><th>单位</th><th>联系人</th><th>电话</th></tr>"
            f"{rows}</table>"]
