"""Decoding of header text and file names: RFC 2047/2231, raw 8-bit GBK, GB2312 read as GB18030."""
from __future__ import annotations

import email.header
import re

# GB2312 labels routinely carry GBK/GB18030 characters; decode with the superset. Same for Big5 → big5hkscs.
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
                     "cp936": "gb18030", "big5": "big5hkscs", "ks_c_5601-1987": "cp949", "utf8": "utf-8",
                     "unknown-8bit": "gb18030"}


def superset(charset: str | None) -> str:
    cs = (charset or "").strip().strip('"').lower()
    return CHARSET_SUPERSETS.get(cs, cs or "utf-8")


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode with the declared charset (its superset), else UTF-8, else GB18030; never raises."""
    for cs in ([superset(charset)] if charset else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(cs)
        except (LookupError, ValueError):   # ValueError: a charset name with NUL (found by fuzzing)
            continue
    return data.decode("utf-8", "replace")


def unescape_raw(value: str) -> str:
    """Headers parsed from bytes keep raw 8-bit octets as surrogates; recover and decode them."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("ascii", "surrogateescape"))


_EW = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def decode_header_text(value) -> str:
    """Decode an RFC 2047 header value; tolerate raw 8-bit, unknown charsets and broken words."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    value = unescape_raw(str(value))
    if "=?" not in value:
        return one_line(" ".join(value.split()) if "\n" in value else value)
    try:
        parts = email.header.decode_header(value)
    except Exception:  # malformed encoded word: keep the text as it came
        return one_line(value)
    out = []
    for chunk, cs in parts:
        out.append(decode_bytes(chunk, cs) if isinstance(chunk, bytes) else chunk)
    text = "".join(out)
    return one_line(re.sub(r"\s*\n\s*", " ", text))


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """A header value as one line of text: NUL, bare CR, LF, tabs and other control characters become one
    space (PostgreSQL cannot store NUL; a CR left in a subject splits lines in logs, chat and Excel)."""
    return _CONTROLS.sub(" ", text) if _CONTROLS.search(text) else text


def decode_param(raw) -> str | None:
    """Decode a filename/name parameter as returned by ``Message.get_param`` (str or RFC 2231 tuple)."""
    if raw is None:
        return None
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, %-decoded value as latin-1 surrogates)
        charset, _lang, text = raw
        try:
            data = text.encode("latin-1", "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogateescape")
        return decode_bytes(data, charset)
    return decode_header_text(raw)


def safe_filename(name: str | None, fallback: str) -> str:
    """A file name that cannot escape a directory: last path component, no control characters."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or fallback
