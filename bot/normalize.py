"""Input normalisation for the chat: the shared ``core.textnorm`` (NFKC, OpenCC t2s, folded punctuation)."""
from __future__ import annotations

from core.textnorm import is_cjk, normalize

__all__ = ["is_cjk", "normalize"]
