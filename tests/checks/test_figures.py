"""Pure readers: kinds from names, titles and position; subsidy, period, cities, joint issuance, titles."""
from __future__ import annotations

import pytest

from precheck.document_kind import classify
from precheck.places import default_places
from precheck.reading.cities import read_cities
from precheck.reading.intake import text_page
from precheck.reading.joint import read_joint
from precheck.reading.layout import letter_layout
from precheck.reading.numbers import amount_wan, parse_count
from precheck.reading.period import read_period
from precheck.reading.subsidy import read_subsidy


def page(*lines: str, index: int = 0):
    return text_page(index, "\n".join(lines))


@pytest.mark.parametrize("name,kind", [
    ("附件1：山东省2023年公共就业服务能力提升示范项目申报文件.pdf", "cover_letter"),
    ("关于报送2023年公共就业服务能力提升示范项目申报材料的函.pdf", "cover_letter"),
    ("关于报送青岛市实施方案的请示.pdf", "cover_letter"),
    ("附件2：青岛市实施方案（修改稿）.pdf", "plan"),
    ("附件3：资金预算表.xlsx", "budget"),
    ("附件4：中央对地方转移支付项目绩效目标表.xls", "performance_targets"),
    ("2022年示范项目执行情况报告.pdf", "prior_report"),
    ("佐证材料-就业数据.pdf", "evidence"),
    ("扫描件001.pdf", "other"),
])
def test_kind_from_filename(call, name, kind):
    c = classify(name, "", "", call)
    assert c.kind == kind and (c.source == "filename" or kind == "other")


def test_title_beats_filename_and_content_fallback(call):
    c = classify("附件2.pdf", "中央对地方转移支付项目绩效目标表", "", call)
    assert (c.kind, c.source, c.confidence) == ("performance_targets", "title", 0.9)
    c = classify("表1.pdf", "", "年度目标 产出指标 数量指标 效益指标 满意度指标", call)
    assert (c.kind, c.source) == ("performance_targets", "content")
    c = classify("实施方案.pdf", "关于推荐青岛市申报示范项目的请示", "", call)
    assert c.kind == "cover_letter" and c.confidence < 0.9 and len(c.evidence) == 2


def test_an_ocr_title_does_not_outweigh_a_specific_file_name(call):
    """附件4：佐证材料.pdf opens with a city's sealed 请示: still evidence; 扫描件003.pdf takes its kind from OCR."""
    title, text = "韶关市财政局 韶关市人力资源和社会保障局关于申报示范项目的请示", "财政 人力资源 请示 推荐"
    c = classify("附件4：佐证材料.pdf", title, text, call, text_source="ocr", position={"index": 4, "count": 5})
    assert c.kind == "evidence" and c.source == "filename"
    assert any(e["kind"] == "cover_letter" and e["source"] == "ocr_title" for e in c.evidence)
    c = classify("扫描件003.pdf", title, text, call, text_source="ocr", position={"index": 0, "count": 5})
    assert (c.kind, c.source) == ("cover_letter", "ocr_title")
    # a born-digital title still beats a renamed file
    c = classify("附件1：实施方案.pdf", "关于推荐青岛市申报示范项目的请示", "", call, text_source="text_layer")
    assert c.kind == "cover_letter"


@pytest.mark.parametrize("num,unit,wan", [
    ("9,800.00", "万元", 9800), ("98,000,000.00", "元", 9800), ("玖仟伍佰", "万元", 9500), ("1.2", "亿元", 12000),
    ("玖仟伍佰万", "元", 9500), ("壹亿贰仟万", "元", 12000), ("9500万", "元", 9500),
])
def test_amounts(num, unit, wan):
    assert amount_wan(num, unit) == wan


def test_counts():
    assert [parse_count(x) for x in ("2", "两", "二十四", "十八", "三")] == [2, 2, 24, 18, 3]


@pytest.mark.parametrize("lines,wan", [
    (["项目总投资18000万元，其中申请中央财政补助资金", "9,800万元，省级财政安排3000万元。"], 9800),   # across a line break
    (["申请中央财政补助资金玖仟伍佰万元。"], 9500),
    (["中央财政补助资金1.2亿元。"], 12000),
    (["近三年全市累计发放各类中央就业补助资金3.6亿元。", "本项目申请中央财政补助资金8000万元。"], 8000),
])
def test_subsidy_from_sentences(lines, wan):
    s = read_subsidy([page(*lines)])
    assert s["wan_yuan"] == wan and s["evidence"]["page"] == 1 and s["evidence"]["text"]


