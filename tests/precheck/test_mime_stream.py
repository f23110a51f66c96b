"""The streaming MIME parser (precheck.mime_stream) reads a message from its file with bounded memory and
makes of it what parse_mail makes: same headers, bodies, attachment names, types and bytes — on the hostile
corpus, the demo filings, real files, random MIME trees — and a large filing costs a few MB, not hundreds."""
from __future__ import annotations

import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from precheck.mime_stream import parse_file
from precheck.parse import parse_mail
from tests.faults.hostile_mail import cases
from tests.intake.mailmaker import make_mail

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / ".." / "shared" / "realfiles"


def _key(p) -> dict:
    # an attached message is kept as sent by the stream, re-serialised by email: compare its name and type only
    atts = [(a.filename, a.content_type) + (() if a.content_type == "message/rfc822" else (a.sha256, a.data))
            for a in p.attachments]
    return dict(mid=p.message_id, sender=p.sender, name=p.sender_name, subject=p.subject, date=p.date_header,
                sent=p.date_sent, received=p.received, atts=atts, text=p.text_body, html=p.html_body,
                auto=p.auto_submitted, fwd=list(p.forwarded))


def _same(raw: bytes, tmp: Path) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "m.eml"
    path.write_bytes(raw)
    streamed = parse_file(path, tmp / "spool", stream_above=0)        # force the streaming path
    assert _key(streamed) == _key(parse_mail(raw))
    for a in streamed.attachments:
        assert a.path and os.path.getsize(a.path) == a.length


@pytest.mark.parametrize("name", sorted(cases()))
def test_hostile_corpus_parses_the_same(name, tmp_path):
    _same(cases()[name], tmp_path)


def test_real_files_and_small_mails_parse_the_same(tmp_path):
    raws = [p.read_bytes() for p in sorted(REAL.glob("*.eml"))]
    raws += [make_mail(attachments=a) for a in (None, [("b.bin", bytes(range(256)) * 50)], [("空.txt", b"")])]
    assert len(raws) >= 4
    for i, raw in enumerate(raws):
        _same(raw, tmp_path / str(i))


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=300)
_leaf = st.tuples(st.sampled_from(["text/plain", "text/html", "application/pdf", "application/octet-stream"]),
                  st.one_of(st.none(), st.sampled_from(["实施方案.pdf", "资金预算表 (1).xlsx", "a b.zip", "附件.7z.001"])),
                  st.one_of(st.binary(max_size=3000), _text.map(str.encode)),
                  st.sampled_from(["base64", "quoted-printable", "7bit", "8bit"]))


def _tree(depth: int = 0):
    if depth >= 2:
        return _leaf
    return st.one_of(_leaf, st.tuples(st.sampled_from(["mixed", "alternative", "related"]),
                                       st.lists(st.deferred(lambda: _tree(depth + 1)), min_size=1, max_size=3)))


def _build(node) -> EmailMessage:
    m = EmailMessage()
    if isinstance(node[1], list):
        m.set_content("x")
        m.make_mixed() if node[0] == "mixed" else m.make_alternative() if node[0] == "alternative" else m.make_related()
        m.set_payload([_build(c) for c in node[1]])
        return m
    ctype, name, data, cte = node
    maintype, subtype = ctype.split("/")
    if maintype == "text" and cte in ("7bit", "8bit"):
        m.set_content(data.decode("utf-8", "replace"), subtype=subtype, cte="8bit" if cte == "8bit" else "quoted-printable")
    elif maintype == "text":
        m.set_content(data.decode("utf-8", "replace"), subtype=subtype, cte=cte)
    else:
        m.set_content(data, maintype=maintype, subtype=subtype, cte="base64" if cte in ("7bit", "8bit") else cte)
    if name:
        m.add_header("Content-Disposition", "attachment", filename=name)
    return m


@settings(max_examples=60, deadline=None)
@given(tree=_tree(), crlf=st.booleans(), preamble=st.booleans())
def test_random_mime_trees_parse_the_same(tree, crlf, preamble, tmp_path_factory):
    root = _build(tree)
    root["From"] = "省财政厅 <czt@example.gov.cn>"
    root["To"] = "sbsjyc@163.com"
    root["Subject"] = "广东省关于推荐示范项目的请示"
    root["Message-ID"] = "<rand@example.gov.cn>"
    if preamble and root.is_multipart():
        root.preamble = "This is a multi-part message in MIME format."
    raw = root.as_bytes()
    if crlf:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    _same(raw, tmp_path_factory.mktemp("m"))


def test_a_large_filing_streams_with_bounded_memory(tmp_path):
    """~25 MB: a 16 MB base64 attachment plus 4 MB of one-byte lines. Parsed in a fresh process: the stream
    adds a few MB to the interpreter's own size; parse_mail adds hundreds (measured in the same way)."""
    blob = os.urandom(16 * 2**20)
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = "czt@example.gov.cn", "sbsjyc@163.com", "山东省申报", "<big@x>"
    m.set_content("请查收。")
    m.add_attachment(blob, maintype="application", subtype="zip", filename="佐证材料.zip")
    m.add_attachment(b"x\n" * (2 * 2**20), maintype="text", subtype="plain", filename="lines.txt", cte="8bit")
    path = tmp_path / "big.eml"
    path.write_bytes(m.as_bytes())
    del m
    # VmHWM, the peak of this process's own memory map: ru_maxrss would start at the forking pytest's size (Linux
    # keeps it across exec), and once the suite has grown past this parse's peak both readings were 0
    code = ("import sys; from precheck.mime_stream import parse_file; from precheck.parse import parse_mail\n"
            "hwm = lambda: int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1])\n"
            "base = hwm()\n"
            "p = parse_file(sys.argv[1], sys.argv[2]) if sys.argv[3] == 'stream' else parse_mail(open(sys.argv[1], 'rb').read())\n"
            "print((hwm() - base) // 1024, [(a.filename, a.length) for a in p.attachments])")
    grew = {}
    for how in ("stream", "email"):
        out = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / how), how], capture_output=True,
                             text=True, timeout=300, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        mib, atts = out.stdout.split(" ", 1)
        grew[how] = int(mib)
        assert "('佐证材料.zip', 16777216)" in atts and "('lines.txt', 4194304)" in atts
    assert grew["stream"] < 24, grew                      # what parse_file adds to the process, in MiB
    assert grew["email"] > 5 * grew["stream"], grew
    spooled = tmp_path / "stream"
    assert sorted(p.stat().st_size for p in spooled.iterdir()) == [4 * 2**20, 16 * 2**20]
    assert (spooled / next(p.name for p in spooled.iterdir() if p.stat().st_size == 16 * 2**20)).read_bytes() == blob
