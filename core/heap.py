"""Keep a long-running process's heap from holding freed memory (glibc malloc).

Measured in the intake under bench_load's deadline-night load: 325 MB obtained from the system, 22 MB in use.
Large buffers (IMAP chunks, spool batches, attachment reads) are allocated and freed in worker threads; glibc
gives each thread its own arena and, once a large block has been freed, raises its mmap threshold (up to
32 MiB), so later large buffers come from the arenas' heaps, which are not given back. Fixing the threshold
(so every block of 128 KiB and more is its own mapping, unmapped when freed) and capping the arenas keeps the
resident size near what is in use. Not glibc (musl, macOS): nothing is done.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("shenbao.core.heap")

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 128 * 1024     # glibc's default start value; setting it explicitly stops its dynamic growth
TRIM_THRESHOLD = 4 * 2**20      # free heap top beyond this is returned
ARENAS = 2


def bound_heap() -> bool:
    """Set the malloc parameters above for this process; True when glibc accepted them."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    ok = all(mallopt(param, value) == 1 for param, value in (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_ARENA_MAX, ARENAS)))
    if not ok:
        log.warning("malloc tuning not accepted by this C library")
    return ok
