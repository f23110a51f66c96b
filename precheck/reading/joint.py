"""Joint issuance (联合行文, R01): who issues the letter, from where issuers stand — the 红头, the issuers before
关于 in the title, the signature block above the date and the seals' ring text — never from the body, where a
letter of the finance department alone may say "已商省人力资源社会保障厅同意".

    read_joint(layout, seal_texts, hrss_variants) ->
        {"joint": True, "finance": "吉林省财政厅", "hrss": "吉林省人力资源和社会保障厅",
         "basis": {"finance": ["header", "signature"], "hrss": ["header", "seal"]}, "strength": 0.9, "evidence": [...]}
"""
from __future__ import annotations

import re

from precheck.reading.layout import Layout, row_text
from precheck.reading.text import norm

_FIN = re.compile(r"[\u4e00-\u9fff]{1,12}?财政(?:厅|局|斤)")
# OCR of a seal ring or a blurred 红头 often loses the 和 or reads 厅 as 斤
_HRSS_TAIL = r"(?:厅|局|斤)"


def _hrss_re(variants: tuple[str, ...]) -> re.Pattern:
    alts = sorted({v for v in variants} | {"人力资源和社会保障", "人力资源社会保障", "力资源和社会保障", "人力资源", "社会保障", "人社"},
                  key=len, reverse=True)
    return re.compile(r"[\u4e00-\u9fff]{0,12}?(?:" + "|".join(map(re.escape, alts)) + ")" + _HRSS_TAIL)


def _zones(layout: Layout) -> list[tuple[str, str, dict]]:
    out = []
    if layout.header_rows:
        txt = "|".join(row_text(r) for r in layout.header_rows)
        out.append(("header", txt, _ev(layout.first_page, layout.header_rows, txt)))
    if layout.title:
        issuer = norm(layout.title).split("关于", 1)[0] if "关于" in layout.title else ""
        if issuer:
            out.append(("title", issuer, _ev(layout.first_page, layout.title_rows, layout.title)))
    if layout.signature_rows:
        txt = "|".join(row_text(r) for r in layout.signature_rows)
        out.append(("signature", txt, _ev(layout.last_page, layout.signature_rows, txt)))
    return out


def _ev(page, rows, text) -> dict:
    ls = [ln for r in rows for ln in r]
    if not ls or page is None:
        return {"text": text[:120]}
    return {"page": page.index + 1, "source": page.source, "text": text[:120],
            "box": [min(l.box[0] for l in ls), min(l.box[1] for l in ls), max(l.box[2] for l in ls),
                    max(l.box[3] for l in ls)]}


def read_joint(layout: Layout, seal_texts: list[dict], hrss_variants: tuple[str, ...]) -> dict | None:
    hrss_re = _hrss_re(hrss_variants)
    zones = _zones(layout) + [("seal", norm(s.get("text", "")), {k: s[k] for k in ("page", "box", "text") if k in s})
                              for s in seal_texts if s.get("text")]
    if not zones:
        return None
    basis: dict[str, list[str]] = {"finance": [], "hrss": []}
    names: dict[str, str | None] = {"finance": None, "hrss": None}
    evidence = []
    for zone, text, ev in zones:
        hit = False
        for key, rx in (("hrss", hrss_re), ("finance", _FIN)):
            m = rx.search(re.sub(r"(厅|局|斤)", r"\1|", text.replace(" ", "|")))
            if m and not (key == "finance" and hrss_re.fullmatch(m.group(0))):
                basis[key].append(zone)
                names[key] = names[key] or m.group(0)
                hit = True
        if hit:
            evidence.append(dict(ev, zone=zone))
    structural = {z for z, _t, _e in zones} - {"seal"}
    if not basis["finance"] and not basis["hrss"]:
        # nothing where issuers stand: cannot tell (a page OCR could not read), unless the zones were read
        return {"joint": None, "finance": None, "hrss": None, "basis": basis, "strength": 0.3, "evidence": []} \
            if not structural else {"joint": False, "finance": None, "hrss": None, "basis": basis,
                                    "strength": 0.5, "evidence": evidence}
    joint = bool(basis["finance"]) and bool(basis["hrss"])
    n = len(basis["finance"]) + len(basis["hrss"])
    strength = 0.9 if joint and n >= 3 else 0.8 if joint else (0.85 if len(structural) >= 2 else 0.7)
    src = next((e.get("source") for e in evidence if e.get("source")), "ocr")
    strength *= {"text_layer": 1.0, "ocr": 0.95, "ocr_layer": 0.7}.get(src, 0.9)
    return {"joint": joint, "finance": names["finance"], "hrss": names["hrss"], "basis": basis,
            "strength": round(strength, 3), "evidence": evidence[:4]}
