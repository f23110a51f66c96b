"""The CLI builds its parser without importing any command's code: `shenbao --help` loads no ORM, no
mail libraries, no chat dictionaries (issue 16: start-up cost must not grow with what the commands use)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("tortoise", "asyncpg", "aiosqlite", "aiosmtpd", "aioimaplib", "jieba", "pdfplumber", "pikepdf", "pypdfium2",
         "openpyxl", "telegram", "aiohttp", "apscheduler", "PIL", "asyncio", "models", "precheck", "intake", "bot",
         "demo", "core.register", "core.services", "config.call", "config.settings")


def test_help_imports_no_command_code():
    code = ("import json, sys; from cli.main import build_parser; build_parser().format_help(); "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout)
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


def test_help_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "cli.main", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0
    for cmd in ("intake", "register", "digest", "ask", "migrate", "demo"):
        assert cmd in out.stdout
