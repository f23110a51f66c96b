"""What to OCR, and in which order: every page where a fact the rules need can be.

    initial_status(analysis, family, kind) -> {"status": "pending", "done": [], "layer_pages": [...]} | {"status": "not_needed"}
    next_pages(analysis, kind, chunk=3)    -> [0-based page indexes to read next]   ([] when the document is done)
    priority(kind, on_time, arrival)       -> sort key: what decides the most findings first

Cover letters, budgets and targets tables: every scanned page (up to 8). Plans: the first 3 pages, then on in
chunks while the period or the subsidy is still unread (up to 15 pages), plus any page whose text layer mentions
期限/周期/年度. Evidence, prior reports and others: page 1 (their kind, and a 请示 bound inside them).
"""
from __future__ import annotations

import re

ALL_PAGES_KINDS = ("cover_letter", "budget", "performance_targets")
MAX_ALL = 8
PLAN_FIRST, PLAN_MAX = 3, 15
PERIOD_WORDS = re.compile(r"期限|周期|年度|实施期")
# the index column document.ocr_rank (models.submission.OCR_RANK) sorts the same (test_queues_and_lag)
ORDER = {"cover_letter": 0, "budget": 1, "performance_targets": 2, "plan": 3, "other": 4, "evidence": 5,
         "prior_report": 6}
MAX_ATTEMPTS = 2


def scan_indexes(analysis: dict) -> list[int]:
    survey = analysis.get("survey")
    if survey:
        return [i for i, s in enumerate(survey) if s.get("layer") in ("image", "image+text")]
    return list(range(analysis.get("scan_pages") or 0))      # pictures (one per file, a TIFF per frame), OFD


def initial_status(analysis: dict, family: str, kind: str) -> dict:
    if family not in ("pdf", "image", "ofd") or analysis.get("error"):
        return {"status": "not_needed"}
    if not scan_indexes(analysis):
        return {"status": "not_needed"}
    return {"status": "pending", "done": []}


def wanted(analysis: dict, kind: str) -> list[int]:
    scans = scan_indexes(analysis)
    if kind in ALL_PAGES_KINDS:
        return scans[:MAX_ALL]
    if kind == "plan":
        first = scans[:PLAN_FIRST]
        extra = [i for i in _layer_mentions(analysis) if i in scans]
        done = set((analysis.get("ocr") or {}).get("done") or [])
        if done >= set(first) and not (analysis.get("period") and analysis.get("subsidy")):
            upto = max([i for i in scans if i in done], default=-1)
            more = [i for i in scans if i > upto][:PLAN_FIRST]
            first = sorted(set(first) | done | set(more))
        return sorted(set(first + extra))[:PLAN_MAX]
    return scans[:1]


def _layer_mentions(analysis: dict) -> list[int]:
    return list((analysis.get("ocr") or {}).get("layer_mentions") or [])


def next_pages(analysis: dict, kind: str, chunk: int = 3) -> list[int]:
    done = set((analysis.get("ocr") or {}).get("done") or [])
    return [i for i in wanted(analysis, kind) if i not in done][:chunk]


def priority(kind: str, on_time: bool, arrival_ts: float = 0.0, done: int = 0) -> tuple:
    """On-time filings first; then cover letters, budgets, targets, plans, others; a document already started
    before a fresh one of the same kind (it finishes sooner); then arrival order."""
    return (0 if on_time else 1, ORDER.get(kind or "other", 7), 0 if done else 1, arrival_ts)


def layer_mentions(pages_text: list[dict]) -> list[int]:
    """Pages whose (other tool's) OCR text layer mentions the period's key words."""
    out = []
    for p in pages_text:
        if p.get("source") == "ocr_layer" and PERIOD_WORDS.search("".join(ln[0] for ln in p.get("lines", []))):
            out.append(p["index"])
    return out
