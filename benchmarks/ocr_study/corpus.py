"""A small, deterministic OCR measuring set: Chinese official-document pages drawn with Pillow and the Noto CJK
fonts, with their ground-truth text known because we drew it.

    python -m benchmarks.ocr_study.corpus OUT_DIR      # writes OUT_DIR/<id>.png|jpg|tif + OUT_DIR/truth.json

Five base documents (a joint 请示 with a red header, a 函 with a red seal stamped over its signature, a dense plan
page, a gridded budget table with thin rules and merged cells, a performance-targets table with merged cells), each
scanned at 150/200/300 dpi; degradations (heavy noise, skew 1–3°, JPEG q30, grayscale, 1-bit) at 200 dpi; and phone
photos (perspective, lighting, blur, 4032 px long side, saved as 72 dpi). Ground truth is a list of lines (text pages)
or cells (tables) with their boxes in millimetres, so a reader's output can be compared in reading order.
Independent of the demo's sample generators (``demo/samples``) on purpose: it is a measuring instrument, not a demo generator.
"""
from __future__ import annotations

import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SC = 2                                   # face index of "SC" inside the Noto CJK .ttc collections
A4 = (210.0, 297.0)
PT_MM = 25.4 / 72
RED = (200, 24, 30)


def font(kind: str, size_pt: float, dpi: int) -> ImageFont.FreeTypeFont:
    files = {"serif": "NotoSerifCJK-Regular.ttc", "serif_bold": "NotoSerifCJK-Bold.ttc",
             "sans": "NotoSansCJK-Regular.ttc", "sans_bold": "NotoSansCJK-Bold.ttc"}
    return ImageFont.truetype(str(FONT_DIR / files[kind]), max(6, round(size_pt * dpi / 72)), index=SC)


@dataclass
class Item:
    """One run of text: a line of a paragraph or a table cell; box in mm (x0, y0, x1, y1)."""
    text: str
    box: tuple[float, float, float, float]
    kind: str = "serif"
    size: float = 16.0
    color: tuple = (0, 0, 0)
    anchor: str = "la"                     # Pillow anchor: la (left-top ascender) or mm (centred)


@dataclass
class Page:
    doc: str
    kind: str                              # letter / plan / table
    items: list[Item] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)   # x0,y0,x1,y1,width_mm
    red_rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    seal: dict | None = None


# ---------------------------------------------------------------- text layout (in mm, independent of dpi)

NO_LINE_START = "，。、；：？！）》」’”%"


def wrap(text: str, size_pt: float, width_mm: float, kind: str, first_indent: int = 2) -> list[str]:
    """Greedy per-character wrap with a fixed em (CJK glyphs are square; Latin digits take ~0.55 em)."""
    f = font(kind, size_pt, 300)
    em = f.getlength("国")
    limit = width_mm / 25.4 * 300
    lines, cur, indent = [], "", first_indent
    for ch in text:
        trial = cur + ch
        if f.getlength(trial) + indent * em > limit and cur:
            if ch in NO_LINE_START:           # keep the punctuation on this line (slight overhang, as Word does)
                lines.append(trial)
                cur, indent = "", 0
                continue
            lines.append(cur)
            cur, indent = ch, 0
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


class Flow:
    """Paragraph flow on an A4 page with GB/T 9704-like margins (37/35 mm top/bottom, 28/26 mm left/right)."""

    def __init__(self, page: Page, top: float = 37.0, left: float = 28.0, right: float = 26.0):
        self.page, self.y, self.left, self.width = page, top, left, A4[0] - left - right

    def para(self, text: str, kind="serif", size=16.0, indent=2, align="left", color=(0, 0, 0), gap=1.0):
        line_h = size * PT_MM * 1.75
        em = size * PT_MM
        for i, line in enumerate(wrap(text, size, self.width, kind, indent if align == "left" else 0)):
            x = self.left + (indent * em if (i == 0 and align == "left") else 0)
            if align == "center":
                self.page.items.append(Item(line, (A4[0] / 2, self.y + line_h / 2, 0, 0), kind, size, color, "mm"))
            elif align == "right":
                self.page.items.append(Item(line, (self.left + self.width, self.y, 0, 0), kind, size, color, "ra"))
            else:
                self.page.items.append(Item(line, (x, self.y, 0, 0), kind, size, color))
            self.y += line_h
        self.y += gap

    def skip(self, mm: float):
        self.y += mm


# ---------------------------------------------------------------- documents

