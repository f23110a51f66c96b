"""Scanned 佐证材料 (evidence) and the 2022 执行情况报告 (prior report)."""
from __future__ import annotations

from PIL import ImageDraw

from demo.samples.applicant import Applicant, cn_date, wan
from demo.samples.documents import SampleFile, _file
from demo.samples.fonts import font
from demo.samples.page import RED, Writer, pt
from demo.samples.seal import stamp
from demo.samples.texts import FILLER

PHOTOS = ["零工市场服务大厅", "就业服务站点现场", "招聘对接活动现场", "就业服务信息平台界面", "技能培训课堂",
          "基层就业服务驿站", "企业用工对接会", "重点群体就业帮扶"]


def _photo(w: Writer, caption: str, height_mm: float, rng) -> None:
    """A grey 'photocopied photograph': gradient sky, building blocks and figures, with a caption."""
    p = w.page
    box = (p.left + p.px(8), p.y, p.right - p.px(8), p.y + p.px(height_mm))
    dr = ImageDraw.Draw(p.image)
    x0, y0, x1, y1 = box
    for k in range(y0, y1, 4):
        g = 120 + (k - y0) * 90 // max(1, y1 - y0)
        dr.rectangle((x0, k, x1, k + 4), fill=(g, g, g))
    ground = y0 + (y1 - y0) * 2 // 3
    for _ in range(rng.randint(3, 6)):
        bx = rng.randint(x0, x1 - 150)
        bh = rng.randint(80, ground - y0 - 10)
        tone = rng.randint(60, 110)
        dr.rectangle((bx, ground - bh, bx + rng.randint(90, 220), ground), fill=(tone, tone, tone))
    dr.rectangle((x0, ground, x1, y1), fill=(150, 150, 150))
    for _ in range(rng.randint(5, 12)):
        fx, fy = rng.randint(x0 + 10, x1 - 20), rng.randint(ground, y1 - 50)
        dr.ellipse((fx, fy, fx + 14, fy + 14), fill=(40, 40, 40))
        dr.rectangle((fx + 2, fy + 14, fx + 12, fy + 44), fill=(50, 50, 50))
    dr.rectangle(box, outline=(30, 30, 30), width=2)
    p.y = y1 + p.px(3)
    w.text(caption, size_pt=12, align="center")


def evidence(a: Applicant, pages: int = 2, filename: str | None = None) -> SampleFile:
    """佐证材料: the province government's consent letter, key figures, then photo pages to ``pages``."""
    rng = a.rng("evidence")
    city = a.cities[0]
    w = Writer()
    w.title("佐证材料")
    for line in ["目  录", "一、省人民政府同意推荐的函（复印件）", "二、近三年就业主要指标", "三、公共就业服务设施现场照片"]:
        w.text(line, indent=2 if line[0] != "目" else 0, align="center" if line[0] == "目" else "left")
    w.skip(0.5)
    w.text(f"{a.province}人民政府办公厅", size_pt=22, style="serif-bold", align="center", fill=RED)
    w.rule(RED, 3)
    w.text(f"{a.province}人民政府办公厅关于同意推荐{a.cities_text()}申报{a.year}年{a.programme}的复函", size_pt=16,
           style="serif-bold", align="center")
    w.text(f"{a.finance}、{a.hrss}：", size_pt=14)
    w.text(f"你们报来的请示收悉。经省人民政府同意，现函复如下：同意推荐{a.cities_text()}申报{a.year}年{a.programme}。"
           "请按规定做好申报工作，加强项目管理，确保资金使用安全有效。", size_pt=14, indent=2)
    w.skip(0.5)
    w.text(f"{a.province}人民政府办公厅    {cn_date(a.signed)}", size_pt=14, align="right")
    stamp(w.page.image, f"{a.province}人民政府办公厅", (w.page.right - w.page.px(38), w.page.y - w.page.px(8)),
          w.page.px(40), rng)
    if pages >= 2:
        w.new_page()
        w.heading("二、近三年就业主要指标")
        rows = [["指标", f"{a.year - 3}年", f"{a.year - 2}年", f"{a.year - 1}年"]]
        base = rng.randint(40000, 90000)
        for name, k in [("城镇新增就业（人）", 1.0), ("失业人员再就业（人）", 0.3), ("就业困难人员就业（人）", 0.08),
                        ("开展就业服务活动（场）", 0.004), ("零工市场服务人次（人次）", 0.9)]:
            rows.append([name] + [f"{round(base * k * (1 + 0.06 * i)):,}" for i in range(3)])
        w.table(rows, [3, 1.5, 1.5, 1.5], size_pt=12)
        w.skip(0.5)
        w.para(f"数据来源：{city}人力资源和社会保障局统计年报。" + FILLER[0])
        w.skip(0.3)
        _photo(w, f"图1  {city}{PHOTOS[0]}", 80, rng)
    for k in range(2, pages):
        w.new_page()
        if k == 2:
            w.heading("三、公共就业服务设施现场照片")
        _photo(w, f"图{2 * k - 2}  {city}{PHOTOS[(2 * k - 3) % len(PHOTOS)]}", 95, rng)
        w.skip(0.3)
        _photo(w, f"图{2 * k - 1}  {city}{PHOTOS[(2 * k - 2) % len(PHOTOS)]}", 95, rng)
    return _file(filename or "佐证材料.pdf", "evidence", a, w.finish()[:pages], "evidence",
                 colour=range(1))


