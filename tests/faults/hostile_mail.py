"""The bad inputs of perf-reliability-anchors.md C6 (headers, MIME, archives, disguised files) as raw messages.
PDF resource abuse (flate bomb, 5000 pages, page-tree cycle, encrypted, truncated) is covered file by file in
tests/checks/test_files.py; here every case goes through the real intake process end to end."""
from __future__ import annotations

import base64
import io
import struct
import zipfile

HEAD = "From: czt@example.hb.gov.cn\r\nTo: sbsjyc@163.com\r\nDate: Sun, 26 Mar 2023 22:00:00 +0800\r\n"


def _msg(headers: str, body: str = "body\r\n", mid: str | None = "<{name}@hostile>") -> bytes:
    return (HEAD + (f"Message-ID: {mid}\r\n" if mid else "") + headers + "\r\n" + body).encode("utf-8",
                                                                                               "surrogateescape")


def _att(ctype: str, name_param: str, payload: bytes, cte: str = "base64") -> str:
    data = base64.encodebytes(payload).decode() if cte == "base64" else payload.decode("latin-1")
    return (f"--B\r\nContent-Type: {ctype}\r\nContent-Disposition: attachment; {name_param}\r\n"
            f"Content-Transfer-Encoding: {cte}\r\n\r\n{data}\r\n")


def _multipart(parts: list[str], subject="湖北省申报材料", boundary="B") -> str:
    return (f"Subject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary={boundary}\r\n",
            "".join(parts) + "--B--\r\n")


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for n, d in members.items():
            z.writestr(n, d)
    return buf.getvalue()


def forged_compress_size_zip() -> bytes:
    """cpython#151307 shape: a tiny zip whose central directory claims a ~2 GiB compressed/uncompressed size."""
    raw = bytearray(_zip({"实施方案.pdf": b"%PDF-1.4\n" * 4}))
    cd = raw.find(b"PK\x01\x02")
    struct.pack_into("<II", raw, cd + 20, 0x7FFFFFF0, 0x7FFFFFF0)
    return bytes(raw)


def overlapping_zip(n: int = 300) -> bytes:
    """Many central-directory entries pointing at one deflated 10 MB member (an overlap bomb)."""
    one = bytearray(_zip({"a": b"\0" * 10_000_000}))
    cd = one.find(b"PK\x01\x02")
    eocd = one.find(b"PK\x05\x06")
    entry = bytes(one[cd:eocd])
    body = bytes(one[:cd]) + entry * n
    size = len(entry) * n
    return body + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n, size, cd, 0)


def nested_zip(depth: int = 6) -> bytes:
    blob = b"%PDF-1.4\n%inner\n"
    name = "实施方案.pdf"
    for i in range(depth):
        blob, name = _zip({name: blob}), f"level{i}.zip"
    return blob


