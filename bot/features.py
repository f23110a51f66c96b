"""Features for the intent models, the same at training and at answer time (pure Python, no jieba).

A message is normalised (``core.textnorm``), place names are replaced by class marks (a province, a city, a
district), so that "山西报晋中" and "湖北报襄阳" look alike, ASCII digits become ``#``, and the text is cut at spaces
and punctuation into chunks. The classifier sees character 1–3-grams of each chunk (with its ends marked); BM25
sees character unigrams and bigrams.
"""
from __future__ import annotations

import re

from core.textnorm import is_cjk

VERSION = 2                 # part of the model cache key: bump when features change
PROVINCE_MARK, CITY_MARK, COUNTY_MARK, REF_MARK = "\ue000", "\ue001", "\ue002", "\ue003"
_CHUNK = re.compile(r"[\s,.?!:;()\"'~\-、]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_REF = re.compile(r"(?<![a-z0-9])[sr]\s*0*\d{1,9}(?![0-9])", re.I)
_LATIN = re.compile(r"[a-z][a-z0-9@._]*")
# characters that carry no meaning for BM25 (they still count for the classifier)
_STOP = set("的了吗呢吧啊么呀哈哦嘛是有在和与及或就都也还把被让给我你他她它们这那个")


def mark_places(text: str, mentions) -> str:
    """``text`` with each place mention replaced by its class mark (mentions from ``core.places``)."""
    if not mentions:
        return text
    out, i = [], 0
    for m in mentions:
        out.append(text[i:m.start])
        out.append({"province": PROVINCE_MARK, "city": CITY_MARK}.get(m.place.level, COUNTY_MARK))
        i = m.end
    out.append(text[i:])
    return "".join(out)


def canonical(marked: str) -> str:
    t = _REF.sub(REF_MARK, marked)
    return _DIGITS.sub("#", t)


def chunks(canon: str) -> list[str]:
    return [c for c in _CHUNK.split(canon) if c]


def char_ngrams(canon: str) -> list[str]:
    """Classifier features: character 1–3-grams within chunks, chunk ends marked, Latin words whole."""
    out: list[str] = []
    for c in chunks(canon):
        for w in _LATIN.findall(c):
            out.append("w:" + w)
        s = "^" + c + "$"
        n = len(s)
        for i in range(n):
            ch = s[i]
            if ch not in "^$":
                out.append(ch)
            if i + 2 <= n:
                out.append(s[i:i + 2])
            if i + 3 <= n:
                out.append(s[i:i + 3])
    return out


def bm25_tokens(canon: str) -> list[str]:
    """BM25 terms: meaningful characters and character bigrams (CJK, marks), Latin words."""
    out: list[str] = []
    for c in chunks(canon):
        out.extend("w:" + w for w in _LATIN.findall(c))
        cs = [ch for ch in c if is_cjk(ch) or ch in (PROVINCE_MARK, CITY_MARK, COUNTY_MARK, REF_MARK, "#")]
        out.extend(ch for ch in cs if ch not in _STOP)
        out.extend(a + b for a, b in zip(cs, cs[1:]))
    return out
