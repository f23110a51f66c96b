"""Text helpers the fact readers share: flattening a page's rows into one searchable string that remembers, for
every character, which line (page, box) it came from — so a fact found by a pattern carries its evidence."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from precheck.reading.page import PageText

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}\d])\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+(?=[\d{_CJK}])")


def norm(text: str) -> str:
    """NFKC (full-width digits, ：), no spaces between Chinese characters, unified dashes and brackets."""
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("〔", "[").replace("〕", "]").replace("—", "-").replace("–", "-").replace("－", "-")
    t = t.replace("～", "~").replace("(", "（").replace(")", "）")
    return _SPACE_BETWEEN.sub("", t)


@dataclass
class Span:
    page: int              # 1-based
    box: tuple[int, int, int, int]
    text: str              # the line's text
    source: str


class Flat:
    """All lines of some pages as one normalised string; ``where(i)`` is the line holding character ``i``."""

    def __init__(self, pages: list[PageText], *, joiner: str = ""):
        parts, self._index = [], []
        pos = 0
        for p in pages:
            for row in p.rows():
                for ln in row:
                    t = norm(ln.text)
                    if not t:
                        continue
                    parts.append(t)
                    self._index.append((pos, pos + len(t), Span(p.index + 1, ln.box, ln.text, p.source)))
                    pos += len(t)
                    if joiner:
                        parts.append(joiner)
                        pos += len(joiner)
        self.text = "".join(parts)

    def where(self, i: int) -> Span | None:
        lo, hi = 0, len(self._index) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s, e, span = self._index[mid]
            if i < s:
                hi = mid - 1
            elif i >= e:
                lo = mid + 1
            else:
                return span
        return None

    def evidence(self, start: int, end: int) -> dict:
        sp = self.where(start) or self.where(max(0, end - 1))
        ev = {"text": self.text[max(0, start): end][:120]}
        if sp is not None:
            ev.update(page=sp.page, box=list(sp.box), source=sp.source, line=sp.text[:120])
        return ev
