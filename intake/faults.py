"""Crash-test pause points: inert unless a test names the point.

- ``SHENBAO_FAULT_PAUSE=<point>``: write the marker file and hang until killed (tests SIGKILL the pid there).
- ``SHENBAO_FAULT_HOLD=<point>``: when the test has created ``<marker>.arm``, remove it, write the marker file and
  wait until the test deletes the marker, then go on: the test changes the world (fills the disk, stops the
  database) at exactly that step, as often as it arms it.
"""
from __future__ import annotations

import asyncio
import os
import time

async def pause_point(name: str) -> None:
    """When the test asks for this point: write the marker file and hang until killed, or until released."""
    marker = os.environ.get("SHENBAO_FAULT_MARKER")
    hold = os.environ.get("SHENBAO_FAULT_HOLD") == name and bool(marker) and os.path.exists(f"{marker}.arm")
    if os.environ.get("SHENBAO_FAULT_PAUSE") != name and not hold:
        return
    if marker:
        with open(marker, "w") as f:
            f.write(f"{os.getpid()} {name} {time.time()}\n")
    if hold:
        os.unlink(f"{marker}.arm")
        while os.path.exists(marker):
            await asyncio.sleep(0.05)
        return
    while True:
        await asyncio.sleep(3600)
