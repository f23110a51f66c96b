"""Safe archive extraction: caps on total size, member count, ratio; no path traversal; GBK names.

Runs inside the sandbox. One call unpacks one level; the caller recurses (and caps the depth).
Returns ``{"members": [{"name", "data"}], "errors": [str], "skipped": int}``; a cap that is hit
becomes an error string (the caller turns it into ``unreadable_attachment``), never an exception.
"""
from __future__ import annotations

import io
import os
import posixpath
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class UnpackLimits:
    max_total: int = 150 * 1024 * 1024      # bytes unpacked from one archive
    max_member: int = 80 * 1024 * 1024
    max_files: int = 500
    max_ratio: float = 200.0                 # uncompressed / compressed, per archive
    max_depth: int = 3                       # nesting: archive in archive in archive


class LimitExceeded(Exception):
    """An archive tried to exceed a cap; the message says which, in Chinese."""


def safe_name(raw: str, index: int) -> str:
    """A relative POSIX path with no '..', no absolute part, no drive letter, no control characters."""
    s = (raw or "").replace("\\", "/")
    parts = []
    for p in s.split("/"):
        p = "".join(ch for ch in p if ch >= " " and ch != "\x7f").strip()
        if p in ("", ".", ".."):
            continue
        while len(p) > 1 and p[1] == ":":          # "C:" (and "f:f:x", found by fuzzing) is not a name part
            p = p[2:].strip()
        if not p or p in (".", ".."):
            continue
        parts.append(p[:200])
    name = posixpath.join(*parts) if parts else f"member-{index}"
    return name[:480]


def zip_member_name(info: zipfile.ZipInfo) -> str:
    """zipfile decodes names without the UTF-8 flag as cp437; Chinese Windows wrote them in GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _read_capped(fh, cap: int) -> bytes:
    buf = io.BytesIO()
    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            return buf.getvalue()
        buf.write(chunk)
        if buf.tell() > cap:
            raise LimitExceeded(f"解压后超过单个文件上限 {cap // (1 << 20)} MB")


def unpack_zip(data: bytes, limits: UnpackLimits) -> dict:
    members, errors, total = [], [], 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_files:
            raise LimitExceeded(f"压缩包内文件数 {len(infos)} 超过上限 {limits.max_files}")
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total:
            raise LimitExceeded(f"声明的解压大小 {declared // (1 << 20)} MB 超过上限 {limits.max_total // (1 << 20)} MB")
        for n, info in enumerate(infos):
            name = safe_name(zip_member_name(info), n)
            if info.flag_bits & 0x1:
                errors.append(f"{name}: 已加密，无法读取")
                continue
            with zf.open(info) as fh:
                blob = _read_capped(fh, min(limits.max_member, limits.max_total - total))
            total += len(blob)
            if total > max(len(data), 1) * limits.max_ratio and total > 10 * (1 << 20):
                raise LimitExceeded(f"压缩比超过上限 {limits.max_ratio:g}（疑似压缩炸弹）")
            members.append({"name": name, "data": blob})
    return {"members": members, "errors": errors}


def unpack_7z(data: bytes, limits: UnpackLimits) -> dict:
    import py7zr

    with py7zr.SevenZipFile(io.BytesIO(data)) as zf:
        if zf.needs_password():
            raise LimitExceeded("7z 压缩包已加密，无法读取")
        infos = [i for i in zf.list() if not i.is_directory]
        if len(infos) > limits.max_files:
            raise LimitExceeded(f"压缩包内文件数 {len(infos)} 超过上限 {limits.max_files}")
        declared = sum(i.uncompressed or 0 for i in infos)
        _check_declared(declared, len(data), limits)
        with tempfile.TemporaryDirectory(prefix="sb7z-") as tmp:
            zf.extractall(path=tmp)
            return _collect_dir(tmp, limits)


def unpack_rar(data: bytes, limits: UnpackLimits, timeout: float = 25.0) -> dict:
    """RAR: sizes listed first with ``7z l`` (p7zip reads RAR headers), then extracted with ``bsdtar``
    (libarchive-tools: RAR4 and RAR5) when installed, else ``7z x`` (Debian's p7zip has no RAR codec, so
    it extracts only stored members). bsdtar refuses '..' and absolute member paths by default."""
    with tempfile.TemporaryDirectory(prefix="sbrar-") as tmp:
        src = os.path.join(tmp, "in.rar")
        with open(src, "wb") as fh:
            fh.write(data)
        listing = subprocess.run(["7z", "l", "-slt", "-p-", "-ba", src], capture_output=True, timeout=timeout,
                                 stdin=subprocess.DEVNULL)
        if listing.returncode != 0:
            raise LimitExceeded("RAR 压缩包无法读取（" + listing.stderr.decode("utf-8", "replace")[-160:].strip() + "）")
        sizes = [int(ln.split(b"=", 1)[1].strip() or 0) for ln in listing.stdout.splitlines()
                 if ln.startswith(b"Size = ")]
        if b"Encrypted = +" in listing.stdout:
            raise LimitExceeded("RAR 压缩包已加密，无法读取")
        if len(sizes) > limits.max_files:
            raise LimitExceeded(f"压缩包内文件数 {len(sizes)} 超过上限 {limits.max_files}")
        _check_declared(sum(sizes), len(data), limits)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        cmd = (["bsdtar", "-x", "-f", src, "-C", out] if shutil.which("bsdtar")
               else ["7z", "x", "-y", "-p-", f"-o{out}", src])
        r = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise LimitExceeded("RAR 解压失败（可能已加密、已损坏或压缩方式不受支持）")
        return _collect_dir(out, limits)


def _check_declared(declared: int, packed: int, limits: UnpackLimits) -> None:
    if declared > limits.max_total:
        raise LimitExceeded(f"声明的解压大小 {declared // (1 << 20)} MB 超过上限 {limits.max_total // (1 << 20)} MB")
    if declared > 10 * (1 << 20) and declared > max(packed, 1) * limits.max_ratio:
        raise LimitExceeded(f"压缩比超过上限 {limits.max_ratio:g}（疑似压缩炸弹）")


def _collect_dir(root: str, limits: UnpackLimits) -> dict:
    members, total = [], 0
    for dirpath, _dirs, files in os.walk(root, followlinks=False):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            size = os.path.getsize(p)
            total += size
            if size > limits.max_member or total > limits.max_total:
                raise LimitExceeded(f"解压后超过上限 {limits.max_total // (1 << 20)} MB")
            rel = os.path.relpath(p, root)
            with open(p, "rb") as fh:
                members.append({"name": safe_name(rel, len(members)), "data": fh.read()})
    return {"members": members, "errors": []}


def unpack_eml(data: bytes, limits: UnpackLimits) -> dict:
    """A forwarded message: its attachments become members; its HTML body is returned for link detection."""
    from precheck.parse import parse_mail

    parsed = parse_mail(data)
    if len(parsed.attachments) > limits.max_files:
        raise LimitExceeded(f"邮件内附件数 {len(parsed.attachments)} 超过上限 {limits.max_files}")
    members = [{"name": safe_name(a.filename, i), "data": a.data, "content_type": a.content_type}
               for i, a in enumerate(parsed.attachments)]
    return {"members": members, "errors": [], "html_body": parsed.html_body[:200_000],
            "subject": parsed.subject}


UNPACKERS = {"zip": unpack_zip, "7z": unpack_7z, "rar": unpack_rar, "eml": unpack_eml}