PROVINCES = ["河北省", "山西省", "辽宁省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
             "湖北省", "湖南省", "广东省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省"]
CITIES = {"河北省": ["石家庄市", "唐山市", "保定市"], "江苏省": ["南京市", "苏州市", "徐州市"],
          "浙江省": ["杭州市", "宁波市", "温州市"], "湖北省": ["武汉市", "宜昌市", "襄阳市"],
          "四川省": ["成都市", "绵阳市", "宜宾市"], "山东省": ["济南市", "青岛市", "潍坊市"]}
ABBR = {"河北省": "冀", "江苏省": "苏", "浙江省": "浙", "湖北省": "鄂", "四川省": "川", "山东省": "鲁"}


def money(rng: random.Random, lo: int, hi: int) -> str:
    return f"{rng.randint(lo, hi) * 10:,}.00"


def letter(rng: random.Random, prov: str, sealed: bool) -> Page:
    """A joint 请示 (red header, 文号, red rule, title, body, signature, date); ``sealed``: a 函 with a seal."""
    p = Page(doc="", kind="letter")
    cities = CITIES[prov]
    sub = money(rng, 500, 1200)
    f = Flow(p, top=30)
    if not sealed:
        f.para(f"{prov}财政厅", "serif_bold", 26, 0, "center", RED, 0)
        f.para(f"{prov}人力资源和社会保障厅", "serif_bold", 26, 0, "center", RED, 1)
        f.para(f"{ABBR[prov]}财社〔2023〕{rng.randint(11, 99)}号", "serif", 16, 0, "center", gap=1)
        p.red_rules.append((28, f.y, A4[0] - 26, f.y, 0.8))
        f.skip(5)
        title = f"关于申报2023年度公共就业服务能力提升示范项目的请示"
    else:
        f.skip(6)
        title = f"{prov}财政厅关于报送就业补助资金项目申报材料的函"
    f.para(title, "serif_bold", 22, 0, "center", gap=4)
    f.para("财政部、人力资源社会保障部：", "serif", 16, 0)
    f.para(f"根据《财政部 人力资源社会保障部关于开展2023年公共就业服务能力提升示范项目申报工作的通知》"
           f"（财办社〔2023〕22号）要求，经省财政厅、省人力资源社会保障厅联合评审，"
           f"拟推荐{cities[0]}、{cities[1]}、{cities[2]}三个城市申报示范项目。")
    f.para(f"项目实施期限为2023年{rng.randint(4, 7)}月至2025年{rng.randint(3, 6)}月，共两年。"
           f"项目总投资{money(rng, 2000, 4000)}万元，其中申请中央财政补助资金{sub}万元，"
           f"省级财政配套{money(rng, 300, 800)}万元，市县财政安排{money(rng, 200, 600)}万元。")
    f.para("资金主要用于基层公共就业服务平台建设、就业信息系统升级改造、"
           "零工市场规范化建设和重点群体就业帮扶，所需资金已纳入年度预算。")
    f.para("妥否，请批示。" if not sealed else "特此函告。")
    f.skip(4)
    f.para("附件：1.项目申报书", "serif", 16, 0)
    f.para("2.项目资金预算表", "serif", 16, 0, gap=7)
    sig_y = f.y
    if not sealed:
        f.para(f"{prov}财政厅　　{prov}人力资源和社会保障厅", "serif", 16, 0, "right")
    else:
        f.para(f"{prov}财政厅", "serif", 16, 0, "right")
    f.para(f"2023年{rng.randint(4, 5)}月{rng.randint(10, 28)}日", "serif", 16, 0, "right", gap=5)
    if sealed:                              # a 请示 carries its contact line on the first page's foot; no room here
        f.para(f"（联系人：{rng.choice(['张伟', '李娜', '王强', '刘洋'])}，联系电话：010-{rng.randint(60000000, 69999999)}）",
               "serif", 14, 2)
        p.seal = {"cx": A4[0] - 26 - 32, "cy": sig_y + 6, "d": 42.0, "text": f"{prov}财政厅"}
    return p


