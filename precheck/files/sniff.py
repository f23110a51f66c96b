"""What a file really is, from its bytes first and its name second (a "PDF" that is HTML is HTML)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from precheck.files.headers import archive_facts
from precheck.files.ole import ole_kind
from precheck.files.outlook import TNEF_MAGIC
from precheck.files.pdf_repair import pdf_start
from precheck.files.pictures import heif_brand
from precheck.files.volumes import volume_name

ARCHIVES = {"zip", "7z", "rar", "eml", "tnef", "msg", "tar", "gz", "bz2", "xz", "volume"}
OFFICE = {"doc", "docx", "xls", "xlsx", "wps", "et", "odt", "ods", "rtf", "ppt", "pptx", "dps"}
IMAGES = {"jpeg", "png", "tiff", "gif", "bmp", "webp", "heic"}
OLE_EXT = {"doc", "xls", "wps", "et", "ppt", "dps"}


@dataclass(frozen=True)
class FileType:
    family: str      # pdf / image / office / archive / html / text / ofd / empty / unknown
    fmt: str         # pdf, jpeg, docx, zip, 7z, rar, eml, html, ...
    evidence: str = ""


def _ext(filename: str) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()[:2000]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "zip"
    s = set(names)
    if "word/document.xml" in s:
        return "docx"
    if "xl/workbook.xml" in s:
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "OFD.xml" in s or any(n.endswith("/OFD.xml") for n in names):
        return "ofd"
    if "mimetype" in s:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                mt = zf.read("mimetype")[:100]
        except Exception:
            mt = b""
        if b"opendocument.text" in mt:
            return "odt"
        if b"opendocument.spreadsheet" in mt:
            return "ods"
    return "zip"


def sniff(data: bytes, filename: str = "", content_type: str = "") -> FileType:
    """Decide the file type from magic bytes; the name and MIME type only break ties."""
    ext, ct = _ext(filename), (content_type or "").lower()
    if not data:
        return FileType("empty", "empty", "0 bytes")
    head = data[:16]
    if volume_name(filename) is not None and not head.startswith((b"7z\xbc\xaf", b"Rar!", b"PK")):
        return FileType("archive", "volume", "a middle volume of a split archive (by name)")
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return FileType("pdf", "pdf", "magic %PDF-")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        k = _zip_kind(data)
        if k == "zip":
            return FileType("archive", "zip", "magic PK")
        if k == "ofd":
            return FileType("ofd", "ofd", "zip with OFD.xml")
        return FileType("office", k, f"zip container: {k}")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return FileType("archive", "7z", "magic 7z")
    if head.startswith(b"Rar!\x1a\x07"):
        return FileType("archive", "rar", "magic Rar!")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = ole_kind(data)
        if kind == "msg":
            return FileType("archive", "msg", "OLE: Outlook message")
        if kind == "encrypted_ooxml":
            fmt = ext if ext in ("docx", "xlsx", "pptx") else ("xlsx" if "sheet" in ct or "excel" in ct else "docx")
            return FileType("office", fmt, "OLE: encrypted Office 2007+ package")
        fmt = ext if ext in OLE_EXT else (kind if kind in ("doc", "xls", "ppt") else ("xls" if "excel" in ct else "doc"))
        return FileType("office", fmt, "OLE compound file")
    if head.startswith(TNEF_MAGIC):
        return FileType("archive", "tnef", "magic TNEF (winmail.dat)")
    if heif_brand(data[:64]):
        return FileType("image", "heic", "ISO BMFF HEIF brand")
    if head.startswith(b"\x1f\x8b"):
        return FileType("archive", "gz", "magic gzip")
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return FileType("archive", "bz2", "magic bzip2")
    if head.startswith(b"\xfd7zXZ\x00"):
        return FileType("archive", "xz", "magic xz")
    if data[257:262] == b"ustar":
        return FileType("archive", "tar", "magic ustar")
    if head.startswith(b"{\\rtf"):
        return FileType("office", "rtf", "magic {\\rtf")
    if head.startswith(b"\xff\xd8\xff"):
        return FileType("image", "jpeg", "magic JPEG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileType("image", "png", "magic PNG")
    if head.startswith(b"II*\x00") or head.startswith(b"MM\x00*"):
        return FileType("image", "tiff", "magic TIFF")
    if head.startswith(b"GIF8"):
        return FileType("image", "gif", "magic GIF")
    if head.startswith(b"BM"):
        return FileType("image", "bmp", "magic BMP")
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileType("image", "webp", "magic WEBP")
    if pdf_start(data) > 0:                # junk before the header (a gateway's banner): repaired on reading
        return FileType("pdf", "pdf", "magic %PDF- after leading bytes")
    if b"PK\x05\x06" in data[-65_557:] and archive_facts(data).volume:
        return FileType("archive", "zip", "the last part of a split zip")
    low = data[:2048].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:512] or b"<body" in low[:1024]:
        return FileType("html", "html", "HTML markup")
    if ct == "message/rfc822" or ext == "eml" or _looks_like_mail(data[:4096]):
        return FileType("archive", "eml", "RFC 822 message")
    if ext in ("txt", "csv") or ct.startswith("text/plain"):
        return FileType("text", ext or "txt", "plain text")
    return FileType("unknown", ext or "bin", "no known signature")


def _looks_like_mail(head: bytes) -> bool:
    lines = head.split(b"\n", 12)[:12]
    keys = {ln.split(b":", 1)[0].strip().lower() for ln in lines if b":" in ln[:40]}
    return len(keys & {b"from", b"to", b"subject", b"mime-version", b"received", b"date", b"message-id"}) >= 3


HEAD = 1 << 20
TAIL = 65_557                       # a zip's end-of-central-directory record lies within this many last bytes
_HEAD_DECIDES = {"7z", "rar", "gz", "bz2", "xz", "tar", "rtf", "volume"}   # plus every pdf and image
_NEEDS_ALL = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip / OLE directories


def sniff_file(src, filename: str = "", content_type: str = "") -> FileType:
    """``sniff`` for a file (``precheck.files.file_ref.FileRef``) without reading all of it where ``sniff``
    would not look: the first MiB decides a magic number, a PDF header within that MiB, an image, HTML, a mail
    or text, once the last 64 KiB show no zip directory (the last part of a split zip). A zip or OLE file (its
    directory) or a file whose tail has a zip directory is read whole, as ``sniff`` reads it."""
    head = src.read(HEAD)
    if len(head) < HEAD:
        return sniff(head, filename, content_type)
    if not head[:16].startswith(_NEEDS_ALL):
        ft = sniff(head, filename, content_type)
        if ft.family in ("pdf", "image") or ft.fmt in _HEAD_DECIDES:
            return ft
        if ft.fmt != "zip" and b"PK\x05\x06" not in src.tail(TAIL):     # "zip" here: the head's own tail
            return ft
    return sniff(src.read(), filename, content_type)
