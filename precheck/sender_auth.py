"""Is a mail's ``From:`` authenticated? DKIM verified here (dkimpy), or the receiving host's own
``Authentication-Results`` — never a header the sender could have written.

- **DKIM**: every ``DKIM-Signature`` (at most :data:`MAX_SIGNATURES`) is verified with dkimpy; DNS goes
  through an injectable ``dns_txt(name: bytes, timeout=...) -> bytes | None`` (tests sign with their own keys
  and answer from a dict; production uses dkimpy's dnspython lookup). A passing signature authenticates the
  sender only when its ``d=`` aligns with the From domain (equal, or a parent domain: DMARC's relaxed
  alignment) and it has no ``l=`` body length (with ``l=`` anything may be appended after the signed part).
- **Authentication-Results** (RFC 8601): read only when its authserv-id is one of ``trusted_authserv`` (the
  configured receiving host, e.g. the provider's MX) and it stands in the topmost header block, above the
  first ``Received:`` — the place only the receiving host writes. ``dmarc=pass``, or ``dkim=pass`` /
  ``spf=pass`` with an aligned domain, authenticates. Forged results further down are ignored.

Pure apart from DNS (no ORM); never raises on a bad message: a broken signature is a result, not an error.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger("shenbao.precheck.sender_auth")


class _Quiet:
    """dkimpy logs a stranger's missing key at ERROR; for us it is a result (kept in the findings), so DEBUG."""

    def __getattr__(self, name):
        return log.debug

MAX_SIGNATURES = 5
DnsTxt = Callable[..., "bytes | None"]


@dataclass(frozen=True)
class SenderAuth:
    authenticated: bool
    method: str | None = None                # dkim / dmarc / spf (the first that authenticated)
    domain: str | None = None                # the aligned domain that vouched for From
    dkim: tuple[dict, ...] = ()               # [{"d", "s", "result", "aligned", "detail"}]
    auth_results: tuple[dict, ...] = ()       # trusted A-R entries [{"authserv_id", "method", "result", "props"}]
    from_domain: str | None = None

    def as_json(self) -> dict:
        return {"authenticated": self.authenticated, "method": self.method, "domain": self.domain,
                "from_domain": self.from_domain, "dkim": list(self.dkim), "auth_results": list(self.auth_results)}


def aligned(domain: str | None, from_domain: str | None) -> bool:
    """Relaxed alignment: the same domain, or ``domain`` a parent of the From domain (two labels at least)."""
    if not domain or not from_domain:
        return False
    d, f = domain.lower().strip(".").strip(), from_domain.lower().strip(".").strip()
    return d == f or (f.endswith("." + d) and d.count(".") >= 1)


def _headers(raw: bytes) -> list[tuple[str, str]]:
    """The header block as (name, unfolded value), in order; stops at the first empty line."""
    end = raw.find(b"\r\n\r\n")
    alt = raw.find(b"\n\n")
    cut = min(x for x in (end, alt, len(raw)) if x >= 0)
    out: list[tuple[str, str]] = []
    for line in re.split(rb"\r?\n", raw[:cut]):
        if line[:1] in (b" ", b"\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + line.strip().decode("utf-8", "replace"))
        elif b":" in line:
            k, v = line.split(b":", 1)
            out.append((k.strip().decode("ascii", "replace").lower(), v.strip().decode("utf-8", "replace")))
    return out


_COMMENT = re.compile(r"\([^()]*\)")
_RESINFO = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z0-9_-]+)(.*)$", re.I | re.S)
_PROP = re.compile(r"([a-z0-9_-]+\.[a-z0-9_.-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)", re.I)


def parse_auth_results(value: str) -> tuple[str, list[dict]]:
    """``(authserv-id, [{"method", "result", "props"}])`` of one Authentication-Results value."""
    text = value
    for _ in range(3):
        text = _COMMENT.sub(" ", text)
    parts = [p.strip() for p in text.split(";")]
    head = parts[0].split()
    servid = head[0].lower() if head else ""
    out = []
    for p in parts[1:]:
        m = _RESINFO.match(p)
        if not m:
            continue
        props = {k.lower(): v.strip('"') for k, v in _PROP.findall(m.group(3))}
        out.append({"method": m.group(1).lower(), "result": m.group(2).lower(), "props": props})
    return servid, out


def _domain_of(value: str | None) -> str | None:
    if not value:
        return None
    return value.rsplit("@", 1)[-1].strip().strip("<>").lower() or None


