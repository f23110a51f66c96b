"""The cities a document recommends (cover letters) or is about (plans, budgets, targets tables), from the title and,
for a cover letter, from the body's recommendation sentence — not every city it names: a letter may list the cities
it weighed and did not pick ("杭州、温州等市虽具备一定基础……决定推荐宁波市"), or its own signature.

    read_cities(pages, title, kind, places) -> {"cities": ["宁波市", "嘉兴市"], "strength": 0.9,
                                                "evidence": [{"page": 1, "box": [...], "text": "决定推荐宁波市、嘉兴市申报"}]}
"""
from __future__ import annotations

import re

from precheck.places import Places
from precheck.reading.page import PageText
from precheck.reading.text import Flat, norm

_TRIGGER = re.compile(r"(?<!不)(?<!未)(?:推荐|确定|同意|申报城市(?:为|是|[:：])|拟申报|选定|遴选出?)")
_CLAUSE_END = re.compile(r"[。；;!?！？，,]")
_ISSUER_AFTER = re.compile(r"^(?:财政局|人力资源|人社局|人民政府|政府|委员会|就业)")
_SUBJECT_KINDS = ("plan", "budget", "performance_targets")
_PROJECT_LINE = re.compile(r"项目名称")


def _in_title(title: str, places: Places) -> list[str]:
    t = norm(title)
    out = []
    for m in places.find(t):
        if _ISSUER_AFTER.match(t[m.end:]) and "关于" in t[m.end:]:
            continue                     # 宁波市财政局…关于…: the issuer, not the subject
        if m.name not in out:
            out.append(m.name)
    return out


def _recommended(flat: Flat, places: Places) -> tuple[list[str], list[dict]]:
    text = flat.text
    found, evidence = [], []
    for trig in _TRIGGER.finditer(text):
        end_m = _CLAUSE_END.search(text, trig.end())
        end = end_m.start() if end_m else min(len(text), trig.end() + 60)
        while end_m and text[end_m.start()] in "，," and re.match(r"[，,]\s*(?:以及|和|及)?\s*[\u4e00-\u9fff]{2,8}(?:市|州|盟|地区)",
                                                              text[end_m.start():]):
            end_m = _CLAUSE_END.search(text, end_m.start() + 1)          # "推荐青岛市，烟台市" keeps the list going
            end = end_m.start() if end_m else min(len(text), trig.end() + 60)
        clause = text[trig.end(): end]
        if not clause:
            continue
        mentions = [m for m in places.find(clause)
                    if not _ISSUER_AFTER.match(clause[m.end:])]
        if not mentions:
            continue
        # the cities right after the trigger: a list joined by 、/和/及, stopping at the first other words
        names, pos = [], 0
        for m in mentions:
            gap = clause[pos:m.start]
            if names and not re.fullmatch(r"[、，,和及与以\s]*(?:[（(][^）)]{0,12}[）)])?[、，,和及与以\s]*", gap):
                break
            if not names and len(gap) > 12:
                break
            names.append(m.name)
            pos = m.end
        if not names:
            continue
        for n in names:
            if n not in found:
                found.append(n)
        evidence.append(flat.evidence(trig.start(), trig.end() + pos))
    return found, evidence


def _heading(page: PageText, places: Places) -> tuple[list[str], list[dict], float] | None:
    """A title set over two lines in two sizes (桂林市公共就业服务能力提升示范项目 / 实施方案), where the layout kept
    the larger line: the city from the first rows of the page (a scanner's header stamp names none)."""
    for row in page.rows()[:3]:
        text = " ".join(ln.text for ln in row)
        found = _in_title(text, places)
        if found and "项目" in text:
            box = [min(ln.box[0] for ln in row), min(ln.box[1] for ln in row), max(ln.box[2] for ln in row),
                   max(ln.box[3] for ln in row)]
            return found, [{"page": page.index + 1, "box": box, "text": text[:120], "source": page.source}], 0.8
    return None


def read_cities(pages: list[PageText], title: str, kind: str, places: Places, *,
                title_evidence: dict | None = None) -> dict | None:
    cities = _in_title(title, places) if title else []
    evidence = [dict(title_evidence or {}, text=title[:120])] if cities else []
    strength = 0.9 if cities else 0.0
    first = [p for p in pages if p.index == 0] or pages[:1]
    if kind == "cover_letter":
        flat = Flat(pages[:3])
        rec, ev = _recommended(flat, places)
        if rec:
            for c in rec:
                if c not in cities:
                    cities.append(c)
            evidence += ev
            strength = max(strength, 0.85)
    elif not cities and kind in _SUBJECT_KINDS and first and _heading(first[0], places):
        cities, evidence, strength = _heading(first[0], places)
    elif not cities and kind in _SUBJECT_KINDS and first:
        flat = Flat(first)
        m = _PROJECT_LINE.search(flat.text)
        if m:
            near = flat.text[m.end(): m.end() + 30]
            ms = places.find(near)
            if ms:
                cities = [ms[0].name]
                evidence = [flat.evidence(m.start(), m.end() + ms[0].end)]
                strength = 0.8
    if not cities:
        return None
    src = (evidence[0] or {}).get("source", "ocr") if evidence else "ocr"
    w = {"text_layer": 1.0, "ocr": 0.95, "ocr_layer": 0.7}.get(src, 0.9)
    return {"cities": cities, "strength": round(strength * w, 3), "evidence": evidence[:4]}
