"""One OCR round of one document: read its next pages with a warm worker, re-read its facts from every page OCR'd
so far, and merge them into its analysis — never replacing a stronger fact, never an officer's kind.

    upd, pages = await ocr_round(pool, data, filename, content_type, analysis, call, kind=..., kind_source=...,
                                 stored=previous_pages)
    upd: {"analysis": ..., ["kind", "kind_source", "kind_confidence", "kind_evidence"]}
    pages: every OCR'd page so far (PageText JSON + seals), for the caller to keep until the next round

Resumable: ``analysis["ocr"]["done"]`` lists the pages read; a round that fails leaves them as they were.
"""
from __future__ import annotations

import asyncio

from config.call import CallConfig
from precheck.reading import ocr_plan
from precheck.reading.document import SOURCE_RANK, layer_agreement, merge_facts, read_document
from precheck.reading.page import PageText

ENGINE = "rapidocr 3.10 PP-OCRv6 small (onnxruntime, 1 thread)"


def _seal_texts(pages: list[dict]) -> list[dict]:
    out = []
    for p in pages:
        for s in p.get("seals") or []:
            if s.get("text"):
                out.append({"page": p["index"] + 1, "box": s.get("box"), "text": s["text"]})
    return out


def _upgrade_seal(seal: dict | None, pages: list[dict]) -> dict | None:
    """A red seal the OCR worker saw at full resolution beats "not found" at the intake's low resolution."""
    hits = [(p, s) for p in pages for s in (p.get("seals") or [])]
    if not hits or (seal or {}).get("found"):
        return seal
    p, s = hits[0]
    out = {"found": True, "page": p["index"] + 1, "d_mm": s.get("d_mm"), "ring": s.get("ring"), "colour": "color",
           "pages_checked": sorted({x["index"] + 1 for x in pages}), "by": "ocr"}
    if seal:
        out["previous"] = {k: seal.get(k) for k in ("found", "colour", "pages_checked")}
    return out


async def ocr_round(pool, data: bytes, filename: str, content_type: str, analysis: dict, call: CallConfig, *,
                    kind: str, kind_source: str | None, stored: list[dict], chunk: int = 3,
                    timeout: float | None = None) -> tuple[dict, list[dict]]:
    a = dict(analysis)
    ocr = dict(a.get("ocr") or {"status": "pending", "done": []})
    todo = ocr_plan.next_pages(a, kind, chunk)
    if not todo:
        ocr["status"] = "done"
        a["ocr"] = ocr
        return {"analysis": a}, stored
    res = await pool.read(data, filename, content_type, todo, timeout=timeout)
    ocr["engine"] = ENGINE
    if not res.ok:
        ocr["attempts"] = int(ocr.get("attempts", 0)) + 1
        ocr["last_error"] = f"{res.error}: {res.detail[:200]}"
        if ocr["attempts"] >= ocr_plan.MAX_ATTEMPTS:
            ocr["status"] = "failed"
            ocr["reason"] = _reason(res)
        a["ocr"] = ocr
        return {"analysis": a}, stored
    # reading the facts from the pages (tables, seals, cities) is pure Python and can take a few hundred ms for a
    # long document: a thread, so the intake's event loop (IMAP, SMTP) is not held while it runs
    return await asyncio.to_thread(_read_pages, res, a, ocr, todo, stored, filename, call, kind, kind_source, chunk)


def _read_pages(res, a: dict, ocr: dict, todo: list[int], stored: list[dict], filename: str, call: CallConfig,
                kind: str, kind_source: str | None, chunk: int) -> tuple[dict, list[dict]]:
    pages = [p for p in stored if p["index"] not in {q["index"] for q in res.pages}] + res.pages
    pages.sort(key=lambda p: p["index"])
    ocr["done"] = sorted(set(ocr.get("done") or []) | set(todo))
    ocr["seconds"] = round(float(ocr.get("seconds", 0)) + res.seconds, 2)
    ocr["cpu"] = round(float(ocr.get("cpu", 0)) + res.cpu, 2)
    ocr["peak_rss_mib"] = round(max(float(ocr.get("peak_rss_mib", 0)), res.peak_rss_mib))
    texts = [PageText.from_json(p) for p in pages]
    officer = kind if kind_source == "officer" else None
    facts = read_document(texts, filename=filename, call=call, position=a.get("position"),
                          seal_texts=_seal_texts(pages), kind=officer)
    old_rank = SOURCE_RANK.get(a.get("text_source"), 0)
    a = merge_facts(a, facts)
    a["seal"] = _upgrade_seal(a.get("seal"), pages)
    a["seal_texts"] = _seal_texts(pages)[:6] or a.get("seal_texts")
    if ocr.get("layer_text"):
        agree = layer_agreement(ocr["layer_text"], texts)
        if agree:
            ocr["layer_check"] = agree
    a["ocr"] = ocr
    update: dict = {"analysis": a}
    new_kind = facts["kind"]
    if kind_source != "officer" and SOURCE_RANK.get(facts.get("text_source"), 0) >= old_rank:
        update.update(kind=new_kind.kind, kind_source=new_kind.source, kind_confidence=new_kind.confidence,
                      kind_evidence={"evidence": new_kind.evidence, "ocr": True})
        kind = new_kind.kind
    ocr["status"] = "pending" if ocr_plan.next_pages(a, kind, chunk) else "done"
    return update, pages


def _reason(res) -> str:
    if res.error == "timeout":
        return f"文字识别超时（{res.seconds:.0f} 秒）"
    if res.error == "memory":
        return "文字识别超过内存上限"
    return "文字识别失败（" + (res.detail.splitlines()[0][:120] if res.detail else res.error or "") + "）"