def cases() -> dict[str, bytes]:
    c: dict[str, str | bytes] = {}
    c["semicolon_stuffed_content_type"] = ("Subject: x\r\nContent-Type: application/pdf" + ";" * 26_000 + "\r\n", "x\r\n")
    c["thousands_of_params"] = ("Subject: x\r\nContent-Type: application/pdf" +
                                "".join(f'; p{i}="v"' for i in range(2500)) + "\r\n", "x\r\n")
    c["thousands_of_addresses"] = ("Subject: x\r\nCc: " + ", ".join(f"u{i}@example.cn" for i in range(1300)) + "\r\n",
                                   "x\r\n")
    c["thousands_of_encoded_words"] = ("Subject: " + " ".join("=?utf-8?b?5bm/5Lic?=" for _ in range(1000)) + "\r\n",
                                       "x\r\n")
    c["header_100kb"] = ("Subject: x\r\nX-Long: " + "a" * 100_000 + "\r\n", "x\r\n")
    c["invalid_date"] = ("Subject: 河北省申报\r\nDate: 32 Foo 2023 25:61:61 +9999\r\n", "x\r\n")
    c["bare_lf"] = "bare_lf"
    c["bare_cr"] = "bare_cr"
    c["missing_boundary"] = ("Subject: x\r\nContent-Type: multipart/mixed\r\n", "--B\r\n\r\nx\r\n--B--\r\n")
    c["wrong_boundary"] = ("Subject: x\r\nContent-Type: multipart/mixed; boundary=NOPE\r\n", "--B\r\n\r\nx\r\n--B--\r\n")
    c["thousand_tiny_parts"] = _multipart([_att("text/plain", f"filename=p{i}.txt", b"x") for i in range(1000)])
    nested = "Subject: innermost\r\n\r\nbody\r\n"
    for i in range(60):
        nested = f"Subject: level {i}\r\nContent-Type: message/rfc822\r\n\r\n" + nested
    c["deep_message_rfc822"] = ("Subject: x\r\nContent-Type: message/rfc822\r\n", nested)
    c["invalid_base64"] = _multipart([_att("application/pdf", "filename=a.pdf", b"!!!not base64@@@\x00", cte="8bit")
                                      .replace("Content-Transfer-Encoding: 8bit", "Content-Transfer-Encoding: base64")])
    c["pdf_as_octet_stream_gbk_2231_upper"] = _multipart([_att(
        "application/octet-stream", "filename*=gbk''%CA%B5%CA%A9%B7%BD%B0%B8.PDF", b"%PDF-1.4\n%%EOF\n")])
    c["zero_byte_attachment"] = _multipart([_att("application/pdf", "filename=empty.pdf", b"")])
    c["duplicate_attachment_names"] = _multipart([_att("application/pdf", "filename=实施方案.pdf", b"%PDF-1.4\n1"),
                                                  _att("application/pdf", "filename=实施方案.pdf", b"%PDF-1.4\n2")])
    c["tnef_winmail_dat"] = _multipart([_att("application/ms-tnef", "filename=winmail.dat",
                                             b"\x78\x9f\x3e\x22" + b"\x00" * 200)])
    c["forged_compress_size_zip"] = _multipart([_att("application/zip", "filename=材料.zip", forged_compress_size_zip())])
    c["overlapping_zip_bomb"] = _multipart([_att("application/zip", "filename=bomb.zip", overlapping_zip())])
    c["nested_zip_depth_6"] = _multipart([_att("application/zip", "filename=nested.zip", nested_zip())])
    c["pdf_that_is_html"] = _multipart([_att("application/pdf", "filename=实施方案.pdf",
                                             b"<html><body>download here</body></html>")])
    c["pdf_that_is_zip"] = _multipart([_att("application/pdf", "filename=预算表.pdf", _zip({"x.txt": b"x"}))])
    c["path_traversal_names"] = _multipart([_att("application/pdf", 'filename="../../../etc/cron.d/x.pdf"', b"%PDF"),
                                            _att("application/zip", "filename=t.zip",
                                                 _zip({"../../evil.pdf": b"%PDF", "/abs/evil.pdf": b"%PDF"}))])
    out: dict[str, bytes] = {}
    for name, v in c.items():
        if v == "bare_lf":
            raw = _msg("Subject: 山西省申报\r\n", "line\r\n").replace(b"\r\n", b"\n").replace(b"{name}", name.encode())
        elif v == "bare_cr":
            raw = _msg("Subject: 山西省申报\r\n", "line\r\n").replace(b"\r\n", b"\r").replace(b"{name}", name.encode())
        else:
            headers, body = v
            raw = _msg(headers, body).replace(b"{name}", name.encode())
        out[name] = raw
    out["missing_message_id"] = _msg("Subject: 山东省申报\r\n", mid=None)
    out["duplicate_message_id_a"] = _msg("Subject: 江苏省申报\r\n", "first\r\n", mid="<dup@hostile>")
    out["duplicate_message_id_b"] = _msg("Subject: 江苏省申报（补充）\r\n", "second\r\n", mid="<dup@hostile>")
    return out
