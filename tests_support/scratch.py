"""Scratch directories for benchmarks: removed when the run ends, kept with SHENBAO_BENCH_KEEP=1.

A deadline-night run writes 2–5 GB (the archive, the floor client's copies, Dovecot's mail); runs that kept them
filled this machine's disk. The path is printed either way, so a kept run can be inspected."""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path


def scratch_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.environ.get("SHENBAO_BENCH_KEEP") != "1":
        atexit.register(_remove, path)
    return path


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    print(f"(scratch {path} removed; SHENBAO_BENCH_KEEP=1 keeps it)", file=sys.stderr)
