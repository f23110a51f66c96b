"""The pages of each document kind, from one truth.json document and its filing: 请示/函, 实施方案, 资金预算表,
绩效目标表, 佐证材料. Returns ``(pages, stated)``: the pages as layout operations and the exact words that state each
fact with their page (1-based), for the manifest and for verify.py."""
from __future__ import annotations

import random

from benchmarks.heldout_corpus.layout import A3_LANDSCAPE, RED, Flow, Page, Seal, Text, table, width
from benchmarks.heldout_corpus.words import city_level, finance, hrss, level, money, period

NOTICE = "《财政部办公厅 人力资源社会保障部办公厅关于组织申报2023年公共就业服务能力提升示范项目的通知》（财办社〔2023〕22号）"
PROJECT = "公共就业服务能力提升示范项目"

FILLER = [
    "近年来，{c}坚持把就业作为最大的民生工程，健全就业公共服务体系，城镇新增就业人数连续保持稳定增长。",
    "{c}已建成市、县、乡、村四级公共就业服务网络，基层服务平台实现全覆盖。",
    "围绕地方支柱特色产业和急需紧缺职业（工种），大力开展特色技能培训，培育区域特色劳务品牌。",
    "加强零工市场和人力资源市场建设，推动各类市场服务共享、信息互通，提升供需匹配效率。",
    "做好高校毕业生等青年就业工作，以及农民工就业创业工作，强化困难人员就业援助。",
    "升级就业创业服务，健全常住地提供基本公共就业失业管理服务制度，落实均等化基本公共就业服务。",
    "优化智慧就业平台，推进失业登记、政策推送、补贴申领、审核发放等就业政策“一网通办”。",
    "推进直播带岗、远程面试、实景体验等新技术应用，打造智能求职招聘系统。",
    "建立就业失业状况、政策申领享受、市场供求变化监测分析平台，推动数据跨部门交换共享。",
    "构建常态化企业用工服务保障机制，支持引导市场主体尤其是小微企业稳定和扩大就业岗位。",
    "对就业困难人员实施个性化援助措施，优先引导实现市场化就业，运用公益性岗位兜底安置。",
    "充分利用政府、院校、企业等各类培训资源开展培训，健全职业技能培训资源共建共享机制。",
    "加强养老、育儿、家政、护理等民生重点领域技能人才培养，促进相关领域劳务品牌建设。",
    "建立项目推进工作专班，明确责任分工，定期调度项目进展，确保各项任务按期完成。",
    "严格执行就业补助资金管理办法，专款专用，强化资金使用全过程监管和绩效评价。",
    "强化宣传引导，及时总结推广典型经验，营造全社会关心支持就业工作的良好氛围。",
    "依托“家门口”就业服务站，将招聘、培训、政策咨询等服务延伸至社区和园区。",
    "健全就业服务质量评价制度，将服务对象满意度纳入考核，持续提升服务水平。",
]
SECTIONS = ["一、项目背景和必要性", "二、工作基础和实施条件", "三、总体思路和建设目标", "四、主要建设内容",
            "五、资金预算和筹措", "六、实施期限和进度安排", "七、绩效目标", "八、保障措施"]


