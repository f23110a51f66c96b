"""Helpers the dossier checks share: the notice's clause for a rule, documents by kind, kind names."""
from __future__ import annotations

from config.call import CallConfig

KIND_ZH = {"cover_letter": "申报文件", "plan": "实施方案", "budget": "资金预算表", "performance_targets": "绩效目标表",
           "evidence": "佐证材料", "prior_report": "2022年执行情况报告", "other": "其他材料"}


def clause(call: CallConfig, rule_id: str) -> tuple[str, str]:
    """(clause, section) from the call config: the notice's own words, section as 二（三）."""
    try:
        r = call.rule(rule_id)
    except StopIteration:
        return "", ""
    text = r.clause.strip()
    if text.startswith('"') and text.endswith('"') and text.count('"') == 2:
        text = text[1:-1]
    section = r.section.replace("(", "（").replace(")", "）")
    return text, section


def of_kind(docs, *kinds: str) -> list:
    return [d for d in docs if getattr(d, "kind", None) in kinds]


def counted(docs) -> list:
    """Documents that have pages (archives and unreadable files have ``pages`` None)."""
    return [d for d in docs if getattr(d, "pages", None) is not None]


def analysis(doc) -> dict:
    return getattr(doc, "analysis", None) or {}


def label(doc) -> str:
    return f"{KIND_ZH.get(doc.kind, doc.kind)}「{doc.filename}」"


def ocr_pending(doc) -> bool:
    return (analysis(doc).get("ocr") or {}).get("status") == "pending"


def prior_rounds(call: CallConfig):
    """Selection rounds before this call (已被评为示范项目); all rounds when the call id is not a year."""
    try:
        year = int(call.id)
    except ValueError:
        return list(call.selected)
    return [s for s in call.selected if s.year < year]
