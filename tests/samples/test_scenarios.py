"""The demo set: the scenarios issue 7 names, with arrival times, page arithmetic and senders as intended."""
from __future__ import annotations

import io

import pikepdf

from precheck.parse import parse_mail

NAMES = {"clean_on_time", "one_mailbox_only", "late_by_a_minute", "a3_over_30_pages", "missing_performance_targets",
         "gbk_zip", "unidentified_sender", "cp_city_two_cities", "resubmission_first", "resubmission"}


def a4_equivalents(pdf: bytes) -> tuple[int, int]:
    """(physical pages, A4 equivalents) from page geometry: an A3 page counts 2."""
    a4 = 595.28 * 841.89
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        areas = [float(p.mediabox[2] - p.mediabox[0]) * float(p.mediabox[3] - p.mediabox[1]) for p in doc.pages]
    return len(areas), sum(max(1, round(x / a4)) for x in areas)


def test_the_set_is_complete_ordered_and_fast_enough(built):
    scenarios, seconds = built
    assert {s.name for s in scenarios} == NAMES
    assert [s.arrives_at for s in scenarios] == sorted(s.arrives_at for s in scenarios)
    print(f"\nbuilt {len(scenarios)} scenarios in {seconds:.1f} s, "
          f"{sum(len(s.message) for s in scenarios) / 1e6:.1f} MB of mail")
    assert seconds < 60  # target ~10 s on 2 cores; the bound only catches a pathological slowdown


def test_only_the_late_one_arrives_at_or_after_the_deadline(scenarios, call):
    late = scenarios["late_by_a_minute"]
    assert (late.arrives_at - call.deadline).total_seconds() == 60
    assert late.sent_at < call.deadline and late.expected_status == "late"
    assert {"late_arrival", "borderline_sent_before_deadline"} <= late.expected_codes
    for s in scenarios.values():
        if s is not late:
            assert call.is_on_time(s.arrives_at), s.name
            assert s.sent_at <= s.arrives_at


def test_mailboxes(scenarios):
    assert scenarios["one_mailbox_only"].mailboxes == ("mof",)
    assert all(s.mailboxes == ("mof", "mohrss") for n, s in scenarios.items() if n != "one_mailbox_only")


def test_a3_filing_is_under_30_sheets_but_over_30_a4_pages(scenarios, call):
    s = scenarios["a3_over_30_pages"]
    counts = {f.filename: a4_equivalents(f.data) for f in s.files}
    physical = sum(c[0] for c in counts.values())
    a4 = sum(c[1] for c in counts.values())
    assert physical == 28 <= call.limits.filing_max_pages < a4 == 31
    plan = next(c for n, c in counts.items() if "实施方案" in n)
    assert plan == (10, 10)  # exactly at the plan limit, not over it
    budget = next(c for n, c in counts.items() if "预算表" in n)
    assert budget == (3, 6)


def test_clean_filing_has_every_required_kind_and_is_within_limits(scenarios, call):
    s = scenarios["clean_on_time"]
    kinds = {f.kind for f in s.files}
    assert {"cover_letter", "plan", "budget", "performance_targets", "evidence"} <= kinds
    assert sum(a4_equivalents(f.data)[1] for f in s.files) <= call.limits.filing_max_pages
    assert not s.expected_codes and s.expected_status == "filed"


def test_missing_targets_has_no_targets_anywhere(scenarios):
    s = scenarios["missing_performance_targets"]
    assert "performance_targets" not in {f.kind for f in s.files}
    assert not any("绩效目标" in n for n in s.attachment_names)


def test_unidentified_mail_names_no_province(scenarios, call):
    s = scenarios["unidentified_sender"]
    m = parse_mail(s.message)
    visible = " ".join([m.sender, m.sender_name, m.subject, m.text_body, *[a.filename for a in m.attachments]])
    for p in call.provinces:
        assert not any(alias in visible for alias in p.aliases), p.name
    assert s.province is None and not s.register_sender and s.expected_status == "unidentified"


def test_cp_city_province_applies_for_two_cities(scenarios, call):
    s = scenarios["cp_city_two_cities"]
    sd = call.province("山东省")
    assert s.cities == (sd.cp_city, "济南市")
    assert len(s.cities) == call.limits.quota_per_province + call.limits.quota_extra_if_applying_for_cp_city
    names = s.attachment_names
    assert sum("实施方案" in n for n in names) == 2 and any(n.endswith(".xlsx") for n in names)
    assert any(n.endswith(".docx") for n in names)
    assert "quota_exceeded" not in s.expected_codes


def test_resubmission_replaces_and_adds_the_prior_report(scenarios, call):
    first, again = scenarios["resubmission_first"], scenarios["resubmission"]
    assert first.sender == again.sender and first.province == again.province == "甘肃省"
    assert "甘肃省" in call.selected[0].provinces_known_to_have_one
    assert parse_mail(first.message).message_id != parse_mail(again.message).message_id
    assert again.arrives_at > first.arrives_at
    assert "prior_report" not in {f.kind for f in first.files}
    assert "prior_report" in {f.kind for f in again.files}
    assert "missing_prior_report" in first.expected_codes and "resubmission" in again.expected_codes


def test_every_sender_is_fictitious(scenarios):
    for s in scenarios.values():
        domain = s.sender.rsplit("@", 1)[1]
        assert domain.endswith(".example") or domain in ("example.com", "example.org"), s.sender
