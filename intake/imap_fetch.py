"""Parse aioimaplib FETCH responses without assuming the server's item order."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.archive import Spooled

_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"\bUID (\d+)")
_IDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")


@dataclass(frozen=True)
class Fetched:
    uid: int
    internaldate: datetime
    size: int | None
    raw: bytes | bytearray           # the literal as aioimaplib read it (not copied: a batch can be 16 MB)
    spooled: Spooled | None = None   # instead of ``raw``: a large message streamed to a finished spool file


def parse_internaldate(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%d-%b-%Y %H:%M:%S %z")


def parse_fetch(lines: list) -> list[Fetched]:
    """Messages in a UID FETCH response: header line, literal (bytearray), trailer line with any items."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if isinstance(line, (bytes,)) and _START.match(line):
            literal = lines[i + 1] if i + 1 < len(lines) and isinstance(lines[i + 1], bytearray) else None
            trailer = lines[i + 2] if literal is not None and i + 2 < len(lines) and isinstance(lines[i + 2], bytes) \
                else b""
            meta = bytes(line) + b" " + trailer
            uid, idate = _UID.search(meta), _IDATE.search(meta)
            if uid and idate and literal is not None:
                size = _SIZE.search(meta)
                out.append(Fetched(int(uid.group(1)), parse_internaldate(idate.group(1).decode()),
                                   int(size.group(1)) if size else None, literal))
            i += 3 if literal is not None else 1
            continue
        i += 1
    return out


def parse_chunk(lines: list) -> tuple[bytes, bytearray] | None:
    """The FETCH line and the literal of a partial fetch (``BODY[]<offset> {n}``); None when the server sent
    no literal (an empty string: the offset is at or beyond the end, or the message is gone)."""
    for i, line in enumerate(lines):
        if isinstance(line, bytes) and _START.match(line) and i + 1 < len(lines) \
                and isinstance(lines[i + 1], bytearray):
            trailer = lines[i + 2] if i + 2 < len(lines) and isinstance(lines[i + 2], bytes) else b""
            return bytes(line) + b" " + trailer, lines[i + 1]
    return None


def parse_uidvalidity(lines: list) -> int | None:
    for line in lines:
        if isinstance(line, bytes):
            m = _UIDVALIDITY.search(line)
            if m:
                return int(m.group(1))
    return None


def parse_search(lines: list) -> list[int]:
    """UIDs of a UID SEARCH response; aioimaplib strips the leading ``SEARCH`` (``b'1 2 3'``)."""
    uids: list[int] = []
    for line in lines:
        if not isinstance(line, bytes):
            continue
        tokens = line.split()
        if tokens and tokens[0].upper() == b"SEARCH":
            tokens = tokens[1:]
        if tokens and all(t.isdigit() for t in tokens):
            uids += [int(t) for t in tokens]
    return sorted(set(uids))
