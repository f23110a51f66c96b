"""Corpus run: ``shenbao analyse --json`` over every file under a folder, one process per file (as an
officer would run it), and a table per format: opened / counted / finding / crash / timeout, with the
peak RSS of the analysis (the largest process: the CLI or one of its sandbox children).

    .venv/bin/python benchmarks/bench_corpus.py DIR [--timeout 120] [--jobs 1] [--json out.json]

opened   the file was read (no unreadable/encrypted/unsupported finding on it, no crash, no timeout)
counted  it has an A4 page count (for an archive or a mail: every file inside has one)
finding  a problem was reported in Chinese (unreadable_attachment, encrypted_attachment, split_archive_incomplete,
         unsupported_attachment_type) — the right outcome for a damaged, locked or partial file
crash    the CLI exited non-zero or printed no JSON, or a sandbox child died
timeout  the CLI ran past --timeout, or a sandbox child was ended for time
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBLEM_CODES = {"unreadable_attachment", "encrypted_attachment", "split_archive_incomplete",
                 "unsupported_attachment_type"}


def shenbao_cmd() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "shenbao"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("shenbao")
    return [found] if found else [sys.executable, "-m", "cli.main"]


def groups(files: list[Path]) -> list[list[Path]]:
    """One run per file, except the volumes of one split set (``资料.7z.001``…, ``资料.z01``… ``资料.zip``),
    which go to one run together, as they arrive together in one mail."""
    sys.path.insert(0, str(ROOT))
    from precheck.files.volumes import volume_name

    sets: dict[tuple, list[Path]] = {}
    out: list[list[Path]] = []
    for f in files:
        vn = volume_name(f.name)
        if vn is None:
            continue
        sets.setdefault((f.parent, vn.base.lower()), []).append(f)
    in_set = {p for g in sets.values() for p in g}
    for f in files:
        if f in in_set:
            continue
        key = (f.parent, f.name.lower()[:-4]) if f.name.lower().endswith(".zip") else None
        if key in sets:
            sets[key].append(f)
            continue
        out.append([f])
    return out + [sorted(g) for g in sets.values()]


def run_one(paths: list[Path], timeout: float) -> dict:
    path = paths[0]
    cmd = shenbao_cmd() + ["analyse", "--json", "--timeout", str(min(timeout, 60))] + [str(p) for p in paths]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"), start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return {"file": str(path), "outcome": "timeout", "seconds": round(time.monotonic() - t0, 1), "rss_mib": 0}
    row = {"file": str(path), "seconds": round(time.monotonic() - t0, 2), "rss_mib": 0.0}
    try:
        res = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        row.update(outcome="crash", detail=err.decode("utf-8", "replace")[-300:])
        return row
    row.update(classify(res))
    # the CLI's own peak and the largest sandbox child's (each child reports its ru_maxrss with its result)
    row["rss_mib"] = max(res.get("peak_rss_mib") or 0, res.get("peak_child_rss_mib") or 0)
    return row


def classify(res: dict) -> dict:
    docs = res.get("documents") or []
    if not docs:
        return {"outcome": "crash", "fmt": "?", "detail": "no document"}
    top = docs[0]
    fmt = top.get("fmt") or "?"
    errors = [d.get("sandbox_error") for d in docs if d.get("sandbox_error")]
    if "timeout" in errors:
        return {"outcome": "timeout", "fmt": fmt}
    if "crash" in errors:
        return {"outcome": "crash", "fmt": fmt}
    problems = [f for d in docs for f in d.get("findings", []) if f.get("code") in PROBLEM_CODES]
    leaves = [d for d in docs if not d.get("container")]
    counted = bool(leaves) and all(d.get("pages") is not None for d in leaves)
    opened = not any(f for f in top.get("findings", []) if f.get("code") in PROBLEM_CODES)
    return {"outcome": "finding" if problems else ("counted" if counted else "opened"), "fmt": fmt,
            "opened": opened, "counted": counted, "problems": [f.get("message") for f in problems][:3],
            "documents": len(docs)}


def table(rows: list[dict]) -> str:
    by = defaultdict(lambda: defaultdict(int))
    rss = defaultdict(float)
    for r in rows:
        f = r.get("fmt", "?")
        by[f]["files"] += 1
        by[f]["opened"] += bool(r.get("opened"))
        by[f]["counted"] += bool(r.get("counted"))
        by[f]["finding"] += r.get("outcome") == "finding"
        by[f]["crash"] += r.get("outcome") == "crash"
        by[f]["timeout"] += r.get("outcome") == "timeout"
        rss[f] = max(rss[f], r.get("rss_mib") or 0)
    cols = ("files", "opened", "counted", "finding", "crash", "timeout")
    lines = [f"{'format':<8}" + "".join(f"{c:>9}" for c in cols) + f"{'peak RSS':>11}"]
    total = defaultdict(int)
    for f in sorted(by):
        lines.append(f"{f:<8}" + "".join(f"{by[f][c]:>9}" for c in cols) + f"{rss[f]:>8.0f} MiB")
        for c in cols:
            total[c] += by[f][c]
    lines.append(f"{'all':<8}" + "".join(f"{total[c]:>9}" for c in cols) + f"{max(rss.values(), default=0):>8.0f} MiB")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per file for the whole CLI run")
    ap.add_argument("--jobs", type=int, default=1, help="files at once (the machine has 2 cores; default 1)")
    ap.add_argument("--json", type=Path, help="write every file's row here")
    args = ap.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.is_file())
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(lambda g: run_one(g, args.timeout), groups(files)))
    for r in rows:
        if r.get("outcome") in ("crash", "timeout"):
            print(f"  {r['outcome']:>7}: {r['file']} {r.get('detail', '')[:160]}")
    print(table(rows))
    print(f"{len(files)} files ({len(rows)} runs: a split set is one run) in {time.monotonic() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
