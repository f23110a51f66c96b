"""Text normalisation for matching people's input: full-width → half-width (NFKC), traditional → simplified
(OpenCC t2s, dictionaries bundled in opencc-python-reimplemented), folded punctuation, single spaces.

Shared by the chat (``bot``) and the CLI (province names typed by people); the text shown back to people is
never the normalised form.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# NFKC maps full-width ASCII to half-width; these Chinese punctuation marks are folded too, so that
# patterns only need one form.
_PUNCT = str.maketrans({"。": ".", "，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "、": ",",
                        "（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "－": "-",
                        "～": "~", "…": "."})


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC   # opencc-python-reimplemented (pure Python, dictionaries bundled)

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Canonical form for matching: NFKC, simplified characters, folded punctuation, lower case, single spaces."""
    t = unicodedata.normalize("NFKC", text or "")
    if any(ord(c) > 0x2E7F for c in t):
        t = _t2s().convert(t)
    t = t.translate(_PUNCT).lower()
    return _SPACE.sub(" ", t).strip()


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
