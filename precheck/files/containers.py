"""One unpacking layer: the right tool for what the bytes are, the same caps for every tool, and problems
(encrypted, split, unsupported, damaged, over a cap) as Chinese :class:`Problem` values.

Tools, in order: ``zipfile`` (with Unicode path fields and GBK names, ``zipread``), ``py7zr``, then
libarchive in-process (``libarchive-c``: BCJ2, RAR 4/5, Deflate64, tar/gz/bz2/xz), then the ``7z`` command
(split zips, what libarchive refuses). Encryption and volumes are read from the headers first
(``headers``), so an archive no tool can open is still named for what it is.

    res = unpack(data, "7z", limits, filename="资料.7z")
    res["members"]  -> [{"name": "资料/实施方案.pdf", "data": b"..."}]
    res["problems"] -> [Problem.as_dict(), ...]    # per member (one encrypted file in a zip)
    res["fatal"]    -> Problem.as_dict() | None     # nothing could be unpacked
    res["tool"]     -> "zipfile" | "py7zr" | "libarchive" | "7z"

Runs inside the sandbox child: a tool that hangs or eats memory is ended by the sandbox's caps.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
import zlib

from precheck.files.unpack import LimitExceeded, UnpackLimits, safe_name
from precheck.files import zipread
from precheck.files.headers import ArchiveFacts, archive_facts
from precheck.files.problems import FileProblem, Problem, explain, scrub
from precheck.files.volumes import VolumeSet, expected_name, joined, volume_name

FORMATS = ("zip", "7z", "rar", "tar", "gz", "bz2", "xz")
FMT_ZH = {"zip": "ZIP 压缩包", "7z": "7z 压缩包", "rar": "RAR 压缩包", "tar": "tar 归档", "gz": "gzip 压缩文件",
          "bz2": "bzip2 压缩文件", "xz": "xz 压缩文件"}
CLI_TIMEOUT = 60.0


class _Fallback(Exception):
    """This tool cannot read these bytes; the next one may."""


class _Collector:
    """Members with the caps of ``UnpackLimits`` enforced as bytes arrive, whatever the tool."""

    def __init__(self, limits: UnpackLimits, packed: int) -> None:
        self.limits, self.packed = limits, max(packed, 1)
        self.members: list[dict] = []
        self.problems: list[dict] = []
        self.total = 0

    def count(self, n: int) -> None:
        if n > self.limits.max_files:
            raise LimitExceeded(f"压缩包内文件数 {n} 超过上限 {self.limits.max_files}")

    def declared(self, size: int) -> None:
        lim = self.limits
        if size > lim.max_total:
            raise LimitExceeded(f"声明的解压大小 {size // (1 << 20)} MB 超过上限 {lim.max_total // (1 << 20)} MB")
        if size > 10 * (1 << 20) and size > self.packed * lim.max_ratio:
            raise LimitExceeded(f"压缩比超过上限 {lim.max_ratio:g}（疑似压缩炸弹）")

    def read(self, chunks) -> bytes:
        buf = io.BytesIO()
        cap = min(self.limits.max_member, self.limits.max_total - self.total)
        for chunk in chunks:
            buf.write(chunk)
            if buf.tell() > cap:
                raise LimitExceeded(f"解压后超过单个文件上限 {self.limits.max_member // (1 << 20)} MB"
                                    if cap == self.limits.max_member else
                                    f"解压后超过上限 {self.limits.max_total // (1 << 20)} MB")
            if self.total + buf.tell() > 10 * (1 << 20) and \
                    self.total + buf.tell() > self.packed * self.limits.max_ratio:
                raise LimitExceeded(f"压缩比超过上限 {self.limits.max_ratio:g}（疑似压缩炸弹）")
        return buf.getvalue()

    def add(self, name: str, blob: bytes) -> None:
        self.count(len(self.members) + 1)
        self.total += len(blob)
        self.members.append({"name": safe_name(name, len(self.members)), "data": blob})

    def problem(self, p: Problem, member: str | None = None) -> None:
        d = p.as_dict()
        if member:
            d["member"] = member
        self.problems.append(d)

    def result(self, tool: str) -> dict:
        return {"members": self.members, "problems": self.problems, "fatal": None, "tool": tool}


def _fatal(p: Problem, tool: str = "") -> dict:
    return {"members": [], "problems": [], "fatal": p.as_dict(), "tool": tool}


def unpack(data: bytes, fmt: str, limits: UnpackLimits | None = None, filename: str = "") -> dict:
    """Unpack one level of a zip / 7z / rar / tar / gz / bz2 / xz. Never raises."""
    limits = limits or UnpackLimits()
    try:
        facts = archive_facts(data)
        early = _header_problem(facts, fmt, filename)
        if early is not None:
            return _fatal(early, "headers")
        last: Exception | None = None
        for tool, fn in _chain(fmt):
            try:
                return fn(data, limits, facts).result(tool) if tool != "7z" else _cli_7z([data], limits)
            except _Fallback as exc:
                last = exc.__cause__ or exc
                continue
        return _fatal(_unopenable(fmt, last))
    except LimitExceeded as exc:
        return _fatal(Problem("over_limit", str(exc)), "caps")
    except FileProblem as exc:
        return _fatal(exc.problem)
    except Exception as exc:  # a tool's own bug: say so plainly, never raise out of the child
        return _fatal(explain(exc, FMT_ZH.get(fmt, "压缩包")))


def _chain(fmt: str):
    if fmt == "zip":
        return (("zipfile", _zipfile), ("libarchive", _libarchive), ("7z", None))
    if fmt == "7z":
        return (("py7zr", _py7zr), ("libarchive", _libarchive), ("7z", None))
    return (("libarchive", _libarchive),)


def _unopenable(fmt: str, exc: Exception | None) -> Problem:
    p = explain(exc, FMT_ZH.get(fmt, "压缩包")) if exc is not None else Problem("corrupt", "")
    if p.kind in ("encrypted", "incomplete", "volume_missing", "unsupported", "memory", "timeout"):
        return p
    return Problem("corrupt", f"{FMT_ZH.get(fmt, '压缩包')}已损坏或格式不受支持，无法解压", p.detail)


def _header_problem(facts: ArchiveFacts, fmt: str, filename: str) -> Problem | None:
    zh = FMT_ZH.get(fmt, "压缩包")
    if facts.names_encrypted:
        return Problem("encrypted", f"{zh}已加密，连文件名也已加密（需要密码），无法查看其中有哪些文件",
                       f"{fmt} header encryption")
    if facts.volume and facts.fmt == "7z" and volume_name(filename) is None:
        want = facts.expected_size or 0
        return Problem("incomplete", f"7z 压缩包不完整（压缩包头记录的大小为 {_mb(want)}，收到的文件更小），"
                       "可能是分卷压缩包的第一卷，或传输中被截断", f"7z expected {want} bytes")
    if facts.volume:
        return Problem("volume_missing", single_volume_message(facts, filename), f"{fmt} volume")
    return None


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n >= 1 << 20 else f"{max(1, n // 1024)} KB"


def single_volume_message(facts: ArchiveFacts, filename: str) -> str:
    """A volume that arrived without its set (when ``volumes.find_sets`` had nothing to add)."""
    name = (filename or "").rsplit("/", 1)[-1]
    idx = f"第 {facts.volume_index + 1} 卷" if facts.volume_index is not None else "其中一卷"
    total = f"（共 {facts.total_volumes} 卷）" if facts.total_volumes else ""
    return f"「{name}」是分卷压缩包的{idx}{total}，其他分卷未一同收到，无法单独解压，请补发全部分卷"


# --- zip --------------------------------------------------------------------------------------------------

def _zipfile(data: bytes, limits: UnpackLimits, facts: ArchiveFacts) -> _Collector:
    col = _Collector(limits, len(data))
    fp = io.BytesIO(data)
    try:
        zf = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise _Fallback() from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        col.count(len(infos))
        col.declared(sum(i.file_size for i in infos))
        if any(not zipread.method_supported(i) and not zipread.is_encrypted(i) for i in infos):
            raise _Fallback() from NotImplementedError("compression method")
        enc = [zipread.member_name(i) for i in infos if zipread.is_encrypted(i)]
        if enc and len(enc) == len(infos):
            listed = "、".join(n.rsplit("/", 1)[-1] for n in enc[:5]) + ("等" if len(enc) > 5 else "")
            which = f"其中 {len(enc)} 个文件均无法读取：{listed}" if len(enc) > 1 else f"其中的「{listed}」无法读取"
            raise FileProblem("encrypted", f"压缩包已加密（需要密码），{which}", "zip encryption")
        for info in infos:
            name = zipread.member_name(info)
            if zipread.is_encrypted(info):
                col.problem(Problem("encrypted", f"压缩包中的「{name.rsplit('/', 1)[-1]}」已加密（需要密码），无法读取",
                                    "zip member encryption"), name)
                continue
            try:
                with zipread.open_member(zf, info, fp) as fh:
                    blob = col.read(iter(lambda: fh.read(1 << 20), b""))
            except LimitExceeded:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
                p = explain(exc, "压缩包中的文件")
                col.problem(Problem(p.kind, f"压缩包中的「{name.rsplit('/', 1)[-1]}」无法解压：{p.message}",
                                    p.detail), name)
                continue
            col.add(name, blob)
    return col


# --- 7z ---------------------------------------------------------------------------------------------------

def _py7zr(data: bytes, limits: UnpackLimits, facts: ArchiveFacts) -> _Collector:
    import py7zr

    col = _Collector(limits, len(data))
    try:
        zf = py7zr.SevenZipFile(io.BytesIO(data))
    except py7zr.exceptions.PasswordRequired as exc:
        raise FileProblem("encrypted", "7z 压缩包已加密，连文件名也已加密（需要密码），无法查看其中有哪些文件",
                          "7z header encryption") from exc
    except Exception as exc:
        raise _Fallback() from exc
    with zf:
        if zf.needs_password():
            names = [i.filename.rsplit("/", 1)[-1] for i in zf.list() if not i.is_directory]
            listed = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
            which = f"其中 {len(names)} 个文件均无法读取：{listed}" if len(names) > 1 else f"其中的「{listed}」无法读取"
            raise FileProblem("encrypted", f"7z 压缩包已加密（需要密码），{which}", "7z encryption")
        infos = [i for i in zf.list() if not i.is_directory]
        col.count(len(infos))
        col.declared(sum(i.uncompressed or 0 for i in infos))
        with tempfile.TemporaryDirectory(prefix="sb7z-") as tmp:
            try:
                zf.extractall(path=tmp)
            except Exception as exc:  # UnsupportedCompressionMethodError (BCJ2, zstd, …), CRC errors
                raise _Fallback() from exc
            _collect_dir(tmp, col)
    return col


# --- libarchive ---------------------------------------------------------------------------------------------

def _libarchive(data: bytes, limits: UnpackLimits, facts: ArchiveFacts) -> _Collector:
    import libarchive

    col = _Collector(limits, len(data))
    try:
        with libarchive.memory_reader(data) as archive:
            for n, entry in enumerate(archive):
                if not entry.isfile:
                    continue
                col.count(n + 1)
                name = entry.pathname or f"member-{n}"
                if entry.size:
                    col.declared(col.total + entry.size)
                blob = col.read(entry.get_blocks())
                if entry.size and len(blob) != entry.size:
                    raise FileProblem("incomplete", "压缩包不完整（数据在文件末尾之前中断，可能是分卷压缩包缺少后续分卷）",
                                      f"entry {len(blob)} of {entry.size} bytes")
                col.add(name, blob)
    except (LimitExceeded, FileProblem):
        raise
    except Exception as exc:  # libarchive.exception.ArchiveError and ctypes errors
        p = explain(exc)
        if p.kind == "encrypted":
            raise FileProblem(p.kind, p.message, p.detail) from exc
        raise _Fallback() from exc
    return col


# --- the 7z command ----------------------------------------------------------------------------------------

def _cli_7z(volumes: list[bytes], limits: UnpackLimits, names: list[str] | None = None) -> dict:
    """``7z x`` on bytes written to a private directory (``names``: the volume names of a split set)."""
    if not shutil.which("7z"):
        return _fatal(Problem("unsupported", "压缩包使用了本系统不支持的压缩方式，无法解压", "7z not installed"))
    col = _Collector(limits, sum(len(v) for v in volumes))
    with tempfile.TemporaryDirectory(prefix="sbx-") as tmp:
        names = names or ["input.bin"]
        for nm, blob in zip(names, volumes):
            with open(os.path.join(tmp, nm), "wb") as fh:
                fh.write(blob)
        src = os.path.join(tmp, names[-1] if names[-1].lower().endswith(".zip") else names[0])
        listing = subprocess.run(["7z", "l", "-slt", "-p-", "-ba", src], capture_output=True, timeout=CLI_TIMEOUT,
                                 stdin=subprocess.DEVNULL)
        text = listing.stdout + listing.stderr
        if b"Encrypted = +" in listing.stdout or b"Wrong password" in text or b"Cannot open encrypted" in text:
            return _fatal(Problem("encrypted", "压缩包已加密（需要密码），无法读取", "7z: encrypted"), "7z")
        if listing.returncode != 0:
            return _fatal(_cli_problem(text), "7z")
        sizes = [int(ln.split(b"=", 1)[1].strip() or 0) for ln in listing.stdout.splitlines()
                 if ln.startswith(b"Size = ")]
        col.count(len(sizes))
        col.declared(sum(sizes))
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        r = subprocess.run(["7z", "x", "-y", "-p-", "-snl-", f"-o{out}", src], capture_output=True,
                           timeout=CLI_TIMEOUT, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            return _fatal(_cli_problem(r.stdout + r.stderr), "7z")
        _collect_dir(out, col)
    return col.result("7z")


def _cli_problem(text: bytes) -> Problem:
    t = text.decode("utf-8", "replace")
    low = t.lower()
    if "missing volume" in low or "unexpected end" in low:
        return Problem("volume_missing", "分卷压缩包缺少分卷，无法解压", scrub(t[-200:]))
    if "unsupported method" in low:
        return Problem("unsupported", "压缩包使用了不受支持的压缩方式，无法解压", scrub(t[-200:]))
    return Problem("corrupt", "压缩包已损坏或格式不受支持，无法解压", scrub(t[-200:]))


def _collect_dir(root: str, col: _Collector) -> None:
    for dirpath, _dirs, files in os.walk(root, followlinks=False):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as fh:
                blob = col.read(iter(lambda: fh.read(1 << 20), b""))
            col.add(os.path.relpath(p, root), blob)


# --- split sets ---------------------------------------------------------------------------------------------

def unpack_set(vs: VolumeSet, files: list[tuple[str, bytes]], limits: UnpackLimits | None = None) -> dict:
    """A complete split set as one archive: raw splits joined in memory, split zips through ``7z``; an
    incomplete set is one problem that names the missing volumes."""
    limits = limits or UnpackLimits()
    if not vs.complete:
        return _fatal(Problem("volume_missing", vs.message(), f"{vs.scheme} volumes {vs.present} of {vs.total}"),
                      "volumes")
    try:
        whole = joined(vs, files)
        if whole is not None:
            fmt = archive_facts(whole).fmt or vs.base.rsplit(".", 1)[-1].lower()
            return unpack(whole, fmt, limits, vs.base)
        if vs.scheme == "zip_split":
            order = list(range(1, vs.total + 1))
            names = [expected_name("v", vs.scheme, i, max(vs.width, 2), vs.total) for i in order]
            return _cli_7z([files[vs.members[i]][1] for i in order], limits, names)
        return _fatal(Problem("unsupported", f"{vs.label}「{vs.display_base}」共 {vs.total} 卷已全部收到，"
                              "但本系统无法合并解压 RAR 分卷，请人工解压核对", "rar multi-volume"), "volumes")
    except LimitExceeded as exc:
        return _fatal(Problem("over_limit", str(exc)), "caps")
    except Exception as exc:
        return _fatal(explain(exc, "分卷压缩包"))
