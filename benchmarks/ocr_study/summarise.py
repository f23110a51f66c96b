"""Markdown tables from the JSON that ``measure run`` printed (one file per configuration).

    python -m benchmarks.ocr_study.summarise RESULTS_DIR [name ...]
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def group_of(p: dict) -> str:
    if p["degr"] == "scan":
        return f"scan {p['dpi']}"
    return p["degr"].split(" ")[0] if not p["degr"].startswith("skew") else "skew"


def fmt(x: float) -> str:
    return f"{100 * x:.2f}"


def summary_row(name: str, d: dict) -> str:
    ps = d["pages"]
    c = [p["cer"] for p in ps]
    b = [p["bag"] for p in ps]
    cpu = [p["cpu_s"] for p in ps]
    wall = [p["wall_s"] for p in ps]
    peak = d["end"]
    hwm = max(peak["VmHWM"], d.get("child_maxrss_mib", 0))
    cs = sorted(c)
    return (f"| {name} | {len(ps)} | {fmt(statistics.median(c))} | {fmt(statistics.mean(c))} | "
            f"{fmt(cs[int(0.9 * (len(cs) - 1))])} | {fmt(cs[-1])} | {sum(x == 0 for x in c)} | "
            f"{fmt(statistics.median(b))} | {statistics.median(cpu):.1f} | {statistics.mean(cpu):.1f} | "
            f"{statistics.mean(wall):.1f} | {d['load']['wall_s']:.1f} | {hwm} | {peak['VmPeak']} |")


def by(name: str, d: dict, key) -> dict:
    out: dict[str, list[float]] = {}
    for p in d["pages"]:
        out.setdefault(key(p), []).append(p["cer"])
    return {k: statistics.mean(v) for k, v in out.items()}


def main(argv=None):
    argv = argv or sys.argv[1:]
    root = Path(argv[0])
    names = argv[1:] or sorted(p.stem for p in root.glob("*.json") if not p.stem.startswith(("cal", "patch-")))
    runs = {n: json.loads((root / f"{n}.json").read_text(encoding="utf-8")) for n in names
            if (root / f"{n}.json").exists()}
    for n, d in runs.items():                 # patch-NAME.json: the same configuration re-run on some pages
        patch = root / f"patch-{n}.json"        # (after the harness learnt to undo skew before ordering rows)
        if patch.exists():
            new = {p["id"]: p for p in json.loads(patch.read_text(encoding="utf-8"))["pages"]}
            d["pages"] = [new.get(p["id"], p) for p in d["pages"]]
    print("| config | pages | CER median % | CER mean % | CER p90 % | CER max % | pages CER 0 | bag err median % "
          "| CPU s/page median | CPU s/page mean | wall s/page mean | load s | peak RSS MiB (VmHWM) | VmPeak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, d in runs.items():
        print(summary_row(n, d))
    for title, key in (("document", lambda p: p["doc"]), ("scan / degradation", group_of)):
        cols = sorted({key(p) for d in runs.values() for p in d["pages"]})
        print(f"\nmean CER % by {title}\n")
        print("| config | " + " | ".join(cols) + " |")
        print("|---|" + "---|" * len(cols))
        for n, d in runs.items():
            m = by(n, d, key)
            print(f"| {n} | " + " | ".join(fmt(m[c]) if c in m else "" for c in cols) + " |")


if __name__ == "__main__":
    main()
