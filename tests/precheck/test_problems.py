"""Tool errors become Chinese sentences with no repr, no temporary path and no empty brackets."""
from __future__ import annotations

import io
import zipfile

import pytest

from precheck.files.problems import Problem, explain, is_clean, scrub, sentence


def _py7zr_password():
    import py7zr

    return py7zr.exceptions.PasswordRequired([{"method": b"\x06\xf1\x07\x01"}], "Password is required for extracting")


def _bad_zip():
    try:
        zipfile.ZipFile(io.BytesIO(b"not a zip"))
    except zipfile.BadZipFile as exc:
        return exc


@pytest.mark.parametrize("exc,kind,message", [
    (_py7zr_password(), "encrypted", "压缩包已加密（需要密码），无法读取"),
    (_bad_zip(), "corrupt", "ZIP 压缩包已损坏或不完整"),
    (EOFError("Compressed file ended before the end-of-stream marker was reached"), "incomplete",
     "文件不完整（可能只发送了一部分，或传输中被截断）"),
    (RuntimeError("LibreOffice 无法转换该文件：javaldx: Could not find a Java Runtime Environment!"), "corrupt",
     "LibreOffice 无法打开该文件（文件可能已损坏、已加密，或不是扩展名所示的格式）"),
    (MemoryError(), "memory", "超过内存上限（疑似解压炸弹或异常文件）"),
    (ValueError("<pikepdf._core.Object object at 0x7f00deadbeef>"), "corrupt", "文件已损坏或格式异常，无法读取"),
])
def test_explain(exc, kind, message):
    p = explain(exc)
    assert (p.kind, p.message) == (kind, message)
    assert is_clean(p.message) and "0x7f" not in p.detail and "<" not in p.detail


def test_scrub_drops_paths_reprs_and_empty_brackets():
    s = scrub("stream <_io.BytesIO object at 0x7f658b81e4d0>: can't open /tmp/sb7z-abc123/in.rar (b'\\x00\\x01')")
    assert "/tmp" not in s and "0x7f" not in s and "b'" not in s and "（）" not in s and "()" not in s
    assert "can't open" in s


def test_sentence_never_leaves_empty_brackets():
    assert sentence("RAR 压缩包无法读取", "") == "RAR 压缩包无法读取"
    assert sentence("RAR 压缩包无法读取", "/tmp/sbrar-x/in.rar") == "RAR 压缩包无法读取"
    assert sentence("RAR 压缩包无法读取", "Truncated RAR file data") == "RAR 压缩包无法读取（Truncated RAR file data）"


@pytest.mark.parametrize("bad", ["压缩包无法读取（）", "Bad7zFile: not a 7z file", "无法读取 /tmp/sbx-1/input.bin",
                                 "解析失败 <object at 0xdeadbeef>", "RAR archive error"])
def test_is_clean_rejects(bad):
    assert not is_clean(bad)


def test_problem_dict_round_trip():
    assert Problem("encrypted", "已加密", "x").as_dict() == {"kind": "encrypted", "message": "已加密", "detail": "x"}
