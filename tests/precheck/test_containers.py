"""The unpacking layer on real archives (libarchive's and Info-ZIP's test files) and archives made here."""
from __future__ import annotations

import io
import struct
import subprocess
import zipfile

import pytest

from precheck.files.unpack import UnpackLimits
from precheck.files.containers import unpack, unpack_set
from precheck.files.headers import archive_facts
from precheck.files.problems import is_clean
from precheck.files.volumes import find_sets, volume_name

from tests.precheck.realfiles import real


def names(res):
    return [m["name"] for m in res["members"]]


def test_bcj2_7z_that_py7zr_refuses_is_unpacked_by_libarchive():
    res = unpack(real("libarchive__7zip_bcj2_lzma2_1.7z"), "7z")
    assert res["tool"] == "libarchive" and names(res) == ["x86exe"] and len(res["members"][0]["data"]) == 27328
    assert res["fatal"] is None


def test_header_encrypted_7z_says_even_the_names_are_hidden():
    res = unpack(real("libarchive__7zip_encryption_header.7z"), "7z")
    assert res["fatal"]["kind"] == "encrypted" and "连文件名也已加密" in res["fatal"]["message"]
    assert is_clean(res["fatal"]["message"])


def test_rar5_with_encrypted_names():
    res = unpack(real("libarchive__rar5_encrypted_filenames.rar"), "rar")
    assert res["fatal"]["kind"] == "encrypted" and res["fatal"]["message"].startswith("RAR 压缩包已加密")


def test_rar5_first_volume_alone_is_named_a_volume():
    data = real("libarchive__rar5_multiarchive.part01.rar")
    f = archive_facts(data)
    assert f.volume and f.volume_index == 0 and f.last_volume is False
    res = unpack(data, "rar", filename="资料.part01.rar")
    assert res["fatal"]["kind"] == "volume_missing"
    assert res["fatal"]["message"] == "「资料.part01.rar」是分卷压缩包的第 1 卷，其他分卷未一同收到，无法单独解压，请补发全部分卷"
    [s] = find_sets([("资料.part01.rar", data)])
    assert not s.complete and s.more_after and "第 2 卷及之后的分卷未收到" in s.message()


def test_info_zip_unicode_path_fields():
    res = unpack(real("libarchive__zip_7075_utf8_paths.zip"), "zip")
    assert res["tool"] == "zipfile"
    assert names(res) == ["File 1.txt", "File 2 - ö.txt", "File 3 - ä.txt", "File 4 - å.txt"]
    assert all(m["data"] == b"Test file" for m in res["members"])


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in files.items():
            z.writestr(zipfile.ZipInfo(n), b)
    return buf.getvalue()


def _gbk_zip(name: str, blob: bytes) -> bytes:
    """A stored member whose name is GBK without the UTF-8 flag, as Windows' built-in zip writes it."""
    import zlib

    raw = name.encode("gbk")
    crc = zlib.crc32(blob) & 0xFFFFFFFF
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(blob), len(blob), len(raw), 0)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(blob), len(blob),
                          len(raw), 0, 0, 0, 0, 0, 0)
    body = local + raw + blob
    cd = central + raw
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(cd), len(body), 0)
    return body + cd + end


def _encrypt_flags(data: bytes, only: str | None = None) -> bytes:
    """Set bit 0 (encrypted) in local and central headers, as a ZipCrypto writer does."""
    out = bytearray(data)
    for sig, flag_at, name_len_at, head in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        pos = out.find(sig)
        while pos >= 0:
            nlen = struct.unpack_from("<H", out, pos + name_len_at)[0]
            name = bytes(out[pos + head: pos + head + nlen]).decode("utf-8", "replace")
            if only is None or name == only:
                out[pos + flag_at] |= 0x01
            pos = out.find(sig, pos + 4)
    return bytes(out)


def test_encrypted_zip_lists_what_it_hides():
    data = _encrypt_flags(_zip({"实施方案.pdf": b"%PDF-1.4 x", "资金预算表.xlsx": b"PK.."}))
    res = unpack(data, "zip")
    assert res["fatal"]["kind"] == "encrypted"
    assert res["fatal"]["message"] == "压缩包已加密（需要密码），其中 2 个文件均无法读取：实施方案.pdf、资金预算表.xlsx"


def test_one_encrypted_member_is_a_member_problem_and_the_rest_unpacks():
    data = _encrypt_flags(_zip({"实施方案.pdf": b"%PDF-1.4 x", "说明.txt": b"hello"}), only="实施方案.pdf")
    res = unpack(data, "zip")
    assert names(res) == ["说明.txt"] and res["fatal"] is None
    [p] = res["problems"]
    assert p["kind"] == "encrypted" and p["member"] == "实施方案.pdf" and "「实施方案.pdf」已加密" in p["message"]


