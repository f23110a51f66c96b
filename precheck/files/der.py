"""A small DER (ASN.1) reader: enough to walk a GB/T 38540 electronic-seal signature. Never recursive beyond
``MAX_DEPTH``, never reads past its buffer."""
from __future__ import annotations

from dataclasses import dataclass

MAX_DEPTH = 24
SEQUENCE, OCTET_STRING, BIT_STRING, OID, UTF8, IA5, PRINTABLE, GENTIME, UTCTIME, INTEGER = (
    0x30, 0x04, 0x03, 0x06, 0x0C, 0x16, 0x13, 0x18, 0x17, 0x02)


class DerError(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    tag: int
    start: int        # offset of the tag byte in the buffer
    body: int         # offset of the content
    length: int
    buf: bytes

    @property
    def end(self) -> int:
        return self.body + self.length

    @property
    def raw(self) -> bytes:
        """The whole TLV (what a signature covers)."""
        return self.buf[self.start:self.end]

    @property
    def content(self) -> bytes:
        return self.buf[self.body:self.end]

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list["Node"]:
        if not self.constructed:
            return []
        out, pos = [], self.body
        while pos < self.end:
            n = read(self.buf, pos, self.end)
            out.append(n)
            pos = n.end
        return out

    def text(self) -> str:
        if self.tag in (UTF8, IA5, PRINTABLE, GENTIME, UTCTIME, 0x1E):
            enc = "utf-16-be" if self.tag == 0x1E else "utf-8"
            return self.content.decode(enc, "replace")
        return ""

    def integer(self) -> int:
        return int.from_bytes(self.content, "big", signed=True) if self.tag == INTEGER else 0

    def oid(self) -> str:
        if self.tag != OID or not self.content:
            return ""
        c = self.content
        parts = [str(c[0] // 40), str(c[0] % 40)]
        v = 0
        for b in c[1:]:
            v = (v << 7) | (b & 0x7F)
            if not b & 0x80:
                parts.append(str(v))
                v = 0
        return ".".join(parts)

    def bits(self) -> bytes:
        """A BIT STRING's bytes without the unused-bits octet."""
        return self.content[1:] if self.tag == BIT_STRING and self.length else b""


def read(buf: bytes, pos: int = 0, limit: int | None = None) -> Node:
    limit = len(buf) if limit is None else limit
    if pos + 2 > limit:
        raise DerError("truncated tag")
    tag = buf[pos]
    if tag & 0x1F == 0x1F:
        raise DerError("high tag numbers are not used here")
    ln = buf[pos + 1]
    body = pos + 2
    if ln & 0x80:
        n = ln & 0x7F
        if n == 0 or n > 4 or body + n > limit:
            raise DerError("bad length")
        ln = int.from_bytes(buf[body:body + n], "big")
        body += n
    if body + ln > limit:
        raise DerError("content beyond the buffer")
    return Node(tag, pos, body, ln, buf)


def walk(node: Node, depth: int = 0):
    """Every node, depth first (bounded)."""
    yield node
    if depth < MAX_DEPTH and node.constructed:
        for c in node.children():
            yield from walk(c, depth + 1)
