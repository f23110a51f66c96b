"""The demo filings (real-size scanned PDFs, GBK zips, large-attachment links) parse the same through the
streaming parser as through parse_mail (precheck.mime_stream, forced onto the streaming path)."""
from __future__ import annotations

from tests.precheck.test_mime_stream import _same


def test_demo_filings_parse_the_same_streamed(scenarios, tmp_path):
    raws = [(f"{name}-{box}", s.delivered(box)) for name, s in sorted(scenarios.items()) for box in s.mailboxes]
    assert len(raws) >= 15
    for key, raw in raws:
        _same(raw, tmp_path / key)
