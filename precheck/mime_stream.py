"""Parse an archived message from its file with bounded memory (issue 16).

``email``'s parser holds the whole message several times over (the bytes, a str of them, a list of lines,
the payload of every part, the decoded attachment, our copy): a 25 MB filing cost ~320 MB, a 16 MB message
of one-byte lines ~500 MB. ``parse_file`` reads the file line by line instead: part headers go through
``email``'s own header parser (so names, types and charsets mean exactly what ``parse_mail`` makes of them),
bodies are decoded as they stream by and attachments written to files in ``spool_dir``; only text bodies
(capped) stay in memory. The result is the same ``ParsedMail``, its attachments backed by those files.

Messages up to ``STREAM_ABOVE`` bytes are parsed by ``parse_mail`` as before: the streaming path is for the
large ones, where it differs from ``parse_mail`` only in corners that do not occur in large filings (a bare CR
as line end, invalid base64 inside a part, uuencoded parts stay encoded, an attached message is kept as
sent instead of re-serialised).

    parsed = parse_file(path, spool_dir)      # ParsedMail; a.path / a.data for each attachment
"""
from __future__ import annotations

import binascii
import email.message
import email.parser
import hashlib
import os
import re
from pathlib import Path

from precheck.forwarded import attached_forward
from precheck.mailtext import decode_bytes, decode_header_text, safe_filename
from precheck.parse import AttachmentPart, ParsedMail, _part_filename, assemble, parse_mail, raw_header

STREAM_ABOVE = 8 * 2**20          # parse_mail below this size
MAX_LINE = 1 << 16                # a line is read in pieces of at most this many bytes
MAX_HEADER_BYTES = 1 << 20        # a part's header block beyond this is read as body
TEXT_CAP = 4 * 2**20              # bytes of one text body kept (the rest is dropped, with a defect)
RAW_KEEP = 1 << 20                # a base64 body up to this size is also kept as sent, should it not decode
FLUSH = 1 << 18                   # decode and write in blocks of this size
MAX_DEPTH = 20                    # as parse._walk: parts deeper than this are read past, not collected
_HEADER_LINE = re.compile(rb"^(From |[\041-\071\073-\176]*:|[\t ])")
_EOL = re.compile(rb"(\r\n|\r|\n)\Z")
_B64 = re.compile(rb"[^A-Za-z0-9+/=]")
_UU = ("x-uuencode", "uuencode", "uue", "x-uue")


def parse_file(path: str | os.PathLike, spool_dir: str | os.PathLike, *, stream_above: int = STREAM_ABOVE
               ) -> ParsedMail:
    """Parse the message in ``path``; a large one streams its attachments into ``spool_dir``."""
    path = Path(path)
    if path.stat().st_size <= stream_above:
        return parse_mail(path.read_bytes())
    Path(spool_dir).mkdir(parents=True, exist_ok=True)
    with open(path, "rb") as f:
        return _Parser(f, Path(spool_dir)).parse()


class _Lines:
    """Lines of a binary file, each with its line end (CRLF, LF or a bare CR, as email's parser splits
    them), at most MAX_LINE bytes a piece, with push-back; ``at_start`` tells whether a piece begins a line
    (only those can be boundaries or headers)."""

    _EOL = re.compile(rb"\r\n|\r|\n")

    def __init__(self, f):
        self.f = f
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.back: list[tuple[bytes, bool]] = []
        self.start = True

    def _fill(self) -> None:
        chunk = self.f.read(MAX_LINE)
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        self.eof = not chunk

    def next(self) -> tuple[bytes, bool]:
        if self.back:
            return self.back.pop()
        while True:
            m = self._EOL.search(self.buf, self.pos)
            if m and not (m.group() == b"\r" and m.end() == len(self.buf) and not self.eof):
                end = m.end()
                break                                  # (a CR at the end of the buffer may start a CRLF)
            if len(self.buf) - self.pos >= MAX_LINE or self.eof:
                end = min(len(self.buf), self.pos + MAX_LINE)
                break
            self._fill()
        line, self.pos = self.buf[self.pos:end], end
        at_start, self.start = self.start, bool(line) and line[-1:] in (b"\n", b"\r")
        return line, at_start

    def push(self, line: bytes, at_start: bool) -> None:
        self.back.append((line, at_start))