def test_gbk_names_from_chinese_windows():
    res = unpack(_gbk_zip("山东省/实施方案.pdf", b"%PDF-1.4"), "zip")
    assert names(res) == ["山东省/实施方案.pdf"] and res["members"][0]["data"] == b"%PDF-1.4"


def test_zip_bomb_ratio_is_an_over_limit_problem():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.bin", b"\x00" * (40 << 20))
    res = unpack(buf.getvalue(), "zip", UnpackLimits(max_ratio=200))
    assert res["fatal"]["kind"] == "over_limit" and "压缩炸弹" in res["fatal"]["message"]


def _seven_z(files: dict[str, bytes]) -> bytes:
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as z:
        for n, b in files.items():
            z.writestr(b, n)
    return buf.getvalue()


def test_split_7z_complete_set_is_joined_and_unpacked():
    import os

    whole = _seven_z({"实施方案.pdf": os.urandom(30_000), "预算表.xlsx": os.urandom(20_000)})
    third = len(whole) // 3 + 1
    vols = [(f"资料.7z.{i + 1:03d}", whole[i * third:(i + 1) * third]) for i in range(3)]
    [s] = find_sets(vols)
    assert s.complete and s.total == 3 and s.message() == "分卷压缩包「资料.7z」共 3 卷，已全部收到"
    res = unpack_set(s, vols)
    assert sorted(names(res)) == ["实施方案.pdf", "预算表.xlsx"]


def test_split_7z_missing_middle_volume_is_named():
    import os

    whole = _seven_z({"a.pdf": os.urandom(40_000)})
    third = len(whole) // 3 + 1
    vols = [(f"资料.7z.{i + 1:03d}", whole[i * third:(i + 1) * third]) for i in (0, 2)]
    [s] = find_sets(vols)
    assert s.total == 3 and s.missing == [2] and s.missing_names == ["资料.7z.002"]
    assert s.message() == "分卷压缩包「资料.7z」共 3 卷，只收到第 1、3 卷，缺少第 2 卷（资料.7z.002），无法解压，请补发全部分卷"
    res = unpack_set(s, vols)
    assert res["fatal"]["kind"] == "volume_missing" and is_clean(res["fatal"]["message"])


def test_7z_001_that_is_the_whole_archive_is_not_a_set():
    whole = _seven_z({"a.pdf": b"%PDF-1.4"})
    assert find_sets([("资料.7z.001", whole)]) == []


def test_split_zip_z01_set(tmp_path):
    import os

    (tmp_path / "实施方案.pdf").write_bytes(os.urandom(250_000))
    subprocess.run(["zip", "-q", "-s", "100k", "资料.zip", "实施方案.pdf"], cwd=tmp_path, check=True)
    vols = [(p.name, p.read_bytes()) for p in sorted(tmp_path.glob("资料.*"))]
    assert [n for n, _ in vols] == ["资料.z01", "资料.z02", "资料.zip"]
    [s] = find_sets(vols)
    assert s.complete and s.total == 3
    res = unpack_set(s, vols)
    assert names(res) == ["实施方案.pdf"] and len(res["members"][0]["data"]) == 250_000
    [s2] = find_sets([vols[0], vols[2]])
    assert s2.missing_names == ["资料.z02"]
    [s3] = find_sets(vols[:2])
    assert not s3.complete and "第 3 卷及之后的分卷未收到" in s3.message()


@pytest.mark.parametrize("name,expect", [
    ("资料.7z.002", ("资料.7z", "nnn", 2)), ("资料.part03.rar", ("资料", "part", 3)),
    ("资料.r00", ("资料", "rar_old", 2)), ("资料.z01", ("资料", "zip_split", 1)), ("资料.zip", None),
    ("资料.rar", None), ("实施方案.pdf", None),
])
def test_volume_names(name, expect):
    vn = volume_name(name)
    assert (vn and (vn.base, vn.scheme, vn.index)) == expect or (vn is None and expect is None)


def test_damaged_archives_say_so_in_chinese():
    for fmt, blob in (("zip", b"PK\x03\x04" + b"\x00" * 40), ("7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\xff" * 40),
                      ("rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 30)):
        res = unpack(blob, fmt)
        assert res["fatal"] is not None and is_clean(res["fatal"]["message"]), (fmt, res["fatal"])


def test_truncated_7z_not_named_as_a_volume_is_incomplete():
    whole = _seven_z({"a.pdf": bytes(range(256)) * 400})
    res = unpack(whole[: len(whole) // 2], "7z", filename="资料.7z")
    assert res["fatal"]["kind"] == "incomplete" and "可能是分卷压缩包的第一卷，或传输中被截断" in res["fatal"]["message"]
