"""Which pages are too heavy to hand to pdfium: pdfium turns a page's whole content stream into objects
when it loads the page (a 400 MB stream of line segments: 29 s and 6.3 GB before the first character of
text), so a page whose decoded content exceeds ``PAGE_CONTENT_CAP`` is counted from its metadata only and
gets no text layer or seal check.

The size is measured with pikepdf on the compressed bytes, decompressing into a bounded buffer: at most
``PAGE_CONTENT_CAP`` bytes per page are produced, whatever the stream would expand to.
"""
from __future__ import annotations

import io
import zlib

PAGE_CONTENT_CAP = 32 * 1024 * 1024      # decoded content (page streams + form XObjects) per page
_CHUNK = 1 << 20


def _flate_size(raw: bytes, cap: int) -> int:
    """Decoded size of a FlateDecode stream, stopping once ``cap`` is passed (returns cap + 1 then)."""
    d = zlib.decompressobj()
    total, buf = 0, raw
    try:
        while buf and total <= cap:
            out = d.decompress(buf, _CHUNK)
            total += len(out)
            buf = d.unconsumed_tail
            if not out and not buf:
                break
        if total <= cap and not d.eof:
            total += len(d.flush())
    except zlib.error:
        return total
    return min(total, cap + 1)


def _stream_size(stream, cap: int) -> int:
    import pikepdf

    filt = stream.get("/Filter")
    names = [str(f) for f in filt] if isinstance(filt, pikepdf.Array) else ([str(filt)] if filt is not None else [])
    raw = stream.read_raw_bytes()
    if not names:
        return len(raw)
    if names[0] in ("/FlateDecode", "/Fl"):
        return _flate_size(raw, cap)
    return len(raw) * (20 if names[0] in ("/LZWDecode", "/LZW", "/RunLengthDecode", "/RL") else 1)


def page_content_size(page_obj, cap: int = PAGE_CONTENT_CAP, depth: int = 0) -> int:
    """Decoded bytes of a page's content streams and the form XObjects it draws (bounded by ``cap``)."""
    total = 0
    import pikepdf

    contents = page_obj.get("/Contents")
    streams = [] if contents is None else (list(contents) if isinstance(contents, pikepdf.Array) else [contents])
    for s in streams[:200]:
        try:
            total += _stream_size(s, cap - total)
        except Exception:
            continue
        if total > cap:
            return total
    res = page_obj.get("/Resources")
    xobjs = res.get("/XObject") if res is not None else None
    if xobjs is not None and depth < 3:
        for k in list(xobjs.keys())[:100]:
            x = xobjs[k]
            if x.get("/Subtype") == "/Form":
                try:
                    total += _stream_size(x, cap - total)
                    total += page_content_size(x, cap - total, depth + 1) if x.get("/Resources") is not None else 0
                except Exception:
                    continue
            if total > cap:
                return total
    return total


def heavy_pages(data: bytes, indexes: list[int], cap: int = PAGE_CONTENT_CAP) -> dict[int, int]:
    """{0-based index: decoded bytes} for the given pages whose content exceeds ``cap``."""
    import pikepdf

    out = {}
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            n = len(pdf.pages)
            for i in indexes:
                if 0 <= i < n:
                    size = page_content_size(pdf.pages[i].obj, cap)
                    if size > cap:
                        out[i] = size
    except Exception:
        return out
    return out
