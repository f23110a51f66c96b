"""Benchmark the chatbot: reply latency p50/p99 for status and rule questions, in-process (engine) and through
Telegram (python-telegram-bot polling a local fake Bot API), with every unit of the call filed; and intent
accuracy on the question set.  Run: ``.venv/bin/python benchmarks/bench_bot.py``."""
from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.call import load_call  # noqa: E402
from config.clock import FixedClock  # noqa: E402
from config.settings import load_settings  # noqa: E402
from core.archive import Archive  # noqa: E402
from core.services import Services  # noqa: E402

N = 200
STATUS_QS = ["我们的材料收到了吗？", "哪里有问题？", "还差什么？", "/status"]
RULE_QS = ["实施方案最多几页？", "截止时间是什么时候？", "需要附哪些材料？", "山东能报青岛和济南两个吗？",
           "只发了一个邮箱可以吗", "联系人电话？", "中央补助最多多少钱", "A3的预算表怎么算页数？"]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def line(name: str, xs: list[float]) -> str:
    ms = [x * 1000 for x in xs]
    return f"{name:<34} n={len(ms):<4} p50={pct(ms, 50):7.1f} ms  p99={pct(ms, 99):7.1f} ms  max={max(ms):7.1f} ms"


async def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    from bot.access import Caller
    from bot.engine import Engine
    from models import close_db, init_db
    from tests.bot.questions import QUESTIONS
    from tests.bot.seed import ON_TIME, add_submission, seed, seed_all

    tmp = Path(tempfile.mkdtemp(prefix="bench_bot_"))
    call = load_call("2023")
    clock = FixedClock(datetime(2023, 3, 26, 15, 0, tzinfo=timezone.utc))
    env = {"SHENBAO_DATA_DIR": str(tmp), "SHENBAO_OFFICERS_TELEGRAM": "9001"}
    services = Services(load_settings(env), call, clock, Archive(tmp / "archive"))
    await init_db(f"sqlite://{tmp}/bench.sqlite3")
    try:
        t = time.perf_counter()
        await seed_all(services)
        for i, cp in enumerate(call.cp_cities):          # the five 计划单列市 file too: 37 submissions in all
            await add_submission(services, cp.province, at=ON_TIME + timedelta(hours=1, minutes=i),
                                 docs=[(f"{cp.city}实施方案.pdf", "plan", 9)], n=500 + i)
        print(f"loaded {len(call.provinces)} units + {len(call.cp_cities)} 计划单列市 submissions "
              f"in {time.perf_counter() - t:.1f} s")
        engine = Engine(services)
        t = time.perf_counter()
        engine.warm()
        print(f"engine warm-up (jieba, place-name tagger, OpenCC): {time.perf_counter() - t:.2f} s")
        provinces = call.province_names()
        await engine.handle(Caller("terminal", "w", as_province="广东省"), "我们的材料收到了吗？")   # warm up
        status_t, rule_t = [], []
        for i in range(N):
            who = Caller("terminal", f"c{i}", as_province=provinces[i % len(provinces)])
            q = STATUS_QS[i % len(STATUS_QS)] if i % 2 == 0 else RULE_QS[i % len(RULE_QS)]
            t = time.perf_counter()
            await engine.handle(who, q)
            (status_t if i % 2 == 0 else rule_t).append(time.perf_counter() - t)
        print(line("engine: status questions", status_t))
        print(line("engine: rule questions", rule_t))
        print(line("engine: all", status_t + rule_t))
        officer_t = []
        for _ in range(20):
            t = time.perf_counter()
            await engine.handle(Caller("telegram", "9001"), "总览")
            officer_t.append(time.perf_counter() - t)
        print(line("engine: officer overview (all units)", officer_t))

        from bot import telegram as tg
        from tests.bot.fake_telegram import FakeBotAPI

        fake = await FakeBotAPI().start()
        app = tg.build_application(engine, fake.token, base_url=fake.base_url, read_timeout=5)
        await tg.start(app, poll_timeout=1)
        from bot.access import issue_code

        code, _ = await issue_code(services, "广东省", actor="bench")
        fake.push_text(f"/bind {code}", user_id=7)
        await fake.wait_sent(1)
        tg_t = []
        try:
            for i in range(N):
                q = STATUS_QS[i % len(STATUS_QS)] if i % 2 == 0 else RULE_QS[i % len(RULE_QS)]
                n = len(fake.sent)
                t = time.perf_counter()
                fake.push_text(q, user_id=7)
                await fake.wait_sent(n + 1)
                while True:                                 # a long answer may come in several messages
                    await asyncio.sleep(0)
                    if len(fake.sent) == n + 1:
                        break
                tg_t.append(time.perf_counter() - t)
        finally:
            await tg.stop(app)
            await fake.stop()
        print(line("telegram → fake Bot API (polling)", tg_t))

        await close_db()
        await init_db(f"sqlite://{tmp}/questions.sqlite3")
        await seed(services)
        who = {"public": Caller("telegram", "100"), "hn": Caller("terminal", "x", as_province="湖南省"),
               "gd": Caller("terminal", "y", as_province="广东省"), "officer": Caller("telegram", "9001")}
        right = 0
        for role, q, intent, facts in QUESTIONS:
            r = await engine.handle(who[role], q)
            right += r.intent == intent and all(f in r.text for f in facts)
        print(f"intent accuracy on the question set: {right}/{len(QUESTIONS)} = {right / len(QUESTIONS):.1%} "
              "(the set was written with the classifier; expect less on unseen phrasing)")
    finally:
        await close_db()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