def plan(rng: random.Random, prov: str) -> Page:
    p = Page(doc="", kind="plan")
    f = Flow(p)
    f.para("一、项目背景和基础", "sans_bold", 16, 2)
    f.para(f"近年来，{prov}坚持把就业作为最大的民生，全省城镇新增就业连续{rng.randint(3, 9)}年保持在"
           f"{rng.randint(60, 120)}万人以上，城镇调查失业率控制在{rng.randint(4, 5)}.{rng.randint(1, 9)}%以内。"
           "基层公共就业服务机构覆盖所有街道（乡镇）和{n}%的社区（村），".replace("{n}", str(rng.randint(80, 98)))
           + "但仍存在服务设施不足、信息化水平不高、专业人员缺乏等问题。")
    f.para("二、建设目标", "sans_bold", 16, 2)
    f.para(f"通过两年建设，到2025年底，示范城市建成标准化零工市场{rng.randint(10, 40)}个，"
           f"培育专业化就业服务人员{rng.randint(500, 2000)}名，公共就业服务信息系统实现省、市、县、乡四级贯通，"
           f"重点群体就业帮扶覆盖率达到{rng.randint(90, 99)}%。")
    f.para("三、主要建设内容", "sans_bold", 16, 2)
    f.para("（一）基层平台建设。改造提升街道（乡镇）公共就业服务站点，统一标识、统一流程、统一标准，"
           "配备自助服务终端和远程招聘设备。")
    f.para("（二）信息系统升级。整合就业登记、失业保险、职业培训等业务数据，建设就业形势监测分析模块，"
           "实现岗位信息实时推送和精准匹配。")
    f.para(f"（三）资金安排。项目总预算{money(rng, 2000, 4000)}万元，其中中央财政补助{money(rng, 500, 1200)}万元，"
           "按照“先建后补、以奖代补”方式拨付。")
    return p


def budget(rng: random.Random, prov: str) -> Page:
    """A ruled budget table: two-level header (资金来源 merged over three columns), a 序号/类别 group merged over rows."""
    p = Page(doc="", kind="table")
    f = Flow(p, top=30, left=20, right=20)
    f.para("附件2", "sans_bold", 16, 0)
    f.para(f"{prov}公共就业服务能力提升示范项目资金预算表", "serif_bold", 18, 0, "center", gap=2)
    f.para("单位：万元", "serif", 12, 0, "right", gap=1)
    cols = [12, 56, 23, 23, 23, 23, 10]     # 序号 项目内容 中央 省级 市县 合计 备注 (sum 170)
    x = [20.0]
    for w in cols:
        x.append(x[-1] + w)
    y0, rh = f.y + 2, 10.0
    groups = [("1", "平台建设", ["街道就业服务站改造", "零工市场建设", "自助服务终端购置"]),
              ("2", "信息化", ["就业信息系统升级", "监测分析模块开发"]),
              ("3", "能力提升", ["就业服务人员培训", "重点群体就业帮扶", "宣传及其他"])]
    rows = []
    for no, cat, names in groups:
        for i, name in enumerate(names):
            c, s, m = (rng.randint(20, 400) * 1.0 for _ in range(3))
            rows.append((no if i == 0 else None, len(names) if i == 0 else 0, f"{cat}：{name}", c, s, m))
    n_rows = 2 + len(rows) + 1
    hdr = 8.0
    ys = [y0, y0 + hdr, y0 + 2 * hdr] + [y0 + 2 * hdr + rh * (i + 1) for i in range(len(rows) + 1)]
    thin = 0.18

    def cell(text, c0, c1, r0, r1, size=10.5, kind="serif"):
        box = (x[c0], ys[r0], x[c1], ys[r1])
        p.items.append(Item(text, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 0, 0), kind, size, anchor="mm"))

    for i, yy in enumerate(ys):            # horizontal rules; the 资金来源 sub-rule only under its span
        if i == 1:
            p.rules.append((x[2], yy, x[5], yy, thin))
        else:
            p.rules.append((x[0], yy, x[-1], yy, thin if 0 < i < len(ys) - 1 else 0.35))
    for j, xx in enumerate(x):             # vertical rules; none inside the merged header cells
        w = 0.35 if j in (0, len(x) - 1) else thin
        if j in (3, 4):
            p.rules.append((xx, ys[1], xx, ys[-1], w))
        else:
            p.rules.append((xx, ys[0], xx, ys[-1], w))
    cell("序号", 0, 1, 0, 2, kind="sans_bold")
    cell("项目内容", 1, 2, 0, 2, kind="sans_bold")
    cell("资金来源", 2, 5, 0, 1, kind="sans_bold")
    cell("中央财政补助", 2, 3, 1, 2, 9.5, "sans_bold")
    cell("省级财政", 3, 4, 1, 2, 9.5, "sans_bold")
    cell("市县财政", 4, 5, 1, 2, 9.5, "sans_bold")
    cell("合计", 5, 6, 0, 2, kind="sans_bold")
    cell("备注", 6, 7, 0, 2, kind="sans_bold")
    tot = [0.0, 0.0, 0.0]
    r = 2
    for no, span, name, c, s, m in rows:
        if no is not None:                 # the 序号 cell merged over its group: remove the rules inside it
            cell(no, 0, 1, r, r + span)
            for k in range(1, span):
                yy = ys[r + k]
                p.rules.remove((x[0], yy, x[-1], yy, thin))
                p.rules.append((x[1], yy, x[-1], yy, thin))
        cell(name, 1, 2, r, r + 1, 10)
        for k, v in enumerate((c, s, m)):
            cell(f"{v:,.2f}", 2 + k, 3 + k, r, r + 1)
            tot[k] += v
        cell(f"{c + s + m:,.2f}", 5, 6, r, r + 1)
        r += 1
    cell("合计", 0, 2, r, r + 1, kind="sans_bold")
    p.rules.remove((x[1], ys[r], x[1], ys[-1], thin)) if (x[1], ys[r], x[1], ys[-1], thin) in p.rules else None
    for k in range(3):
        cell(f"{tot[k]:,.2f}", 2 + k, 3 + k, r, r + 1)
    cell(f"{sum(tot):,.2f}", 5, 6, r, r + 1)
    # the 合计 label spans 序号+项目内容: cut the vertical rule between them on the last row
    p.rules = [ru for ru in p.rules if not (ru[0] == x[1] and ru[2] == x[1])]
    p.rules.append((x[1], ys[0], x[1], ys[r], thin))
    return p


