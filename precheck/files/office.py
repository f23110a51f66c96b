"""Word/Excel/WPS files: LibreOffice headless conversion to PDF (counted like any PDF); xlsx cells."""
from __future__ import annotations

import io
import os
import subprocess
import tempfile

# WPS Office's .wps/.et/.dps are OLE files LibreOffice reads through its Word/Excel/PowerPoint filters
EXT = {"doc": "doc", "docx": "docx", "xls": "xls", "xlsx": "xlsx", "wps": "doc", "et": "xls", "odt": "odt",
       "ods": "ods", "rtf": "rtf", "ppt": "ppt", "pptx": "pptx", "dps": "ppt"}


def convert_to_pdf(data: bytes, fmt: str, timeout: float = 60.0) -> bytes:
    """One soffice run with its own profile directory (so parallel conversions never share a lock)."""
    with tempfile.TemporaryDirectory(prefix="sblo-") as tmp:
        src = os.path.join(tmp, f"input.{EXT.get(fmt, fmt)}")
        with open(src, "wb") as fh:
            fh.write(data)
        profile = os.path.join(tmp, "profile")
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", tmp, src]
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                           env=dict(os.environ, HOME=tmp))
        out = os.path.join(tmp, "input.pdf")
        if not os.path.exists(out):
            raise RuntimeError("LibreOffice 无法转换该文件：" + (r.stderr or r.stdout).decode("utf-8", "replace")[-200:])
        with open(out, "rb") as fh:
            return fh.read()


def xlsx_rows(data: bytes, max_rows: int = 200, max_cols: int = 30) -> list[list[str]]:
    """Cell values of every sheet (formula results as cached), as strings; for budget/period reading."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = []
    try:
        for ws in wb.worksheets[:5]:
            for row in ws.iter_rows(max_row=max_rows, max_col=max_cols, values_only=True):
                if any(v is not None for v in row):
                    rows.append(["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row])
    finally:
        wb.close()
    return rows
