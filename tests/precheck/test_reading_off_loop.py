"""Reading facts (tables, seals, cities, the kind) is pure Python that can take a few hundred ms for a long document:
it runs in a thread, never on the event loop the intake shares with IMAP and SMTP (issue 16: a loop that never
stalls). Both places: a document's first analysis, and each background OCR round."""
from __future__ import annotations

import threading

from config.call import load_call
from precheck import analysis
from precheck.ocr_worker import OcrResult
from precheck.parse import AttachmentPart
from precheck.reading import ocr_read

from tests.checks import builders as b


async def test_a_documents_facts_are_read_off_the_loop(monkeypatch):
    seen = []
    real = analysis.apply_reading

    def spy(*args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "apply_reading", spy)
    parts = [AttachmentPart("附件2：实施方案.pdf", "application/pdf", b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想", "二、实施内容"], ["三、保障措施"]]), "")]
    res = await analysis.analyse_attachments(parts, call=load_call("2023"))
    assert [d.kind for d in res.documents] == ["plan"] and seen == [False]


class _Pool:
    async def read(self, data, filename, content_type, todo, timeout=None):
        lines = [["关于推荐青岛市申报示范项目的请示", 0.99, 100, 100, 900, 150, 100, 100, 900, 100, 900, 150, 100, 150]]
        return OcrResult(True, [{"index": i, "w": 2480, "h": 3508, "source": "ocr", "score": 0.99, "cells": [],
                                 "lines": lines, "colour": None} for i in todo], seconds=1.0, cpu=1.0)


async def test_an_ocr_rounds_facts_are_read_off_the_loop(monkeypatch):
    seen = []
    real = ocr_read.read_document

    def spy(*args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(ocr_read, "read_document", spy)
    a = {"family": "pdf", "pages": 1, "survey": [{"layer": "image"}], "ocr": {"status": "pending", "done": []}}
    upd, pages = await ocr_read.ocr_round(_Pool(), b"%PDF", "扫描件001.pdf", "application/pdf", a, load_call("2023"),
                                          kind="other", kind_source="none", stored=[])
    assert seen == [False] and [p["index"] for p in pages] == [0]
    assert upd.get("kind") == "cover_letter"
