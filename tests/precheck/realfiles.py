"""The public test files kept outside the repository (../shared/realfiles, relative to the repo root)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / ".." / "shared" / "realfiles"


def real(name: str) -> bytes:
    return (ROOT / name).read_bytes()
