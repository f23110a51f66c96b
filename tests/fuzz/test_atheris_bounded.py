"""Every atheris target runs for a bounded time in the normal test run (SHENBAO_FUZZ_SECONDS, default 5 s
each), and every crash the fuzzers ever found (tests/fuzz/crashes/) is replayed through its target.
Long runs: scripts/fuzz.sh TARGET SECONDS."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGETS = ["mime", "unpack", "pages", "intent", "wecom"]
SECONDS = int(os.environ.get("SHENBAO_FUZZ_SECONDS", "5"))
CRASHES = sorted((REPO / "tests/fuzz/crashes").iterdir())


def _fuzz(target: str, *args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / f"fuzz/fuzz_{target}.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("target", TARGETS)
def test_bounded_fuzz_run_finds_nothing(target, tmp_path):
    r = _fuzz(target, f"-max_total_time={SECONDS}", "-rss_limit_mb=2048", "-timeout=20",
              f"-artifact_prefix={tmp_path}/", str(tmp_path / "corpus"), timeout=SECONDS + 120)
    crashes = list(tmp_path.glob("crash-*")) + list(tmp_path.glob("timeout-*")) + list(tmp_path.glob("oom-*"))
    assert r.returncode == 0 and not crashes, r.stderr[-3000:]
    runs = [ln for ln in r.stderr.splitlines() if ln.startswith("Done ")]
    assert runs, r.stderr[-2000:]
    print(f"{target}: {runs[-1]}")


@pytest.mark.parametrize("crash", CRASHES, ids=[c.name for c in CRASHES])
def test_every_crash_found_is_fixed(crash):
    target = crash.name.split("-", 1)[0]
    r = _fuzz(target, str(crash), timeout=120)            # libFuzzer runs a file argument once
    assert r.returncode == 0, r.stderr[-3000:]
