"""What went wrong with a file, for people: one Chinese sentence per problem, never a Python repr or a path.

Every reader in ``precheck.files`` reports trouble as a :class:`Problem` (or raises :class:`FileProblem`
carrying one). ``explain(exc)`` turns an exception from any tool (zipfile, py7zr, libarchive, pikepdf,
LibreOffice, the OS) into one; ``scrub(text)`` cleans a tool's text before it is kept as technical detail.

    Problem(kind="encrypted", message="压缩包已加密（需要密码），无法查看其中的文件", detail="zip flag bit 0")

``kind`` is a short stable word (``encrypted``, ``volume_missing``, ``corrupt``, ``incomplete``,
``unsupported``, ``over_limit``, ``timeout``, ``memory``, ``crash``, ``empty``, ``mislabelled``) the
analysis maps to a finding code; ``message`` is what a province officer reads; ``detail`` (English, scrubbed)
is for the log and the finding's figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("encrypted", "volume_missing", "corrupt", "incomplete", "unsupported", "over_limit", "timeout",
         "memory", "crash", "empty", "mislabelled")


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str              # Chinese, complete, no repr, no path
    detail: str = ""          # scrubbed technical text (English), for logs and figures

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "detail": self.detail}


class FileProblem(Exception):
    """Raised by a reader; carries the :class:`Problem` to report."""

    def __init__(self, kind: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(kind, message, scrub(detail))


_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s'\"<>()（）:,;]+[/\\])+[^\s'\"<>()（）:,;]*")
_REPR = re.compile(r"<[^<>]*\bat 0x[0-9a-fA-F]+>|<_io\.[A-Za-z]+[^>]*>|\bb'(?:[^'\\]|\\.){0,200}'|\bb\"[^\"]{0,200}\"")
_HEX = re.compile(r"0x[0-9a-fA-F]{6,}")
_EMPTY_PAREN = re.compile(r"[（(]\s*[:：,，;；]?\s*[)）]")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\).*", re.S)


def scrub(text: str, limit: int = 200) -> str:
    """A tool's message without file paths, object reprs, byte literals, tracebacks or empty brackets."""
    s = _TRACEBACK.sub("", str(text or ""))
    s = _REPR.sub("", s)
    s = _PATH.sub("", s)
    s = _HEX.sub("", s)
    s = re.sub(r"\s+", " ", s).strip(" :：,，;；")
    s = _EMPTY_PAREN.sub("", s).strip()
    return s[:limit]


def sentence(reason: str, detail: str = "") -> str:
    """``reason（detail）`` when the detail says something after scrubbing, else just the reason."""
    d = scrub(detail)
    return f"{reason}（{d}）" if d else reason


