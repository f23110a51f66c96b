"""Warm OCR workers: a process that loads the OCR engine once and reads pages for as long as it stays healthy.

    pool = OcrPool(workers=1)
    res = await pool.read(data, "扫描件.pdf", "application/pdf", pages=[0, 1], timeout=120)
    res.ok, res.pages (PageText JSON dicts), res.error, res.seconds, res.cpu, res.peak_rss_mib
    pool.close()

Measured (docs/ocr-engine.md): a child per page costs 35–45 % more CPU than one warm process; a warm worker peaks
near 1.05 GiB resident and 1.8 GiB virtual. So each worker runs under RLIMIT_AS 3 GiB, and after every job the
parent reads its VmHWM from /proc and recycles it above 1.5 GiB (and after ``recycle_pages`` pages). A job that
overruns its timeout kills the worker's whole process group; the next job starts a fresh one. One engine thread
per worker; workers never run on the intake path.

The worker renders each page under the pixel budget (``ocr_engine``), reads its lines, finds ruled table cells,
and returns them as ``PageText`` JSON; it also OCRs the ring text of red seals found on the page (``seal_text``).
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("shenbao.precheck.ocr")

MEM_BYTES = 3 << 30
RECYCLE_RSS_MIB = 1536
RECYCLE_PAGES = 300
START_TIMEOUT = 120.0


@dataclass
class OcrResult:
    ok: bool
    pages: list[dict] = field(default_factory=list)
    error: str | None = None                   # timeout / memory / crash / exception
    detail: str = ""
    seconds: float = 0.0
    cpu: float = 0.0                           # worker CPU seconds for this job
    peak_rss_mib: float = 0.0


# ------------------------------------------------------------------ the worker process

def _serve(conn, mem_bytes: int) -> None:
    from precheck.sandbox import confine

    confine(mem_bytes)
    from precheck.reading import ocr_job

    try:
        ocr_job.warm()
        conn.send(("ready", None))
    except BaseException as exc:               # engine cannot start: say so once, then exit
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:2000]))
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        t0 = time.process_time()
        try:
            value = ocr_job.read_pages(*msg)
            conn.send(("ok", value, time.process_time() - t0))
        except MemoryError:
            conn.send(("error", "memory", "memory limit reached"))
            return
        except BaseException as exc:
            text = f"{type(exc).__name__}: {exc}"
            kind = "memory" if "bad_alloc" in text or "Failed to allocate" in text or "memory" in text.lower() else \
                "exception"
            conn.send(("error", kind, text[:2000]))
            if kind == "memory":
                return


def _status_mib(pid: int, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class OcrWorker:
    """One warm OCR process (blocking API; ``OcrPool`` runs it from threads)."""

    def __init__(self, *, mem_bytes: int = MEM_BYTES, recycle_rss_mib: float = RECYCLE_RSS_MIB,
                 recycle_pages: int = RECYCLE_PAGES):
        self.mem_bytes, self.recycle_rss_mib, self.recycle_pages = mem_bytes, recycle_rss_mib, recycle_pages
        self.proc = None
        self.conn = None
        self.pages_done = 0
        self.starts = 0
        self.last_peak_mib = 0.0
        self.max_peak_mib = 0.0                 # highest VmHWM seen over all the worker's processes

    def _start(self) -> None:
        ctx = multiprocessing.get_context("forkserver")
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, self.mem_bytes), daemon=True, name="shenbao-ocr")
        self.proc.start()
        child.close()
        self.conn = parent
        self.pages_done = 0
        self.starts += 1
        if not parent.poll(START_TIMEOUT):
            self.stop(kill=True)
            raise RuntimeError("OCR worker did not start")
        msg = parent.recv()
        if msg[0] != "ready":
            self.stop(kill=True)
            raise RuntimeError(f"OCR engine failed to start: {msg[1]}")
        log.info("OCR worker %s started", self.proc.pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive()

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        try:
            if not kill and self.conn is not None:
                self.conn.send(None)
                self.proc.join(5)
        except (OSError, BrokenPipeError):
            pass
        if self.proc.is_alive():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                self.proc.kill()
            self.proc.join(5)
        try:
            if self.conn is not None:
                self.conn.close()
        except OSError:
            pass
        self.proc, self.conn = None, None

    def read(self, data: bytes, family: str, pages: list[int], *, timeout: float, seals: bool = True) -> OcrResult:
        t0 = time.monotonic()
        try:
            if not self.alive():
                self._start()
        except RuntimeError as exc:
            return OcrResult(False, error="crash", detail=str(exc), seconds=time.monotonic() - t0)
        pid = self.proc.pid
        try:
            self.conn.send((data, family, pages, seals))
            ready = self.conn.poll(timeout)
            msg = self.conn.recv() if ready else None
        except (EOFError, OSError, BrokenPipeError):
            msg, ready = None, True
        secs = time.monotonic() - t0
        peak = _status_mib(pid, "VmHWM")
        self.last_peak_mib = peak
        self.max_peak_mib = max(self.max_peak_mib, peak)
        if not ready:
            self.stop(kill=True)
            return OcrResult(False, error="timeout", detail=f"no result within {timeout:g} s", seconds=secs,
                             peak_rss_mib=peak)
        if msg is None:
            code = self.proc.exitcode if self.proc else None
            self.stop(kill=True)
            return OcrResult(False, error="memory" if code in (-9, -6, None) else "crash",
                             detail=f"OCR worker died (exit code {code})", seconds=secs, peak_rss_mib=peak)
        if msg[0] == "error":
            if not self.alive():
                self.stop(kill=True)
            return OcrResult(False, error=msg[1], detail=msg[2], seconds=secs, peak_rss_mib=peak)
        self.pages_done += len(pages)
        if peak > self.recycle_rss_mib or self.pages_done >= self.recycle_pages:
            log.info("OCR worker %s recycled (VmHWM %.0f MiB, %d pages)", pid, peak, self.pages_done)
            self.stop()
        return OcrResult(True, msg[1], seconds=secs, cpu=msg[2], peak_rss_mib=peak)


class OcrPool:
    """``workers`` warm OCR processes; ``read`` waits (in a thread, the event loop stays free) for a free one."""

    def __init__(self, workers: int = 1, **kw):
        self.workers = [OcrWorker(**kw) for _ in range(max(1, workers))]
        self._free = list(self.workers)
        self._cond = threading.Condition()

    def read_sync(self, data: bytes, family: str, pages: list[int], *, timeout: float, seals: bool = True) -> OcrResult:
        with self._cond:
            while not self._free:
                self._cond.wait()
            w = self._free.pop()
        try:
            return w.read(data, family, pages, timeout=timeout, seals=seals)
        finally:
            with self._cond:
                self._free.append(w)
                self._cond.notify()

    async def read(self, data: bytes, filename: str, content_type: str, pages: list[int], *,
                   timeout: float | None = None, seals: bool = True) -> OcrResult:
        from precheck.files.sniff import sniff

        family = sniff(data, filename, content_type).family
        if family not in ("pdf", "image", "ofd"):
            return OcrResult(False, error="exception", detail=f"cannot OCR a {family} file")
        timeout = timeout or 60.0 * max(1, len(pages)) + 30
        return await asyncio.to_thread(self.read_sync, data, family, pages, timeout=timeout, seals=seals)

    def close(self) -> None:
        for w in self.workers:
            w.stop()


_default: OcrPool | None = None


def default_pool(workers: int | None = None) -> OcrPool:
    """The process's pool (created on first use; ``workers`` only counts then)."""
    global _default
    if _default is None:
        _default = OcrPool(workers or 1)
    return _default


def close_default_pool() -> None:
    global _default
    if _default is not None:
        _default.close()
        _default = None
