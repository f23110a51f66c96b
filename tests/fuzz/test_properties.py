"""Property-based tests (hypothesis), bounded for the normal run: MIME parsing and name decoding, attachment
names never escaping the archive or an unpack directory, the page counter's arithmetic, the chat intent
parser, the WeCom callback crypto. Regressions for every crash the atheris fuzzers found are named below."""
from __future__ import annotations

import email
import email.policy

import io
import os
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from core.archive import Archive
from precheck.files.geometry import page_entry, summarise
from precheck.files.containers import unpack
from precheck.files.unpack import UnpackLimits, safe_name
from precheck.mailtext import decode_header_text, safe_filename
from precheck.parse import parse_mail

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
EVIL = st.sampled_from(["../../etc/passwd", "..\\..\\boot.ini", "/abs/x.pdf", "C:\\Windows\\x.pdf", "f:f:x",
                        ".hidden", "a/../../b", "\x00nul.pdf", "con.pdf", "实施方案.pdf", "..", ".", ""])
NAMES = st.one_of(EVIL, st.text(min_size=0, max_size=60))


def _safe(name: str) -> None:
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(ch.isprintable() for ch in name)


@FAST
@given(st.binary(max_size=4000))
def test_parse_mail_never_raises_on_bytes(raw):
    parsed = parse_mail(raw)
    for a in parsed.attachments:
        _safe(a.filename)


@FAST
@given(subject=st.text(max_size=80), name=NAMES, charset=st.sampled_from(["utf-8", "gb18030", "gbk", "gb2312"]),
       data=st.binary(max_size=200))
def test_structured_mail_round_trip(subject, name, charset, data):
    m = EmailMessage()
    m["From"] = "czt@example.cn"
    m.set_content("正文")
    part_name = name or "x.pdf"
    try:
        m["Subject"] = subject
        m.add_attachment(data, maintype="application", subtype="pdf", filename=(charset, "", part_name)
                         if charset != "utf-8" else part_name)
        raw = m.as_bytes()
    except Exception:                      # the generator refuses some names: not our input
        return
    reference = email.message_from_bytes(raw, policy=email.policy.default)
    if len(list(reference.iter_attachments())) != 1:
        return                             # the generator wrote a broken message (e.g. a newline in Subject)
    parsed = parse_mail(raw)
    assert len(parsed.attachments) == 1
    assert parsed.attachments[0].data == data
    _safe(parsed.attachments[0].filename)


@FAST
@given(NAMES)
def test_safe_filename_and_header_decoding(name):
    _safe(safe_filename(name, "fallback"))
    decode_header_text(name)
    decode_header_text(f"=?{name[:10]}?B?YWJj?=")


def test_regression_nul_in_encoded_word_charset():
    """atheris mime-nul-charset: a charset name with NUL raised ValueError out of parse_mail."""
    parsed = parse_mail(b"Subject: =?gb\x00k?B?YWJj?=\r\nFrom: =?x\x00?Q?a?= <a@b.cn>\r\n\r\nbody")
    assert parsed.subject is not None


def test_regression_forwarded_message_with_raw_8bit_header():
    """atheris mime-rfc822-8bit-header: re-serialising a forwarded message with raw 8-bit raised."""
    raw = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
           "Subject: 实施方案\r\nX: ü\r\n\r\nbody\r\n--b--\r\n").encode("utf-8")
    parse_mail(raw)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.one_of(NAMES, st.just(".pdf")), kind=st.sampled_from(["raw", "files"]))
def test_archive_paths_never_escape(tmp_path_factory, data, suffix, kind):
    root = tmp_path_factory.mktemp("arch")
    a = Archive(root)
    sha, rel = a.put(data, kind, suffix)
    p = a.path_for(rel)
    assert p.is_relative_to(root.resolve()) and p.read_bytes() == data
    assert Path(rel).parts[0] == kind and len(Path(rel).parts) == 3
    with pytest.raises(ValueError):
        a.path_for("../" + rel)


