"""Streaming decoder for the SMTP DATA phase (RFC 5321 4.5.2): find ``CRLF.CRLF``, undo dot-stuffing.

It works on chunks of any size and never builds a per-line object: the cost is a few ``bytes.find`` calls
per chunk, so a message of a million 1-byte lines costs what one 3 MB line costs. The output is exactly
what aiosmtpd's line-based DATA produced (``envelope.original_content``): the message bytes with their own
line endings, minus the terminating ``.CRLF`` and one leading dot on every line that had one.
"""
from __future__ import annotations

_TERM = b".\r\n"
_DOT_LINE = b"\r\n."


class DataDecoder:
    """Feed raw DATA bytes; get message bytes back until the terminator is seen."""

    def __init__(self) -> None:
        self._bol = True          # the next byte starts a line (DATA starts at a line start)
        self._pending = b""       # up to 2 bytes we cannot decide on yet ("\r", "." or ".\r" at a line start)
        self.done = False
        self.size = 0             # message bytes produced so far

    def feed(self, data: bytes) -> tuple[list[bytes], bytes]:
        """Decode ``data``; return ``(message pieces, leftover)``. After the terminator ``done`` is true and
        ``leftover`` holds whatever the client sent after it (a pipelined command)."""
        if self.done:
            return [], data
        buf = self._pending + data if self._pending else data
        self._pending = b""
        out: list[bytes] = []
        pos, n = 0, len(buf)
        while True:
            if self._bol:
                rest = n - pos
                if rest < 3 and _TERM.startswith(buf[pos:]):
                    self._pending = buf[pos:]                  # "", ".", ".\r": wait for more
                    break
                if buf.startswith(_TERM, pos):
                    self.done = True
                    self._count(out)
                    return out, buf[pos + 3:]
                if buf[pos] == 0x2E:                           # "." at a line start: transparency dot
                    pos += 1
                self._bol = False
            k = buf.find(_DOT_LINE, pos)
            if k < 0:
                if buf.endswith(b"\r\n") and n - pos >= 2:
                    out.append(buf[pos:])
                    self._bol = True
                elif buf.endswith(b"\r") and n - pos >= 1:
                    if n - 1 > pos:
                        out.append(buf[pos:n - 1])
                    self._pending = b"\r"
                elif pos < n:
                    out.append(buf[pos:])
                break
            out.append(buf[pos:k + 2])
            pos = k + 2
            self._bol = True
        self._count(out)
        return out, b""

    def _count(self, out: list[bytes]) -> None:
        self.size += sum(len(x) for x in out)
