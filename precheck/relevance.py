"""Is a mail no province claims possibly a filing, or unrelated mail? (pure)

The two ministry addresses are working mailboxes: most of what they hold is not for the call. A mail no
province claims goes to the officers' unidentified queue only if something in it looks like a filing; the
rest is *unrelated*: still recorded and searchable, counted, but out of the queue and of every per-call
working set. Erring towards "filing" is safe (an officer glances at it); erring towards "unrelated" is not, so
anything attached, any large-attachment link, and any word of the call's own vocabulary counts.
"""
from __future__ import annotations

from config.call import CallConfig
from precheck.files.links import large_attachment_links

# Words a filing's subject or covering note uses whatever the call (the call's own are added).
GENERIC = ("申报", "请示", "示范项目", "实施方案", "预算表", "绩效目标", "佐证材料", "执行情况")


def call_keywords(call: CallConfig) -> tuple[str, ...]:
    words = set(GENERIC)
    for w in (call.doc_no, call.programme, call.title):
        if w and len(w) >= 2:
            words.add(w)
    for d in call.documents:
        words.update(m for m in (d.name, *d.match) if m and len(m) >= 2)
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def filing_features(call: CallConfig, *, subject: str, text_body: str = "", html_body: str = "",
                    attachment_names: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Why this mail may be a filing (empty list: unrelated)."""
    out = []
    if attachment_names:
        out.append(f"attachments:{len(attachment_names)}")
    if html_body and large_attachment_links(html_body):
        out.append("large_attachment_link")
    text = " ".join([subject or "", (text_body or "")[:4000], " ".join(attachment_names)])
    out += [f"keyword:{w}" for w in call_keywords(call) if w in text][:3]
    return out
