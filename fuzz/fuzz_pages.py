"""atheris target: the page counter (precheck/files/pdf.py pdf_geometry, precheck/files/geometry.py).

Contract: pdf_geometry returns a page summary or raises PdfUnreadable (a readable reason for people); any
other exception is a bug. Page sizes and A4 equivalents are finite and positive; arithmetic adds up.
"""
import math
import sys

import _common  # noqa: F401
import atheris

with atheris.instrument_imports(include=["intake"]):
    from precheck.files.geometry import page_entry, summarise
    from precheck.files.pdf import pdf_geometry
    from precheck.files import pdf as pdfmod


def one(data: bytes) -> None:
    if len(data) > 300_000:
        return
    try:
        out = pdf_geometry(data, 0.03)
    except pdfmod.PdfUnreadable:
        out = None
    if out is not None:
        s = out["summary"]
        assert s["sheets"] == len(out["pages"]) and s["a4"] == sum(p["a4"] for p in out["pages"])
        for p in out["pages"]:
            assert p["a4"] >= 1 and math.isfinite(p["w_mm"]) and math.isfinite(p["h_mm"]), p
    fdp = atheris.FuzzedDataProvider(data[:64])
    w, h = fdp.ConsumeRegularFloat(), fdp.ConsumeRegularFloat()
    try:
        e = page_entry(w, h, fdp.ConsumeInt(2), 0.03)
    except ValueError:                       # documented: a non-finite or absurd size
        return
    assert e["a4"] >= 1
    summarise([e])


def seeds():
    import io

    from reportlab.lib.pagesizes import A3, A4, landscape
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    for size in (A4, A3, landscape(A4)):
        c.setPageSize(size)
        c.drawString(72, 72, "page")
        c.showPage()
    c.save()
    raw = buf.getvalue()
    yield raw
    yield raw.replace(b"/Type /Page\n", b"/Type /Page /Rotate 90\n", 1)
    yield raw[: len(raw) // 2]


if __name__ == "__main__":
    _common.run(one, seeds)