# (pattern in "Type: message", kind, Chinese). First match wins; the patterns are lower-cased.
_RULES: tuple[tuple[str, str, str], ...] = (
    ("header is encrypted", "encrypted", "压缩包的文件名也已加密（需要密码），无法查看其中有哪些文件"),
    ("passwordrequired", "encrypted", "压缩包已加密（需要密码），无法读取"),
    ("password is required", "encrypted", "压缩包已加密（需要密码），无法读取"),
    ("wrong password", "encrypted", "文件已加密（需要密码），无法读取"),
    ("encrypted", "encrypted", "文件已加密（需要密码），无法读取"),
    ("encryption is not supported", "encrypted", "文件已加密（需要密码），无法读取"),
    ("passworderror", "encrypted", "PDF 已加密（需要密码），无法读取"),
    ("invalid password", "encrypted", "PDF 已加密（需要密码），无法读取"),
    ("loop detected", "corrupt", "PDF 页面树存在循环引用（文件结构异常）"),
    ("multivolume", "volume_missing", "这是分卷压缩包的一部分，缺少其他分卷，无法单独解压"),
    ("multi-volume", "volume_missing", "这是分卷压缩包的一部分，缺少其他分卷，无法单独解压"),
    ("spans multiple disks", "volume_missing", "这是分卷压缩包的一部分，缺少其他分卷，无法单独解压"),
    ("bcj2", "unsupported", "压缩包使用了不受支持的压缩方式（BCJ2）"),
    ("unsupportedcompressionmethod", "unsupported", "压缩包使用了不受支持的压缩方式"),
    ("compression method is not supported", "unsupported", "压缩包使用了不受支持的压缩方式"),
    ("unsupported compression", "unsupported", "压缩包使用了不受支持的压缩方式"),
    ("truncated", "incomplete", "文件不完整（可能只发送了一部分，或传输中被截断）"),
    ("premature end", "incomplete", "文件不完整（可能只发送了一部分，或传输中被截断）"),
    ("unexpected end", "incomplete", "文件不完整（可能只发送了一部分，或传输中被截断）"),
    ("eoferror", "incomplete", "文件不完整（可能只发送了一部分，或传输中被截断）"),
    ("bad crc", "corrupt", "压缩包内文件校验失败（文件已损坏）"),
    ("crc error", "corrupt", "压缩包内文件校验失败（文件已损坏）"),
    ("crc32", "corrupt", "压缩包内文件校验失败（文件已损坏）"),
    ("not a zip file", "corrupt", "ZIP 压缩包已损坏或不完整"),
    ("badzipfile", "corrupt", "ZIP 压缩包已损坏或不完整"),
    ("not a 7z file", "corrupt", "7z 压缩包已损坏或不完整"),
    ("bad7zfile", "corrupt", "7z 压缩包已损坏或不完整"),
    ("javaldx", "corrupt", "LibreOffice 无法打开该文件（文件可能已损坏、已加密，或不是扩展名所示的格式）"),
    ("libreoffice", "corrupt", "LibreOffice 无法打开该文件（文件可能已损坏、已加密，或不是扩展名所示的格式）"),
    ("memoryerror", "memory", "超过内存上限（疑似解压炸弹或异常文件）"),
    ("bad_alloc", "memory", "超过内存上限（疑似解压炸弹或异常文件）"),
    ("cannot allocate memory", "memory", "超过内存上限（疑似解压炸弹或异常文件）"),
    ("timeoutexpired", "timeout", "处理超时，可能是文件过大或结构异常"),
    ("timed out", "timeout", "处理超时，可能是文件过大或结构异常"),
    ("unidentifiedimageerror", "corrupt", "图片无法识别（文件已损坏或不是图片）"),
    ("cannot identify image", "corrupt", "图片无法识别（文件已损坏或不是图片）"),
    ("decompressionbomb", "over_limit", "图片像素数超过上限（疑似图片炸弹）"),
    ("pdferror", "corrupt", "PDF 文件结构损坏，无法读取"),
    ("pdfiumerror", "corrupt", "PDF 文件结构损坏，无法读取"),
    ("xmlsyntaxerror", "corrupt", "文件内部的 XML 结构损坏"),
    ("archiveerror", "corrupt", "压缩包已损坏或格式不受支持"),
)

GENERIC = {"corrupt": "文件已损坏或格式异常，无法读取", "crash": "解析程序异常退出，文件可能已损坏"}


def explain(exc: BaseException | str, what: str = "") -> Problem:
    """A :class:`Problem` for any tool's exception (or error text). ``what`` ("7z 压缩包", "PDF") may prefix
    a generic message. Already-explained :class:`FileProblem` passes through."""
    if isinstance(exc, FileProblem):
        return exc.problem
    if isinstance(exc, BaseException):
        raw = f"{type(exc).__name__}: {exc}"
    else:
        raw = str(exc)
    low = raw.lower()
    detail = scrub(raw)
    for pattern, kind, zh in _RULES:
        if pattern in low:
            return Problem(kind, zh, detail)
    if isinstance(exc, OSError) and not isinstance(exc, (FileNotFoundError, PermissionError)):
        return Problem("corrupt", f"{what}读取时出错，文件可能已损坏" if what else GENERIC["corrupt"], detail)
    return Problem("corrupt", f"{what}已损坏或格式异常，无法读取" if what else GENERIC["corrupt"], detail)


def is_clean(message: str) -> bool:
    """The test every person-facing message must pass: Chinese, no repr, no path, no empty brackets."""
    if not message or not re.search(r"[\u4e00-\u9fff]", message):
        return False
    if _EMPTY_PAREN.search(message) or _REPR.search(message) or "Traceback" in message:
        return False
    if re.search(r"(?:^|[\s（(])/(?:tmp|var|home|root|work|proc)\b", message) or re.search(r"[A-Za-z]:\\", message):
        return False
    return not re.search(r"\b[A-Z][a-zA-Z]+(?:Error|Exception|File)\b", message)
