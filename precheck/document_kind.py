"""Document kinds from the file name, the first-page title and the content; with evidence and confidence.

Order matters: the specific names (执行情况报告, 绩效目标表, 预算表) win over the generic ones, and a
"关于…的请示/函" title is a cover letter even when it names the 实施方案 it encloses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from config.call import CallConfig

ORDER = ("prior_report", "performance_targets", "budget", "plan", "evidence", "cover_letter")
_COVER = re.compile(r"关于.{2,80}?的(?:请示|函|报告)$|.{4,80}的(?:请示|函)$|联合行文|^.{0,30}(?:请示|申报文件)$")
SOURCE_CONFIDENCE = {"title": 0.9, "filename": 0.8, "content": 0.6}


@dataclass(frozen=True)
class Classification:
    kind: str
    source: str                      # filename / title / content / none / officer
    confidence: float
    evidence: list = field(default_factory=list)


def _stem(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _match(text: str, call: CallConfig) -> tuple[str, str] | None:
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    if "执行情况" in text and "报告" in text:
        return "prior_report", "执行情况报告"
    if _COVER.search(text) and "执行情况" not in text:
        return "cover_letter", _COVER.search(text).group(0)[-6:]
    for kind in ORDER:
        rule = call.document(kind)
        for term in (rule.match if rule else ()):
            if term in text:
                return kind, term
    return None


def _content(text: str, call: CallConfig) -> tuple[str, str] | None:
    t = re.sub(r"\s+", "", text or "")
    targets = call.document("performance_targets")
    terms = [x for x in (targets.expected_terms if targets else ()) if x in t]
    if len([x for x in terms if x.endswith("指标")]) >= 2:
        return "performance_targets", "、".join(terms)
    if "执行情况" in t and "2022" in t:
        return "prior_report", "执行情况"
    if "中央财政补助" in t and ("万元" in t or "预算" in t) and ("合计" in t or "总预算" in t or "资金来源" in t):
        return "budget", "中央财政补助/合计"
    if ("指导思想" in t or "实施内容" in t or "保障措施" in t) and "方案" in t:
        return "plan", "指导思想/实施内容"
    if "财政" in t and "人力资源" in t and ("请示" in t or "推荐" in t):
        return "cover_letter", "财政/人力资源/请示"
    return None


def classify(filename: str, title: str, text: str, call: CallConfig) -> Classification:
    """Title beats file name when both are present (people rename files); content is the fallback."""
    hits = {}
    by_name = _match(_stem(filename), call)
    if by_name:
        hits["filename"] = by_name
    by_title = _match(title, call)
    if by_title:
        hits["title"] = by_title
    by_content = _content(text, call)
    if by_content:
        hits["content"] = by_content
    evidence = [{"source": s, "kind": k, "term": t} for s, (k, t) in hits.items()]
    if not hits:
        return Classification("other", "none", 0.3, evidence)
    source = next(s for s in ("title", "filename", "content") if s in hits)
    kind = hits[source][0]
    agree = sum(1 for k, _t in hits.values() if k == kind)
    conf = min(0.99, SOURCE_CONFIDENCE[source] + 0.05 * (agree - 1))
    if len({k for k, _t in hits.values()}) > 1:
        conf = round(conf - 0.15, 2)
    return Classification(kind, source, round(conf, 2), evidence)
