"""The demo's own scans, read as the intake reads them (analysis, then the warm OCR worker's rounds): every fact the
demo wrote into a province's filing comes back, so that province ends with no subsidy_unreadable /
period_unreadable / not_joint_issuance / missing_evidence — the dossier checks themselves are run on what was read.
The whole ``shenbao demo`` with OCR takes minutes
(516 s measured, 406 s of it OCR), so this reads two provinces' cover letters, budgets and targets tables only —
the documents those findings are decided from — with one worker."""
from __future__ import annotations

import pytest

from config.call import load_call

READ = ("cover_letter", "budget", "performance_targets")


@pytest.fixture(scope="module")
def call():
    return load_call("2023")


async def _read_filing(files, call, pool) -> list:
    from precheck.analysis import analyse_attachments
    from precheck.parse import AttachmentPart
    from precheck.reading import ocr_plan
    from precheck.reading.ocr_read import ocr_round

    parts = [AttachmentPart(f.filename, f.content_type, f.data) for f in files]
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
        d.kind, d.analysis = kind, a
    return docs, res.documents


def _dossier_codes(call, province, documents) -> set[str]:
    """The dossier checks themselves (``precheck.checks``), over what was read: one on-time submission."""
    from datetime import timedelta
    from types import SimpleNamespace

    from precheck import checks
    from precheck.checks.context import DossierContext

    sub = SimpleNamespace(on_time=True, province=province, date_sent=None, sender=None)
    ctx = DossierContext(call=call, province=province, now=call.deadline - timedelta(hours=1), submissions=[sub],
                         documents=list(documents), all_documents=list(documents))
    return {f.code for f in checks.run("dossier", ctx, subject=province)}


# two filings as build_scenarios makes them (clean_on_time, resubmission_first): province, cities, doc_seq and the
# _filing options; built alone, not the whole demo set (42 s)
PROVINCES = [("广东省", ("韶关市",), 18, {"plan_pages": 4, "evidence_pages": 2}),
             ("甘肃省", ("天水市",), 31, {"plan_pages": 3, "evidence_pages": 1})]


@pytest.fixture(scope="module")
def pool():
    from precheck.ocr_worker import OcrPool

    p = OcrPool(1)
    yield p
    p.close()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("province,cities,seq,opts", PROVINCES, ids=[p[0] for p in PROVINCES])
async def test_a_demo_province_reads_back_what_the_demo_wrote(call, pool, province, cities, seq, opts):
    from demo.samples.applicant import applicant
    from demo.samples.scenarios import _filing

    a0 = applicant(call, province, cities, doc_seq=seq)
    docs, documents = await _read_filing(_filing(a0, **opts), call, pool)
    kinds = [k for _f, k, _a in docs]
    assert "evidence" in kinds, kinds                                         # no missing_evidence
    covers = [a for _f, k, a in docs if k == "cover_letter"]
    assert covers and all((a.get("joint") or {}).get("joint") for a in covers)  # no not_joint_issuance
    money = [(f, a) for f, k, a in docs if k in ("budget", "performance_targets")]
    assert money and all(a.get("subsidy") for _f, a in money), money          # no subsidy_unreadable
    assert {a["subsidy"]["wan_yuan"] for _f, a in money} == set(a0.subsidy_wan.values())
    periods = [a["period"] for _f, k, a in docs if k in READ and a.get("period")]
    assert periods                                                            # no period_unreadable
    assert {p["months"] for p in periods} == {(a0.period[1] - a0.period[0] + 1) * 12}   # 2023年—2024年
    codes = _dossier_codes(call, province, documents)                         # and the checks agree
    assert not codes & {"subsidy_unreadable", "period_unreadable", "not_joint_issuance", "missing_evidence"}, codes
