"""ZIP members as Windows tools really write them: GBK names without the UTF-8 flag, Info-ZIP Unicode path
extra fields (0x7075) whose local header carries a different (ASCII-mangled) name, encrypted members.

``zipfile`` refuses a member whose local-header name differs from the central directory ("File name in
directory … and header … differ"): the Unicode path field makes that normal, so ``open_member`` reads
the local name itself and opens with it.
"""
from __future__ import annotations

import struct
import zipfile
import zlib

UNICODE_PATH = 0x7075
SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
METHOD_ZH = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 96: "JPEG", 97: "WavPack", 98: "PPMd", 99: "AES 加密",
             6: "Implode", 1: "Shrink"}


def _extra_fields(extra: bytes):
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        yield tag, extra[pos + 4: pos + 4 + size]
        pos += 4 + size


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    if info.flag_bits & 0x800:
        return info.orig_filename.encode("utf-8")
    try:
        return info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return info.orig_filename.encode("utf-8", "replace")


def member_name(info: zipfile.ZipInfo) -> str:
    """The name a person gave the file: Unicode path field (when its CRC matches), UTF-8 flag, else GBK."""
    raw = _raw_name(info)
    for tag, body in _extra_fields(info.extra or b""):
        if tag == UNICODE_PATH and len(body) > 5 and body[0] == 1:
            crc = struct.unpack_from("<I", body, 1)[0]
            if crc == zlib.crc32(raw) & 0xFFFFFFFF:
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    break
    if info.flag_bits & 0x800:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1) or info.compress_type == 99


def method_supported(info: zipfile.ZipInfo) -> bool:
    return info.compress_type in SUPPORTED_METHODS


def open_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, fp):
    """``zf.open(info)``, tolerating a local-header name that differs from the central directory's."""
    try:
        return zf.open(info)
    except zipfile.BadZipFile as exc:
        if "differ" not in str(exc):
            raise
    fp.seek(info.header_offset)
    head = fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    nlen = struct.unpack_from("<H", head, 26)[0]
    local = fp.read(nlen)
    twin = zipfile.ZipInfo.__new__(zipfile.ZipInfo)
    for slot in zipfile.ZipInfo.__slots__:
        if hasattr(info, slot):
            setattr(twin, slot, getattr(info, slot))
    flags = struct.unpack_from("<H", head, 6)[0]
    twin.orig_filename = local.decode("utf-8" if flags & 0x800 else "cp437", "replace")
    return zf.open(twin)