def test_subsidy_needs_a_unit_in_a_sentence():
    assert read_subsidy([page("中央财政补助 8000")]) is None


@pytest.mark.parametrize("text,months", [
    ("项目实施期限：2年", 24), ("实施周期两年", 24), ("实施期限为2023年至2024年", 24), ("项目实施期：2023-2025年", 36),
    ("实施期：2023年4月至2025年3月", 24), ("实施期：2023年4月—2025年12月", 33), ("项目实施期为18个月。", 18),
    ("实施期限：二十四个月", 24), ("实施期限：18个月（2023年7月至2024年12月）", 18),
])
def test_period(text, months):
    assert read_period([page(text)])["months"] == months


def test_a_deadline_is_not_a_period():
    assert read_period([page("平台上线时间 2023年12月前", "2023年 2024年 合计")]) is None


def test_cities_recommended_not_merely_named(call):
    p = page("关于推荐宁波市、嘉兴市申报示范项目的请示", "财政部、人力资源社会保障部：",
             "经组织杭州、温州、绍兴、金华等市竞争性评审，决定推荐宁波市、嘉兴市申报2023年示范项目。")
    lay = letter_layout([p])
    c = read_cities([p], lay.title, "cover_letter", default_places())
    assert c["cities"] == ["宁波市", "嘉兴市"]
    plan = page("吉林市公共就业服务能力提升示范项目实施方案")
    assert read_cities([plan], letter_layout([plan]).title, "plan", default_places())["cities"] == ["吉林市"]


def test_joint_from_where_issuers_stand(call):
    joint = page("山东省财政厅", "山东省人力资源和社会保障厅", "鲁财社〔2023〕12号",
                 "关于推荐青岛市申报示范项目的请示", "财政部、人力资源社会保障部：", "现将有关材料报送你们。",
                 "山东省财政厅 山东省人力资源和社会保障厅", "2023年3月20日")
    j = read_joint(letter_layout([joint]), [], call.hrss_variants)
    assert j["joint"] is True and "header" in j["basis"]["hrss"] and "signature" in j["basis"]["finance"]
    alone = page("湖北省财政厅", "鄂财社函〔2023〕5号", "湖北省财政厅关于推荐宜昌市申报示范项目的函",
                 "财政部、人力资源社会保障部：", "此事已商省人力资源社会保障厅同意。", "湖北省财政厅", "2023年3月20日")
    j = read_joint(letter_layout([alone]), [], call.hrss_variants)
    assert j["joint"] is False and j["finance"] == "湖北省财政厅" and j["hrss"] is None


def test_title_wrapped_over_lines():
    p = page("鲁财社〔2023〕12号", "关于推荐青岛市申报2023年公共就业服务", "能力提升示范项目的请示", "财政部：")
    assert letter_layout([p]).title == "关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示"


def test_period_range_with_a_dash_read_as_the_numeral_one():
    # OCR often gives the long dash between two dates as 一
    assert read_period([page("项目实施期限：2023年1月一2024年12月")])["months"] == 24


def test_cities_listed_with_commas_and_a_note_in_brackets(call):
    p = page("关于推荐示范项目城市的请示", "财政部、人力资源社会保障部：",
             "经评审，同意推荐宁波市（计划单列市）、嘉兴市，湖州市申报2023年示范项目。")
    c = read_cities([p], letter_layout([p]).title, "cover_letter", default_places())
    assert c["cities"] == ["宁波市", "嘉兴市", "湖州市"]


def test_an_implausible_subsidy_is_no_reading():
    # a 序号 or a lost unit read as the amount: under 10万元 is not a project's central subsidy
    assert read_subsidy([page("申请中央财政补助资金6万元。")]) is None
    assert read_subsidy([page("申请中央财政补助资金600万元。")])["wan_yuan"] == 600


def test_evidence_from_its_content_but_not_a_list_of_enclosures(call):
    ev = classify("扫描件007.pdf", "", "市人社局关于同意建设零工市场的批复 现场照片", call)
    assert ev.kind == "evidence" and ev.source == "content"
    listing = classify("扫描件008.pdf", "", "一、实施方案 二、资金预算表 三、绩效目标表 四、佐证材料", call)
    assert listing.kind != "evidence"