def targets(rng: random.Random, prov: str) -> Page:
    p = Page(doc="", kind="table")
    f = Flow(p, top=30, left=22, right=22)
    f.para("附件3", "sans_bold", 16, 0)
    f.para("项目绩效目标表", "serif_bold", 18, 0, "center", gap=3)
    f.para(f"项目名称：{prov}公共就业服务能力提升示范项目　　实施期限：2023年—2024年", "serif", 11, 0, gap=2)
    cols = [24, 30, 66, 46]
    x = [22.0]
    for w in cols:
        x.append(x[-1] + w)
    rows = [("产出指标", "数量指标", "新建标准化零工市场", f"≥{rng.randint(10, 40)}个"),
            (None, None, "培训就业服务人员", f"≥{rng.randint(500, 2000)}人次"),
            (None, "质量指标", "服务站点标准化达标率", f"≥{rng.randint(90, 99)}%"),
            (None, "时效指标", "项目完成时限", "2024年12月底前"),
            ("效益指标", "社会效益指标", "重点群体就业帮扶覆盖率", f"≥{rng.randint(90, 99)}%"),
            (None, None, "城镇新增就业人数", f"≥{rng.randint(60, 120)}万人"),
            ("满意度指标", "服务对象满意度", "求职者满意度", "≥90%")]
    spans0 = {0: 4, 4: 2, 6: 1}
    spans1 = {0: 2, 2: 1, 3: 1, 4: 2, 6: 1}
    y0, rh = f.y + 2, 11.0
    ys = [y0 + rh * i for i in range(len(rows) + 2)]
    thin = 0.18

    def cell(text, c0, c1, r0, r1, size=10.5, kind="serif"):
        p.items.append(Item(text, ((x[c0] + x[c1]) / 2, (ys[r0] + ys[r1]) / 2, 0, 0), kind, size, anchor="mm"))

    for j, h in enumerate(("一级指标", "二级指标", "三级指标", "指标值")):
        cell(h, j, j + 1, 0, 1, kind="sans_bold")
    for i, (a, b, c, d) in enumerate(rows):
        r = i + 1
        if i in spans0:
            cell(a, 0, 1, r, r + spans0[i])
        if i in spans1:
            cell(b, 1, 2, r, r + spans1[i], 10)
        cell(c, 2, 3, r, r + 1, 10)
        cell(d, 3, 4, r, r + 1, 10)
    for i, yy in enumerate(ys):
        w = 0.35 if i in (0, len(ys) - 1) else thin
        r = i - 1                           # the rule under data row r-1 / above row r
        start = 0
        if 0 < i < len(ys) - 1:
            if (i - 1) not in spans0:
                start = 1
            if (i - 1) not in spans1 and start == 1:
                start = 2
        p.rules.append((x[start], yy, x[-1], yy, w))
    for j, xx in enumerate(x):
        p.rules.append((xx, ys[0], xx, ys[-1], 0.35 if j in (0, len(x) - 1) else thin))
    return p