def _fill(flow: Flow, rng: random.Random, city: str, size=5.2, reserve=0.0, max_paras=9):
    """Filler paragraphs while they fit, keeping ``reserve`` mm free."""
    deck = rng.sample(FILLER, len(FILLER))
    for i in range(min(max_paras, len(FILLER) // 2)):
        s = (deck[2 * i] + deck[2 * i + 1]).format(c=city)
        lines = len(_wrapped(s, size, flow.room))
        if flow.room_left() - reserve < lines * size * 1.55 + 1:
            break
        flow.para(s, size)


def _wrapped(s, size, room):
    from benchmarks.heldout_corpus.layout import wrap
    return wrap(s, size, room, 2 * size)


def _funding(p: dict, cform: str) -> str:
    lv = city_level(p["city"])
    s = f"项目总投资{p['total_wan']}万元，其中：申请中央财政补助资金{money(p['central_wan'], cform)}"
    if p["provincial_wan"]:
        s += f"，省级财政补助{p['provincial_wan']}万元"
    s += f"，{lv}财政安排{p['city_wan']}万元"
    if p["other_wan"]:
        s += f"，其他渠道筹集{p['other_wan']}万元"
    return s + "。"


def _period_sentence(p: dict, pform: str) -> str:
    text = period(p["period_months"], p["start"], pform)
    return {"range": f"项目实施期为{text}。", "range_dash": f"项目实施期：{text}。"}.get(
        pform, f"项目实施期限为{text}，自{p['start'][:4]}年{int(p['start'][5:])}月起实施。")


def _stated(stated, key, text, page):
    stated[key + "_text"], stated[key + "_page"] = text, page


# ------------------------------------------------------------------ cover letter (请示 / 函)

def cover(f: dict, d: dict, rng: random.Random):
    prov, r = f["province"], d["render"]
    fin, hr = finance(prov), hrss(prov)
    issuer = r.get("issuer")
    units = [fin] if issuer == "finance" else [hr] if issuer == "hrss" else [fin, hr]
    doc_no = d["file"].split(".")[0].split(" ")[0]
    if not doc_no.endswith("号"):
        doc_no = f"{prov[:1]}财社〔2023〕{rng.randint(10, 40)}号"
    letter = "函" if issuer else "请示"
    cities = [p["city"] for p in f["projects"]]
    stated: dict = {"cities": cities}
    pages = [Page(), Page()]
    fl = Flow(pages[0], top=30)
    # 红头: unit names stacked, 文件 beside them (a joint 请示); a 函 carries one name only
    if len(units) == 2:
        for u in units:
            fl.page.ops.append(Text(30, fl.y, 9.0, u, "bold", RED))
            fl.y += 12
        fl.page.ops.append(Text(30 + width(units[1], 9.0) + 4, fl.y - 19, 14.0, "文件", "bold", RED))
    else:
        fl.para(units[0], min(11.5, fl.room / len(units[0]) * 0.97), "bold", 0, 1.3, RED, "center")
    fl.skip(6)
    fl.para(doc_no, 5.2, "song", 0, align="center" if not issuer else "right")
    fl.rule(RED, 0.9, 3)
    if issuer:
        fl.rule(RED, 0.3, 8)
    else:
        fl.skip(6)
    city_list = "、".join(cities)
    title = f"{'、'.join(units) if len(units) == 1 else ' '.join(units)}关于推荐{city_list}申报2023年{PROJECT}的{letter}"
    fl.para(title, 7.4, "bold", 0, 1.45, align="center", gap=5)
    fl.para("财政部、人力资源社会保障部：", 5.6, "song", 0)
    fl.para(f"根据{NOTICE}要求，我{level(prov)}认真组织开展了2023年{PROJECT}申报工作。", 5.6)
    other = "省财政厅" if issuer == "hrss" else "省人力资源和社会保障厅"
    other = other.replace("省", level(prov), 1)
    if issuer:
        fl.para(f"经{level(prov)}人民政府同意，并已商{other}同意，拟推荐{city_list}申报2023年{PROJECT}。", 5.6)
    else:
        fl.para(f"经{level(prov)}人民政府同意，拟推荐{city_list}申报2023年{PROJECT}。", 5.6)
    if "central_subsidy_wan" in d:
        p = f["projects"][0]
        words = money(p["central_wan"], r["money"])
        fl.para(_funding(p, r["money"]), 5.6)
        _stated(stated, "central", words, 1)
    if "period_months" in d:
        p = f["projects"][0]
        text = period(p["period_months"], p["start"], r["period"])
        fl.para(_period_sentence(p, r["period"]), 5.6)
        _stated(stated, "period", text, 1)
    if len(cities) > 1:
        if any(c in ("青岛市", "深圳市", "大连市", "宁波市", "厦门市") for c in cities):
            fl.para(f"其中{[c for c in cities if c in ('青岛市', '深圳市', '大连市', '宁波市', '厦门市')][0]}"
                    "为计划单列市。各项目资金预算、实施期限详见附件。", 5.6)
        else:
            fl.para("各项目资金预算、实施期限详见附件。", 5.6)
    _fill(fl, rng, cities[0], 5.6, max_paras=2)
    fl = Flow(pages[1], top=30)
    _fill(fl, rng, cities[0], 5.6, reserve=195, max_paras=2)
    fl.para(f"{level(prov)}财政、人力资源社会保障部门已对项目实施的必要性、实施条件、建设内容、资金使用情况、资金测算等"
            "进行了认真审查，并对审查结果负责。", 5.6)
    fl.para("妥否，请批示。" if letter == "请示" else "特此函告。", 5.6, gap=4)
    attach = [a["file"].split(".")[0] for a in f["documents"][1:]]
    fl.para("附件：" + "；".join(a.split("：")[-1] for a in attach[:4]), 5.0, indent=2)
    fl.skip(16)
    y = fl.y
    date = f"2023年3月{int(f['date_header'][8:10]) - 1}日"
    if len(units) == 2:
        xs = [34, 118]
        for x, u in zip(xs, units):
            # a long name breaks over two lines, as such signatures do
            cut = u.find("人力资源") if "人力资源" in u else len(u) - 3
            parts = [u] if width(u, 5.4) < 66 else [u[:cut], u[cut:]]
            for k, part in enumerate(parts):
                pages[1].ops.append(Text(x + (66 - width(part, 5.4)) / 2, y + k * 7.5, 5.4, part, "kai"))
        pages[1].ops.append(Text(128, y + 24, 5.4, date, "kai"))
        if d["seal_imprint"]:
            pages[1].seals += [Seal(67, y + 6, units[0], 42, rng.uniform(-12, 12)),
                               Seal(151, y + 6, units[1], 42, rng.uniform(-12, 12))]
    else:
        u = units[0]
        pages[1].ops.append(Text(182 - width(u, 5.4), y, 5.4, u, "kai"))
        pages[1].ops.append(Text(182 - width(date, 5.4) - 6, y + 9, 5.4, date, "kai"))
        if d["seal_imprint"]:
            pages[1].seals.append(Seal(182 - width(u, 5.4) / 2, y + 5, u, 42, rng.uniform(-12, 12)))
    fl.y = y + 40
    fl.para(f"（联系人：{rng.choice('王李张刘陈杨赵黄')}{rng.choice(['晓明', '建国', '丽', '海燕', '志强'])}，"
            f"联系电话：0{rng.randint(300, 999)}-{rng.randint(2000000, 8999999)}）", 4.6, indent=2)
    fl.y = 297 - 40
    fl.rule((40, 40, 40), 0.3, 2)
    fl.para(f"{units[0]}办公室　　　　　　　　　　2023年3月{int(f['date_header'][8:10]) - 1}日印发", 4.4, indent=1)
    stated["joint"] = d.get("joint")
    return pages, stated


# ------------------------------------------------------------------ 实施方案

def plan(f: dict, d: dict, rng: random.Random):
    r, n = d["render"], d["physical_pages"]
    p = f["projects"][r["project"]]
    city = p["city"]
    money_page = max(2, n // 2 + 1) if n > 2 else 1
    period_page = max(money_page, n - 1)
    stated: dict = {"cities": [city]}
    pages = []
    sec = 0
    for k in range(1, n + 1):
        pg = Page()
        fl = Flow(pg)
        if k == 1:
            fl.skip(10)
            fl.para(f"{city}{PROJECT}实施方案", 8.0, "hei", 0, 1.5, align="center", gap=3)
            fl.para(f"{city}人力资源和社会保障局　{city}财政局", 5.0, "kai", 0, align="center", gap=2)
            fl.para("（2023年3月）", 5.0, "kai", 0, align="center", gap=6)
            fl.para(f"为贯彻落实{NOTICE}要求，结合{city}实际，制定本实施方案。", 5.2)
            fl.para(f"{city}近三年累计发放各类就业补助资金{rng.choice([2.6, 3.1, 3.4, 4.2])}亿元，"
                    f"惠及企业{rng.randint(800, 5000)}户、劳动者{rng.randint(5, 30)}万人次。", 5.2)
        if k == 1:
            head = 0
        elif k == money_page:
            head = 4
        elif k == period_page:
            head = 5
        elif k < money_page:
            head = min(k - 1, 3) if k - 1 > sec else None
        else:
            head = sec + 1 if sec + 1 < len(SECTIONS) and sec >= 5 else None
        if head is not None:
            fl.para(SECTIONS[head], 5.4, "hei", 0, gap=1)
            sec = head
        if k == money_page and "central_subsidy_wan" in d:
            fl.para(_funding(p, r["money"]), 5.2)
            _stated(stated, "central", money(p["central_wan"], r["money"]), k)
            fl.para("资金主要用于特色技能培训、零工市场建设、智慧就业平台升级和重点群体就业援助。", 5.2)
        if k == period_page and "period_months" in d:
            if k == money_page:
                fl.para(SECTIONS[5], 5.4, "hei", 0, gap=1)
                sec = 5
            fl.para(_period_sentence(p, r["period"]), 5.2)
            _stated(stated, "period", period(p["period_months"], p["start"], r["period"]), k)
            fl.para("项目分启动实施、全面推进、总结验收三个阶段组织实施，各阶段任务按季度调度。", 5.2)
        _fill(fl, rng, city, 5.2, reserve=12)
        pg.ops.append(Text(105 - 4, 297 - 18, 4.2, f"— {k} —", "song"))
        pages.append(pg)
    return pages, stated


# ------------------------------------------------------------------ 资金预算表

USES = [("特色技能培训", 0.32), ("零工市场和人力资源市场建设", 0.22), ("智慧就业平台升级", 0.26),
        ("重点群体就业援助", 0.14), ("项目管理和绩效评价", 0.06)]


def split(total: int, weights) -> list[int]:
    parts = [int(total * w) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def budget(f: dict, d: dict, rng: random.Random):
    r = d["render"]
    p = f["projects"][r["project"]]
    city, a3 = p["city"], r.get("a3", False)
    yuan = r["money"] == "yuan_table"
    fmt = (lambda v: f"{v * 10000:,.2f}") if yuan else (lambda v: f"{v:,.2f}")
    pg = Page(A3_LANDSCAPE if a3 else (210.0, 297.0))
    W = pg.size[0]
    fl = Flow(pg, left=20, right=20, top=28)
    fl.para(f"{city}{PROJECT}资金预算表", 7.0 if a3 else 6.2, "hei", 0, 1.5, align="center", gap=3)
    w = [p["central_wan"], p["provincial_wan"], p["city_wan"], p["other_wan"]]
    cols_w = [split(v, [u[1] for u in USES]) for v in w]
    lv = city_level(city).replace("地区", "地区级")
    rows = []
    if a3:
        y1 = [round(c * 0.45) for c in split(p["central_wan"], [u[1] for u in USES])]
        cols = [14, 52, 80, 34, 32, 32, 30, 36, 34, 34]
        rows.append(["序号", "项目内容", "主要建设任务", ("资金来源", 4, 1), None, None, None, ("合计", 1, 2),
                     ("其中：中央财政补助分年度", 2, 1), None])
        rows.append([None, None, None, "中央财政补助", "省级财政补助", f"{lv}财政", "其他资金", None,
                     "2023年度", "2024年度"])
        for i, (u, _) in enumerate(USES):
            vals = [cols_w[j][i] for j in range(4)]
            c = cols_w[0][i]
            rows.append([str(i + 1), "<" + u, "<" + FILLER[(i * 3) % len(FILLER)][:22].format(c=city)]
                        + [fmt(v) for v in vals] + [fmt(sum(vals)), fmt(y1[i]), fmt(c - y1[i])])
        rows.append([("合计", 3, 1), None, None] + [fmt(v) for v in w] + [fmt(sum(w)), fmt(sum(y1)),
                                                                         fmt(p["central_wan"] - sum(y1))])
        x0 = (W - sum(cols)) / 2
    else:
        cols = [10, 34, 27, 27, 27, 27, 28] if yuan else [12, 50, 24, 24, 24, 20, 26]
        rows.append(["序号", "项目内容", ("资金来源", 4, 1), None, None, None, ("合计", 1, 2)])
        rows.append([None, None, "中央财政补助", "省级财政补助", f"{lv}财政", "其他资金", None])
        for i, (u, _) in enumerate(USES):
            vals = [cols_w[j][i] for j in range(4)]
            rows.append([str(i + 1), "<" + u] + [fmt(v) for v in vals] + [fmt(sum(vals))])
        rows.append([("合计", 2, 1), None] + [fmt(v) for v in w] + [fmt(sum(w))])
        x0 = (W - sum(cols)) / 2
    # the header's second row: merged cells start at the first row (rowspan) and are None below
    rows[0] = [("序号", 1, 2) if c == "序号" else ("项目内容", 1, 2) if c == "项目内容" else
               ("主要建设任务", 1, 2) if c == "主要建设任务" else c for c in rows[0]]
    unit = "单位：元" if yuan else "单位：万元"
    pg.ops.append(Text(x0 + sum(cols) - width(unit, 4.4), fl.y, 4.4, unit, "song"))
    fl.y += 7
    size = 3.6 if a3 else 3.3 if yuan else 3.7
    bottom = table(pg, x0, fl.y, cols, rows, size=size, row_h=17 if a3 else 13, heights={0: 9, 1: 12})
    stated = {"cities": [city]}
    _stated(stated, "central", fmt(p["central_wan"]), 1)
    y = bottom + 14
    unit_name = f"{city}财政局"
    pg.ops.append(Text(x0 + 4, y, 4.6, f"填报单位：{unit_name}（盖章）", "song"))
    pg.ops.append(Text(x0 + sum(cols) - 60, y, 4.6, "填报日期：2023年3月20日", "song"))
    pg.ops.append(Text(x0 + 4, y + 9, 4.2, f"说明：中央财政补助资金按实施期分年度拨付，{lv}财政资金纳入年度预算安排。", "song"))
    if d["seal_imprint"]:
        pg.seals.append(Seal(x0 + 4 + width("填报单位：", 4.6) + width(unit_name, 4.6) / 2, y + 2, unit_name, 40,
                             rng.uniform(-15, 15)))
    return [pg], stated


# ------------------------------------------------------------------ 绩效目标表

def targets(f: dict, d: dict, rng: random.Random):
    r = d["render"]
    p = f["projects"][r["project"]]
    city, n = p["city"], d["physical_pages"]
    pg = Page()
    fl = Flow(pg, left=18, right=18, top=24)
    fl.para("中央对地方转移支付项目绩效目标申报表", 6.4, "hei", 0, 1.4, align="center")
    fl.para("（2023年度）", 4.8, "song", 0, align="center", gap=2)
    cols = [30, 30, 56, 58]
    fmt = lambda v: f"{v:,.2f}"
    ptext = period(p["period_months"], p["start"], r["period"])
    year1 = round(p["central_wan"] * 0.5)
    local = p["provincial_wan"] + p["city_wan"]
    rows = [
        ["项目名称", (f"<{city}{PROJECT}", 3, 1), None, None],
        ["中央主管部门", ("<人力资源社会保障部", 3, 1), None, None],
        ["省级主管部门", (f"<{hrss(f['province'])}", 3, 1), None, None],
        ["实施单位", (f"<{city}人力资源和社会保障局", 3, 1), None, None],
        ["实施期", (f"<{ptext}", 3, 1), None, None],
        [("资金情况（万元）", 1, 4), "", "实施期金额", "年度金额"],
        [None, "资金总额", fmt(p["total_wan"]), fmt(round(p["total_wan"] * 0.5))],
        [None, "其中：中央财政补助", fmt(p["central_wan"]), fmt(year1)],
        [None, "地方资金及其他", fmt(local + p["other_wan"]), fmt(round((local + p["other_wan"]) * 0.5))],
        ["总体目标", ("<通过示范项目实施，特色技能培训规模和质量明显提升，零工市场服务覆盖全域，"
                      "智慧就业平台实现政策“一网通办”，重点群体就业保持稳定。", 3, 1), None, None],
    ]
    heights = {9: 22}
    bottom = table(pg, 18, fl.y + 2, cols, rows, size=3.8, row_h=10, heights=heights)
    stated = {"cities": [city]}
    _stated(stated, "central", fmt(p["central_wan"]), 1)
    _stated(stated, "period", ptext, 1)
    ind = [
        [("产出指标", 1, 3), "数量指标", "<开展特色技能培训人次", f"≥{rng.randint(2, 6)}万人次"],
        [None, "质量指标", "<培训后就业率", "≥75%"],
        [None, "时效指标", "<补贴资金按时发放率", "100%"],
        [("效益指标", 1, 2), "社会效益指标", "<城镇新增就业人数", f"≥{rng.randint(3, 9)}万人"],
        [None, "可持续影响指标", "<零工市场服务覆盖县（市、区）比例", "100%"],
        ["满意度指标", "服务对象满意度", "<服务对象满意度", "≥90%"],
    ]
    head = [["一级指标", "二级指标", "三级指标", "指标值"]]
    if n == 1:
        table(pg, 18, bottom, cols, head + ind, size=3.8, row_h=10)
        return [pg], stated
    pg2 = Page()
    table(pg2, 18, 30, cols, head + ind, size=3.8, row_h=12)
    pg2.ops.append(Text(18, 30 + 7 * 12 + 10, 4.4, f"填报单位：{city}人力资源和社会保障局　　填报人：", "song"))
    return [pg, pg2], stated


# ------------------------------------------------------------------ 佐证材料

def evidence(f: dict, d: dict, rng: random.Random):
    city = f["projects"][0]["city"]
    pages = []
    for k in range(d["physical_pages"]):
        pg = Page()
        fl = Flow(pg, top=34)
        if k == 0:
            fl.para("佐证材料", 8.0, "hei", 0, 1.5, align="center", gap=6)
            for i, t in enumerate(["就业工作获表彰情况", "零工市场建设情况", "智慧就业平台运行情况",
                                   "市人民政府同意申报的意见"]):
                fl.para(f"{i + 1}．{t}", 5.4, "song", 2)
            _fill(fl, rng, city, 5.2, reserve=40, max_paras=3)
        else:
            fl.para(f"{city}人民政府关于同意申报{PROJECT}的意见" if k == d["physical_pages"] - 1 else
                    f"{city}公共就业服务工作情况（{k}）", 6.2, "hei", 0, 1.45, align="center", gap=4)
            _fill(fl, rng, city, 5.2, reserve=60, max_paras=5)
        if d["seal_imprint"] and k == d["physical_pages"] - 1:
            u = f"{city}人民政府"
            pg.ops.append(Text(182 - width(u, 5.2), 250, 5.2, u, "kai"))
            pg.ops.append(Text(182 - width("2023年3月18日", 5.2) - 4, 259, 5.2, "2023年3月18日", "kai"))
            pg.seals.append(Seal(182 - width(u, 5.2) / 2, 254, u, 42, rng.uniform(-15, 15)))
        pages.append(pg)
    return pages, {}


BUILDERS = {"cover_letter": cover, "plan": plan, "budget": budget, "performance_targets": targets,
            "evidence": evidence}