def test_a_title_ends_before_the_first_list_item():
    p = page("申报材料目录", "1. 实施方案", "2. 资金预算表")
    assert letter_layout([p]).title == "申报材料目录"


def test_evidence_from_the_record_it_rests_on(call):
    # a nameless scan of the last years' figures with their source, a contract, an invoice: evidence, not other
    stats = classify("扫描件005.pdf", "", "绵阳市近三年就业工作主要指标 指标 2020年 2021年 2022年 城镇新增就业（万人） 6.5 "
                     "数据来源：人力资源社会保障统计报表", call, text_source="ocr")
    assert stats.kind == "evidence"
    assert classify("scan_0003.pdf", "", "零工市场场地租赁合同 甲方 乙方", call, text_source="ocr").kind == "evidence"


def test_a_plans_city_from_its_heading_when_the_title_kept_only_the_larger_line():
    p = page("2023-03-21 09:14 HP LaserJet", "桂林市公共就业服务能力提升示范项目", "实施方案", "一、项目背景",
             "项目总投资9000万元。")
    got = read_cities([p], "实施方案", "plan", default_places())
    assert got["cities"] == ["桂林市"]
    assert read_cities([page("实施方案", "一、项目背景")], "实施方案", "plan", default_places()) is None


def test_a_title_whose_guanyu_is_cut_by_the_line_break(call):
    """Issuers first, then 关 | 于 across the wrap: the title is still found, so cities and joint issuance are read
    from where they stand (the 红头 above it, the title itself)."""
    p = page("吉林省财政厅", "吉林省人力资源和社会保障厅", "文件", "吉财社〔2023〕15号",
             "吉林省财政厅吉林省人力资源和社会保障厅关", "于推荐延边朝鲜族自治州申报2023年公共就业服",
             "务能力提升示范项目的请示", "财政部、人力资源社会保障部：", "经省人民政府同意，拟推荐延边朝鲜族自治州申报。",
             "吉林省财政厅 吉林省人力资源和社会保障厅", "2023年3月20日")
    lay = letter_layout([p])
    assert lay.title == ("吉林省财政厅吉林省人力资源和社会保障厅关于推荐延边朝鲜族自治州申报2023年公共就业服务"
                         "能力提升示范项目的请示")
    assert read_cities([p], lay.title, "cover_letter", default_places())["cities"] == ["延边朝鲜族自治州"]
    assert read_joint(lay, [], call.hrss_variants)["joint"] is True
    assert classify("扫描件.pdf", lay.title, "", call, text_source="ocr").kind == "cover_letter"
    from precheck.reading.layout import _splits_guanyu

    assert _splits_guanyu(["吉林省财政厅关", "于推荐长春市申报的请示"], 0)
    assert not _splits_guanyu(["请各地按机关", "于本月报送"], 0)            # 机关 / 有关 / 相关: words, not a cut 关于
    assert not _splits_guanyu(["吉林省财政厅关", "推荐长春市申报的请示"], 0)


@pytest.mark.parametrize("name,kind", [("吉财社〔2023〕15号.pdf", "cover_letter"), ("鄂财社函[2023]5号.pdf", "cover_letter"),
                                       ("吉财社〔2023〕15号附件1：实施方案.pdf", "plan"),
                                       ("吉财社〔2023〕15号-资金预算表.pdf", "budget")])
def test_a_file_named_by_its_document_number_is_the_letter(call, name, kind):
    assert classify(name, "", "", call).kind == kind


def test_a_letter_to_the_two_ministries_is_a_cover_letter_though_it_names_the_plan(call):
    text = ("山东省财政厅 山东省人力资源和社会保障厅 关于推荐青岛市申报示范项目的请示 财政部、人力资源社会保障部："
            "我省组织编制了青岛市实施方案，明确指导思想、实施内容和保障措施，现将实施方案、资金预算表报送你们。")
    c = classify("扫描件002.pdf", "", text, call, text_source="ocr")
    assert c.kind == "cover_letter" and c.source == "ocr_content"
    plan = "青岛市公共就业服务能力提升示范项目实施方案 一、指导思想 二、实施内容 三、保障措施 报送财政部、人力资源社会保障部审核"
    assert classify("扫描件003.pdf", "", plan, call, text_source="ocr").kind == "plan"
