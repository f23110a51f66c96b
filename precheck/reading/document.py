"""One document's facts from its pages, and how facts from a later, different reading combine with earlier ones.

    facts = read_document(pages, filename=..., call=call, position={"index": 0, "count": 5})
    analysis = merge_facts(analysis, facts)        # a fact is replaced only by a stronger one (policy 9)

``facts`` holds: kind (a Classification), title, text_head, terms, text_source, cities (+ cities_fact), subsidy,
period, joint and departments — every fact with its strength and evidence (page, box, text, source).
"""
from __future__ import annotations

import difflib

from config.call import CallConfig
from precheck.document_kind import Classification, classify
from precheck.places import Places, default_places
from precheck.reading.cities import read_cities
from precheck.reading.joint import read_joint
from precheck.reading.layout import letter_layout
from precheck.reading.page import PageText
from precheck.reading.period import read_period
from precheck.reading.subsidy import read_subsidy
from precheck.reading.text import norm

HEAD_CHARS = 2000
TERMS = ("产出指标", "效益指标", "满意度指标", "年度目标", "中央财政补助", "实施期", "联合行文", "请示")
SOURCE_RANK = {"text_layer": 3, "ocr": 2, "ocr_layer": 1}
FACT_KEYS = ("subsidy", "period", "joint")
READ_KINDS = {"subsidy": ("cover_letter", "plan", "budget", "performance_targets"),
              "period": ("cover_letter", "plan", "budget", "performance_targets"),
              "joint": ("cover_letter",), "cities": ("cover_letter", "plan", "budget", "performance_targets")}


def best_source(pages: list[PageText]) -> str | None:
    srcs = {p.source for p in pages if p.lines}
    return max(srcs, key=lambda s: SOURCE_RANK.get(s, 0)) if srcs else None


def read_document(pages: list[PageText], *, filename: str, call: CallConfig, position: dict | None = None,
                  seal_texts: list[dict] = (), places: Places | None = None, kind: str | None = None) -> dict:
    """Facts of one document read from ``pages`` (one source: the strongest the pages have). ``kind``: an
    officer's kind, used instead of classifying."""
    src = best_source(pages)
    pages = sorted([p for p in pages if p.source == src], key=lambda p: p.index) if src else []
    text = "\n".join(p.text() for p in pages)
    out: dict = {"text_source": src, "text_chars": len(text)}
    lay = letter_layout(pages) if pages else None
    title = lay.title if lay else ""
    c = classify(filename, title, text[:HEAD_CHARS], call, text_source=src or "text_layer", position=position)
    out["kind"] = c if kind is None else Classification(kind, "officer", 1.0, c.evidence)
    if not pages:
        return out
    out["title"] = title
    tb = lay.title_box()
    out["title_evidence"] = {"page": lay.first_page.index + 1, "box": tb, "source": src} if tb else None
    out["text_head"] = text[:HEAD_CHARS]
    flat = norm(text)
    out["terms"] = [t for t in TERMS if t in flat]
    k = out["kind"].kind
    places = places or default_places()
    if k in READ_KINDS["cities"]:
        cities = read_cities(pages, title, k, places, title_evidence=out["title_evidence"])
        if cities:
            out["cities_fact"] = cities
    if k in READ_KINDS["subsidy"]:
        denied: list = []
        out["subsidy"] = read_subsidy(pages, denied)
        if out["subsidy"] is None and denied:          # why nothing was read: the table's sums deny its figure
            out["subsidy_denied"] = denied[:3]
    if k in READ_KINDS["period"]:
        out["period"] = read_period(pages)
    if k in READ_KINDS["joint"]:
        out["joint"] = read_joint(lay, list(seal_texts), call.hrss_variants)
    return out


def _stronger(new: dict | None, old: dict | None) -> bool:
    if not new:
        return False
    if not old:
        return True
    return new.get("strength", 0) > old.get("strength", 0) + 1e-9


def merge_facts(analysis: dict, facts: dict) -> dict:
    """``analysis`` updated with ``facts``: text fields follow the strongest text source, each fact (subsidy,
    period, joint, cities) is replaced only by a stronger reading; what was replaced is kept under ``replaced``."""
    a = dict(analysis)
    src = facts.get("text_source")
    old_src = a.get("text_source")
    if src and SOURCE_RANK.get(src, 0) >= SOURCE_RANK.get(old_src, 0):
        for key in ("text_source", "text_chars", "title", "title_evidence", "text_head", "terms"):
            if key in facts:
                a[key] = facts[key]
    replaced = dict(a.get("replaced") or {})
    for key in FACT_KEYS:
        if key in facts and _stronger(facts[key], a.get(key)):
            if a.get(key):
                replaced[key] = _brief(a[key])
            a[key] = facts[key]
    if _stronger(facts.get("cities_fact"), a.get("cities_fact")):
        if a.get("cities_fact"):
            replaced["cities"] = _brief(a["cities_fact"])
        a["cities_fact"] = facts["cities_fact"]
    if a.get("subsidy"):
        a.pop("subsidy_denied", None)
    elif facts.get("subsidy_denied"):
        a["subsidy_denied"] = facts["subsidy_denied"]
    a["cities"] = list((a.get("cities_fact") or {}).get("cities") or [])
    j = a.get("joint") or {}
    a["departments"] = {"finance": j.get("finance"), "hrss": j.get("hrss")} if j else a.get("departments")
    if replaced:
        a["replaced"] = replaced
    return a


def _brief(fact: dict) -> dict:
    return {k: fact.get(k) for k in ("wan_yuan", "months", "joint", "cities", "strength") if k in fact} | \
        {"source": (fact.get("evidence") or {}).get("source") if isinstance(fact.get("evidence"), dict) else None}


def layer_agreement(layer_text: dict, ocr_pages: list[PageText]) -> dict | None:
    """How far another tool's OCR text layer (``{"0": text, ...}`` per page) agrees with our OCR of the same pages
    (a 双层PDF's layer is kept but checked): character similarity, 0..1, averaged over the pages both read."""
    scores = []
    for p in ocr_pages:
        q = layer_text.get(str(p.index))
        if q is None:
            continue
        a, b = norm(q).replace("\n", ""), norm(p.text()).replace("\n", "")
        if a or b:
            scores.append(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())
    if not scores:
        return None
    return {"pages": len(scores), "agreement": round(sum(scores) / len(scores), 3)}
