"""Text-layer (not scanned) PDFs with reportlab and the STSong-Light CID font: the ``not_scanned`` case."""
from __future__ import annotations

import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from demo.samples import texts
from demo.samples.applicant import Applicant, cn_date
from demo.samples.documents import SampleFile

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles():
    f = _font()
    return {
        "red": ParagraphStyle("red", fontName=f, fontSize=26, leading=36, alignment=1,
                              textColor=Color(0.84, 0.11, 0.13)),
        "title": ParagraphStyle("title", fontName=f, fontSize=20, leading=30, alignment=1, wordWrap="CJK"),
        "center": ParagraphStyle("center", fontName=f, fontSize=14, leading=24, alignment=1),
        "body": ParagraphStyle("body", fontName=f, fontSize=15, leading=27, firstLineIndent=30, wordWrap="CJK"),
        "plain": ParagraphStyle("plain", fontName=f, fontSize=15, leading=27, wordWrap="CJK"),
        "right": ParagraphStyle("right", fontName=f, fontSize=15, leading=27, alignment=2),
    }


def _build(story, title: str) -> tuple[bytes, int]:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, topMargin=30 * mm, bottomMargin=30 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, title=title, author="shenbao.samples", invariant=1)
    doc.build(story)
    return out.getvalue(), doc.page


def cover_letter_text(a: Applicant, *, joint: bool = True, filename: str | None = None) -> SampleFile:
    """The same 请示 as a born-digital PDF (exported from a word processor): text layer, no page images, no seal."""
    s = _styles()
    heads = [a.finance, a.hrss] if joint else [a.finance]
    story = [Paragraph(h, s["red"]) for h in heads]
    story += [Paragraph(a.doc_no, s["center"]), Spacer(1, 8 * mm), Paragraph(texts.cover_title(a, joint), s["title"]),
              Spacer(1, 5 * mm), Paragraph("财政部、人力资源社会保障部：", s["plain"])]
    story += [Paragraph(p, s["body"]) for p in texts.cover_body(a, joint)]
    story += [Spacer(1, 4 * mm)] + [Paragraph(x, s["plain"]) for x in ["附件："] + texts.attachments_list(a)]
    story += [Spacer(1, 12 * mm), Paragraph("　　".join(heads), s["right"]), Paragraph(cn_date(a.signed), s["right"]),
              Paragraph(f"（联系人：{a.contact[0]}，联系电话：{a.contact[1]}）", s["body"])]
    title = texts.cover_title(a, joint)
    data, pages = _build(story, title)
    return SampleFile(filename or f"{title.replace(' ', '')}.pdf", "cover_letter", data, "application/pdf", pages,
                      pages, "text layer, not scanned")


def plan_text(a: Applicant, city: str, *, filename: str | None = None) -> SampleFile:
    """实施方案 as a text PDF (readable with pdfplumber, no OCR needed)."""
    s = _styles()
    story = [Paragraph(f"{city}{a.programme}实施方案", s["title"]), Spacer(1, 4 * mm),
             Paragraph(f"项目实施期限：{a.period_text}", s["body"])]
    for head, paras in texts.PLAN_SECTIONS:
        story.append(Paragraph(head, s["plain"]))
        story += [Paragraph(texts.fill(p, a, city), s["body"]) for p in paras]
    data, pages = _build(story, f"{city}实施方案")
    return SampleFile(filename or f"{city}实施方案.pdf", "plan", data, "application/pdf", pages, pages,
                      "text layer")
