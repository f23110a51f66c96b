"""Plain chat text → the Markdown subset WeCom and DingTalk render (both show raw text badly: single
newlines collapse, leading spaces vanish). Line structure is kept with hard breaks; 【标题】 lines become
bold; nothing the engine wrote is interpreted as Markdown syntax by accident (``*``, ``_``, ``#``, ``>``,
backticks and brackets at line starts are escaped)."""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]#>|])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def to_markdown(text: str) -> str:
    out = []
    for line in text.splitlines():
        if not line.strip():
            out.append("")
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = escape(line.strip())
        m = re.match(r"^【(.+?)】(.*)$", line.strip())
        if m:
            body = f"**【{escape(m.group(1))}】**{escape(m.group(2))}"
        out.append("\u3000" * (indent // 2) + body)
    return "  \n".join(out)
