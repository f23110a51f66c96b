"""The kept-state codec: a register row survives encode → decode unchanged, and decoding reads the dataclasses'
annotations once per type, not once per object (``typing.get_type_hints`` per decoded receipt, finding and
document was 90 % of the officer overview's time with all 32 units filed)."""
from __future__ import annotations

import typing
from datetime import datetime, timezone

from core import province_state
from core.register import DocumentRow, FindingRow, ProvinceRow, ReceiptRow, SubmissionRow


def _row(i: int) -> ProvinceRow:
    at = datetime(2023, 3, 25, 6, i % 60, tzinfo=timezone.utc)
    rec = [ReceiptRow(f"R{i}{k}", mb, at, "imap", "imap_internaldate", True) for k, mb in enumerate(("mof", "mohrss"))]
    return ProvinceRow(
        province=f"省{i}", status="filed", status_zh="已申报", first_on_time={"mof": at, "mohrss": None},
        submissions=[SubmissionRow(f"S{i}", "申报材料", "a@b.cn", at, True, rec, None, "registered", True)],
        documents=[DocumentRow(i, "实施方案.pdf", "plan", 12, f"S{i}", {"arithmetic": "12 × A4"})],
        findings=[FindingRow("plan_over_limit", "error", "实施方案超过10页", "二（三）", None, "dossier", None, {"pages": 12})],
        pages_total=12, cities=["青岛市"], paper_copy_date=None, paper_copy_tracking=None, override_reason=None,
        source_trust="registered", facts=[{"what": "cities", "value": ["青岛市"]}])


def test_round_trip():
    for i in range(3):
        row = _row(i)
        assert province_state.decode(ProvinceRow, province_state.encode(row)) == row


def test_annotations_read_once_per_type(monkeypatch):
    encoded = [province_state.encode(_row(i)) for i in range(32)]
    province_state.decode(ProvinceRow, encoded[0])          # the decoders of every row type are built now
    calls = []
    real = typing.get_type_hints
    monkeypatch.setattr(typing, "get_type_hints", lambda *a, **k: calls.append(a) or real(*a, **k))
    rows = [province_state.decode(ProvinceRow, e) for e in encoded]
    assert calls == [] and [r.province for r in rows] == [f"省{i}" for i in range(32)]
