"""Is this file locked with a password? Office (``msoffcrypto-tool`` and the OLE stream names) and PDF
(the ``/Encrypt`` dictionary: a PDF whose pages are readable and only its embedded files are encrypted is
not "encrypted" for the pre-check).

    office_lock(data)   -> Problem | None        # "Excel 文件已设置打开密码（需要密码），无法读取"
    pdf_lock(data)      -> PdfLock(...)
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from precheck.files.ole import ole_kind
from precheck.files.problems import Problem

OFFICE_ZH = {"doc": "Word 文件", "docx": "Word 文件", "wps": "WPS 文字文件", "xls": "Excel 文件", "xlsx": "Excel 文件",
             "et": "WPS 表格文件", "ppt": "PowerPoint 文件", "pptx": "PowerPoint 文件", "dps": "WPS 演示文件"}
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"       # "protected" workbooks that open without asking


def office_lock(data: bytes, fmt: str = "") -> Problem | None:
    """A :class:`Problem` when an Office/WPS file needs a password to open, else None."""
    kind = ole_kind(data)
    what = OFFICE_ZH.get(fmt, "Office 文件")
    if kind == "encrypted_ooxml":
        if _opens_with_default(data):
            return None
        return Problem("encrypted", f"{what}已设置打开密码（需要密码），无法读取", "OOXML EncryptedPackage")
    if kind in ("doc", "xls", "ppt"):
        try:
            import msoffcrypto

            f = msoffcrypto.OfficeFile(io.BytesIO(data))
            if not f.is_encrypted():
                return None
        except Exception:
            return None
        if _opens_with_default(data):
            return None
        return Problem("encrypted", f"{what}已设置打开密码（需要密码），无法读取", f"{kind} encryption")
    return None


def _opens_with_default(data: bytes) -> bool:
    try:
        import msoffcrypto

        f = msoffcrypto.OfficeFile(io.BytesIO(data))
        f.load_key(password=EXCEL_DEFAULT_PASSWORD)
        f.decrypt(io.BytesIO())
        return True
    except Exception:
        return False


@dataclass(frozen=True)
class PdfLock:
    encrypted: bool                # an /Encrypt dictionary is there
    attachments_only: bool         # /EFF set, streams and strings /Identity: pages readable, embedded files not
    filters: str = ""

    def problem(self) -> Problem | None:
        if not self.encrypted:
            return None
        if self.attachments_only:
            return None
        return Problem("encrypted", "PDF 已加密（需要密码），无法读取", self.filters)


_ENC = re.compile(rb"/Encrypt\s+\d+\s+\d+\s+R|/Encrypt\s*<<")
_STMF = re.compile(rb"/StmF\s*/([A-Za-z0-9]+)")
_STRF = re.compile(rb"/StrF\s*/([A-Za-z0-9]+)")
_EFF = re.compile(rb"/EFF\s*/([A-Za-z0-9]+)")


def pdf_lock(data: bytes) -> PdfLock:
    """From the raw bytes (the dictionary is read before any decryption, so no password is needed)."""
    if not _ENC.search(data[-(4 << 20):]) and not _ENC.search(data[: 4 << 20]):
        return PdfLock(False, False)
    stmf = {m.group(1) for m in _STMF.finditer(data)}
    strf = {m.group(1) for m in _STRF.finditer(data)}
    eff = {m.group(1) for m in _EFF.finditer(data)}
    only = bool(eff) and stmf <= {b"Identity"} and strf <= {b"Identity"} and bool(stmf | strf)
    desc = f"StmF={b','.join(sorted(stmf)).decode()} StrF={b','.join(sorted(strf)).decode()} " \
           f"EFF={b','.join(sorted(eff)).decode()}"
    return PdfLock(True, only, desc)
