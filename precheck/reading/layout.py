"""Where things are on a letter's pages: the 红头 (issuing header), the title (wrapped over several lines), the
signature block above the date, read from the rows of boxes and their heights.

    lay = letter_layout(pages)
    lay.header_rows, lay.title, lay.title_rows, lay.signature_rows, lay.date_row
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from precheck.files.ocr_engine import Line
from precheck.reading.page import PageText
from precheck.reading.text import norm

_TITLE_END = re.compile(r"(?:请示|函|报告|通知|意见|方案|预算表|目标表|申报表|佐证材料|证明材料|情况表|汇总表|测算表|明细表|批复|目录|清单)$")
_LIST_ITEM = re.compile(r"^(?:\d{1,2}\s*[.．、)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|附件\s*\d)")
_TITLE_START = re.compile(r"^关于")
_DOCNO = re.compile(r"[\[〔【（(]\s*20\d\d\s*[\]〕】）)]\s*\d+\s*号|^\S{1,8}[\[〔]20\d\d[\]〕]\d*号?$")
_DEPT = re.compile(r"(?:财政|人力资源|社会保障|人社|人民政府|办公厅|办公室)(?:厅|局|委|部|室)?(?:文件)?$")
_DATE = re.compile(r"(?:20\d\d|二[〇○0零]二[一二三四五六七八九])\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日")
_SALUTATION = re.compile(r"[:：]$")
_NOT_SIGNATURE = re.compile(r"^(?:附件|抄送|联系人|联系电话|（联系|\(联系|印发|主题词)")


def row_text(row: list[Line]) -> str:
    return norm(" ".join(ln.text for ln in row))


def row_height(row: list[Line]) -> float:
    return statistics.median([ln.box[3] - ln.box[1] for ln in row]) if row else 0.0


@dataclass
class Layout:
    header_rows: list[list[Line]] = field(default_factory=list)
    title: str = ""
    title_rows: list[list[Line]] = field(default_factory=list)
    signature_rows: list[list[Line]] = field(default_factory=list)
    date_row: list[Line] | None = None
    first_page: PageText | None = None
    last_page: PageText | None = None

    def title_box(self) -> list[int] | None:
        if not self.title_rows:
            return None
        ls = [ln for r in self.title_rows for ln in r]
        return [min(l.box[0] for l in ls), min(l.box[1] for l in ls), max(l.box[2] for l in ls), max(l.box[3] for l in ls)]


def _splits_guanyu(texts: list[str], i: int) -> bool:
    """A wrapped title whose 关于 is cut by the line break: "…厅关" / "于推荐…的请示" (the issuers first)."""
    t = texts[i]
    return (t.endswith("关") and not t.endswith(("相关", "有关", "机关", "攸关")) and i + 1 < len(texts) and texts[i + 1].startswith("于") and len(t) <= 40
            and not _DOCNO.search(t) and not _SALUTATION.search(t))


def find_title(rows: list[list[Line]]) -> tuple[str, list[list[Line]], int]:
    """(title, its rows, index of its first row) among the first rows of page 1."""
    head = rows[:18]
    texts = [row_text(r) for r in head]
    heights = [row_height(r) for r in head]
    body_h = statistics.median(heights) if heights else 0
    start = next((i for i, t in enumerate(texts) if _TITLE_START.match(t) or
                  re.match(r"^\S{2,40}关于", t) and not _DOCNO.search(t) or _splits_guanyu(texts, i)), None)
    if start is None:
        # the tallest rows near the top that are not a 红头 department line or a document number
        cand = [i for i, t in enumerate(texts[:10]) if t and not _DOCNO.search(t) and not _DEPT.search(t)
                and len(t) >= 4 and heights[i] >= body_h * 1.12]
        if not cand:
            cand = [i for i, t in enumerate(texts[:6]) if t and not _DOCNO.search(t) and not _DEPT.search(t)]
        if not cand:
            return "", [], -1
        start = cand[0]
    out, h0 = [], heights[start]
    for i in range(start, len(head)):
        t = texts[i]
        if i > start and (abs(heights[i] - h0) > 0.3 * max(h0, 1) or _SALUTATION.search(t) or _DOCNO.search(t)
                          or _LIST_ITEM.match(t)):
            break
        if i > start and len(t) > 40:
            break
        out.append(i)
        if _TITLE_END.search(t) or len(out) >= 4:
            break
    title = "".join(texts[i] for i in out)
    return title[:160], [head[i] for i in out], start


def letter_layout(pages: list[PageText]) -> Layout:
    lay = Layout()
    if not pages:
        return lay
    first = min(pages, key=lambda p: p.index)
    last = max(pages, key=lambda p: p.index)
    lay.first_page, lay.last_page = first, last
    rows = first.rows()
    lay.title, lay.title_rows, start = find_title(rows)
    if start > 0:
        lay.header_rows = rows[:start]
    elif start < 0:
        lay.header_rows = rows[:3]
    # signature: the rows just above the last date on the last page (or the first page of a one-page letter)
    lrows = rows if last is first else last.rows()
    date_i = None
    for i in range(len(lrows) - 1, -1, -1):
        t = row_text(lrows[i])
        if _DATE.search(t) and len(t) <= 40:
            date_i = i
            break
    if date_i is not None:
        lay.date_row = lrows[date_i]
        sig = []
        for j in range(date_i - 1, max(-1, date_i - 5), -1):
            t = row_text(lrows[j])
            if _NOT_SIGNATURE.match(t) or len(t) > 60 or re.search(r"[。，；：:;,]", t):
                break
            sig.append(lrows[j])
        lay.signature_rows = list(reversed(sig)) + [lrows[date_i]]
    else:                                 # no date read: the short unpunctuated rows that end the letter
        sig = []
        top = [id(r) for r in lay.header_rows + lay.title_rows] if last is first else []
        for j in range(len(lrows) - 1, max(-1, len(lrows) - 5), -1):
            t = row_text(lrows[j])
            if not t or id(lrows[j]) in top or _NOT_SIGNATURE.match(t) or len(t) > 40 or \
                    re.search(r"[。，；：:;,]", t):
                break
            sig.append(lrows[j])
        lay.signature_rows = list(reversed(sig))
    return lay
