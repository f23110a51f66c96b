"""The held-out reading corpus (benchmarks/heldout_corpus): its truth agrees with itself and with the notice's
rules, and the generator, run on a few documents of every route (born-digital, 双层, A3 scan, phone photo, 1-bit),
writes files that state exactly truth's facts — checked by the corpus's own verify.py, which also catches a wrong
truth value."""
from __future__ import annotations

import copy
import json

from benchmarks.heldout_corpus import make_corpus, verify, words
from benchmarks.heldout_corpus.mail import message

TRUTH = json.loads(make_corpus.TRUTH.read_text(encoding="utf-8"))
FILINGS = {f["eml"].rsplit(".", 1)[0]: f for f in TRUTH["filings"]}
SUBSET = [("h09_hunan", 0), ("h01_jilin", 0), ("h06_guangdong", 4), ("h06_guangdong", 6), ("h13_hubei", 3)]


def test_truth_is_self_consistent():
    provinces = {f["province"] for f in TRUTH["filings"]}
    assert len(provinces) == len(TRUTH["filings"]) >= 8 and sum(len(f["documents"]) for f in TRUTH["filings"]) >= 40
    assert {"广东省", "山东省", "福建省"} & provinces and any(p.endswith("自治区") for p in provinces)
    for f in TRUTH["filings"]:
        assert set(f["dossier_findings"]) == verify.expected_findings(f), f["eml"]
        for d in f["documents"]:
            r, p = d["render"], f["projects"][d["render"]["project"]]
            if d["sheet"] == "A3":
                assert d["a4_pages"] == 2 * d["physical_pages"]
            else:
                assert d["a4_pages"] == d["physical_pages"]
            assert d["scan"] == (d["layer"] != "text") and (d["color"] == "digital") == (not d["scan"])
            assert d["red_seal"] == ("undecidable" if d["color"] in ("gray", "bw") else d["seal_imprint"])
            if "central_subsidy_wan" in d:
                assert d["central_subsidy_wan"] == p["central_wan"]
                unit = "元" if r["money"] == "yuan_table" else None
                assert verify.wan_of(words.money(p["central_wan"], r["money"]), unit) == p["central_wan"]
            if "period_months" in d:
                assert d["period_months"] == p["period_months"]
                assert verify.months_of(words.period(p["period_months"], p["start"], r["period"])) == p["period_months"]
            if d["kind"] == "cover_letter":
                assert d["cities"] == [x["city"] for x in f["projects"]] and "joint" in d


def test_generator_renders_a_subset_that_agrees_with_truth(tmp_path):
    made = {}
    for stem, i in SUBSET:
        f = FILINGS[stem]
        made[(stem, i)] = make_corpus.render((f, f["documents"][i], 2024, str(tmp_path)))
    for (stem, i), man in made.items():
        f = FILINGS[stem]
        d = f["documents"][i]
        assert verify.check_document(f, d, man, tmp_path / "docs" / stem, tmp_path / "text" / stem) == [], d["file"]
    # the same seed gives the same bytes
    again = make_corpus.render((FILINGS["h13_hubei"], FILINGS["h13_hubei"]["documents"][3], 2024, str(tmp_path)))
    assert again["sha256"] == made[("h13_hubei", 3)]["sha256"]
    # a filing's e-mail carries exactly its attachments, names and arrival stamp
    f = copy.deepcopy(FILINGS["h06_guangdong"])
    f["documents"] = [f["documents"][4], f["documents"][6]]
    (tmp_path / "eml").mkdir()
    folder = tmp_path / "docs" / "h06_guangdong"
    raw = message(f, [(d["file"], (folder / d["file"]).read_bytes()) for d in f["documents"]])
    (tmp_path / "eml" / f["eml"]).write_bytes(raw)
    assert verify.check_mail(f, tmp_path) == []
    assert message(f, [(d["file"], (folder / d["file"]).read_bytes()) for d in f["documents"]]) == raw
    # and the checks can fail: a wrong subsidy, a wrong page count, a wrong joint issuance in truth are caught
    f, d = FILINGS["h09_hunan"], dict(FILINGS["h09_hunan"]["documents"][0])
    for key, value in (("central_subsidy_wan", 9300), ("physical_pages", 1), ("joint", False)):
        bad = dict(d, **{key: value})
        errs = verify.check_document(f, bad, made[("h09_hunan", 0)], tmp_path / "docs" / "h09_hunan",
                                     tmp_path / "text" / "h09_hunan")
        assert errs, key
