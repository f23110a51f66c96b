"""Benchmark scratch directories go when the run ends (a deadline-night run writes gigabytes), unless kept."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROG = "from tests_support.scratch import scratch_dir; p = scratch_dir('bench-t-'); (p / 'x').write_text('1'); print(p)"


def run(keep: bool) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "SHENBAO_BENCH_KEEP"}
    if keep:
        env["SHENBAO_BENCH_KEEP"] = "1"
    out = subprocess.run([sys.executable, "-c", PROG], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_scratch_is_removed_at_exit_and_kept_on_request():
    gone = run(keep=False)
    assert gone.name.startswith("bench-t-") and not gone.exists()
    kept = run(keep=True)
    try:
        assert (kept / "x").read_text() == "1"
    finally:
        import shutil
        shutil.rmtree(kept, ignore_errors=True)