class _Boundaries:
    def __init__(self):
        self.stack: list[re.Pattern] = []

    def push(self, boundary: str) -> re.Pattern:
        sep = ("--" + boundary).encode("ascii", "surrogateescape")
        rx = re.compile(b"(?P<sep>" + re.escape(sep) + rb")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?\Z")
        self.stack.append(rx)
        return rx

    def pop(self) -> None:
        self.stack.pop()

    def hit(self, line: bytes, at_start: bool, *, enclosing_only: bool = False) -> bool:
        if not at_start or line[:2] != b"--" or not self.stack:
            return False
        stack = self.stack[:-1] if enclosing_only else self.stack
        return any(rx.match(line) for rx in stack)


class _Sink:
    """Where one part's decoded body goes: a spool file (attachment) or memory (text body, capped);
    written in blocks of FLUSH bytes, hashed as it goes."""

    def __init__(self, path: Path | None, cap: int | None):
        self.path, self.cap = path, cap
        self.f = open(path, "wb") if path else None
        self.h = hashlib.sha256()
        self.size = 0
        self.buf = bytearray()
        self.mem: list[bytes] = []
        self.truncated = False

    def write(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) >= FLUSH:
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        data, self.buf = bytes(self.buf), bytearray()
        self.h.update(data)
        self.size += len(data)
        if self.f is not None:
            self.f.write(data)
        elif self.cap is not None and self.size > self.cap:
            self.truncated = True
        else:
            self.mem.append(data)

    def reset(self) -> None:
        """Forget what was written (a base64 body that turned out not to decode is kept as sent)."""
        if self.f is not None:
            self.f.seek(0)
            self.f.truncate()
        self.h, self.size, self.buf, self.mem, self.truncated = hashlib.sha256(), 0, bytearray(), [], False

    def close(self) -> None:
        self.flush()
        if self.f is not None:
            self.f.close()


class _Decoder:
    """Content-Transfer-Encoding undone as the lines come (as Message.get_payload(decode=True) does)."""

    def __init__(self, cte: str, sink: _Sink):
        self.cte, self.sink = cte, sink
        self.b64 = bytearray()
        self.padded = False           # a '=' was seen: the rest is decoded at the end, as one piece
        self.raw: list[bytes] | None = []   # a small base64 body as sent, kept in case it does not decode
        self.raw_size = 0

    def feed(self, line: bytes) -> None:
        if self.cte == "base64":
            if self.raw is not None:
                piece = line.rstrip(b"\r\n")
                self.raw_size += len(piece)
                if self.raw_size <= RAW_KEEP:
                    self.raw.append(piece)
                else:
                    self.raw = None
            self.b64 += line
            if len(self.b64) >= FLUSH:
                self._decode_some()
        elif self.cte == "quoted-printable":
            self.sink.write(binascii.a2b_qp(line))
        else:
            self.sink.write(line)

    def _decode_some(self) -> None:
        clean = _B64.sub(b"", self.b64)
        self.padded = self.padded or b"=" in clean
        if self.padded:
            self.b64 = bytearray(clean)
            return
        n = len(clean) // 4 * 4
        self.sink.write(binascii.a2b_base64(clean[:n]))
        self.b64 = bytearray(clean[n:])

    def finish(self, defects: list[str]) -> None:
        if self.cte != "base64":
            return
        if not self.padded:
            self._decode_some()
        tail = bytes(_B64.sub(b"", self.b64))
        if not tail:
            return
        for t in (tail, tail + b"=="):                # email._encoded_words.decode_b's fallbacks
            try:
                self.sink.write(binascii.a2b_base64(t))
                return
            except binascii.Error:
                continue
        defects.append("InvalidBase64LengthDefect")
        if self.raw is not None:                # as email does: the undecodable body is returned as sent
            self.sink.reset()
            self.sink.write(b"".join(self.raw))
        else:
            self.sink.write(tail)


