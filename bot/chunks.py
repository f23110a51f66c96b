"""Split a long chat text at line breaks into parts of at most ``limit`` characters (Telegram: 4096)."""
from __future__ import annotations


def split_lines(text: str, limit: int) -> list[str]:
    """Keep lines whole where possible; a line longer than ``limit`` is cut hard."""
    out, cur = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            if cur:
                out.append(cur)
                cur = ""
            out.append(line[:limit])
            line = line[limit:]
        if len(cur) + len(line) + (1 if cur else 0) > limit:
            out.append(cur)
            cur = line
        else:
            cur = f"{cur}\n{line}" if cur else line
    if cur:
        out.append(cur)
    return out
