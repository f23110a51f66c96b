"""Run the ``shenbao`` console script as a subprocess, with a clean environment (no site settings)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shenbao_argv() -> list[str]:
    script = Path(sys.executable).parent / "shenbao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any SHENBAO_* or DATABASE_URL, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    env.update(extra)
    return env


def shenbao(*args: str, env: dict[str, str] | None = None, timeout: float = 300,
            stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*shenbao_argv(), *args], cwd=REPO, env=env or clean_env(), input=stdin,
                          capture_output=True, text=True, timeout=timeout)