class _Parser:
    def __init__(self, f, spool: Path):
        self.lines = _Lines(f)
        self.spool = spool
        self.bounds = _Boundaries()
        self.defects: list[str] = []
        self.atts: list[AttachmentPart] = []
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.forwards: list[dict] = []
        self.index = 0                    # position in parse._walk order (names "attachment-N")

    # -- headers
    def headers(self) -> email.message.Message:
        block, size = [], 0
        while True:
            line, at_start = self.lines.next()
            if not line or self.bounds.hit(line, at_start):
                if line:
                    self.lines.push(line, at_start)
                break
            if at_start and not _HEADER_LINE.match(line):
                if line not in (b"\r\n", b"\n", b"\r"):
                    self.defects.append("MissingHeaderBodySeparatorDefect")
                    self.lines.push(line, at_start)
                break
            size += len(line)
            if size > MAX_HEADER_BYTES:
                self.defects.append("header block too large")
                self.lines.push(line, at_start)
                break
            block.append(line)
        return email.parser.BytesHeaderParser().parsebytes(b"".join(block))

    # -- bodies
    def parse(self) -> ParsedMail:
        top = self.headers()
        self.defects.extend(type(d).__name__ for d in top.defects)
        self.part(top, 0)
        return assemble(top, self.defects, tuple(self.atts), "\n".join(self.texts), "\n".join(self.htmls),
                        self.forwards)

    def part(self, msg: email.message.Message, depth: int) -> None:
        """Read ``msg``'s body (its headers are read) up to the next enclosing boundary or the end."""
        try:
            ctype = msg.get_content_type()
        except Exception:
            ctype = "application/octet-stream"
        maintype = ctype.split("/", 1)[0]
        if maintype == "multipart":
            boundary = msg.get_boundary()
            if boundary is not None:
                return self.multipart(boundary, ctype, depth)
            self.defects.append("NoBoundaryInMultipartDefect")
        elif maintype == "message" and ctype != "message/delivery-status":
            if ctype == "message/rfc822" and depth > 0:
                return self.attached(msg, depth)
            return self.part(self.headers(), depth + 1)
        self.leaf(msg, ctype, depth)

    def multipart(self, boundary: str, ctype: str, depth: int) -> None:
        rx = self.bounds.push(boundary)
        i = self.index
        preamble = _Sink(self.spool / f"part-{i:04d}.pre", None)     # becomes the part if no boundary comes
        try:
            while True:                                    # preamble
                line, at_start = self.lines.next()
                if not line or self.bounds.hit(line, at_start, enclosing_only=True):
                    # no start boundary: email keeps the whole body as this multipart's payload (one part)
                    if line:
                        self.lines.push(line, at_start)
                    self.defects.append("StartBoundaryNotFoundDefect")
                    preamble.close()
                    return self._keep(preamble, ctype, None, depth)
                if at_start and rx.match(line):
                    preamble.close()
                    preamble.path.unlink(missing_ok=True)
                    if rx.match(line).group("end"):
                        return self.epilogue()
                    break
                preamble.write(line)
            while True:
                while True:                                # consecutive boundary lines are one
                    line, at_start = self.lines.next()
                    if not (line and at_start and rx.match(line) and not rx.match(line).group("end")):
                        self.lines.push(line, at_start)
                        break
                self.part(self.headers(), depth + 1)
                line, at_start = self.lines.next()
                if not line:
                    self.defects.append("CloseBoundaryNotFoundDefect")
                    return
                m = rx.match(line) if at_start else None
                if m is None:                              # an enclosing boundary ended us
                    self.lines.push(line, at_start)
                    self.defects.append("CloseBoundaryNotFoundDefect")
                    return
                if m.group("end"):
                    return self.epilogue()
        finally:
            self.bounds.pop()

    def epilogue(self) -> None:
        """After the close delimiter: read past to an enclosing boundary or the end."""
        while True:
            line, at_start = self.lines.next()
            if not line:
                return
            if self.bounds.hit(line, at_start, enclosing_only=True):
                self.lines.push(line, at_start)
                return

    def _body(self, feed) -> None:
        """Feed body lines to ``feed`` up to a boundary or the end; the line end before a boundary belongs
        to the boundary (RFC 2046), so each line is held until the next one is seen."""
        held = None
        while True:
            line, at_start = self.lines.next()
            if not line or self.bounds.hit(line, at_start):
                if held is not None:
                    if line:
                        m = _EOL.search(held)
                        held = held[:m.start()] if m else held
                    feed(held)
                if line:
                    self.lines.push(line, at_start)
                return
            if held is not None:
                feed(held)
            held = line

    def leaf(self, msg: email.message.Message, ctype: str, depth: int) -> None:
        i, self.index = self.index, self.index + 1
        collect = depth <= MAX_DEPTH
        name = _part_filename(msg) if collect else None
        disp = (raw_header(msg, "Content-Disposition") or "").lower() if collect else ""
        is_body = name is None and "attachment" not in disp and ctype in ("text/plain", "text/html")
        cte = str(msg.get("content-transfer-encoding", "")).lower()
        if cte in _UU:
            self.defects.append("uuencoded part kept encoded")
        path = self.spool / f"part-{i:04d}" if collect and not is_body else None
        sink = _Sink(path, TEXT_CAP if is_body else None)
        dec = _Decoder(cte, sink)
        try:
            self._body(dec.feed if collect else (lambda _line: None))
            dec.finish(self.defects)
        finally:
            sink.close()
        if not collect:
            return
        if is_body:
            if sink.truncated:
                self.defects.append(f"text body over {TEXT_CAP} bytes truncated")
            text = decode_bytes(b"".join(sink.mem), msg.get_content_charset())
            (self.htmls if ctype == "text/html" else self.texts).append(text)
            return
        self._keep(sink, ctype, name, depth, index=i)

    def _keep(self, sink: _Sink, ctype: str, name: str | None, depth: int, *, index: int | None = None) -> None:
        if index is None:
            index, self.index = self.index, self.index + 1
        if depth > MAX_DEPTH or (not sink.size and name is None):
            sink.path.unlink(missing_ok=True)
            return
        self.atts.append(AttachmentPart(safe_filename(name, f"attachment-{index + 1}"), ctype, b"",
                                        sink.h.hexdigest(), path=str(sink.path), size=sink.size))

    def attached(self, part: email.message.Message, depth: int) -> None:
        """A forwarded message: one attachment (the message as sent), its headers read for the forward."""
        i, self.index = self.index, self.index + 1
        path = self.spool / f"part-{i:04d}.eml"
        sink = _Sink(path, None)
        head: list[bytes] = []
        kept = [0]

        def feed(line: bytes) -> None:
            if kept[0] < MAX_HEADER_BYTES:
                head.append(line)
                kept[0] += len(line)
            sink.write(line)
        try:
            self._body(feed)
        finally:
            sink.close()
        blob = b"".join(head)
        inner = email.parser.BytesHeaderParser().parsebytes(blob.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
        self.forwards.append(attached_forward(inner, decode_header_text).as_dict())
        subject = decode_header_text(raw_header(inner, "Subject")) or "forwarded"
        fname = safe_filename(_part_filename(part) or f"{subject}.eml", "forwarded.eml")
        self.atts.append(AttachmentPart(fname, "message/rfc822", b"", sink.h.hexdigest(), path=str(path),
                                        size=sink.size))
