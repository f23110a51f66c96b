"""Each dossier check on real analysed files stored as real rows: codes, figures, clauses, arithmetic."""
from __future__ import annotations

import dataclasses

from config.call import SelectedRound
from models.dossier import Dossier
from core.vocabulary import Severity

from . import builders as b
from .dossier_helpers import T0, context, run_checks, submit

COVER_SCAN = ["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部：",
              "经省人民政府同意，现推荐青岛市申报。", "山东省财政厅    山东省人力资源和社会保障厅"]
PLAN = [["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想", "项目实施期限：2023年4月至2026年3月"]] + [["正文"]] * 9
TARGETS = [["中央对地方转移支付项目绩效目标表", "年度目标", "产出指标", "效益指标", "满意度指标"]]


def filing(cover_seal=True, plan_sizes=None, evidence_pages=2, central=12000):
    cover = b.scanned_pdf([b.page_image(COVER_SCAN, seal=cover_seal)])
    plan = b.text_pdf(PLAN, sizes=plan_sizes or [b.A4] * 9 + [b.A3])
    return [("山东省请示.pdf", cover), ("实施方案.pdf", plan), ("资金预算表.xlsx", b.budget_xlsx(central=central)),
            ("绩效目标表.pdf", b.text_pdf(TARGETS)), ("佐证材料.pdf", b.text_pdf([["佐证材料"]] * evidence_pages))]


async def test_full_filing_findings(checks_db, call):
    await submit(call, "山东省", filing())
    found = run_checks(await context(call, "山东省"))
    plan = found["plan_over_page_limit"][0]
    assert plan.message == "实施方案: 9 页 A4 + 1 页 A3 = 11 页, 超过 10 页"
    assert plan.figures["pages"] == 11 and plan.figures["limit"] == 10
    assert plan.clause == "实施方案不得超过10页" and plan.section == "二（三）"
    sub = found["subsidy_over_cap"][0]
    assert sub.figures["wan_yuan"] == 12000 and sub.figures["cap_wan_yuan"] == 10000
    assert sub.clause == "每个示范项目中央财政补助不超过1亿元。"
    per = found["period_over_limit"][0]
    assert per.figures["years"] == 3 and per.section == "二（一）"
    assert found["non_a4_pages"][0].figures["documents"][0]["non_a4_pages"] == [10]
    for absent in ("missing_cover_letter", "missing_plan", "missing_budget", "missing_performance_targets",
                   "missing_evidence", "not_scanned", "no_seal_detected", "quota_exceeded", "total_over_page_limit",
                   "not_joint_issuance", "resubmission", "unsupported_attachment_type"):
        assert absent not in found, absent
    # 山东 is not known to have a 2022 project, but the 2022 list is incomplete: a warning, not an error
    [prior] = found["missing_prior_report"]
    assert prior.severity == Severity.WARNING and prior.figures["list_complete"] is False


async def test_total_over_30_shows_the_sum(checks_db, call):
    await submit(call, "山东省", filing(evidence_pages=20))
    [f] = run_checks(await context(call, "山东省"))["total_over_page_limit"]
    assert f.figures["total"] == 1 + 11 + 1 + 1 + 20
    assert f.message == ("申报材料合计: 申报文件 1 + 实施方案 11 + 资金预算表 1 + 绩效目标表 1 + 佐证材料 20 = 34 页, "
                         "超过 30 页")
    assert f.clause == "申报文件不得超过30页）"


async def test_text_cover_letter_without_seal_or_hrss(checks_db, call):
    cover = b.text_pdf([["关于推荐青岛市申报示范项目的请示", "山东省财政厅"]])
    files = [("请示.pdf", cover)] + filing()[1:]
    await submit(call, "山东省", files)
    found = run_checks(await context(call, "山东省"))
    assert found["not_scanned"][0].figures == {"filename": "请示.pdf", "text_pages": 1, "scan_pages": 0}
    assert found["no_seal_detected"][0].clause == "可先将正式盖章版文件扫描后"
    j = found["not_joint_issuance"][0]
    assert j.figures["missing"] == ["人力资源社会保障部门"] and j.figures["found"]["finance"] == "山东省财政厅"