def _from_ar(headers, trusted: tuple[str, ...], from_domain: str | None) -> tuple[list[dict], tuple[str, str] | None]:
    entries, hit = [], None
    trusted_l = {t.lower() for t in trusted}
    for name, value in headers:
        if name == "received":
            break                                          # below this line the sender wrote the headers
        if name != "authentication-results" or not trusted_l:
            continue
        servid, results = parse_auth_results(value)
        if servid not in trusted_l:
            continue
        for r in results:
            entries.append({"authserv_id": servid, **r})
            if r["result"] != "pass" or hit:
                continue
            props = r["props"]
            if r["method"] == "dmarc" and (aligned(props.get("header.from"), from_domain)
                                          or "header.from" not in props):
                hit = ("dmarc", from_domain or "")
            elif r["method"] == "dkim" and aligned(props.get("header.d") or _domain_of(props.get("header.i")),
                                                   from_domain):
                hit = ("dkim", props.get("header.d") or _domain_of(props.get("header.i")) or "")
            elif r["method"] == "spf" and aligned(_domain_of(props.get("smtp.mailfrom")), from_domain):
                hit = ("spf", _domain_of(props.get("smtp.mailfrom")) or "")
    return entries, hit


def _verify_dkim(raw: bytes, n: int, from_domain: str | None, dns_txt: DnsTxt | None,
                 timeout: float) -> list[dict]:
    import dkim

    out = []
    for idx in range(min(n, MAX_SIGNATURES)):
        entry = {"d": None, "s": None, "result": "permerror", "aligned": False, "detail": ""}
        try:
            d = dkim.DKIM(raw, timeout=timeout, logger=_Quiet())
            kwargs = {"dnsfunc": dns_txt} if dns_txt is not None else {}
            ok = d.verify(idx, **kwargs)
            sig = d.signature_fields or {}
            entry["d"] = (sig.get(b"d") or b"").decode("ascii", "replace").lower() or None
            entry["s"] = (sig.get(b"s") or b"").decode("ascii", "replace") or None
            if ok and b"l" in sig:
                entry.update(result="fail", detail="l= body length: content after the signed part is unsigned")
            else:
                entry["result"] = "pass" if ok else "fail"
        except dkim.DnsTimeoutError as exc:
            entry.update(result="temperror", detail=str(exc)[:200])
        except (dkim.DKIMException, ValueError, IndexError, TypeError, UnicodeError) as exc:
            entry.update(result="permerror", detail=f"{type(exc).__name__}: {exc}"[:200])
        except Exception as exc:  # a DNS library error surfacing raw: no authentication, never a crash
            entry.update(result="temperror", detail=f"{type(exc).__name__}: {exc}"[:200])
        entry["aligned"] = entry["result"] == "pass" and aligned(entry["d"], from_domain)
        out.append(entry)
    return out


def authenticate(raw: bytes, sender: str | None, *, dns_txt: DnsTxt | None = None,
                 trusted_authserv: tuple[str, ...] = (), trust_headers: bool = True, dkim_enabled: bool = True,
                 timeout: float = 5.0) -> SenderAuth:
    """Authenticate the From address ``sender`` of ``raw`` (see the module docstring)."""
    from_domain = _domain_of(sender)
    try:
        headers = _headers(raw)
    except Exception:  # pragma: no cover - _headers is total on bytes
        headers = []
    entries, hit = _from_ar(headers, trusted_authserv if trust_headers else (), from_domain)
    n_sigs = sum(1 for k, _ in headers if k == "dkim-signature")
    dk = _verify_dkim(raw, n_sigs, from_domain, dns_txt, timeout) if n_sigs and dkim_enabled else []
    good = next((e for e in dk if e["aligned"]), None)
    if good:
        return SenderAuth(True, "dkim", good["d"], tuple(dk), tuple(entries), from_domain)
    if hit:
        return SenderAuth(True, hit[0], hit[1] or None, tuple(dk), tuple(entries), from_domain)
    return SenderAuth(False, None, None, tuple(dk), tuple(entries), from_domain)


def dmarc_policy(domain: str | None, dns_txt: DnsTxt | None = None, timeout: float = 5.0) -> str | None:
    """The ``p=`` of the From domain's DMARC record (or its parent's), or None; never raises."""
    if not domain:
        return None
    if dns_txt is None:
        try:
            from dkim.dnsplug import get_txt as dns_txt
        except Exception:  # pragma: no cover - dnspython missing
            return None
    labels = domain.lower().strip(".").split(".")
    for i in range(0, max(1, len(labels) - 1)):
        name = ("_dmarc." + ".".join(labels[i:]) + ".").encode()
        try:
            rec = dns_txt(name, timeout=timeout)
        except Exception:
            return None
        if rec and rec.lstrip().lower().startswith(b"v=dmarc1"):
            m = re.search(rb"(?:^|;)\s*p\s*=\s*([a-z]+)", rec, re.I)
            return m.group(1).decode().lower() if m else None
    return None
