"""DataDecoder (streamed SMTP DATA) gives exactly what aiosmtpd's line-based reader gave, for any chunking."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from intake.smtp_data import DataDecoder


def line_based(stream: bytes) -> tuple[bytes, bytes] | None:
    """aiosmtpd 1.4's DATA: lines up to CRLF, a lone '.' ends, one leading dot removed."""
    out, i = [], 0
    while True:
        j = stream.find(b"\r\n", i)
        if j < 0:
            return None
        line, i = stream[i:j + 2], j + 2
        if line == b".\r\n":
            return b"".join(out), stream[i:]
        out.append(line[1:] if line.startswith(b".") else line)


def decode(stream: bytes, cuts: list[int]) -> tuple[bytes, bytes, int]:
    d, out, pos, left = DataDecoder(), [], 0, b""
    for c in cuts + [len(stream)]:
        if d.done:
            break
        pieces, left = d.feed(stream[pos:pos + max(1, c)])
        out += pieces
        pos += max(1, c)
    return b"".join(out), left + stream[pos:], d.size


TOKENS = st.sampled_from([b".", b"\r", b"\n", b"a", b"\r\n", b"\r\n.", b".\r\n", b"..", b"\x00"])


@given(st.lists(TOKENS, max_size=40), st.lists(st.integers(1, 7), max_size=60))
def test_same_bytes_as_the_line_based_reader(tokens, cuts):
    stream = b"".join(tokens) + b"\r\n.\r\nQUIT\r\n"
    want = line_based(stream)
    got, left, size = decode(stream, cuts)
    assert (got, left) == want
    assert size == len(got)


def test_a_million_one_byte_lines_in_few_pieces():
    stream = b"x\r\n" * 1_000_000 + b".\r\n"
    d = DataDecoder()
    pieces = []
    for i in range(0, len(stream), 65536):
        out, _ = d.feed(stream[i:i + 65536])
        pieces += out
    assert d.done and d.size == 3_000_000
    assert len(pieces) <= len(stream) // 65536 + 2          # no object per line
