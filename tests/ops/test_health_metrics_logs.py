"""Operations: /healthz (database, watchers, worker, outbox) and /metrics of the bot process's web server,
JSON log lines, and a PostgreSQL outage logged as a few lines with a count instead of a traceback flood."""
from __future__ import annotations

import json
import logging
import re
import subprocess
import time
from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from core.logs import JsonFormatter, OutageCollapse
from tests.conftest import PG_URL
from tests.demo.helpers import REPO, clean_env, shenbao_argv
from tests.digest import fixture_units
from tests.digest.conftest import DEADLINE_DAY_0830, make_services
from tests_support.faultproxy import FaultProxy


async def test_healthz_and_metrics_report_the_shared_database(db, tmp_path, call2023):
    call = call2023
    from bot.web.app import build_app
    from core.outbox import enqueue

    s = make_services(tmp_path, call, DEADLINE_DAY_0830)
    await fixture_units.build(s, "morning")
    async with TestClient(TestServer(build_app(s))) as client:
        r = await client.get("/healthz")
        h = await r.json()
        assert r.status == 200 and h["status"] == "ok", h
        assert h["checks"]["worker"]["shunted"] == 1 and h["checks"]["outbox"]["pending"] == 0
        r = await client.get("/metrics")
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/plain")
        fams = {f.name: f for f in text_string_to_metric_families(await r.text())}
        samples = {(x.name, tuple(sorted(x.labels.items()))): x.value for f in fams.values() for x in f.samples}
        assert samples[("shenbao_units", (("status", "filed"),))] == 13
        assert samples[("shenbao_units", (("status", "unidentified"),))] == 1
        assert samples[("shenbao_queue_depth", (("queue", "shunted"),))] == 1
        assert samples[("shenbao_receipts", (("mailbox", "mof"),))] == 17          # 16 filings + the shunted one
        assert ("shenbao_ocr_backlog", ()) in samples and ("shenbao_seconds_to_deadline", ()) in samples
        # a message stuck in the outbox for an hour makes the check fail (503) for a watcher to alert on
        await enqueue(key="stuck", channel="email", recipient="x@example.cn", subject="s", body="b",
                      now=s.clock.now() - timedelta(hours=1))
        r = await client.get("/healthz")
        h = await r.json()
        assert r.status == 503 and h["status"] == "fail" and not h["checks"]["outbox"]["ok"]
        assert h["checks"]["outbox"]["oldest_due_seconds"] >= 3600
        r = await client.get("/")
        assert r.status == 401                                     # pages need a login; health does not


def test_outage_collapse_and_json_lines():
    now = [0.0]
    f = OutageCollapse(window=60, clock=lambda: now[0])
    log = logging.getLogger("shenbao.test.outage")

    def record():
        try:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        except ConnectionRefusedError:
            import sys

            return log.makeRecord(log.name, logging.ERROR, __file__, 1, "scheduler job %s failed", ("drain",),
                                  sys.exc_info())
    first = record()
    assert f.filter(first) and first.exc_info is None and "ConnectionRefusedError" in first.getMessage()
    passed = 0
    for i in range(257):                       # a minute of retries, one every ~0.23 s
        now[0] = i * 0.23
        passed += f.filter(record())
    assert passed == 0
    now[0] = 61
    later = record()
    assert f.filter(later) and "repeated 257 times" in later.getMessage()
    line = json.loads(JsonFormatter().format(later))
    assert line["level"] == "ERROR" and line["logger"] == "shenbao.test.outage" and "repeated" in line["message"]


def test_a_postgresql_outage_is_a_few_log_lines_not_a_traceback_flood(tmp_path):
    if not PG_URL:
        raise RuntimeError("SHENBAO_TEST_PG is not set: run through scripts/test.sh")
    import asyncio

    from tests.conftest import _pg_create, _pg_drop

    name = asyncio.run(_pg_create())
    host, port = re.match(r"postgres://[^@]+@([^:/]+):(\d+)", PG_URL).groups()
    proxy = FaultProxy(host, int(port)).start()
    url = f"postgres://postgres@127.0.0.1:{proxy.port}/{name}"
    env = clean_env(DATABASE_URL=url, SHENBAO_OUTBOX_DRAIN_SECONDS="1", SHENBAO_WEB="off", SHENBAO_LOG_FORMAT="json")
    try:
        assert subprocess.run([*shenbao_argv(), "--data-dir", str(tmp_path), "migrate"], cwd=REPO, env=env,
                              capture_output=True, timeout=120).returncode == 0
        proc = subprocess.Popen([*shenbao_argv(), "--data-dir", str(tmp_path), "bot"], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(6)                                              # up, draining the outbox every second
        proxy.close()                                              # the database goes away (connection refused)
        time.sleep(15)
        proc.terminate()
        out, _ = proc.communicate(timeout=60)
    finally:
        proxy.close()
        asyncio.run(_pg_drop(name))
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    assert lines and all(isinstance(x, dict) for x in lines)          # JSON logs, one object per line
    problems = [x for x in lines if x["level"] in ("WARNING", "ERROR", "CRITICAL")]
    tracebacks = [x for x in lines if "exception" in x]
    print(f"outage: {len(lines)} log lines, {len(problems)} warnings/errors, {len(tracebacks)} tracebacks in 15 s")
    print("\n".join(x["message"][:300] for x in problems))
    assert 1 <= len(problems) <= 8, [x["message"][:160] for x in problems]   # ~15 drains failed in 15 s
    assert len(tracebacks) <= 2, [x["message"][:160] for x in tracebacks]
