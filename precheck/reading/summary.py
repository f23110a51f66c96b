"""The facts read from a province's current documents, with where each was read — what officers see next to the
findings (register rows, the chat's dossier answer, ``shenbao analyse``). An officer's correction is shown as such.

    dossier_facts(documents, corrections={"subsidy": {...}}, officer_cities=None) ->
        [{"fact": "subsidy", "label": "中央财政补助", "value": "9800 万元", "document": "附件2：….pdf",
          "page": 1, "text": "中央财政补助资金 9,800.00万元", "source": "ocr", "corrected": False}, ...]
    fact_lines(facts) -> ["中央财政补助 9800 万元（附件2：…第1页“…”，文字识别）", ...]
"""
from __future__ import annotations

SOURCE_ZH = {"text_layer": "文字层", "ocr": "文字识别", "ocr_layer": "扫描件自带文字层", "officer": "处室更正"}
LABEL = {"cities": "申报城市", "subsidy": "中央财政补助", "period": "实施期限", "joint": "联合行文", "seal": "红章"}
MONEY_KINDS = ("budget", "performance_targets", "plan", "cover_letter")


def _a(d) -> dict:
    return getattr(d, "analysis", None) or {}


def _ev(fact: dict) -> dict:
    ev = fact.get("evidence")
    if isinstance(ev, list):
        ev = ev[0] if ev else {}
    return ev if isinstance(ev, dict) else {"text": str(ev or "")}


def _row(key: str, value: str, doc, fact: dict) -> dict:
    ev = _ev(fact)
    return {"fact": key, "label": LABEL[key], "value": value, "document": getattr(doc, "filename", ""),
            "page": ev.get("page"), "box": ev.get("box"), "text": (ev.get("text") or "")[:80],
            "source": ev.get("source"), "strength": fact.get("strength"), "corrected": False}


def _officer(key: str, value: str, c: dict) -> dict:
    return {"fact": key, "label": LABEL[key], "value": value, "document": None, "page": None, "box": None,
            "text": c.get("reason", ""), "source": "officer", "actor": c.get("actor"), "corrected": True}


def dossier_facts(documents, corrections: dict | None = None, officer_cities: list[str] | None = None) -> list[dict]:
    corrections = corrections or {}
    docs = [d for d in documents if not _a(d).get("container")]
    out = []
    covers = [d for d in docs if getattr(d, "kind", None) == "cover_letter"]
    if officer_cities:
        out.append(_officer("cities", "、".join(officer_cities), {"reason": "处室设定"}))
    else:
        for d in covers + [d for d in docs if getattr(d, "kind", None) == "plan"]:
            cf = _a(d).get("cities_fact")
            if cf and cf.get("cities"):
                out.append(_row("cities", "、".join(cf["cities"]), d, cf))
                break
    if "subsidy" in corrections:
        out.append(_officer("subsidy", f"{corrections['subsidy']['wan_yuan']:g} 万元", corrections["subsidy"]))
    else:
        read = [(d, _a(d)["subsidy"]) for d in docs if getattr(d, "kind", None) in MONEY_KINDS and _a(d).get("subsidy")]
        if read:
            d, s = max(read, key=lambda x: (x[1]["wan_yuan"], x[1].get("strength", 0)))
            out.append(_row("subsidy", f"{s['wan_yuan']:g} 万元", d, s))
    if "period" in corrections:
        out.append(_officer("period", f"{corrections['period']['months']} 个月", corrections["period"]))
    else:
        read = [(d, _a(d)["period"]) for d in docs if getattr(d, "kind", None) in MONEY_KINDS and _a(d).get("period")]
        if read:
            d, p = max(read, key=lambda x: (x[1].get("months", 0), x[1].get("strength", 0)))
            out.append(_row("period", f"{p['months']} 个月", d, p))
    for d in covers[:1]:
        j = _a(d).get("joint")
        if j and j.get("joint") is not None:
            out.append(_row("joint", "是" if j["joint"] else "否", d, j))
        seal = _a(d).get("seal") or {}
        if "found" in seal:
            value = {True: "有", False: "未检测到", None: "黑白/灰度扫描，无法判断"}[seal.get("found")]
            out.append({**_row("seal", value, d, {}), "page": seal.get("page")})
    return out


def fact_lines(facts: list[dict]) -> list[str]:
    lines = []
    for f in facts:
        if f["corrected"]:
            lines.append(f"{f['label']} {f['value']}（处室更正{('：' + f['text']) if f.get('text') else ''}）")
            continue
        where = f["document"] or ""
        if f.get("page"):
            where += f" 第{f['page']}页"
        if f.get("text"):
            where += f"“{f['text'][:40]}”"
        src = SOURCE_ZH.get(f.get("source") or "", "")
        lines.append(f"{f['label']} {f['value']}（{where}{('，' + src) if src else ''}）")
    return lines
