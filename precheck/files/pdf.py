"""PDF facts: geometry from pikepdf (metadata only, bomb-safe), text from pypdfium2, tables from pdfplumber."""
from __future__ import annotations

import io

from precheck.files.encryption import pdf_lock
from precheck.files.geometry import page_entry, summarise
from precheck.files.pdf_repair import decrypted_copy, pdfium_pages, strip_junk, usable_box, user_unit
from precheck.files.problems import FileProblem, explain, scrub


class PdfUnreadable(FileProblem):
    """Encrypted, truncated or otherwise unreadable by every reader; the message is Chinese, for people."""

    def __init__(self, message: str, kind: str = "corrupt", detail: str = "") -> None:
        super().__init__(kind, message, detail)


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
    """The box a reader shows (``pdf_repair.usable_box``: zero MediaBox → Letter, CropBox outside → MediaBox)."""
    return usable_box(_box(obj, "/MediaBox"), _box(obj, "/CropBox"))


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
    """Pages as displayed (CropBox within MediaBox, /Rotate and /UserUnit applied), A4 equivalents, text/scan
    marks, from pikepdf metadata; from pdfium when qpdf refuses the page tree (a loop) or the file (only its
    embedded files are encrypted). ``via`` says which; ``warnings`` (Chinese) say what was repaired."""
    import pikepdf

    data, cut = strip_junk(data)
    notes = [f"文件开头有 {cut} 字节无关内容（非 PDF 数据），已忽略"] if cut > 0 else []
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        lock = pdf_lock(data)
        if lock.attachments_only:
            return _from_pdfium(data, tolerance, notes + ["PDF 中嵌入的附件已加密（需要密码），附件未检查；正文页面正常读取"],
                                exc)
        raise PdfUnreadable("PDF 已加密（需要密码），无法读取", "encrypted", lock.filters) from exc
    except Exception as exc:  # PdfError, and qpdf's QpdfRuntimeError ("/Count is wrong...", found by fuzzing)
        why = "PDF 页面树存在循环引用" if "loop" in str(exc).lower() else "PDF 结构有误"
        return _from_pdfium(data, tolerance, notes + [f"{why}，页数按阅读器显示的页面计"], exc)
    with pdf:
        try:
            n = len(pdf.pages)
        except Exception as exc:  # "Loop detected in /Pages structure" etc.
            return _from_pdfium(data, tolerance, notes + ["PDF 页面树存在循环引用，页数按阅读器显示的页面计"], exc)
        if n == 0:
            raise PdfUnreadable("PDF 没有页面")
        pages, text_pages, scan_pages = [], 0, 0
        repaired: dict[str, list[int]] = {}
        for i, page in enumerate(pdf.pages, 1):
            try:  # a damaged box or /Rotate (a name, an infinite number: found by fuzzing) is a clear reason
                obj = page.obj
                (x0, y0, x1, y1), note = _visible_box(obj)
                unit = user_unit(obj)
                rot = int(_inherited(obj, "/Rotate") or 0)
                entry = page_entry((x1 - x0) * unit, (y1 - y0) * unit, rot, tolerance)
                has_font, img_px = _page_marks(obj)
            except Exception as exc:
                raise PdfUnreadable(f"PDF 第 {i} 页的页面尺寸或旋转无效", "corrupt", scrub(str(exc))) from exc
            if note:
                repaired.setdefault(note, []).append(i)
            if unit != 1.0:
                repaired.setdefault(f"页面单位（UserUnit）为 {unit:g}，尺寸已按此换算", []).append(i)
            text_pages += has_font
            scan_pages += (not has_font) and img_px >= 250_000      # e.g. ≥ 500×500 px page image
            pages.append(entry)
        warnings = notes + [f"第 {_pages(ix)} 页：{note}" for note, ix in repaired.items()]
        if _repaired(pdf):
            warnings.append("PDF 经过修复后才能打开，页数可能不准确")
        return {"pages": pages, "summary": summarise(pages), "text_pages": text_pages, "scan_pages": scan_pages,
                "encrypted": bool(pdf.is_encrypted), "warnings": warnings, "via": "qpdf", "junk": cut}


def _pages(ix: list[int]) -> str:
    return "、".join(str(i) for i in ix[:20]) + ("等" if len(ix) > 20 else "")


def _from_pdfium(data: bytes, tolerance: float, warnings: list[str], why: Exception) -> dict:
    """Pages as pdfium shows them, for what qpdf refuses; unreadable by both is a Chinese reason."""
    try:
        raw = pdfium_pages(data)
    except Exception as exc:
        raise PdfUnreadable(explain(why, "PDF ").message, "corrupt", scrub(f"{why}; pdfium: {exc}")) from exc
    if not raw:
        raise PdfUnreadable("PDF 没有页面")
    pages, text_pages, scan_pages = [], 0, 0
    for p in raw:
        (x0, y0, x1, y1), _note = usable_box(p["media"], p["crop"])
        pages.append(page_entry(x1 - x0, y1 - y0, int(p["rotate"] or 0), tolerance))
        text_pages += p["chars"] > 0
        scan_pages += p["chars"] == 0 and p["image_px"] >= 250_000
    return {"pages": pages, "summary": summarise(pages), "text_pages": text_pages, "scan_pages": scan_pages,
            "encrypted": False, "warnings": warnings, "via": "pdfium", "junk": 0, "detail": scrub(str(why))}


def readable_copy(data: bytes, geometry: dict | None = None) -> bytes:
    """The bytes pdfium should read: without leading junk, decrypted when the password is empty."""
    data, _cut = strip_junk(data)
    if geometry is None or geometry.get("encrypted"):
        copy = decrypted_copy(data) if pdf_lock(data).encrypted else None
        if copy is not None:
            return copy
    return data


def _repaired(pdf) -> bool:
    try:
        return bool(pdf.get_warnings())
    except Exception:
        return False


def pdf_text(data: bytes, max_pages: int = 12, max_chars: int = 40_000, first: int = 3,
             skip: set[int] = frozenset()) -> list[str]:
    """Text layer of the first ``first`` pages (pypdfium2: 10–70× faster than pdfplumber); a plan, budget or
    targets table is read on, up to ``max_pages``, until a period and a subsidy figure have been seen."""
    import pypdfium2 as pdfium

    out, used = [], 0
    pdf = pdfium.PdfDocument(data)
    try:
        for i in range(min(len(pdf), max_pages)):
            if i >= first and not _read_on("".join(out)):
                break
            if i in skip:                      # too heavy for pdfium (pdf_budget): no text layer read
                out.append("")
                continue
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
