"""Sender authentication reads a large message whole only when DKIM needs its body (a DKIM-Signature header)."""
from __future__ import annotations

from core.archive import Archive
from intake.pipeline import AUTH_READ_MAX, _read_for_auth

HEAD = b"From: a@gd.gov.cn\r\nTo: sbsjyc@163.com\r\nSubject: x\r\n"
BODY = b"\r\n" + b"A" * 76 + b"\r\n"


def test_unsigned_mail_is_read_by_its_header_block_only(tmp_path):
    a = Archive(tmp_path)
    raw = HEAD + BODY * 100_000
    _, rel = a.put(raw, "raw", ".eml")
    got, whole = _read_for_auth(a, rel, len(raw))
    assert got == HEAD + b"\r\n" and whole


def test_signed_mail_is_read_whole_up_to_the_limit(tmp_path):
    a = Archive(tmp_path)
    raw = b"DKIM-Signature: v=1; a=rsa-sha256; d=gd.gov.cn; s=s1; bh=x; b=y\r\n" + HEAD + BODY * 1000
    _, rel = a.put(raw, "raw", ".eml")
    assert _read_for_auth(a, rel, len(raw)) == (raw, True)
    got, whole = _read_for_auth(a, rel, AUTH_READ_MAX + 1)        # over the limit: headers only, not verified
    assert got == raw[: raw.index(b"\r\n\r\n") + 4] and not whole


def test_a_header_block_without_end_is_read_whole(tmp_path):
    a = Archive(tmp_path)
    raw = HEAD + b"X-Long: " + b"b" * (2 * 2**20) + b"\r\nDKIM-Signature: v=1\r\n" + BODY
    _, rel = a.put(raw, "raw", ".eml")
    assert _read_for_auth(a, rel, len(raw)) == (raw, True)
