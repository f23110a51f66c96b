"""Benchmark the chatbot: accuracy on the held-out set (tests/bot/heldout/cases.jsonl) over the demo world, per kind;
``shenbao ask`` start-up (cold process, end to end); engine p50/p99 with all 32 units filed.

Run: ``.venv/bin/python benchmarks/bench_bot.py [--cases N] [--show]``. The demo world is the ten sample e-mails
through the real receiver and pipeline, then the cover letters' OCR as the demo runs it (tests_support/chat_eval.py).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests_support.scratch import scratch_dir  # noqa: E402

from config.call import load_call  # noqa: E402
from config.clock import FixedClock  # noqa: E402
from config.settings import load_settings  # noqa: E402
from core.archive import Archive  # noqa: E402
from core.services import Services  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


async def heldout(tmp: Path, cache: Path, limit: int | None, show: bool, ocr: float, sets: list[Path]) -> None:
    from bot.engine import Engine
    from models import close_db, init_db
    from tests_support.chat_eval import build_demo_world, load_cases

    call = load_call("2023")
    clock = FixedClock(datetime(2023, 3, 20, tzinfo=timezone.utc))
    env = {"SHENBAO_DATA_DIR": str(tmp / "world"), "SHENBAO_CACHE_DIR": str(cache)}
    s = Services(load_settings(env), call, clock, Archive(tmp / "world" / "archive"))
    await init_db(f"sqlite://{tmp}/world.sqlite3")
    try:
        t = time.perf_counter()
        n = await build_demo_world(s, clock, ocr_seconds=ocr)
        print(f"demo world: {n} receipts through Receiver + process_receipt, cover-letter OCR "
              f"{'≤ %.0f s' % ocr if ocr else 'skipped'}, in {time.perf_counter() - t:.1f} s")
        engine = Engine(s)
        t = time.perf_counter()
        engine.warm()
        print(f"engine warm-up (models from cache or trained, gazetteer): {time.perf_counter() - t:.2f} s")
        for path in sets:
            cases = load_cases(path)[:limit] if limit else load_cases(path)
            print(f"\n== {path.relative_to(REPO)}: {len(cases)} cases ==")
            await score(engine, clock, cases, show)
    finally:
        await close_db()


async def score(engine, clock, cases: list[dict], show: bool) -> None:
    from tests_support.chat_eval import play

    rep = await play(engine, clock, cases)
    ok_cases, n_cases = rep.cases_right()
    print(f"\nheld-out accuracy: {rep.right}/{rep.turns} turns = {rep.accuracy:.1%}; "
          f"{ok_cases}/{n_cases} cases = {ok_cases / n_cases:.1%}")
    print(f"{'kind':<16} {'turns':>7} {'right':>7} {'accuracy':>9}")
    for k, (a, b) in rep.per_kind().items():
        print(f"{k:<16} {b:>7} {a:>7} {a / b:>9.1%}")
    o = rep.outcomes()
    print(f"wrong while answering (a rule, verdict, record or open question, but not the expected one, or missing a "
          f"rule, term, part or verdict the case expects): "
          f"{o['wrong_answer']}/{rep.turns} = {o['wrong_answer'] / rep.turns:.1%}; wrong hold-backs (通知未明确 / "
          f"scope / ask-back where an answer was expected): {o['wrong_hold_back']}/{rep.turns} = "
          f"{o['wrong_hold_back'] / rep.turns:.1%}; held back in all: {o['held_back']}/{rep.turns} = "
          f"{o['held_back'] / rep.turns:.1%}")
    p50, p99 = rep.latency()
    print(f"engine on the demo world: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms ({rep.turns} turns)")
    if show:
        for r in rep.results:
            if not r.ok:
                print(f"✗ {r.case} [{r.turn}] {r.text} | {r.got} | {'; '.join(r.why)}")


async def all_filed(tmp: Path, cache: Path) -> None:
    from bot.access import Caller
    from bot.engine import Engine
    from models import close_db, init_db
    from tests.bot.seed import ON_TIME, add_submission, seed_all

    call = load_call("2023")
    clock = FixedClock(datetime(2023, 3, 26, 15, 0, tzinfo=timezone.utc))
    env = {"SHENBAO_DATA_DIR": str(tmp / "all"), "SHENBAO_CACHE_DIR": str(cache), "SHENBAO_OFFICERS_TELEGRAM": "9001"}
    s = Services(load_settings(env), call, clock, Archive(tmp / "all" / "archive"))
    await init_db(f"sqlite://{tmp}/all.sqlite3")
    try:
        await seed_all(s)
        for i, cp in enumerate(call.cp_cities):
            await add_submission(s, cp.province, at=ON_TIME + timedelta(hours=1, minutes=i),
                                 docs=[(f"{cp.city}实施方案.pdf", "plan", 9)], n=500 + i)
        engine = Engine(s)
        engine.warm()
        qs = ["我们的材料收到了吗", "我们还缺什么", "我们一共多少页 超没超", "实施方案最多几页", "山东报淄博和临沂两个行吗",
              "方案写了十二页 超了吗", "明天早上发行不行", "只发一个邮箱行吗", "中央补助最多多少 实施期几年 截止几号",
              "今天天气怎么样", "评审结果什么时候公布", "浙江呢"]
        provinces = call.province_names()
        times = {"contact": [], "officer": []}
        cpu = {"contact": [], "officer": []}          # CPU time too: on a loaded shared machine wall time waits
        for i in range(400):
            who = Caller("terminal", f"c{i % 40}", as_province=provinces[i % len(provinces)])
            t, c = time.perf_counter(), time.process_time()
            await engine.handle(who, qs[i % len(qs)])
            times["contact"].append(time.perf_counter() - t)
            cpu["contact"].append(time.process_time() - c)
        for q in ["总览", "谁还没交", "河南的材料怎么样", "有没有来路不明的邮件", "浙江几点到的"] * 20:
            t, c = time.perf_counter(), time.process_time()
            await engine.handle(Caller("telegram", "9001"), q)
            times["officer"].append(time.perf_counter() - t)
            cpu["officer"].append(time.process_time() - c)
        every = times["contact"] + times["officer"]
        every_cpu = cpu["contact"] + cpu["officer"]
        print(f"\nengine with all {len(provinces)} units filed (+{len(call.cp_cities)} 计划单列市 filings), load "
              f"{open('/proc/loadavg').read().split()[0]}:")
        for k, xs, cs in (("contacts and public", times["contact"], cpu["contact"]),
                          ("officers (register of all units)", times["officer"], cpu["officer"]),
                          ("all", every, every_cpu)):
            print(f"  {k:<34} n={len(xs):<4} p50={pct(xs, 50) * 1000:6.1f} ms  p99={pct(xs, 99) * 1000:6.1f} ms  "
                  f"(CPU p50={pct(cs, 50) * 1000:5.1f} ms  p99={pct(cs, 99) * 1000:5.1f} ms)")
    finally:
        await close_db()


def ask_startup(tmp: Path, cache: Path, runs: int = 7) -> None:
    """A rule question (no database) and data questions over the all-filed world of ``all_filed`` (its database,
    or a migrated empty one if that did not run): the register read with plain SQL, no ORM import."""
    exe = Path(sys.executable).parent / "shenbao"
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "cli.main"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    env.update(SHENBAO_DATA_DIR=str(tmp / "ask"), SHENBAO_CACHE_DIR=str(tmp / "ask-cache"))
    q = "山东报淄博和临沂两个行吗"
    t = time.perf_counter()
    subprocess.run([*argv, "ask", q], env=env, capture_output=True, check=True, cwd=REPO)
    first = time.perf_counter() - t

    def cold(args: list[str], env: dict) -> tuple[list[float], str]:
        xs = []
        for _ in range(runs):
            t = time.perf_counter()
            out = subprocess.run([*argv, "ask", *args], env=env, capture_output=True, text=True, check=True, cwd=REPO)
            xs.append(time.perf_counter() - t)
        return xs, out.stdout.splitlines()[0]

    xs, line = cold([q], env)
    print(f"\n`shenbao ask` cold process, end to end (load {open('/proc/loadavg').read().split()[0]}): first run "
          f"(builds the cache) {first:.2f} s; then median {statistics.median(xs):.2f} s, max {max(xs):.2f} s over "
          f"{runs} runs")
    print("  answer starts: " + line)
    db = tmp / "all.sqlite3"
    data_env = dict(env, DATABASE_URL=f"sqlite://{db}")
    world = "every unit filed (all_filed)" if db.exists() else "an empty database"
    if not db.exists():
        subprocess.run([*argv, "migrate"], env=data_env, capture_output=True, check=True, cwd=REPO)
    print(f"  data questions over {world}, the register read with plain SQL:")
    for args in (["--as-province", "广东省", "我们的材料收到了吗"], ["--officer", "谁还没交"], ["--officer", "总览"]):
        xs, line = cold(args, data_env)
        print(f"    {' '.join(args):<40} median {statistics.median(xs):.2f} s, max {max(xs):.2f} s  | {line}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=None, help="only the first N cases")
    ap.add_argument("--show", action="store_true", help="print every wrong turn")
    ap.add_argument("--set", action="append", type=Path, default=None, metavar="CASES.jsonl",
                    help="a held-out set to score (repeatable; default: both sets, tests/bot/heldout*/cases.jsonl)")
    ap.add_argument("--ocr-seconds", type=float, default=240.0, help="OCR budget for the cover letters (0: skip)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tmp = scratch_dir("bench_bot_")
    cache = tmp / "cache"
    sets = [p.resolve() for p in args.set] if args.set else sorted((REPO / "tests" / "bot").glob("heldout*/cases.jsonl"))
    asyncio.run(heldout(tmp, cache, args.cases, args.show, args.ocr_seconds, sets))
    asyncio.run(all_filed(tmp, cache))
    ask_startup(tmp, cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
