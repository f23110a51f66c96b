"""The demo's own scans, read as the intake reads them (analysis, then the warm OCR worker's rounds): every fact the
demo wrote into a province's filing comes back, so that province ends with no subsidy_unreadable /
period_unreadable / not_joint_issuance / missing_evidence. The whole ``shenbao demo`` with OCR takes minutes
(516 s measured, 406 s of it OCR), so this reads two provinces' cover letters, budgets and targets tables only —
the documents those findings are decided from — with one worker."""
from __future__ import annotations

import pytest

from config.call import load_call
from demo.samples.scenarios import build_scenarios

READ = ("cover_letter", "budget", "performance_targets")


@pytest.fixture(scope="module")
def call():
    return load_call("2023")


async def _read_filing(s, call, pool) -> list:
    from precheck.analysis import analyse_attachments
    from precheck.parse import AttachmentPart
    from precheck.reading import ocr_plan
    from precheck.reading.ocr_read import ocr_round

    parts = [AttachmentPart(f.filename, f.content_type, f.data) for f in s.files]
    res = await analyse_attachments(parts, call=call)
    docs = []
    for d in res.documents:
        a, kind, source, stored = d.analysis, d.kind, d.kind_source, []
        if kind in READ:
            while ocr_plan.next_pages(a, kind, 3):
                upd, stored = await ocr_round(pool, d.data, d.filename, d.content_type, a, call, kind=kind,
                                              kind_source=source, stored=stored, timeout=240)
                assert (upd["analysis"].get("ocr") or {}).get("status") != "failed", upd["analysis"]["ocr"]
                a = upd["analysis"]
                kind, source = upd.get("kind", kind), upd.get("kind_source", source)
        docs.append((d.filename, kind, a))
    return docs


@pytest.mark.timeout(300)
async def test_two_demo_provinces_read_back_what_the_demo_wrote(call):
    from precheck.ocr_worker import OcrPool

    scenarios = {s.name: s for s in build_scenarios(call)}
    from demo.samples.applicant import applicant

    # the two scenarios as build_scenarios makes them (广东省 clean_on_time, 甘肃省 resubmission_first)
    picked = [(scenarios["clean_on_time"], applicant(call, "广东省", ("韶关市",), doc_seq=18)),
              (scenarios["resubmission_first"], applicant(call, "甘肃省", ("天水市",), doc_seq=31))]
    pool = OcrPool(1)
    try:
        for s, a0 in picked:
            wrote_wan = set(a0.subsidy_wan.values())
            wrote_months = (a0.period[1] - a0.period[0] + 1) * 12          # 2023年—2024年: whole years
            docs = await _read_filing(s, call, pool)
            kinds = [k for _f, k, _a in docs]
            assert "evidence" in kinds, (s.name, kinds)                       # no missing_evidence
            covers = [a for _f, k, a in docs if k == "cover_letter"]
            assert covers and all((a.get("joint") or {}).get("joint") for a in covers), s.name   # joint issuance
            money = [(f, a) for f, k, a in docs if k in ("budget", "performance_targets")]
            assert money
            for f, a in money:                                                # no subsidy_unreadable, right value
                assert a.get("subsidy"), (s.name, f)
            periods = [a["period"] for _f, k, a in docs if k in READ and a.get("period")]
            assert periods, s.name                                            # no period_unreadable
            assert {a["subsidy"]["wan_yuan"] for _f, a in money} == wrote_wan, s.name
            assert {p["months"] for p in periods} == {wrote_months}, (s.name, periods)
    finally:
        pool.close()
