"""Officer commands from chat change real rows, re-run the dossier and go to the audit log."""
from __future__ import annotations

from bot import answer_types as A
from models.audit import AuditEntry
from models.dossier import Dossier
from models.submission import Document, Submission
from tests.bot.conftest import OFFICER_TG, officer

ACTOR = f"telegram:{OFFICER_TG}"


async def test_assign_unidentified(seeded, engine):
    ref = seeded["unidentified"].ref
    r = await engine.handle(officer(), f"/assign {ref} 青海 发件人电话核实")
    assert isinstance(r.answer, A.ActionDone), r.text
    assert (await Submission.get(id=seeded["unidentified"].id)).province == "青海省"
    e = await AuditEntry.filter(action="assign_province").first()
    assert e.actor == ACTOR and e.detail["reason"] == "发件人电话核实"
    assert "没有未识别" in (await engine.handle(officer(), "/unidentified")).text
    assert (await Dossier.get(province="青海省")).status == "filed"


async def test_assign_needs_reason_and_known_province(seeded, engine):
    ref = seeded["unidentified"].ref
    assert isinstance((await engine.handle(officer(), f"/assign {ref} 青海")).answer, A.ActionFailed)
    r = await engine.handle(officer(), f"/assign {ref} 火星 理由")
    assert isinstance(r.answer, A.ActionFailed) and "火星" in r.text


async def test_set_kind(seeded, engine):
    doc = await Document.filter(filename="佐证材料.pdf", submission_id=seeded["广东省"].id).first()
    r = await engine.handle(officer(), f"/kind {doc.id} 资金预算表 看错了")
    assert isinstance(r.answer, A.ActionDone), r.text
    assert (await Document.get(id=doc.id)).kind == "budget"
    assert await AuditEntry.filter(action="document.kind", target=f"document:{doc.id}").exists()


async def test_set_cities_and_quota(seeded, engine):
    r = await engine.handle(officer(), "/cities 湖南 长沙市,株洲市 来电确认")
    assert isinstance(r.answer, A.ActionDone), r.text
    d = await Dossier.get(province="湖南省")
    assert d.cities == ["长沙市", "株洲市"] and d.cities_source == "officer"
    text = (await engine.handle(officer(), "/dossier 湖南")).text
    assert "超过名额" in text and "申报城市：长沙市、株洲市" in text


async def test_paper_copy(seeded, engine):
    r = await engine.handle(officer(), "/paper 广东省 2023-03-25 SF1234567")
    assert isinstance(r.answer, A.ActionDone), r.text
    d = await Dossier.get(province="广东省")
    assert str(d.paper_copy_date) == "2023-03-25" and d.paper_copy_tracking == "SF1234567"
    text = (await engine.handle(officer(), "广东的情况")).text
    assert "纸质版：已登记，2023-03-25 寄出，单号 SF1234567" in text and "纸质版尚未登记" not in text
    assert await AuditEntry.filter(action="paper_copy", target="广东省").exists()


async def test_override_needs_a_reason(seeded, engine):
    r = await engine.handle(officer(), "/override 河北省 filed")
    assert isinstance(r.answer, A.ActionFailed) and "理由" in r.text
    r = await engine.handle(officer(), "/override 河北省 filed 邮件服务器故障，有发送回执")
    assert isinstance(r.answer, A.ActionDone), r.text
    assert (await Dossier.get(province="河北省")).status == "filed"
    e = await AuditEntry.filter(action="override_status").first()
    assert e.detail["reason"] == "邮件服务器故障，有发送回执" and e.actor == ACTOR
    assert "人工改判理由" in (await engine.handle(officer(), "/dossier 河北")).text
