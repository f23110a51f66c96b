"""From extracted text/tables/cells to the facts the checks read (stored in Document.analysis)."""
from __future__ import annotations

from config.call import CallConfig
from precheck.files import figures

HEAD_CHARS = 2000
TERMS = ("产出指标", "效益指标", "满意度指标", "年度目标", "中央财政补助", "实施期", "联合行文", "请示")


def derive_facts(texts: list[str], tables: list, rows: list, call: CallConfig, source: str = "text_layer") -> dict:
    """title, text_head, terms, cities (from the title), departments, subsidy, period. Pure and fast."""
    full = "\n".join(texts)
    flat = full.replace(" ", "")
    facts: dict = {"text_source": source if full.strip() else None, "text_chars": len(full)}
    if not full.strip() and not rows:
        return facts
    title = figures.title_of(full)
    facts["title"] = title
    facts["text_head"] = full[:HEAD_CHARS]
    facts["terms"] = [t for t in TERMS if t in flat]
    facts["cities"] = figures.cities_from_title(title, call.province_names())
    facts["departments"] = figures.departments("\n".join(texts[:2]).replace(" ", ""), call.hrss_variants)
    unit_hint = "万元" if "万元" in flat else None
    subsidy = figures.subsidy_from_rows(rows, unit_hint) if rows else None
    for t in tables:
        subsidy = subsidy or figures.subsidy_from_rows(t, unit_hint)
    subsidy = subsidy or figures.subsidy_from_text(flat)
    if subsidy:
        facts["subsidy"] = subsidy
    period = figures.period_from_text(flat)
    if period is None and rows:
        period = figures.period_from_text("\n".join(" ".join(r) for r in rows).replace(" ", ""))
    if period:
        facts["period"] = period
    return facts
