"""PDFs written operator by operator with pikepdf: born-digital pages whose text uses the non-embedded Adobe font
STSong-Light (UniGB-UCS2-H), as older office exporters and scanner suites write it; the same text in render mode 3
(invisible) over a scanned image for a 双层PDF; electronic seals as RGBA images. Page images for plain scans go
through Pillow's own PDF writer (make_corpus.py), not through here."""
from __future__ import annotations

import io
import zlib

import numpy as np
import pikepdf
from PIL import Image

from benchmarks.heldout_corpus.layout import Line, Page, Text

MM = 72 / 25.4
TOUNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
1 beginbfrange <0000> <FFFF> <0000> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    desc = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/STSong-Light"),
                              Flags=6, FontBBox=[-25, -254, 1000, 880], ItalicAngle=0, Ascent=880, Descent=-120,
                              CapHeight=880, StemV=93)
    cid = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0,
                             BaseFont=pikepdf.Name("/STSong-Light"),
                             CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="GB1", Supplement=4),
                             FontDescriptor=pdf.make_indirect(desc), DW=1000, W=[1, 95, 500])
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/STSong-Light"),
        Encoding=pikepdf.Name("/UniGB-UCS2-H"), DescendantFonts=[pdf.make_indirect(cid)],
        ToUnicode=pdf.make_stream(TOUNICODE)))


def _hex(s: str) -> str:
    return "<" + s.encode("utf-16-be").hex().upper() + ">"


def _text_ops(page: Page, invisible: bool, shift=(0.0, 0.0)) -> list[str]:
    H = page.size[1]
    out = []
    for o in page.ops:
        if isinstance(o, Text):
            r, g, b = (c / 255 for c in o.color)
            size = o.size * MM
            x, y = (o.x + shift[0]) * MM, (H - o.y - o.size * 0.88 + shift[1]) * MM
            out.append(f"BT {3 if invisible else 0} Tr {r:.3f} {g:.3f} {b:.3f} rg /F1 {size:.2f} Tf "
                       f"1 0 0 1 {x:.2f} {y:.2f} Tm {_hex(o.text)} Tj ET")
        elif isinstance(o, Line) and not invisible:
            r, g, b = (c / 255 for c in o.color)
            out.append(f"{r:.3f} {g:.3f} {b:.3f} RG {o.width * MM:.2f} w {o.x1 * MM:.2f} {(H - o.y1) * MM:.2f} m "
                       f"{o.x2 * MM:.2f} {(H - o.y2) * MM:.2f} l S")
    return out


def _image(pdf: pikepdf.Pdf, im: Image.Image, quality=75) -> pikepdf.Object:
    """A page image as a DCT XObject (or Flate with an SMask for RGBA)."""
    if im.mode == "RGBA":
        rgb = np.asarray(im)[..., :3].tobytes()
        alpha = np.asarray(im)[..., 3].tobytes()
        smask = pdf.make_stream(zlib.compress(alpha), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                Width=im.width, Height=im.height, ColorSpace=pikepdf.Name.DeviceGray,
                                BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
        return pdf.make_stream(zlib.compress(rgb), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                               Width=im.width, Height=im.height, ColorSpace=pikepdf.Name.DeviceRGB,
                               BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode, SMask=smask)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, optimize=True)
    cs = pikepdf.Name.DeviceGray if im.mode == "L" else pikepdf.Name.DeviceRGB
    return pdf.make_stream(buf.getvalue(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=im.width, Height=im.height, ColorSpace=cs, BitsPerComponent=8,
                           Filter=pikepdf.Name.DCTDecode)


def _finish(pdf: pikepdf.Pdf, path, producer: str, creator: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdf:Producer"] = producer
    pdf.docinfo["/Producer"] = producer
    pdf.docinfo["/Creator"] = creator
    pdf.docinfo["/CreationDate"] = "D:20230320101500+08'00'"
    pdf.save(path, static_id=True, deterministic_id=True, compress_streams=True)


def digital(pages: list[Page], path, seals: dict | None = None) -> None:
    """Born-digital: text and rules as PDF operators; ``seals`` {page index: [(Seal, RGBA image)]}."""
    pdf = pikepdf.new()
    font = _font(pdf)
    for i, page in enumerate(pages):
        W, H = page.size[0] * MM, page.size[1] * MM
        ops = _text_ops(page, False)
        xobj = {}
        for j, (s, im) in enumerate((seals or {}).get(i, [])):
            name = f"/Seal{j}"
            xobj[name] = _image(pdf, im)
            d = s.diameter * MM
            ops.append(f"q {d:.2f} 0 0 {d:.2f} {s.cx * MM - d / 2:.2f} {H - s.cy * MM - d / 2:.2f} cm "
                       f"{name} Do Q")
        res = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        if xobj:
            res.XObject = pikepdf.Dictionary({k: v for k, v in xobj.items()})
        pg = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, W, H], Resources=res,
                                             Contents=pdf.make_stream("\n".join(ops).encode())))
        pdf.pages.append(pg)
    _finish(pdf, path, "WPS Office", "WPS 文字")


def layered(images: list[Image.Image], pages: list[Page], dpi: int, path, quality=72, shift=(0.8, -0.6)) -> None:
    """双层PDF: each page the scan as a JPEG, the page's words invisible above it (slightly off, as OCR places
    them), labelled as a scanner suite's searchable PDF."""
    pdf = pikepdf.new()
    font = _font(pdf)
    for im, page in zip(images, pages):
        W, H = im.width / dpi * 72, im.height / dpi * 72
        ops = [f"q {W:.2f} 0 0 {H:.2f} 0 0 cm /Im0 Do Q"] + _text_ops(page, True, shift)
        res = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font),
                                 XObject=pikepdf.Dictionary(Im0=_image(pdf, im, quality)))
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, W, H], Resources=res,
            Contents=pdf.make_stream("\n".join(ops).encode()))))
    _finish(pdf, path, "Kofax OmniPage Ultimate 19", "PaperPort 14")
