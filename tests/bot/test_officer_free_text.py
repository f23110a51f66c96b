"""Officers in free text: questions get data; a data-changing request is restated as the command and runs only
after 确认 (real engine, seeded database)."""
from __future__ import annotations

from bot import answer_types as A
from models.dossier import Dossier
from tests.bot.conftest import officer, tg


async def test_paper_copy_in_free_text_waits_for_confirmation(seeded, engine, call2023):
    r = await engine.handle(officer(), "广东纸质版今天上午收到了 登记一下")
    assert r.kind == "confirm" and "/paper 广东省" in r.text and "确认" in r.text
    d = await Dossier.filter(call_id=call2023.id, province="广东省").first()
    assert d.paper_copy_date is None                                   # nothing changed yet
    done = await engine.handle(officer(), "确认")
    assert isinstance(done.answer, A.ActionDone), done.text
    d = await Dossier.filter(call_id=call2023.id, province="广东省").first()
    assert d.paper_copy_date is not None


async def test_cancel_and_other_askers(seeded, engine, call2023):
    r = await engine.handle(officer(), "湖南改成已申报 司里同意了")
    assert r.kind == "confirm" and "/override 湖南省 filed" in r.text
    assert "已取消" in (await engine.handle(officer(), "取消")).text
    assert (await engine.handle(officer(), "确认")).kind != "action"   # nothing pending any more
    assert (await engine.handle(tg("555"), "把广东的纸质版登记为已收到")).kind == "refuse"


async def test_officer_questions_in_free_text(seeded, engine):
    assert "河北省" in (await engine.handle(officer(), "谁逾期了")).text
    r = await engine.handle(officer(), "广东的材料怎么样")
    assert r.kind == "officer" and "12 页" in r.text
    r = await engine.handle(officer(), "有没有来路不明的邮件")
    assert r.kind == "officer" and "S000004" in r.text
