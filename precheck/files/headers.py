"""What an archive's own headers say before anything is unpacked: volume of a split set, encryption.

Pure byte parsing (no tool, no temp file), so a province's ``.7z.001`` or ``.part01.rar`` is recognised as one
volume of several, and an encrypted archive as encrypted, even when no tool can open it.

    facts = archive_facts(data)      # ArchiveFacts(fmt="rar", volume=True, volume_index=0, last_volume=False, ...)
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

ZIP_LOCAL = b"PK\x03\x04"
ZIP_SPAN = (b"PK\x07\x08", b"PK00")            # first segment of a split (spanned) zip
SEVEN_Z = b"7z\xbc\xaf\x27\x1c"
RAR5 = b"Rar!\x1a\x07\x01\x00"
RAR4 = b"Rar!\x1a\x07\x00"


@dataclass(frozen=True)
class ArchiveFacts:
    fmt: str                                  # zip / 7z / rar / "" (not an archive this module knows)
    volume: bool = False                      # one volume of a split/multi-volume set
    volume_index: int | None = None           # 0-based, when the header says
    last_volume: bool | None = None           # True/False when the header says, None when unknown
    total_volumes: int | None = None          # when the header says (zip: the last part knows)
    names_encrypted: bool = False             # file names hidden: nothing can be listed without the password
    content_encrypted: bool = False           # at least one member needs a password
    expected_size: int | None = None          # 7z: the whole archive's size from its start header
    encrypted_members: int = 0
    members: int | None = None


def archive_facts(data: bytes) -> ArchiveFacts:
    """Facts for a zip, 7z or RAR (4 or 5); ``fmt=""`` for anything else. Never raises."""
    try:
        if data.startswith(RAR5):
            return _rar5(data)
        if data.startswith(RAR4):
            return _rar4(data)
        if data.startswith(SEVEN_Z):
            return _sevenzip(data)
        if data.startswith(ZIP_SPAN) or data.startswith(ZIP_LOCAL) or data[:4] == b"PK\x05\x06":
            return _zip(data)
        if b"PK\x05\x06" in data[-65_557:]:           # the last part of a split zip starts mid-member
            facts = _zip(data)
            if facts.volume:
                return facts
    except (struct.error, IndexError, ValueError):
        pass
    for magic, fmt in ((RAR5, "rar"), (RAR4, "rar"), (SEVEN_Z, "7z")):
        if data.startswith(magic):
            return ArchiveFacts(fmt)
    return ArchiveFacts("zip") if data[:2] == b"PK" else ArchiveFacts("")


# --- 7z ---------------------------------------------------------------------------------------------------

def _sevenzip(data: bytes) -> ArchiveFacts:
    next_off, next_size = struct.unpack_from("<QQ", data, 12)
    expected = 32 + next_off + next_size
    if len(data) < expected:
        # the end header lies beyond these bytes: a first volume (.7z.001) or a truncated file
        return ArchiveFacts("7z", volume=True, volume_index=0, last_volume=False, expected_size=expected)
    head = data[32 + next_off: 32 + next_off + min(next_size, 64)]
    names_enc = bool(head) and head[0] == 0x17 and b"\x06\xf1\x07\x01" in head     # kEncodedHeader + 7zAES
    content_enc = b"\x06\xf1\x07\x01" in data[32 + next_off: 32 + next_off + min(next_size, 1 << 20)]
    return ArchiveFacts("7z", expected_size=expected, names_encrypted=names_enc,
                        content_encrypted=content_enc or names_enc)


# --- RAR 5 ------------------------------------------------------------------------------------------------

def _vint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    for _ in range(10):
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7
    raise ValueError("vint too long")


def _rar5(data: bytes) -> ArchiveFacts:
    pos = len(RAR5)
    volume, index, last, names_enc, enc_members, members = False, None, None, False, 0, 0
    for _ in range(100_000):
        if pos + 7 > len(data):
            break
        start = pos + 4
        size, p = _vint(data, start)
        body_end = p + size
        htype, p = _vint(data, p)
        hflags, p = _vint(data, p)
        extra = data_size = 0
        if hflags & 0x0001:
            extra, p = _vint(data, p)
        if hflags & 0x0002:
            data_size, p = _vint(data, p)
        if htype == 4:                                # archive encryption header: names are encrypted
            names_enc = True
            break
        if htype == 1:
            aflags, p = _vint(data, p)
            volume = bool(aflags & 0x0001)
            if volume:
                index = _vint(data, p)[0] if aflags & 0x0002 else 0
        elif htype == 2:
            members += 1
            if extra and _rar5_has_record(data, body_end - extra, body_end, 0x01):
                enc_members += 1
        elif htype == 5:
            eflags = _vint(data, p)[0]
            last = not (eflags & 0x0001) if volume else True
            break
        pos = body_end + data_size
    return ArchiveFacts("rar", volume=volume, volume_index=index, last_volume=last, names_encrypted=names_enc,
                        content_encrypted=names_enc or enc_members > 0, encrypted_members=enc_members,
                        members=None if names_enc else members)


def _rar5_has_record(data: bytes, pos: int, end: int, wanted: int) -> bool:
    while pos < end:
        size, p = _vint(data, pos)
        rtype, _ = _vint(data, p)
        if rtype == wanted:
            return True
        pos = p + size
    return False


# --- RAR 4 (and 2.9/3.x) ----------------------------------------------------------------------------------

def _rar4(data: bytes) -> ArchiveFacts:
    pos = len(RAR4)
    volume, first, last, names_enc, enc_members, members, index = False, None, None, False, 0, 0, None
    for _ in range(100_000):
        if pos + 7 > len(data):
            break
        _crc, htype, flags, hsize = struct.unpack_from("<HBHH", data, pos)
        if hsize < 7:
            break
        add = 0
        if htype == 0x73:                             # MAIN_HEAD
            volume = bool(flags & 0x0001)
            names_enc = bool(flags & 0x0080)
            first = bool(flags & 0x0100)
            if names_enc:
                break
        elif htype == 0x74:                           # FILE_HEAD: PACK_SIZE follows the 7 common bytes
            add = struct.unpack_from("<I", data, pos + 7)[0]
            if flags & 0x0100:
                add += struct.unpack_from("<I", data, pos + 32)[0] << 32
            members += 1
            enc_members += bool(flags & 0x0004)
        elif htype == 0x7B:                           # ENDARC_HEAD
            last = not (flags & 0x0001) if volume else True
            if volume and flags & 0x0008 and pos + 7 + (4 if flags & 0x0002 else 0) + 2 <= len(data):
                index = struct.unpack_from("<H", data, pos + 7 + (4 if flags & 0x0002 else 0))[0]
            break
        elif flags & 0x8000:
            add = struct.unpack_from("<I", data, pos + 7)[0]
        pos += hsize + add
    if volume and index is None and first:
        index = 0
    return ArchiveFacts("rar", volume=volume, volume_index=index, last_volume=last, names_encrypted=names_enc,
                        content_encrypted=names_enc or enc_members > 0, encrypted_members=enc_members,
                        members=None if names_enc else members)


# --- ZIP --------------------------------------------------------------------------------------------------

def _zip(data: bytes) -> ArchiveFacts:
    first_of_split = data.startswith(ZIP_SPAN)
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + 22 > len(data):
        if first_of_split:
            return ArchiveFacts("zip", volume=True, volume_index=0, last_volume=False)
        return ArchiveFacts("zip")
    disk, _cd_disk, _n_here, n_total, cd_size, cd_off = struct.unpack_from("<HHHHII", data, eocd + 4)
    if disk > 0:                                       # the .zip of name.z01, name.z02, …, name.zip
        return ArchiveFacts("zip", volume=True, volume_index=disk, last_volume=True, total_volumes=disk + 1,
                            members=n_total)
    enc, members = 0, 0
    start = eocd - cd_size
    pos = start if 0 <= start <= eocd and data[start:start + 4] == b"PK\x01\x02" else cd_off
    for _ in range(min(n_total, 100_000)):
        if data[pos:pos + 4] != b"PK\x01\x02":
            break
        flags, method = struct.unpack_from("<HH", data, pos + 8)
        nlen, xlen, clen = struct.unpack_from("<HHH", data, pos + 28)
        members += 1
        enc += bool(flags & 0x0001) or method == 99
        pos += 46 + nlen + xlen + clen
    return ArchiveFacts("zip", volume=first_of_split, volume_index=0 if first_of_split else None,
                        content_encrypted=enc > 0, encrypted_members=enc, members=members)
