"""atheris target: MIME parsing and name decoding (precheck.parse.parse_mail, precheck.mailtext).

Contract: parse_mail never raises, whatever the bytes; decoded names never contain a path separator or a
control character, and never start with a dot (they are shown to people and used as labels, never as paths).
"""
import sys

import _common  # noqa: F401  (sys.path)
import atheris

with atheris.instrument_imports(include=["intake"]):
    from precheck.mailtext import decode_header_text, decode_param, safe_filename
    from precheck.parse import parse_mail


def check_name(name: str) -> None:
    assert "/" not in name and "\\" not in name, name
    assert all(ch.isprintable() for ch in name), repr(name)
    assert not name.startswith("."), name


def one(data: bytes) -> None:
    if len(data) > 200_000:
        return
    parsed = parse_mail(data)
    for a in parsed.attachments:
        check_name(a.filename)
    text = data.decode("latin-1")
    decode_header_text(text)
    decode_param(("gb2312", "", text[:200]))
    decode_param(text[:200])
    check_name(safe_filename(text[:300], "fallback"))


def seeds():
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"] = "=?gb2312?B?uePW3crQss7V/tH+?= <czt@example.cn>"
    m["Subject"] = "=?utf-8?b?5bm/5Lic55yB?= 申报"
    m["Message-ID"] = "<s1@x>"
    m.set_content("请查收")
    m.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="实施方案.pdf")
    yield m.as_bytes()
    yield (b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Disposition: attachment; "
           b"filename*=gbk''%CA%B5%CA%A9%B7%BD%B0%B8.pdf\r\n\r\nx\r\n--b--\r\n")
    yield b"Subject: " + b"=?utf-8?q?a?= " * 50 + b"\r\nContent-Type: application/pdf;;;;;;\r\n\r\n"
    yield b"Content-Type: message/rfc822\r\n\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\n\r\nbody"


if __name__ == "__main__":
    _common.run(one, seeds)
