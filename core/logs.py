"""Logging for both processes: quiet for people, JSON lines as an option, and an outage is one line
with a count — not a traceback per retry.

``OutageCollapse`` is a filter on the root handlers: the first record of a kind (same logger, same
message template, same exception type) passes — with a one-line exception summary instead of the
traceback when the exception is a connection/outage error — and repeats within ``window`` seconds are
counted, then reported once as ``… (repeated N times in 60 s)`` when the next one arrives after the
window. A PostgreSQL outage that used to print ~257 traceback lines a minute prints about two lines.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime, timezone

OUTAGE_NAMES = frozenset({"ConnectionRefusedError", "ConnectionResetError", "ConnectionError", "TimeoutError",
                          "OSError", "gaierror", "OperationalError", "DBConnectionError", "InterfaceError",
                          "CannotConnectNowError", "ConnectionDoesNotExistError", "PostgresConnectionError",
                          "ConnectionFailureError", "AdminShutdownError", "TooManyConnectionsError",
                          "StorageUnavailable", "TransientError"})
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def is_outage(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 5:
        if type(exc).__name__ in OUTAGE_NAMES:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class OutageCollapse(logging.Filter):
    def __init__(self, window: float = 60.0, clock=time.monotonic):
        super().__init__()
        self.window, self.clock = window, clock
        self._seen: dict[tuple, list] = {}          # key -> [first_at, repeats since last line]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc = record.exc_info[1] if record.exc_info else None
        key = (record.name, str(record.msg), type(exc).__name__ if exc else None)
        now = self.clock()
        st = self._seen.get(key)
        if st is not None and now - st[0] < self.window:
            st[1] += 1
            return False
        if st is not None and st[1]:
            record.msg = f"{record.msg} (repeated {st[1]} times in the last {now - st[0]:.0f} s)"
        self._seen[key] = [now, 0]
        if len(self._seen) > 1000:
            self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
        if exc is not None and is_outage(exc):      # an outage is not a bug: one line, no traceback
            record.msg = f"{record.msg}: {type(exc).__name__}: {str(exc)[:300]}"
            record.exc_info, record.exc_text = None, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC ISO), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        for k in ("receipt", "province", "incident"):
            if hasattr(record, k):
                out[k] = getattr(record, k)
        return json.dumps(out, ensure_ascii=False)


def configure(*, verbose: bool, daemon: bool, json_logs: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format=TEXT_FORMAT, force=True)
    handler = logging.getLogger().handlers[0]
    if json_logs:
        handler.setFormatter(JsonFormatter())
    handler.addFilter(OutageCollapse())
    if daemon and not verbose:
        logging.getLogger("shenbao").setLevel(logging.INFO)