async def test_missing_documents(checks_db, call):
    await submit(call, "河南省", [("实施方案.pdf", b.text_pdf(PLAN[:3]))])
    found = run_checks(await context(call, "河南省"))
    for code in ("missing_cover_letter", "missing_budget", "missing_performance_targets", "missing_evidence"):
        assert code in found
    assert "missing_plan" not in found
    assert found["missing_evidence"][0].severity == Severity.WARNING
    assert found["missing_budget"][0].severity == Severity.ERROR


async def test_quota_and_previously_selected_with_officer_cities(checks_db, call):
    await submit(call, "山东省", filing())
    dossier = await Dossier.create(call_id=call.id, province="山东省", cities=["青岛市", "济南市", "烟台市"],
                                   cities_source="officer", updated_at=T0)
    call2 = dataclasses.replace(call, selected=(SelectedRound(2022, True, (("济南市", "山东省"),), ("山东省",)),))
    found = run_checks(await context(call2, "山东省", dossier))
    q = found["quota_exceeded"][0]
    assert q.figures == {"cities": ["青岛市", "济南市", "烟台市"], "count": 3, "quota": 2, "cp_city": "青岛市",
                         "source": "officer"}
    c = found["city_previously_selected"][0]
    assert c.figures["city"] == "济南市" and c.figures["year"] == 2022
    assert c.clause == "已被评为示范项目的城市不得再次申报。"
    # the complete 2022 list names 山东: the missing report is an error now
    assert found["missing_prior_report"][0].severity == Severity.ERROR


async def test_cities_from_plan_title_within_quota(checks_db, call):
    await submit(call, "山东省", filing())
    found = run_checks(await context(call, "山东省"))
    assert "quota_exceeded" not in found


async def test_prior_report_known_province(checks_db, call):
    await submit(call, "甘肃省", filing())
    [f] = run_checks(await context(call, "甘肃省"))["missing_prior_report"]
    assert f.severity == Severity.ERROR and f.figures["province"] == "甘肃省"
    await submit(call, "甘肃省", [("2022年示范项目执行情况报告.pdf", b.text_pdf([["执行情况报告"]] * 5))], n=2)
    found = run_checks(await context(call, "甘肃省"))
    assert "missing_prior_report" not in found
    assert "total_over_page_limit" not in found


async def test_resubmission_and_unsupported(checks_db, call):
    await submit(call, "山东省", filing())
    plan2 = b.text_pdf(PLAN[:8])
    await submit(call, "山东省", [("实施方案（修改稿）.pdf", plan2), ("说明.txt", "说明".encode())], n=2)
    found = run_checks(await context(call, "山东省"))
    [r] = found["resubmission"]
    assert r.figures["replaced"][0]["kind"] == "plan" and r.figures["replaced"][0]["new"] == "实施方案（修改稿）.pdf"
    assert "plan_over_page_limit" not in found
    [u] = found["unsupported_attachment_type"]
    assert u.figures["filename"] == "说明.txt"


async def test_subsidy_and_period_unreadable(checks_db, call):
    files = [("资金预算表.pdf", b.text_pdf([["资金预算表", "资金来源说明"]])), ("实施方案.pdf", b.text_pdf([["实施方案", "正文"]]))]
    await submit(call, "河南省", files)
    found = run_checks(await context(call, "河南省"))
    assert found["subsidy_unreadable"][0].severity == Severity.REVIEW
    assert found["period_unreadable"][0].severity == Severity.REVIEW


async def test_resubmission_of_identical_files_plus_a_new_report(checks_db, call):
    files = filing()
    await submit(call, "甘肃省", files)
    await submit(call, "甘肃省", files + [("2022年示范项目执行情况报告.pdf", b.text_pdf([["执行情况报告", "正文"]]))], n=2)
    [r] = run_checks(await context(call, "甘肃省"))["resubmission"]
    assert r.figures["replaced"] == []
    assert {x["kind"] for x in r.figures["resent_unchanged"]} >= {"plan", "budget"}
    assert [x["kind"] for x in r.figures["added"]] == ["prior_report"]
    assert "新增「2022年示范项目执行情况报告.pdf」" in r.message and "重新发送（内容相同）" in r.message