# ---------------------------------------------------------------- drawing

def draw(page: Page, dpi: int) -> Image.Image:
    px = dpi / 25.4
    W, H = round(A4[0] * px), round(A4[1] * px)
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    for x0, y0, x1, y1, w in page.rules:
        d.line([(x0 * px, y0 * px), (x1 * px, y1 * px)], fill=(0, 0, 0), width=max(1, round(w * px)))
    for x0, y0, x1, y1, w in page.red_rules:
        d.line([(x0 * px, y0 * px), (x1 * px, y1 * px)], fill=RED, width=max(1, round(w * px)))
    for it in page.items:
        d.text((it.box[0] * px, it.box[1] * px), it.text, font=font(it.kind, it.size, dpi), fill=it.color,
               anchor=it.anchor)
    if page.seal:
        im = stamp(im, page.seal, px)
    return im


def stamp(im: Image.Image, seal: dict, px: float) -> Image.Image:
    """A round red seal (ring, star, arc text) multiplied over the page, slightly uneven like real ink."""
    d_px = round(seal["d"] * px)
    layer = Image.new("L", (d_px, d_px), 0)
    ld = ImageDraw.Draw(layer)
    ring = max(2, round(1.1 * px))
    ld.ellipse([ring // 2, ring // 2, d_px - ring // 2, d_px - ring // 2], outline=255, width=ring)
    r_star = d_px * 0.16
    c = d_px / 2
    pts = [(c + r_star * (1 if k % 2 == 0 else 0.4) * math.sin(k * math.pi / 5),
            c - r_star * (1 if k % 2 == 0 else 0.4) * math.cos(k * math.pi / 5)) for k in range(10)]
    ld.polygon(pts, fill=255)
    text = seal["text"]
    fsize = max(8, round(d_px * 0.13))
    f = ImageFont.truetype(str(FONT_DIR / "NotoSansCJK-Bold.ttc"), fsize, index=SC)
    span = 240.0
    for k, ch in enumerate(text):
        ang = -span / 2 + span * (k + 0.5) / len(text)
        g = Image.new("L", (fsize * 2, fsize * 2), 0)
        ImageDraw.Draw(g).text((fsize, fsize), ch, font=f, fill=255, anchor="mm")
        g = g.rotate(-ang, resample=Image.BICUBIC)
        rr = d_px / 2 - ring - fsize * 0.75
        gx = c + rr * math.sin(math.radians(ang)) - fsize
        gy = c - rr * math.cos(math.radians(ang)) - fsize
        layer.paste(255, (round(gx), round(gy)), g)
    rng = np.random.default_rng(7)
    a = np.asarray(layer, dtype=np.float32) / 255.0
    a *= (0.75 + 0.25 * rng.random(a.shape)).astype(np.float32)            # uneven ink
    base = np.asarray(im, dtype=np.float32)
    x0, y0 = round(seal["cx"] * px - d_px / 2), round(seal["cy"] * px - d_px / 2)
    sub = base[y0:y0 + d_px, x0:x0 + d_px]
    ink = np.array(RED, dtype=np.float32) / 255.0
    sub[:] = sub * (1 - a[..., None] * (1 - ink))
    return Image.fromarray(base.clip(0, 255).astype(np.uint8))


# ---------------------------------------------------------------- degradations (all seeded)

def scan(im: Image.Image, rng: np.random.Generator, noise=5.0) -> Image.Image:
    a = np.asarray(im, dtype=np.float32)
    a = a * np.array([0.965, 0.955, 0.93]) + 4                              # paper tint
    a += rng.normal(0, noise, a.shape[:2])[..., None]
    out = Image.fromarray(a.clip(0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.5 * im.width / 2480 + 0.2))


def salt(im: Image.Image, rng: np.random.Generator, frac=0.004) -> Image.Image:
    a = np.asarray(im).copy()
    m = rng.random(a.shape[:2])
    a[m < frac / 2] = 0
    a[m > 1 - frac / 2] = 255
    return Image.fromarray(a)


def skew(im: Image.Image, deg: float) -> Image.Image:
    return im.rotate(deg, resample=Image.BICUBIC, fillcolor=(250, 250, 248))


def binarise(im: Image.Image, thr=165) -> Image.Image:
    return im.convert("L").point(lambda v: 255 if v > thr else 0).convert("1")


def phone(im: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Page photographed on a desk: 3024×4032, perspective, vignetting, blur, warm light."""
    import cv2

    W, H = 3024, 4032
    src = np.float32([[0, 0], [im.width, 0], [im.width, im.height], [0, im.height]])
    dst = np.float32([[330, 310], [2700, 420], [2830, 3760], [190, 3640]])
    M = cv2.getPerspectiveTransform(src, dst)
    desk = np.full((H, W, 3), (92, 84, 70), np.uint8)
    page = cv2.warpPerspective(np.asarray(im), M, (W, H), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.full((im.height, im.width), 255, np.uint8), M, (W, H)) > 0
    out = np.where(mask[..., None], page, desk).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 1.0 - 0.28 * (((xx - W * 0.35) / W) ** 2 + ((yy - H * 0.3) / H) ** 2) ** 0.5
    out *= light[..., None] * np.array([1.0, 0.97, 0.9], np.float32)
    out += rng.normal(0, 4, (H, W))[..., None]
    img = Image.fromarray(out.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.1))
    return img


# ---------------------------------------------------------------- the set

def truth_of(page: Page) -> list[dict]:
    for it in page.items:
        if not (5 <= it.box[1] <= A4[1] - 12):
            raise ValueError(f"{page.doc}: {it.text!r} falls off the page at y={it.box[1]:.0f} mm")
    return [{"text": it.text, "x": round(it.box[0], 1), "y": round(it.box[1], 1)} for it in page.items]


def base_docs() -> dict[str, Page]:
    rng = random.Random(2023)
    docs = {"qingshi": letter(rng, "江苏省", False), "han_seal": letter(rng, "湖北省", True),
            "plan": plan(rng, "四川省"), "budget": budget(rng, "浙江省"), "targets": targets(rng, "山东省")}
    for k, p in docs.items():
        p.doc = k
    return docs


def build(out: Path) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    docs = base_docs()
    rng = np.random.default_rng(11)
    entries = []

    def save(pid: str, img: Image.Image, page: Page, dpi: int, fmt: str, degr: str, **kw):
        name = f"{pid}.{fmt}"
        if fmt == "jpg":
            img.convert("RGB" if img.mode != "L" else "L").save(out / name, quality=kw.get("q", 85), dpi=(dpi, dpi))
        elif fmt == "tif":
            img.save(out / name, compression="group4", dpi=(dpi, dpi))
        else:
            img.save(out / name, dpi=(dpi, dpi))
        entries.append({"id": pid, "file": name, "doc": page.doc, "kind": page.kind, "dpi": dpi,
                        "degradation": degr, "size": list(img.size), "truth": truth_of(page)})

    for dpi in (150, 200, 300):
        for key, page in docs.items():
            save(f"{key}-{dpi}-scan", scan(draw(page, dpi), rng), page, dpi, "jpg", "scan")
    for key in ("qingshi", "plan", "budget"):
        page = docs[key]
        clean = draw(page, 200)
        save(f"{key}-200-noise", salt(scan(clean, rng, 22.0), rng), page, 200, "png", "noise")
        deg = {"qingshi": 1.2, "plan": -2.1, "budget": 2.8}[key]
        save(f"{key}-200-skew", skew(scan(clean, rng), deg), page, 200, "jpg", f"skew {deg:+.1f}°")
        save(f"{key}-200-jpeg30", scan(clean, rng), page, 200, "jpg", "jpeg q30", q=30)
        save(f"{key}-200-gray", scan(clean, rng).convert("L"), page, 200, "jpg", "gray", q=75)
        save(f"{key}-200-1bit", binarise(scan(clean, rng)), page, 200, "tif", "1-bit")
    for key in ("han_seal", "targets"):        # the seal and the second table under the harder degradations too
        page = docs[key]
        clean = draw(page, 200)
        save(f"{key}-200-gray", scan(clean, rng).convert("L"), page, 200, "jpg", "gray", q=75)
        save(f"{key}-200-1bit", binarise(scan(clean, rng)), page, 200, "tif", "1-bit")
    for key in ("qingshi", "han_seal", "budget"):
        save(f"{key}-phone", phone(scan(draw(docs[key], 250), rng), rng), docs[key], 72, "jpg", "phone photo", q=82)
    (out / "truth.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return entries


if __name__ == "__main__":
    es = build(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ocr-corpus"))
    print(len(es), "pages")
