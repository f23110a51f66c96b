"""Pure readers: kinds from names and titles, subsidy, period, cities, departments, titles."""
from __future__ import annotations

import pytest

from precheck.document_kind import classify
from precheck.files import figures


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


@pytest.mark.parametrize("text,wan", [
    ("申请中央财政补助资金8,000万元", 8000), ("中央财政补助1亿元", 10000), ("中央补助资金：0.8亿元", 8000),
    ("单位：元\n中央财政资金 80000000", 8000), ("中央财政补助 12000.5 万元", 12000.5),
])
def test_subsidy_from_text(text, wan):
    assert figures.subsidy_from_text(text.replace(" ", ""))["wan_yuan"] == wan


def test_subsidy_needs_a_unit():
    assert figures.subsidy_from_text("中央财政补助 8000") is None


@pytest.mark.parametrize("text,years", [
    ("项目实施期限：2年", 2), ("实施周期两年", 2), ("实施期限为2023年至2024年", 2), ("项目实施期：2023-2025年", 3),
    ("实施期：2023年4月至2025年3月", 2), ("实施期：2023年4月—2025年12月", 2.75),
])
def test_period_from_text(text, years):
    assert figures.period_from_text(text)["years"] == years


def test_cities_and_departments(call):
    names = call.province_names()
    assert figures.cities_from_title("关于推荐青岛市、济南市申报2023年公共就业服务能力提升示范项目的请示", names) == ["青岛市", "济南市"]
    assert figures.cities_from_title("山东省青岛市公共就业服务能力提升示范项目实施方案", names) == ["青岛市"]
    assert figures.cities_from_title("延边朝鲜族自治州实施方案", names) == ["延边朝鲜族自治州"]
    assert figures.cities_from_title("关于报送城市示范项目的请示", names) == []
    d = figures.departments("山东省财政厅 山东省人力资源社会保障厅", call.hrss_variants)
    assert d == {"finance": "山东省财政厅", "hrss": "山东省人力资源社会保障厅"}
    assert figures.departments("山东省财政厅", call.hrss_variants)["hrss"] is None


def test_title_of():
    assert figures.title_of("鲁财社〔2023〕12号\n关于推荐青岛市申报示范项目的请示\n财政部：") == "关于推荐青岛市申报示范项目的请示"
    assert figures.title_of("附件2\n青岛市公共就业服务能力提升示范项目实施方案\n一、指导思想") == \
        "青岛市公共就业服务能力提升示范项目实施方案"
