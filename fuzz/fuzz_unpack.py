"""atheris target: the attachment sniffer and the zip unpacker (precheck/files/sniff.py, precheck/files/unpack.py).

Contract: ``sniff`` never raises (it runs in the intake process); ``unpack(…, "zip")`` never raises: it returns
a Chinese problem, or members whose names are relative, without '..',
and whose sizes respect the caps (count, per-member, total).
"""
import io
import sys
import zipfile

import _common  # noqa: F401
import atheris

with atheris.instrument_imports(include=["precheck"]):
    from precheck.files.sniff import sniff
    from precheck.files.containers import unpack
    from precheck.files.unpack import UnpackLimits, safe_name

LIMITS = UnpackLimits(max_total=4 << 20, max_member=2 << 20, max_files=50, max_ratio=200.0)


def check_name(name: str) -> None:
    assert name and not name.startswith("/") and "\\" not in name, name
    assert ".." not in name.split("/"), name
    assert not (len(name) > 1 and name[1] == ":"), name


def one(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    name = fdp.ConsumeUnicodeNoSurrogates(40)
    ctype = fdp.ConsumeUnicodeNoSurrogates(20)
    blob = fdp.ConsumeBytes(fdp.remaining_bytes())
    sniff(blob, name, ctype)
    check_name(safe_name(name, 0))
    out = unpack(blob, "zip", LIMITS)
    assert len(out["members"]) <= LIMITS.max_files
    total = 0
    for m in out["members"]:
        check_name(m["name"])
        assert len(m["data"]) <= LIMITS.max_member
        total += len(m["data"])
    assert total <= LIMITS.max_total


def seeds():
    for names in (["实施方案.pdf", "资金预算表.xlsx"], ["../../etc/passwd", "/abs/x", "C:\\win\\x"], ["a/b/c.txt"]):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n in names:
                z.writestr(n, b"x" * 1000)
        yield b"\x00" * 8 + buf.getvalue()     # FuzzedDataProvider eats the head for name/ctype


if __name__ == "__main__":
    _common.run(one, seeds)