def prior_report(a: Applicant, city: str, pages: int = 2, filename: str | None = None) -> SampleFile:
    """2022年示范项目执行情况报告 for a province that had a 2022 project in ``city``."""
    rng = a.rng("prior")
    prior = a.year - 1
    w = Writer()
    w.title(f"{a.province}{prior}年{a.programme}\n执行情况报告")
    got = rng.choice([4000.0, 5000.0, 6000.0])
    spent = round(got * rng.uniform(0.72, 0.93), 2)
    sections = [
        ("一、项目总体进展", f"{prior}年{city}入选{a.programme}以来，{a.province}按照批复的实施方案推进各项建设任务，"
                      "零工市场、就业服务信息平台等主要建设内容已基本完成。"),
        ("二、资金到位和使用情况", f"中央财政补助资金到位{wan(got)}万元，截至{a.year}年2月底已支出{wan(spent)}万元，"
                          f"支出进度{spent / got:.1%}。地方配套资金按计划足额到位。"),
        ("三、绩效目标完成情况", "新建零工市场8个，服务灵活就业人员4.6万人次，服务对象满意度92%，"
                         "年度绩效目标基本完成。"),
        ("四、存在的问题", "部分基层站点专业人员不足，信息平台与相关部门数据共享仍需深化。"),
        ("五、下一步工作", "加快剩余资金支出进度，完善运行管理制度，及时总结推广经验做法。"),
    ]
    for head, body in sections:
        w.heading(head)
        w.para(body)
    w.table([["资金来源", "预算（万元）", "到位（万元）", "支出（万元）"],
             ["中央财政补助资金", wan(got), wan(got), wan(spent)],
             ["地方财政资金", wan(got * 0.6), wan(got * 0.6), wan(got * 0.45)]], [2.4, 1.5, 1.5, 1.5], size_pt=12)
    k = 0
    while len(w.pages) < pages:
        w.para(FILLER[k % len(FILLER)])
        k += 1
    return _file(filename or f"{a.province}{prior}年示范项目执行情况报告.pdf", "prior_report", a,
                 w.finish()[:pages], "prior")


def loose_photos(a: Applicant, pages: int = 2, filename: str = "扫描件001.pdf") -> SampleFile:
    """Scanned photo pages whose captions name no place: nothing in them tells which province sent them."""
    rng = a.rng("loose")
    w = Writer()
    w.title("现场照片")
    for k in range(pages):
        if k:
            w.new_page()
        _photo(w, f"图{2 * k + 1}  {PHOTOS[(2 * k) % len(PHOTOS)]}", 90, rng)
        w.skip(0.3)
        _photo(w, f"图{2 * k + 2}  {PHOTOS[(2 * k + 1) % len(PHOTOS)]}", 90, rng)
    return _file(filename, "evidence", a, w.finish()[:pages], "loose")
