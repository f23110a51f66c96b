"""Officer corrections: a document's kind and a province's cities; audited; the dossier checks see them."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from config.clock import FixedClock
from config.settings import load_settings
from core.archive import Archive
from core.officer import OfficerError, set_cities, set_document_kind
from core.services import Services
from models import audit_log
from models.audit import AuditEntry
from models.dossier import Dossier

from . import builders as b
from .dossier_helpers import context, run_checks, submit


@pytest.fixture
def services(tmp_path, call):
    settings = load_settings({}, tmp_path)
    return Services(settings, call, FixedClock(datetime(2023, 3, 25, 8, tzinfo=timezone.utc)),
                    Archive(settings.archive_dir))


async def test_doc_kind_correction_is_audited_and_changes_checks(checks_db, call, services):
    _sub, rows, _ = await submit(call, "河南省", [("附件1.pdf", b.text_pdf([["正文"]] * 12))])
    assert rows[0].kind == "other"
    found = run_checks(await context(call, "河南省"))
    assert "missing_plan" in found and "plan_over_page_limit" not in found
    doc = await set_document_kind(services, rows[0].id, "plan", reason="实为实施方案", actor="officer:wang")
    assert doc.kind == "plan" and doc.kind_source == "officer" and doc.kind_evidence["officer"]["previous"]["kind"] == "other"
    found = run_checks(await context(call, "河南省"))
    assert "missing_plan" not in found
    assert found["plan_over_page_limit"][0].message == "实施方案: 12 页 A4 = 12 页, 超过 10 页"
    entry = await AuditEntry.all().order_by("-id").first()
    assert entry.action == "document.kind" and entry.detail["reason"] == "实为实施方案"
    assert (await audit_log.verify())[0]
    with pytest.raises(OfficerError):
        await set_document_kind(services, rows[0].id, "nonsense", reason="x", actor="officer:wang")


async def test_cities_set_by_officer(checks_db, call, services):
    await submit(call, "山东省", [("实施方案.pdf", b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案"]]))])
    d = await set_cities(services, "山东", ["青岛市", "济南市", "烟台市"], reason="据纸质件", actor="officer:li")
    assert d.province == "山东省" and d.cities == ["青岛市", "济南市", "烟台市"] and d.cities_source == "officer"
    dossier = await Dossier.get(province="山东省")
    found = run_checks(await context(call, "山东省", dossier))
    assert found["quota_exceeded"][0].figures["count"] == 3
    entry = await AuditEntry.all().order_by("-id").first()
    assert entry.action == "dossier.cities" and entry.target == "dossier:山东省"


async def test_background_ocr_updates_kind_and_facts(checks_db, call, services):
    from intake.ocr_backlog import run_background_ocr

    img = b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部：",
                        "山东省财政厅", "山东省人力资源和社会保障厅"], seal=True, dpi=200, noise=False)
    _sub, rows, _ = await submit(call, "山东省", [("扫描件001.pdf", b.scanned_pdf([img], dpi=200))],
                                 archive=services.archive)
    assert rows[0].kind == "other" and rows[0].analysis["ocr"]["status"] == "pending"
    assert "missing_cover_letter" in run_checks(await context(call, "山东省"))
    done = await run_background_ocr(services)
    assert done == [rows[0].id]
    await rows[0].refresh_from_db()
    assert rows[0].kind == "cover_letter" and rows[0].kind_source == "ocr_title"
    assert rows[0].analysis["ocr"]["status"] == "done" and rows[0].analysis["cities"] == ["青岛市"]
    assert rows[0].analysis["seal"]["found"] is True            # fast-path facts are kept
    found = run_checks(await context(call, "山东省"))
    assert "missing_cover_letter" not in found and "not_joint_issuance" not in found and "no_seal_detected" not in found
    assert await run_background_ocr(services) == []             # nothing pending any more


async def test_subsidy_and_period_corrected_by_an_officer_beat_what_was_read(checks_db, call, services):
    from core.officer import parse_amount_wan, parse_months, set_period, set_subsidy
    from core.register import build_register

    plan = b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案", "项目实施期限：2年。",
                        "项目总投资15000万元，其中申请中央财政补助资金9000万元。"]])
    await submit(call, "山东省", [("实施方案.pdf", plan), ("资金预算表.pdf", b.budget_table_pdf("9,000"))])
    found = run_checks(await context(call, "山东省"))
    assert "subsidy_over_cap" not in found and "period_over_limit" not in found
    assert parse_amount_wan("1.2亿元") == 12000 and parse_amount_wan("9800") == 9800
    assert parse_months("30个月") == 30 and parse_months("2023年4月至2025年3月") == 24
    d = await set_subsidy(services, "山东", 12000, reason="纸质件预算表为1.2亿元", actor="officer:li")
    await set_period(services, "山东省", 30, reason="纸质件实施期30个月", actor="officer:li")
    d = await Dossier.get(province="山东省")
    assert d.corrections["subsidy"]["wan_yuan"] == 12000 and d.corrections["period"]["months"] == 30
    found = run_checks(await context(call, "山东省", d))
    f = found["subsidy_over_cap"][0]
    assert f.figures["source"] == "officer" and "处室更正" in f.message
    assert found["period_over_limit"][0].figures["years"] == 2.5
    entries = await AuditEntry.all().order_by("-id").limit(2)
    assert [e.action for e in entries] == ["dossier.period", "dossier.subsidy"]
    assert entries[1].detail == {"subsidy": {"wan_yuan": 12000.0}, "previous": None, "reason": "纸质件预算表为1.2亿元"}
    reg = await build_register(call, services.clock.now(), "山东省")
    shown = {x["fact"]: x for x in reg.row("山东省").facts}
    assert shown["subsidy"]["corrected"] and shown["subsidy"]["value"] == "12000 万元"
    # cleared: the machine's reading counts again
    await set_subsidy(services, "山东省", None, reason="撤销", actor="officer:li")
    d = await Dossier.get(province="山东省")
    assert "subsidy_over_cap" not in run_checks(await context(call, "山东省", d))
    with pytest.raises(OfficerError):
        await set_subsidy(services, "山东省", 9000, reason=" ", actor="officer:li")
