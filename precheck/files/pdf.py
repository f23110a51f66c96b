"""PDF facts: geometry from pikepdf (metadata only, bomb-safe), text from pypdfium2, tables from pdfplumber."""
from __future__ import annotations

import io
import re

from precheck.files.geometry import page_entry, summarise


class PdfUnreadable(Exception):
    """Encrypted, truncated, cyclic or otherwise unreadable; the message is Chinese, for people."""


def _inherited(obj, key: str, limit: int = 64):
    for _ in range(limit):
        if obj is None:
            return None
        if key in obj:
            return obj[key]
        obj = obj.get("/Parent")
    return None


def _box(obj, key: str):
    b = _inherited(obj, key)
    if b is None or len(b) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in b)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _visible_box(obj):
    mb = _box(obj, "/MediaBox") or (0.0, 0.0, 595.276, 841.89)
    cb = _box(obj, "/CropBox")
    if cb:
        x0, y0 = max(mb[0], cb[0]), max(mb[1], cb[1])
        x1, y1 = min(mb[2], cb[2]), min(mb[3], cb[3])
        if x1 > x0 and y1 > y0:
            return x0, y0, x1, y1
    return mb


def _page_marks(obj) -> tuple[bool, float]:
    """(has fonts, largest image area in pixels) from the page resources: no content stream is decoded."""
    res = _inherited(obj, "/Resources")
    if res is None:
        return False, 0.0
    fonts = res.get("/Font")
    has_font = fonts is not None and len(fonts.keys()) > 0
    biggest = 0.0
    xobjs = res.get("/XObject")
    if xobjs is not None:
        for k in list(xobjs.keys())[:50]:
            x = xobjs[k]
            if x.get("/Subtype") == "/Image":
                biggest = max(biggest, float(x.get("/Width", 0)) * float(x.get("/Height", 0)))
            elif x.get("/Subtype") == "/Form":
                inner = x.get("/Resources")
                if inner is not None and inner.get("/Font") is not None:
                    has_font = True
    return has_font, biggest


def pdf_geometry(data: bytes, tolerance: float) -> dict:
    """Pages as displayed (CropBox within MediaBox, /Rotate applied), A4 equivalents, text/scan marks."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise PdfUnreadable("PDF 已加密（需要密码），无法读取") from exc
    except Exception as exc:  # PdfError, and qpdf's QpdfRuntimeError ("/Count is wrong...", found by fuzzing)
        raise PdfUnreadable(f"PDF 无法打开：{_short(exc)}") from exc
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:  # "Loop detected in /Pages structure" etc.
            raise PdfUnreadable(f"PDF 页面结构损坏：{_short(exc)}") from exc
        if n == 0:
            raise PdfUnreadable("PDF 没有页面")
        pages, text_pages, scan_pages = [], 0, 0
        for i, page in enumerate(pdf.pages, 1):
            try:  # a damaged box or /Rotate (a name, an infinite number: found by fuzzing) is a clear reason
                obj = page.obj
                x0, y0, x1, y1 = _visible_box(obj)
                rot = int(_inherited(obj, "/Rotate") or 0)
                entry = page_entry(x1 - x0, y1 - y0, rot, tolerance)
                has_font, img_px = _page_marks(obj)
            except Exception as exc:
                raise PdfUnreadable(f"PDF 第 {i} 页的页面尺寸或旋转无效：{_short(exc)}") from exc
            text_pages += has_font
            scan_pages += (not has_font) and img_px >= 250_000      # e.g. ≥ 500×500 px page image
            pages.append(entry)
        warnings = ["PDF 经过修复后才能打开，页数可能不准确"] if _repaired(pdf) else []
        return {"pages": pages, "summary": summarise(pages), "text_pages": text_pages, "scan_pages": scan_pages,
                "encrypted": bool(pdf.is_encrypted), "warnings": warnings}


def _repaired(pdf) -> bool:
    try:
        return bool(pdf.get_warnings())
    except Exception:
        return False


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "Loop detected" in text:
        return "页面树存在循环引用（文件结构异常）"
    text = re.sub(r"^(?:stream )?<[^>]*>\s*(?:\(object [^)]*\))?:?\s*", "", text)
    return text[:160]


def pdf_text(data: bytes, max_pages: int = 12, max_chars: int = 40_000, first: int = 3) -> list[str]:
    """Text layer of the first ``first`` pages (pypdfium2: 10–70× faster than pdfplumber); a plan, budget or
    targets table is read on, up to ``max_pages``, until a period and a subsidy figure have been seen."""
    import pypdfium2 as pdfium

    out, used = [], 0
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(min(len(pdf), max_pages)):
            if i >= first and not _read_on("".join(out)):
                break
            page = pdf[i]
            try:
                tp = page.get_textpage()
                t = tp.get_text_range() or ""
                tp.close()
            finally:
                page.close()
            t = t.replace("\r\n", "\n").replace("\r", "\n")[: max_chars - used]
            used += len(t)
            out.append(t)
            if used >= max_chars:
                break
    finally:
        pdf.close()
    return out


def _read_on(text: str) -> bool:
    flat = text.replace(" ", "")
    wanted = any(k in flat[:600] for k in ("方案", "目标", "预算", "测算"))
    seen = ("实施期" in flat or "期限" in flat) and ("中央" in flat or "预算" not in flat[:600])
    return wanted and not seen


def pdf_tables(data: bytes, max_pages: int = 3) -> list[list[list[str]]]:
    """Tables of the first pages of a text PDF (pdfplumber; only for documents that look like budgets)."""
    import pdfplumber

    tables = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:max_pages]:
            for t in page.extract_tables()[:5]:
                tables.append([[(c or "").strip() for c in row] for row in t[:80]])
    return tables
