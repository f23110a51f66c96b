"""A file a sandboxed child reads itself, instead of its bytes sent over the pipe.

An attachment of a large message is already a file (``precheck.mime_stream`` spools it under the receipt's
spool directory). The parent passes ``FileRef(path)``; the child opens it read-only and loads it inside its
own memory cap (``precheck.sandbox``). So the parent never holds the attachment's bytes for the whole
analysis, and no pickled copy of them is built for each child. The child still writes only in its own
temporary directory: nothing here opens a file for writing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class FileRef:
    path: str

    def read(self, limit: int = -1) -> bytes:
        with open(self.path, "rb") as f:
            return f.read(limit)

    def tail(self, n: int) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - n))
            return f.read()

    def digest(self) -> tuple[str, int]:
        """(sha256, size), read in 1 MiB blocks."""
        h, n = hashlib.sha256(), 0
        with open(self.path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
                n += len(block)
        return h.hexdigest(), n


def load(src: bytes | FileRef) -> bytes:
    """The bytes of ``src``: in a child, where reading them is bounded by the child's memory cap."""
    return src.read() if isinstance(src, FileRef) else src
