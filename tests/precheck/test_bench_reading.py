"""The reading benchmark, bounded: one filing made here (a scanned joint 请示 with a seal, a born-digital plan and
budget), its truth written below, delivered by SMTP to the real intake, OCR'd by a warm worker, scored."""
from __future__ import annotations

import json
from email.message import EmailMessage

import pytest

from benchmarks import bench_reading as br
from tests.checks import builders as b

pytestmark = pytest.mark.slow

COVER = ["山东省财政厅 山东省人力资源和社会保障厅", "鲁财社〔2023〕12号",
         "关于推荐烟台市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部：",
         "经省政府同意，决定推荐烟台市申报。项目申请中央财政补助资金9,600万元，", "项目实施期限为两年。",
         "山东省财政厅 山东省人力资源和社会保障厅", "2023年3月20日"]
PLAN = [["烟台市公共就业服务能力提升示范项目实施方案", "一、建设内容", "项目实施期限：2023年4月至2025年3月。",
         "项目总投资15000万元，其中申请中央财政补助资金9600万元。"]]
TRUTH = {"about": {}, "filings": [{
    "eml": "t01_shandong.eml", "province": "山东省", "arrival": "2023-03-24T10:00:00+08:00",
    "date_header": "2023-03-24T09:59:40+08:00", "from": "sbc@czt.sd.gov.cn",
    "to": ["sbsjyc@163.com", "jysmohrss@163.com"],
    "projects": [{"city": "烟台市", "central_wan": 9600, "period_months": 24}], "had_2022_project": False,
    "dossier_findings": ["missing_performance_targets", "missing_evidence"],
    "documents": [
        {"file": "扫描件001.pdf", "kind": "cover_letter", "a4_pages": 1, "physical_pages": 1, "scan": True,
         "layer": "image", "color": "color", "sheet": "A4", "red_seal": True, "seal_imprint": True,
         "cities": ["烟台市"], "central_subsidy_wan": 9600, "period_months": 24, "joint": True},
        {"file": "附件1：烟台市实施方案.pdf", "kind": "plan", "a4_pages": 1, "physical_pages": 1, "scan": False,
         "layer": "text", "color": "digital", "sheet": "A4", "red_seal": False, "seal_imprint": False,
         "cities": ["烟台市"], "central_subsidy_wan": 9600, "period_months": 24},
        {"file": "附件2：资金预算表.pdf", "kind": "budget", "a4_pages": 1, "physical_pages": 1, "scan": False,
         "layer": "text", "color": "digital", "sheet": "A4", "red_seal": False, "seal_imprint": False,
         "central_subsidy_wan": 9500}]}]}


def make_corpus(root):
    files = {"扫描件001.pdf": b.scanned_pdf([b.page_image(COVER, seal=True, dpi=200, noise=False)], dpi=200),
             "附件1：烟台市实施方案.pdf": b.text_pdf(PLAN), "附件2：资金预算表.pdf": b.budget_table_pdf("9,500")}
    f = TRUTH["filings"][0]
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f["from"], ", ".join(f["to"]), "山东省2023年示范项目申报材料"
    msg["Date"] = "Fri, 24 Mar 2023 09:59:40 +0800"
    msg["Message-ID"] = "<t01@czt.sd.gov.cn>"
    msg.set_content("申报材料见附件。")
    for name, data in files.items():
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    (root / "eml").mkdir()
    (root / "eml" / f["eml"]).write_bytes(msg.as_bytes())
    (root / "truth.json").write_text(json.dumps(TRUTH, ensure_ascii=False), encoding="utf-8")


async def test_bench_reading_scores_a_small_filing(tmp_path):
    make_corpus(tmp_path)
    res = await br.run_pipeline(tmp_path, TRUTH, workers=1, log=lambda *_: None)
    sc = br.score(TRUTH, res)
    t = sc["table"]
    assert sc["errors"] == [] and sc["worse"] == []
    assert t["kind"] == [3, 3] and t["a4_pages"] == [3, 3] and t["scan"] == [3, 3] and t["red_seal"] == [3, 3]
    assert t["subsidy"] == [3, 3] and t["period"] == [2, 2] and t["joint"] == [1, 1]
    assert t["cities_per_filing"] == [1, 1] and t["dossier_findings"] == [1, 1]
    # before OCR the scanned cover letter said nothing: its kind and facts came with the OCR, none got worse
    assert sc["before"]["joint"] == [0, 1] and sc["before"]["kind"] == [2, 3]
    st = res["ocr_stats"]
    assert st["pages"] == 1 and st["cpu_s"] > 0.5 and res["timings"]["ocr_peak_rss_mib"] > 200
    bl = br.backlog(TRUTH, res)
    assert bl["backlog_ocr_pages"] == round(37 * 30 * 1 / 3) and bl["minutes_two_workers"] > 0
    text = br.report(TRUTH, res, sc, br.cer(tmp_path, TRUTH, res), bl)
    assert "| kind | 3 | 3 | 100 |" in text and "deadline night" in text
