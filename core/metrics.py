"""Process-local metrics with no dependency: counters, gauges and histograms, and a snapshot file.

Each process (intake, bot) keeps its own registry. The intake process writes a snapshot to
``<data dir>/run/metrics-intake.json`` every few seconds (``SnapshotWriter``); the bot process, which serves
/healthz and Prometheus, reads it with ``read_snapshot`` and exports its samples as they are. The format
(described in docs/metrics.md) is a stable contract:

    {"format": 1, "process": "intake", "pid": 123, "written_at": 1700000000.0,
     "metrics": [{"name": "shenbao_loop_lag_seconds", "type": "gauge", "help": "...",
                  "samples": [{"labels": {}, "value": 0.003}]}, ...]}

Histogram samples follow Prometheus: ``{"labels": {"le": "0.1"}, "value": n, "suffix": "_bucket"}``, then
``_sum`` and ``_count``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import threading
import time
from pathlib import Path

log = logging.getLogger("shenbao.metrics")
FORMAT = 1
PREFIX = "shenbao_"


def _key(labels: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in labels.items()))


class _Value:
    def __init__(self) -> None:
        self.value = 0.0
        self._lock = threading.Lock()


class Counter(_Value):
    def inc(self, n: float = 1.0) -> None:
        with self._lock:
            self.value += n


class Gauge(_Value):
    def set(self, v: float) -> None:
        self.value = float(v)

    def set_max(self, v: float) -> None:
        with self._lock:
            self.value = max(self.value, float(v))


class Histogram:
    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.buckets = tuple(sorted(buckets)) + (math.inf,)
        self.counts = [0] * len(self.buckets)
        self.sum = 0.0
        self.count = 0
        self._lock = threading.Lock()

    def observe(self, v: float) -> None:
        with self._lock:
            self.sum += v
            self.count += 1
            for i, b in enumerate(self.buckets):
                if v <= b:
                    self.counts[i] += 1
                    break

    def samples(self, labels: dict) -> list[dict]:
        out, acc = [], 0
        for b, n in zip(self.buckets, self.counts):
            acc += n
            out.append({"labels": {**labels, "le": "+Inf" if b == math.inf else repr(b)}, "value": acc,
                        "suffix": "_bucket"})
        out.append({"labels": labels, "value": self.sum, "suffix": "_sum"})
        out.append({"labels": labels, "value": self.count, "suffix": "_count"})
        return out


class Registry:
    def __init__(self) -> None:
        self._families: dict[str, dict] = {}
        self._lock = threading.Lock()

    def _get(self, kind: str, name: str, help_: str, labels: dict, factory):
        name = name if name.startswith(PREFIX) else PREFIX + name
        with self._lock:
            fam = self._families.setdefault(name, {"type": kind, "help": help_, "children": {}})
            if fam["type"] != kind:
                raise ValueError(f"metric {name} is a {fam['type']}, not a {kind}")
            k = _key(labels)
            if k not in fam["children"]:
                fam["children"][k] = (dict((a, str(b)) for a, b in labels.items()), factory())
            return fam["children"][k][1]

    def counter(self, name: str, help_: str = "", **labels) -> Counter:
        return self._get("counter", name, help_, labels, Counter)

    def gauge(self, name: str, help_: str = "", **labels) -> Gauge:
        return self._get("gauge", name, help_, labels, Gauge)

    def histogram(self, name: str, help_: str = "", buckets: tuple[float, ...] = (0.01, 0.1, 1.0), **labels) -> Histogram:
        return self._get("histogram", name, help_, labels, lambda: Histogram(buckets))

    def snapshot(self, process: str) -> dict:
        metrics = []
        with self._lock:
            families = [(n, dict(f), list(f["children"].values())) for n, f in sorted(self._families.items())]
        for name, fam, children in families:
            samples = []
            for labels, m in children:
                if isinstance(m, Histogram):
                    samples += m.samples(labels)
                else:
                    samples.append({"labels": labels, "value": m.value})
            metrics.append({"name": name, "type": fam["type"], "help": fam["help"], "samples": samples})
        return {"format": FORMAT, "process": process, "pid": os.getpid(), "written_at": time.time(),
                "metrics": metrics}

    def clear(self) -> None:
        with self._lock:
            self._families.clear()


REGISTRY = Registry()
counter = REGISTRY.counter
gauge = REGISTRY.gauge
histogram = REGISTRY.histogram


def snapshot_path(data_dir: Path, process: str) -> Path:
    return Path(data_dir) / "run" / f"metrics-{process}.json"


def write_snapshot(path: Path, process: str, registry: Registry = REGISTRY) -> None:
    """Atomically replace ``path`` with the registry's snapshot (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(registry.snapshot(process), ensure_ascii=False))
    os.replace(tmp, path)


def read_snapshot(path: Path, *, max_age: float | None = 60.0) -> dict | None:
    """The snapshot another process wrote, or None if absent, unreadable or older than ``max_age`` seconds."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    if data.get("format") != FORMAT:
        return None
    if max_age is not None and time.time() - float(data.get("written_at", 0)) > max_age:
        return None
    return data


def sample(snap: dict | None, name: str, **labels) -> float | None:
    """One sample's value from a snapshot (tests, /healthz)."""
    name = name if name.startswith(PREFIX) else PREFIX + name
    for m in (snap or {}).get("metrics", []):
        if m["name"] == name:
            for s in m["samples"]:
                if not s.get("suffix") and all(s["labels"].get(k) == str(v) for k, v in labels.items()):
                    return s["value"]
    return None


class SnapshotWriter:
    """Write the snapshot every ``interval`` seconds while the process runs (and once at stop)."""

    def __init__(self, path: Path, process: str, interval: float = 5.0, registry: Registry = REGISTRY):
        self.path, self.process, self.interval, self.registry = Path(path), process, interval, registry

    def write(self) -> None:
        try:
            write_snapshot(self.path, self.process, self.registry)
        except OSError as exc:
            log.warning("could not write metrics snapshot %s: %s", self.path, exc)

    async def run(self) -> None:
        try:
            while True:
                await asyncio.to_thread(self.write)
                await asyncio.sleep(self.interval)
        finally:
            self.write()


def _esc(v: str) -> str:
    return str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def exposition(*snaps: dict | None) -> bytes:
    """Snapshots as Prometheus text (the bot's ``/metrics`` appends the intake's and its worker's to its own
    figures); a family both processes have (loop lag, labelled by process) is written once, samples merged."""
    families: dict[str, tuple[dict, list]] = {}
    for snap in snaps:
        for m in (snap or {}).get("metrics", []):
            families.setdefault(m["name"], (m, []))[1].extend(m["samples"])
    out = []
    for name, (m, samples) in families.items():
        out.append(f"# HELP {name} {m.get('help') or name}")
        out.append(f"# TYPE {name} {m['type']}")
        for s in samples:
            labels = ",".join(f'{k}="{_esc(v)}"' for k, v in sorted(s["labels"].items()))
            out.append(f"{name}{s.get('suffix', '')}{'{' + labels + '}' if labels else ''} {float(s['value'])!r}")
    return ("\n".join(out) + "\n").encode() if out else b""
