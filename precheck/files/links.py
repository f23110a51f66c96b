"""163.com "超大附件" links in an HTML body: file name, size and expiry text (nothing is downloaded)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_META = re.compile(r"[（(]\s*([\d.]+\s*[KMGT]?B?)\s*[,，]\s*(\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}\s*到期|无限期)\s*[)）]", re.I)
_LINK_HOST = re.compile(r"https?://[^/\s\"']*(?:163\.com|126\.com|yeah\.net|netease\.com|126\.net)/", re.I)


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self.text: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            a = dict(attrs)
            self._open = {"href": a.get("href") or "", "download": a.get("download"),
                          "attr_name": a.get("download") or a.get("title") or "", "text": "",
                          "pos": sum(len(t) for t in self.text)}

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.items.append(self._open)
            self._open = None

    def handle_data(self, data):
        self.text.append(data)
        if self._open is not None:
            self._open["text"] += data


def large_attachment_links(html_body: str) -> list[dict]:
    """Each link that looks like a NetEase large attachment: {"filename", "size", "expiry", "href"}."""
    if not html_body or ("超大附件" not in html_body and "download" not in html_body.lower()):
        return []
    p = _Anchors()
    try:
        p.feed(html_body[:2_000_000])
    except Exception:
        return []
    full = "".join(p.text)
    out = []
    for a in p.items:
        after = full[a["pos"]: a["pos"] + len(a["text"]) + 200]
        meta = _META.search(after)
        is_netease = bool(_LINK_HOST.match(a["href"]))
        if not meta or not (is_netease or a["download"] is not None or "超大附件" in full):
            continue
        name = (a["attr_name"] or a["text"]).strip() or "(未命名附件)"
        out.append({"filename": html.unescape(name)[:255], "size": meta.group(1).replace(" ", ""),
                    "expiry": meta.group(2).replace(" ", ""), "href": a["href"][:500]})
    return out
