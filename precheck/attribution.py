"""Which province a submission belongs to (DESIGN.md policy 5).

Order: the sender registry (config plus officer-confirmed addresses), then the subject and file names,
then the cover letter's text. Names are matched longest-first and never from one character, so 青海
is not 青岛 and 新疆 is not 新疆生产建设兵团; a 计划单列市's own bureaus map to their province.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from config.call import CallConfig
from core.vocabulary import SenderTrust, trust_rank


@dataclass(frozen=True)
class Attribution:
    province: str | None
    method: str                      # sender / subject / filename / text / officer / none
    evidence: dict = field(default_factory=dict)
    registered_sender: bool = False

    def as_json(self) -> dict:
        return {"method": self.method, "evidence": self.evidence, "registered_sender": self.registered_sender}


def name_table(call: CallConfig) -> list[tuple[str, str]]:
    """(surface form, province) pairs, longest first; every form has at least two characters."""
    pairs: dict[str, str] = {}
    for p in call.provinces:
        for form in {p.name, p.finance, p.hrss, *p.aliases}:
            if len(form) >= 2:
                pairs[form] = p.name
    for cp in call.cp_cities:
        for form in (cp.city, cp.city.removesuffix("市"), cp.finance, cp.hrss):
            if len(form) >= 2:
                pairs[form] = cp.province
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


def find_provinces(text: str, call: CallConfig) -> dict[str, list[str]]:
    """Provinces named in ``text`` → the surface forms found; overlapping shorter matches are ignored."""
    taken = [False] * len(text)
    found: dict[str, list[str]] = {}
    for form, prov in name_table(call):
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                found.setdefault(prov, []).append(form)
            start = text.find(form, end)
    return found


def registry_province(sender: str | None, call: CallConfig, confirmed: dict[str, str]) -> str | None:
    if not sender:
        return None
    s = sender.lower()
    if s in confirmed:
        return confirmed[s]
    domain = "@" + s.split("@", 1)[-1]
    for p in call.provinces:
        if s in p.senders or domain in p.senders:
            return p.name
    return None


def _unique(found: dict[str, list[str]]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


def attribute(call: CallConfig, *, sender: str | None, subject: str, filenames: list[str],
              cover_text: str = "", confirmed: dict[str, str] | None = None) -> Attribution:
    """Infer the province; ambiguous evidence (two provinces named) leaves it unidentified."""
    reg = registry_province(sender, call, confirmed or {})
    if reg:
        return Attribution(reg, "sender", {"sender": sender}, True)
    for method, text in (("subject", subject or ""), ("filename", " ".join(filenames)), ("text", cover_text[:4000])):
        found = find_provinces(text, call)
        prov = _unique(found)
        if prov:
            return Attribution(prov, method, {"matched": found[prov], "sender": sender}, False)
        if len(found) > 1:
            return Attribution(None, "ambiguous", {method: {k: v for k, v in found.items()}, "sender": sender})
    return Attribution(None, "none", {"sender": sender})


def trust_level(registered: bool, authenticated: bool) -> SenderTrust:
    """Policy 8: ``verified`` = registered and authenticated; ``registered`` = registered only; else ``unknown``
    (an authenticated stranger is still a stranger: authentication proves the address, not the province)."""
    if registered:
        return SenderTrust.VERIFIED if authenticated else SenderTrust.REGISTERED
    return SenderTrust.UNKNOWN


def applied_submissions(on_time: list) -> tuple[list, list]:
    """Policy 8: ``(applied, held)`` of a province's on-time submissions. The dossier is built from the most
    trusted tier present (verified or officer-confirmed > registered > unknown); a less trusted submission is
    kept and shown but never replaces what a more trusted one established — it waits for an officer."""
    if not on_time:
        return [], []
    top = max(trust_rank(getattr(s, "sender_trust", None)) for s in on_time)
    applied = [s for s in on_time if trust_rank(getattr(s, "sender_trust", None)) == top]
    held = [s for s in on_time if trust_rank(getattr(s, "sender_trust", None)) < top]
    return applied, held
