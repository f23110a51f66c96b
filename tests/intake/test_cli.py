"""The ``shenbao`` console script as a user runs it (subprocesses, a data dir per test)."""
from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

from tests_support.dovecot import free_port

from .mailmaker import make_mail

ROOT = Path(__file__).resolve().parents[2]
RECEIVED = ("from mail.gx.example (unknown [10.0.0.1]) by mx19 (Coremail) with SMTP id x8mowAA.1; "
            "Sun, 26 Mar 2023 23:59:30 +0800 (CST)")


def shenbao(data: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_") and k != "DATABASE_URL"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "cli.main", "--data-dir", str(data), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_ingest_takes_time_from_received_header_and_is_idempotent(tmp_path):
    eml = tmp_path / "gx.eml"
    eml.write_bytes(make_mail(message_id="<gx@x>", subject="广西壮族自治区关于推荐示范项目的请示", received=RECEIVED))
    data = tmp_path / "data"
    r = shenbao(data, "ingest", str(eml), "--mailbox", "mof")
    assert r.returncode == 0, r.stderr
    assert "R000001 新建" in r.stdout and "2023-03-26 23:59:30" in r.stdout
    r = shenbao(data, "ingest", str(eml), "--mailbox", "mof")
    assert "R000001 已存在" in r.stdout
    r = shenbao(data, "register", "--json")
    j = json.loads(r.stdout)
    gx = next(p for p in j["provinces"] if p["province"] == "广西壮族自治区")
    assert gx["status"] == "filed" and gx["first_on_time"]["mof"] == "2023-03-26T23:59:30+08:00"
    rc = gx["submissions"][0]["receipts"][0]
    assert rc["time_source"] == "received_header" and rc["source"] == "import"
    assert "time_from_received_header" in {f["code"] for f in gx["findings"]}
    text = shenbao(data, "register").stdout
    row = next(line for line in text.splitlines() if line.startswith("广西壮族自治区"))
    assert row.split()[:3] == ["广西壮族自治区", "已申报（来源待核实）", "03-26"] and "23:59:30" in row  # the sender is not 广西's


def test_ingest_with_explicit_time_and_bad_input(tmp_path):
    data = tmp_path / "data"
    eml = tmp_path / "late.eml"
    eml.write_bytes(make_mail(message_id="<late@x>", subject="西藏自治区申报"))
    r = shenbao(data, "ingest", str(eml), "--mailbox", "mohrss", "--received-at", "2023-03-27T00:00:01+08:00")
    assert r.returncode == 0, r.stderr
    j = json.loads(shenbao(data, "register", "--json").stdout)
    assert next(p for p in j["provinces"] if p["province"] == "西藏自治区")["status"] == "late"
    noreceived = tmp_path / "nr.eml"
    noreceived.write_bytes(make_mail(message_id="<nr@x>"))
    r = shenbao(data, "ingest", str(noreceived), str(tmp_path / "missing.eml"), "--mailbox", "mof")
    assert r.returncode == 1
    assert "--received-at" in r.stderr and "missing.eml" in r.stderr
    r = shenbao(data, "ingest", str(eml), "--mailbox", "mof", "--received-at", "2023-03-26 23:00")
    assert r.returncode == 0 and "R000002 新建 mof 到达 2023-03-26 23:00:00" in r.stdout   # Beijing time
    r = shenbao(data, "ingest", str(eml), "--mailbox", "mof", "--received-at", "2023-03-26")
    assert r.returncode == 2 and "需要写明时刻" in r.stderr and "Traceback" not in r.stderr


def test_shunted_list_and_replay(tmp_path):
    data = tmp_path / "data"
    eml = tmp_path / "a.eml"
    eml.write_bytes(make_mail(message_id="<sh@x>", subject="吉林省申报", received=RECEIVED))
    assert shenbao(data, "ingest", str(eml), "--mailbox", "mof").returncode == 0
    arch = next((data / "archive" / "raw").rglob("*.eml"))
    saved = arch.read_bytes()
    arch.unlink()
    assert shenbao(data, "replay", "R000001").returncode == 1
    out = shenbao(data, "shunted").stdout
    assert out.startswith("R000001\tmof\t2023-03-26 23:59:30")
    arch.write_bytes(saved)
    r = shenbao(data, "replay", "all-shunted")
    assert r.returncode == 0 and "R000001: processed" in r.stdout
    assert "没有处理失败" in shenbao(data, "shunted").stdout


def test_intake_daemon_serves_smtp_and_stops_cleanly(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_")}
    env.update(SHENBAO_DATA_DIR=str(data), SHENBAO_SMTP_PORT=str(port), SHENBAO_OCR="off")
    p = subprocess.Popen([sys.executable, "-m", "intake"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 30
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=5) as s:
                    refused = s.sendmail("a@example.cn", ["sbsjyc@163.com"], make_mail(message_id="<d@x>"))
                break
            except (ConnectionRefusedError, smtplib.SMTPServerDisconnected):
                assert time.monotonic() < end, p.stderr.read() if p.poll() is not None else "no SMTP"
                time.sleep(0.1)
        assert refused == {}
    finally:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    assert "shenbao intake running: SMTP 127.0.0.1" in out
    assert shenbao(data, "migrate").returncode == 0
    j = json.loads(shenbao(data, "register", "--json").stdout)
    assert j["counts"]["late"] == 1, err[-3000:]          # the system clock says 2026: late, correctly


def test_configuration_errors_are_clear(tmp_path):
    r = shenbao(tmp_path, "register", env_extra={"SHENBAO_IMAP_MOF_HOST": "imap.163.com",
                                                 "SHENBAO_IMAP_MOF_USER": "sbsjyc@163.com",
                                                 "SHENBAO_IMAP_MOF_PASSWORD": "changeme"})
    assert r.returncode == 2 and "SHENBAO_IMAP_MOF_PASSWORD" in r.stderr and "changeme" not in r.stderr


def test_a_database_that_cannot_be_opened_is_a_clear_error_not_a_hang(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a sqlite database")
    r = shenbao(tmp_path / "data", "register", env_extra={"DATABASE_URL": f"sqlite://{bad}"})
    assert r.returncode == 2 and "cannot open the database" in r.stderr and "not a SQLite database" in r.stderr
    assert bad.read_bytes() == b"this is not a sqlite database"          # never overwritten
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = shenbao(tmp_path / "data", "register", env_extra={"DATABASE_URL": f"sqlite://{blocker}/x.sqlite3"})
    assert r.returncode == 2 and f"{blocker}/x.sqlite3" in r.stderr and "Traceback" not in r.stderr
