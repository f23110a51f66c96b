"""Crash-test pause points: inert unless SHENBAO_FAULT_PAUSE names the point (tests kill the pid there)."""
from __future__ import annotations

import asyncio
import os
import time


async def pause_point(name: str) -> None:
    """When the test asks for this point: write the marker file and hang until killed."""
    if os.environ.get("SHENBAO_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("SHENBAO_FAULT_MARKER")
    if marker:
        with open(marker, "w") as f:
            f.write(f"{os.getpid()} {name} {time.time()}\n")
    while True:
        await asyncio.sleep(3600)
