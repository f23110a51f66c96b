"""The one error path for people: an expected mistake is a ``UserError`` (Chinese + English, one line, exit 2).

Command code raises ``UserError``; ``cli.main`` catches it (and the settings/call/database errors that are
equally expected) and prints ``错误：… / error: …`` on stderr. Tracebacks are for bugs only.
"""
from __future__ import annotations


class UserError(Exception):
    """A mistake the person can fix: ``zh`` says what and how in Chinese, ``en`` the same in English."""

    def __init__(self, zh: str, en: str = ""):
        super().__init__(zh + (f" / {en}" if en else ""))
        self.zh, self.en = zh, en

    def line(self) -> str:
        return f"错误：{self.zh}" + (f" / error: {self.en}" if self.en else "")


def path_error(exc: OSError, what: str = "") -> UserError:
    """A file or folder problem (missing, not a directory, permission) as one line naming the path."""
    import errno

    name = exc.filename or what
    zh = {errno.ENOENT: "不存在", errno.ENOTDIR: "不是目录", errno.EISDIR: "是目录而不是文件",
          errno.EACCES: "没有权限", errno.EEXIST: "已存在", errno.ENOSPC: "磁盘已满"}.get(exc.errno, "无法访问")
    return UserError(f"{what + ' ' if what and what != name else ''}{name} {zh}",
                     f"{name}: {exc.strerror or type(exc).__name__}")
