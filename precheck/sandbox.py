"""Run a function in a child process with a memory cap and a wall timeout.

A PDF bomb, a hang or a crash in a parser becomes an error result, never a dead parent.
At most ``os.cpu_count()`` children run at once (a process-wide semaphore shared by all loops).

    result = await run(func, *args, timeout=30, mem_bytes=1 << 30)
    result.ok / result.value / result.error ("timeout" | "memory" | "crash" | "exception") / result.detail
"""
from __future__ import annotations

import asyncio
import importlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

log = logging.getLogger("shenbao.precheck.sandbox")

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEM = 1 << 30
CHILD_NICE = 10                                  # added to the niceness of the process that starts the child
PRELOAD = ["__main__", "precheck.files.tasks"]   # __main__ once in the server, not in every child

_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
_ctx = None
_ctx_lock = threading.Lock()


@dataclass(frozen=True)
class SandboxResult:
    ok: bool
    value: Any = None
    error: str | None = None          # timeout / memory / crash / exception
    detail: str = ""
    seconds: float = 0.0
    peak_rss_mib: float = 0.0         # the child's own peak resident memory (ru_maxrss), when it reported


class Named:
    """A child's function by module and name, imported in the child (the forkserver has it preloaded): the
    process that starts children need not import the parsers itself. ``run(Named("precheck.files.tasks",
    "analyse_file"), ...)`` runs as ``run(tasks.analyse_file, ...)`` would."""

    __slots__ = ("module", "__name__")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.__name__ = module, name

    def __call__(self, *args, **kwargs):
        return getattr(importlib.import_module(self.module), self.__name__)(*args, **kwargs)

    def __reduce__(self):
        return (Named, (self.module, self.__name__))

    def __repr__(self) -> str:
        return f"Named({self.module}:{self.__name__})"


def _context():
    global _ctx
    with _ctx_lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _ctx = ctx
        return _ctx


def confine(mem_bytes: int) -> None:
    """In a child: its own process group (a timeout also ends soffice or whatever it started), an address-space
    cap of ``mem_bytes``, no core dumps, a lower CPU priority (``CHILD_NICE``: reading a filing yields the CPU
    to the process that receives mail; it holds no lock anyone waits for). Shared by the analysis children
    and the warm OCR workers."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    try:
        os.nice(CHILD_NICE)
    except OSError:
        pass
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, hard))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass


def _child(conn, func, args, kwargs, mem_bytes: int) -> None:
    confine(mem_bytes)
    try:
        value = func(*args, **kwargs)
        conn.send(("ok", value, "", _peak_rss_mib()))
    except MemoryError:
        _send_error(conn, "memory", "memory limit reached")
    except BaseException as exc:  # the child reports everything; the parent decides
        text = f"{type(exc).__name__}: {exc}"
        kind = "memory" if "memory" in text.lower() or "std::bad_alloc" in text else "exception"
        _send_error(conn, kind, text[:2000], traceback.format_exc(limit=5)[-4000:])
    finally:
        conn.close()


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _send_error(conn, kind: str, text: str, tb: str = "") -> None:
    try:
        conn.send(("error", kind, text if not tb else f"{text}\n{tb}", _peak_rss_mib()))
    except Exception:
        pass


def run_sync(func: Callable, *args, timeout: float = DEFAULT_TIMEOUT, mem_bytes: int = DEFAULT_MEM,
             **kwargs) -> SandboxResult:
    """Blocking: run ``func(*args, **kwargs)`` in a fresh child; wait at most ``timeout`` seconds."""
    with _slots:
        return _run_child(func, args, kwargs, timeout, mem_bytes)


def _run_child(func, args, kwargs, timeout, mem_bytes) -> SandboxResult:
    ctx = _context()
    t0 = time.monotonic()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args, kwargs, mem_bytes), daemon=True)
    proc.start()
    child.close()
    msg = None
    try:
        if parent.poll(timeout):
            try:
                msg = parent.recv()
            except (EOFError, OSError):
                msg = None
        else:
            msg = ("error", "timeout", f"no result within {timeout:g} s")
    finally:
        parent.close()
        if msg is not None and msg[1] == "timeout" or proc.is_alive():
            proc.join(0.5)
            if proc.is_alive():
                _kill_group(proc)
        proc.join(5)
    secs = time.monotonic() - t0
    if msg is None:
        code = proc.exitcode
        kind = "memory" if code in (-9, -6) else "crash"
        return SandboxResult(False, None, kind, f"child died (exit code {code})", secs)
    rss = msg[3] if len(msg) > 3 else 0.0
    if msg[0] == "ok":
        return SandboxResult(True, msg[1], None, "", secs, rss)
    return SandboxResult(False, None, msg[1], msg[2], secs, rss)


def _kill_group(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        proc.kill()


async def run(func: Callable, *args, timeout: float = DEFAULT_TIMEOUT, mem_bytes: int = DEFAULT_MEM,
              **kwargs) -> SandboxResult:
    """Async wrapper: the blocking wait happens in a thread; the event loop stays free."""
    return await asyncio.to_thread(run_sync, func, *args, timeout=timeout, mem_bytes=mem_bytes, **kwargs)


def worker_count() -> int:
    return max(1, os.cpu_count() or 1)
