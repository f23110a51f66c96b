"""Functions the sandbox children run (preloaded by the forkserver). Each returns plain picklable data.

Whatever a reader raises becomes ``{"error": <Chinese sentence>, "error_kind": <Problem.kind>}`` here, in
the child (``precheck.files.problems``): the parent never sees a Python repr or a temporary path.
"""
from __future__ import annotations

import time

from precheck.files import geometry
from precheck.files.file_ref import FileRef, load
from precheck.files.containers import unpack as unpack_container
from precheck.files.containers import unpack_set
from precheck.files.encryption import office_lock
from precheck.files.office import convert_to_pdf, xlsx_rows
from precheck.files.outlook import unpack_msg, unpack_tnef
from precheck.files.pdf import PdfUnreadable, pdf_geometry, readable_copy
from precheck.files.pdf_budget import PAGE_CONTENT_CAP, heavy_pages
from precheck.files.pictures import picture_facts, register_heif
from precheck.files.problems import FileProblem, Problem, explain
from precheck.files.sniff import sniff
from precheck.files.unpack import LimitExceeded, UnpackLimits, unpack_eml
from precheck.files.volumes import find_sets
from precheck.reading.intake import SURVEY_PAGES, image_reading, pdf_reading


def _warm() -> None:
    """Import the parsers and touch pdfium once in the forkserver, so each forked child starts warm."""
    try:
        import cv2  # noqa: F401
        import libarchive  # noqa: F401
        import numpy  # noqa: F401
        import pikepdf  # noqa: F401
        import pypdfium2 as pdfium
        from PIL import Image  # noqa: F401

        register_heif()
        pdf = pdfium.PdfDocument.new()
        pdf.new_page(595, 842).close()
        pdf.close()
    except Exception:  # warm-up is an optimisation only
        pass


_warm()


def unpack_file(data: bytes | FileRef, fmt: str, limits: UnpackLimits | None = None, filename: str = "") -> dict:
    """One level of any container: ``{"members", "problems", "fatal", "tool", ...}`` (see ``containers``).
    ``data`` may be a FileRef (the child reads the file: ``precheck.files.file_ref``); so for every task here."""
    limits = limits or UnpackLimits()
    try:
        data = load(data)
        if fmt == "eml":
            return unpack_eml(data, limits)
        if fmt == "tnef":
            return unpack_tnef(data, limits)
        if fmt == "msg":
            return unpack_msg(data, limits)
        return unpack_container(data, fmt, limits, filename)
    except LimitExceeded as exc:
        return {"members": [], "problems": [], "fatal": Problem("over_limit", str(exc)).as_dict()}
    except Exception as exc:  # never raise out of the child
        return {"members": [], "problems": [], "fatal": explain(exc, "压缩包").as_dict()}


def unpack_volumes(files: list[tuple[str, bytes | FileRef]], limits: UnpackLimits | None = None) -> dict:
    """A split set (all its volumes that arrived, in any order) as one archive, or the missing volumes named."""
    files = [(name, load(data)) for name, data in files]
    sets = find_sets(files)
    if not sets:
        return {"members": [], "problems": [], "fatal": Problem("corrupt", "分卷压缩包无法识别").as_dict()}
    return unpack_set(sets[0], files, limits or UnpackLimits())


def analyse_file(data: bytes | FileRef, filename: str, content_type: str, tolerance: float, *, seal: bool = True,
                 office_timeout: float = 60.0) -> dict:
    """Everything the fast checks need from one file: type, pages, text, tables, seal. No OCR here."""
    t0 = time.monotonic()
    data = load(data)
    ft = sniff(data, filename, content_type)
    out = {"family": ft.family, "fmt": ft.fmt, "sniff": ft.evidence}
    try:
        if ft.family == "pdf":
            out.update(_pdf(data, tolerance, seal))
        elif ft.family == "image":
            out.update(_image(data, seal))
        elif ft.family == "office":
            out.update(_office(data, ft.fmt, tolerance, seal, office_timeout))
        elif ft.family == "ofd":
            from precheck.files.ofd_facts import analyse_ofd

            out.update(analyse_ofd(data, tolerance, seal))
    except Exception as exc:  # PdfUnreadable, FileProblem, a tool's own error: one Chinese sentence
        p = explain(exc, _WHAT.get(ft.family, ""))
        out["error"], out["error_kind"] = p.message, p.kind
        if p.detail:
            out["error_detail"] = p.detail
    out["seconds"] = round(time.monotonic() - t0, 3)
    return out


_WHAT = {"pdf": "PDF ", "image": "图片", "office": "Office 文件", "ofd": "OFD 文件"}


def geometry_only(data: bytes | FileRef, tolerance: float) -> dict:
    """The bomb-safe fallback: pikepdf metadata only, no content stream is decoded."""
    data = load(data)
    g = pdf_geometry(data, tolerance)
    return {"page_detail": g["summary"], "text_pages": g["text_pages"], "scan_pages": g["scan_pages"],
            "warnings": g["warnings"]}


def _pdf(data: bytes, tolerance: float, seal: bool) -> dict:
    g = pdf_geometry(data, tolerance)
    n = g["summary"]["sheets"]
    readable = readable_copy(data, g)
    res = {"page_detail": g["summary"], "text_pages": g["text_pages"], "scan_pages": g["scan_pages"],
           "warnings": list(g["warnings"])}
    heavy = heavy_pages(readable, list(range(min(SURVEY_PAGES, n)))) if g["via"] == "qpdf" else {}
    if heavy:
        res["problems"] = [{"kind": "over_limit", "message": "第 " + "、".join(str(i + 1) for i in sorted(heavy)) +
                            f" 页内容过大（解压后超过 {PAGE_CONTENT_CAP >> 20} MB），未提取文字、未检查印章，页数照常计算"}]
        res["heavy_pages"] = sorted(i + 1 for i in heavy)
    # pages surveyed by what they draw, their text layer with boxes, seals (precheck.reading.intake)
    res.update(pdf_reading(readable, g, seal, skip=set(heavy)))
    return res


def _image(data: bytes, seal: bool) -> dict:
    """One page per picture; a multi-page TIFF one page per frame (``pictures``)."""
    f = picture_facts(data)
    dpi, size = f["dpi"], f["size"]
    pages = [{"w_mm": round(size[0] / dpi * 25.4, 1) if dpi else 0, "h_mm": round(size[1] / dpi * 25.4, 1) if dpi else 0,
              "rotate": 0, "label": geometry.IMAGE_LABEL, "a4": 1} for _ in range(f["pages"])]
    res = {"page_detail": geometry.summarise(pages), "text_pages": 0, "scan_pages": f["pages"],
           "frames": f["frames"], "picture": f["fmt"]}
    if f["note"]:
        res["warnings"] = [f["note"]]
    res.update(image_reading(data, seal, max_frames=f["pages"]))
    return res


def _office(data: bytes, fmt: str, tolerance: float, seal: bool, timeout: float) -> dict:
    lock = office_lock(data, fmt)
    if lock is not None:
        raise FileProblem(lock.kind, lock.message, lock.detail)
    res = {}
    if fmt == "xlsx":
        try:
            res["rows"] = xlsx_rows(data)
        except Exception as exc:
            res["warnings"] = [f"表格单元格无法读取：{explain(exc).message}"]
    pdf = convert_to_pdf(data, fmt, timeout)
    res.update({k: v for k, v in _pdf(pdf, tolerance, seal).items() if k != "warnings" or v})
    res["converted"] = "LibreOffice → PDF"
    return res
