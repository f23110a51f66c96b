"""Document kinds from evidence that combines: the file name, the title and the content (from a text layer, another
tool's OCR layer or our OCR), and the file's place in the mail — each with a weight (DESIGN.md policy 9).

    c = classify(filename, title, text, call, text_source="ocr", position={"index": 0, "count": 5})
    c.kind, c.source, c.confidence, c.evidence     # evidence: [{"source", "kind", "term", "weight"}, ...]

The name and the text are two independent witnesses: per kind, the score is the name's weight plus the best of the
text's (title or content, never both: they read the same page), plus the position. So an OCR'd first-page title
("关于…的请示" inside 附件4：佐证材料.pdf) does not outweigh a specific file name, while a born-digital title beats a
renamed file, and a scan called 扫描件001.pdf takes its kind from its OCR. Order matters for names and titles: the
specific ones (执行情况报告, 绩效目标表, 预算表) win over the generic ones, and a "关于…的请示/函" title is a cover letter
even when it names the 实施方案 it encloses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from config.call import CallConfig

ORDER = ("prior_report", "performance_targets", "budget", "plan", "evidence", "cover_letter")
_COVER = re.compile(r"关于.{2,80}?的(?:请示|函|报告)$|.{4,80}的(?:请示|函)$|联合行文|^.{0,30}(?:请示|申报文件)$")
# a name that is only a 发文字号 (吉财社〔2023〕15号, 鄂财社函[2023]5号): the issued letter itself; attachments carry
# their own names (a 文号 followed by 实施方案 is matched by the kind's terms first)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*20\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号")
# the salutation of a letter to the two ministries (财政部、人力资源社会保障部：) — what a plan or a table never opens with
_TO_MINISTRIES = re.compile(r"财政部[、,，和及]?人力资源(?:和)?社会保障部[:：]")
_ATTACHMENT_NO = re.compile(r"^\s*附件\s*[\d一二三四五六七八九十]+")
NAME_WEIGHT = 0.8
TITLE_WEIGHT = {"text_layer": 0.9, "ocr": 0.75, "ocr_layer": 0.6}
CONTENT_WEIGHT = {"text_layer": 0.6, "ocr": 0.5, "ocr_layer": 0.4}
POSITION_WEIGHT = 0.15
SOURCE_CONFIDENCE = {"title": 0.9, "filename": 0.8, "content": 0.6}     # kept for callers that show it


@dataclass(frozen=True)
class Classification:
    kind: str
    source: str                      # filename / title / content / ocr_title / ocr_content / position / none / officer
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
    if _DOC_NUMBER.fullmatch(text):
        return "cover_letter", "发文字号"
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
    if _TO_MINISTRIES.search(t[:600]) and ("请示" in t or "推荐" in t or "报送" in t):
        return "cover_letter", "致两部的请示"
    if ("指导思想" in t or "实施内容" in t or "保障措施" in t or "建设内容" in t) and "方案" in t:
        return "plan", "指导思想/实施内容"
    if "财政" in t and "人力资源" in t and ("请示" in t or "推荐" in t):
        return "cover_letter", "财政/人力资源/请示"
    cues = [x for x in _EVIDENCE_CUES if x in t]
    listed = sum(1 for x in ("实施方案", "预算表", "绩效目标", "佐证") if x in t)
    if cues and listed < 3:                 # naming three kinds is a list of enclosures (目录), not evidence
        return "evidence", "、".join(cues[:3])
    return None


# what a 佐证材料 shows when it does not say its name: approvals, certificates, photos of the sites, agreements
# and the record it rests on — the last years' figures with their source, contracts, invoices, certificates
_EVIDENCE_CUES = ("佐证", "证明材料", "批复", "获奖", "荣誉证书", "照片", "现场图", "协议书", "营业执照", "表彰", "通报",
                  "证明", "合同", "发票", "证书", "近三年", "数据来源", "统计报表", "工作成效", "典型经验", "经验做法")


def classify(filename: str, title: str, text: str, call: CallConfig, *, text_source: str = "text_layer",
             position: dict | None = None) -> Classification:
    """The kind with the most evidence (see the module docstring); ``position``: {"index", "count"} among the
    files of its mail or archive."""
    evidence = []
    by_name = _match(_stem(filename), call)
    if by_name:
        evidence.append({"source": "filename", "kind": by_name[0], "term": by_name[1], "weight": NAME_WEIGHT})
    by_title = _match(title, call)
    prefix = "ocr_" if text_source != "text_layer" else ""
    if by_title:
        evidence.append({"source": prefix + "title", "kind": by_title[0], "term": by_title[1],
                         "weight": TITLE_WEIGHT.get(text_source, 0.6)})
    by_content = _content(text, call)
    if by_content:
        evidence.append({"source": prefix + "content", "kind": by_content[0], "term": by_content[1],
                         "weight": CONTENT_WEIGHT.get(text_source, 0.4)})
    if position is not None:
        stem = _stem(filename)
        if _ATTACHMENT_NO.match(stem):
            evidence.append({"source": "position", "kind": "cover_letter", "term": "附件编号（不是正文）",
                             "weight": -0.2})
        elif position.get("index") == 0 and position.get("count", 0) >= 3:
            evidence.append({"source": "position", "kind": "cover_letter", "term": "邮件第一个附件",
                             "weight": POSITION_WEIGHT})
    score: dict[str, float] = {}
    best_text: dict[str, float] = {}
    for e in evidence:
        if e["source"].endswith(("title", "content")):
            best_text[e["kind"]] = max(best_text.get(e["kind"], 0.0), e["weight"])
        else:
            score[e["kind"]] = score.get(e["kind"], 0.0) + e["weight"]
    for k, w in best_text.items():
        score[k] = score.get(k, 0.0) + w
    positive = {k: v for k, v in score.items() if any(e["kind"] == k and e["weight"] > 0 and e["source"] != "position"
                                                       for e in evidence)}
    if not positive:
        return Classification("other", "none", 0.3, evidence)
    kind = max(positive, key=lambda k: (positive[k], -ORDER.index(k) if k in ORDER else 0))
    top = max((e for e in evidence if e["kind"] == kind and e["weight"] > 0), key=lambda e: e["weight"])
    conf = min(0.99, positive[kind])
    if len({e["kind"] for e in evidence if e["weight"] > 0 and e["source"] != "position"}) > 1:
        conf = conf - 0.15
    return Classification(kind, top["source"], round(max(0.05, conf), 2), evidence)