@FAST
@given(NAMES, st.integers(0, 9))
def test_unpack_names_are_relative_and_clean(name, i):
    s = safe_name(name, i)
    assert s and not s.startswith("/") and "\\" not in s and ".." not in s.split("/")
    assert not any(len(p) > 1 and p[1] == ":" for p in s.split("/"))


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=6))
def test_zip_members_cannot_escape(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            try:
                z.writestr(n or "empty", b"x")
            except (IndexError, ValueError):      # zipfile's writer refuses some names (e.g. NUL first)
                pass
    out = unpack(buf.getvalue(), "zip", UnpackLimits())
    for m in out["members"]:
        assert not m["name"].startswith("/") and ".." not in m["name"].split("/")


def test_7z_member_with_dotdot_does_not_write_outside(tmp_path, monkeypatch):
    """7z extraction goes to a temp dir: a '../' member must not land outside it."""
    import py7zr
    import py7zr.py7zr as writer

    src = tmp_path / "a.7z"
    with monkeypatch.context() as m:              # build the hostile archive: py7zr refuses such names on write
        m.setattr(writer, "check_archive_path", lambda p: True)
        with py7zr.SevenZipFile(src, "w") as z:
            z.writestr(b"fine", "ok/fine.txt")
            z.writestr(b"escaped", "../../escape-7z.txt")
    before = set(os.listdir("/tmp"))
    try:
        out = unpack(src.read_bytes(), "7z", UnpackLimits())
        assert all(".." not in m_["name"].split("/") for m_ in out["members"]), out["members"]
    except Exception as exc:                      # refused outright is fine (the worker reports it)
        print(f"7z with '../' refused: {type(exc).__name__}: {exc}")
    assert not (Path("/tmp") / "escape-7z.txt").exists() and not Path("escape-7z.txt").exists()
    assert not [n for n in set(os.listdir("/tmp")) - before if "escape" in n]


@FAST
@given(st.lists(st.tuples(st.floats(1, 5000), st.floats(1, 5000), st.sampled_from([0, 90, 180, 270, -90, 450])),
                min_size=1, max_size=30))
def test_page_arithmetic_adds_up(pages):
    entries = [page_entry(w, h, r, 0.03) for w, h, r in pages]
    s = summarise(entries)
    assert s["sheets"] == len(entries) and s["a4"] == sum(e["a4"] for e in entries) >= len(entries)
    assert s["arithmetic"].endswith(f"= {s['a4']} 页")
    assert sum(g["count"] for g in s["groups"]) == len(entries)


@pytest.mark.parametrize("w,h", [(float("inf"), 100), (float("nan"), 100), (1e300, 1e300)])
def test_regression_non_finite_page_size(w, h):
    """atheris pages-infinite-size: an infinite box raised OverflowError instead of a clear ValueError."""
    with pytest.raises(ValueError):
        page_entry(w, h, 0, 0.03)


def test_regression_broken_page_tree_is_a_readable_reason():
    """atheris pages-qpdf-count: qpdf's QpdfRuntimeError escaped pdf_geometry instead of PdfUnreadable.
    Since issue 14 the pages qpdf refuses are counted as pdfium shows them, with a Chinese note."""
    from precheck.files.pdf import pdf_geometry

    crash = Path(__file__).parent / "crashes" / "pages-qpdf-count"
    g = pdf_geometry(crash.read_bytes(), 0.03)
    assert g["via"] == "pdfium" and g["summary"]["sheets"] >= 1
    assert g["warnings"] and "页数按阅读器显示的页面计" in g["warnings"][-1]


@FAST
@given(st.text(max_size=5000))
def test_intent_parser_total(text):
    from bot.intents import classify

    intent = classify(text, _call())
    assert intent.name


_CALL = []


def _call():
    from config.call import load_call
    if not _CALL:
        _CALL.append(load_call("2023"))
    return _CALL[0]


@FAST
@given(msg=st.text(max_size=500), flip=st.integers(0, 10_000))
def test_wecom_round_trip_and_any_tampering_is_rejected(msg, flip):
    from bot.wecom_crypto import WeComCrypto, WeComCryptoError

    c = WeComCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
    e = c.encrypt(msg, "1700000000", "42")
    assert c.decrypt(e["MsgSignature"], "1700000000", "42", e["Encrypt"]) == msg
    enc = e["Encrypt"]
    i = flip % len(enc)
    bad = enc[:i] + ("A" if enc[i] != "A" else "B") + enc[i + 1:]
    with pytest.raises(WeComCryptoError):
        c.decrypt(e["MsgSignature"], "1700000000", "42", bad)          # signature covers the ciphertext


def test_regression_signed_frame_with_invalid_utf8_is_rejected_not_a_500():
    """Property test finding: a correctly signed frame whose message is not UTF-8 raised UnicodeDecodeError
    (an HTTP 500 from the callback) instead of WeComCryptoError (403)."""
    import base64
    import struct

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from bot.wecom_crypto import WeComCrypto, WeComCryptoError

    c = WeComCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
    body = b"\xff\xfe<xml/>"
    raw = b"r" * 16 + struct.pack(">I", len(body)) + body + c.receive_id
    raw += bytes([32 - len(raw) % 32]) * (32 - len(raw) % 32)
    e = Cipher(algorithms.AES(c.key), modes.CBC(c.iv)).encryptor()
    enc = base64.b64encode(e.update(raw) + e.finalize()).decode()
    with pytest.raises(WeComCryptoError):
        c.decrypt(c.signature("1", "n", enc), "1", "n", enc)
