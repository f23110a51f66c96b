"""An attacker's SMTP client over raw sockets (tests and benchmarks/bench_hostile_smtp.py).

Each function is one hostile session shape seen against the intake (issue 12 point 4): DATA of 1-byte
lines, NOOP forever, idle connections, a slow-loris DATA, pipelined commands. Blocking sockets, meant to
run in threads or subprocesses.
"""
from __future__ import annotations

import socket
import time


class Session:
    """A line-level SMTP client that never dot-stuffs or waits unless told to."""

    def __init__(self, port: int, host: str = "127.0.0.1", *, source: str | None = None, timeout: float = 60):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.file = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self) -> tuple[int, str]:
        """Read one (possibly multi-line) reply; ``(0, "")`` when the server closed the connection."""
        text = []
        while True:
            line = self.file.readline()
            if not line:
                return 0, "\n".join(text)
            text.append(line.decode("utf-8", "replace").rstrip("\r\n"))
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]) if line[:3].isdigit() else 0, "\n".join(text)

    def cmd(self, line: bytes | str) -> tuple[int, str]:
        if isinstance(line, str):
            line = line.encode("utf-8", "surrogateescape")
        self.sock.sendall(line + b"\r\n")
        return self.reply()

    def envelope(self, mail_from: bytes | str = "a@example.cn", rcpts=("sbsjyc@163.com",)) -> None:
        assert self.cmd("EHLO attacker.example")[0] == 250
        code, text = self.cmd(b"MAIL FROM:<" + (mail_from.encode() if isinstance(mail_from, str) else mail_from)
                              + b">")
        assert code == 250, (code, text)
        for r in rcpts:
            assert self.cmd(f"RCPT TO:<{r}>")[0] == 250

    def close(self) -> None:
        for f in (self.file, self.sock):          # makefile() holds the socket open until it is closed too
            try:
                f.close()
            except OSError:
                pass


def one_byte_lines(port: int, total: int, *, source: str | None = None, chunk: int = 256 * 1024,
                   rcpts=("sbsjyc@163.com",), before_end=None) -> tuple[int, str]:
    """DATA of ``total`` bytes made of ``b"x\\r\\n"`` lines (aiosmtpd kept one object per line).
    ``before_end()`` is called after the bulk, before the terminator (a barrier: all sessions in flight)."""
    s = Session(port, source=source, timeout=300)
    try:
        s.envelope(rcpts=rcpts)
        assert s.cmd("DATA")[0] == 354
        head = b"From: a@example.cn\r\nSubject: lines\r\nMessage-ID: <lines-%d@x>\r\n\r\n" % time.monotonic_ns()
        s.sock.sendall(head)
        block = b"x\r\n" * (chunk // 3)
        sent = len(head)
        while sent < total:
            s.sock.sendall(block)
            sent += len(block)
        if before_end is not None:
            before_end()
        s.sock.sendall(b".\r\n")
        return s.reply()
    finally:
        s.close()


def noop_forever(port: int, interval: float, limit: float) -> float:
    """Send NOOP every ``interval`` s; return the seconds until the server closed the session (or ``limit``)."""
    s = Session(port, timeout=limit + 5)
    t0 = time.monotonic()
    try:
        s.cmd("EHLO noop.example")
        while time.monotonic() - t0 < limit:
            try:
                code, _ = s.cmd("NOOP")
            except OSError:
                break
            if code != 250:
                break
            time.sleep(interval)
        return time.monotonic() - t0
    finally:
        s.close()


def slow_data(port: int, total: int, seconds: float, *, pieces: int = 50) -> tuple[tuple[int, str], float]:
    """A DATA of ``total`` bytes spread evenly over ``seconds``; returns (final reply, seconds taken)."""
    s = Session(port, timeout=seconds + 60)
    t0 = time.monotonic()
    try:
        s.envelope()
        assert s.cmd("DATA")[0] == 354
        body = b"From: a@example.cn\r\nSubject: slow\r\nMessage-ID: <slow-%d@x>\r\n\r\n" % time.monotonic_ns()
        body += (b"y" * 78 + b"\r\n") * max(1, (total - len(body)) // 80)
        step = max(1, len(body) // pieces)
        try:
            for i in range(0, len(body), step):
                s.sock.sendall(body[i:i + step])
                time.sleep(seconds / pieces)
            s.sock.sendall(b".\r\n")
            return s.reply(), time.monotonic() - t0
        except OSError:
            return (0, "closed"), time.monotonic() - t0
    finally:
        s.close()
