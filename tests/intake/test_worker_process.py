"""The worker in a process of its own (intake.worker_process / intake.worker_main), on the real `shenbao intake`.

Receiving mail and processing it no longer share a process: these tests pin what that must not cost — every
received mail processed, a killed worker restarted with nothing lost, no worker outliving its intake, a clean
stop — and the two cross-process pieces: the arrival gate's shared byte and the lower priority of the
analysis children.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

from intake.priority import ArrivalGate
from precheck import sandbox
from tests.faults.fault_helpers import mail, sigkill, sigterm, smtp_send, smtp_up, start_intake, wait_for
from tests_support.dovecot import free_port
from tests_support.peek import rows

REPO = Path(__file__).resolve().parents[2]


def worker_pids(intake_pid: int) -> list[int]:
    """Children of the intake process running intake.worker_main."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmd = (d / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == intake_pid and b"intake.worker_main" in cmd:
            out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def statuses(data: Path) -> dict[str, int]:
    return dict(rows(data, "select status, count(*) from receipt group by status"))


def test_the_intake_processes_mail_in_its_worker_process_and_restarts_it_when_killed(tmp_path):
    data = tmp_path / f"wp-{uuid.uuid4().hex[:6]}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, None, port, extra={"SHENBAO_OCR": "false", "SHENBAO_RETRY_SECONDS": "0.5"})
    try:
        wait_for(lambda: smtp_up(port), timeout=60)
        wait_for(lambda: len(worker_pids(p.pid)) == 1, timeout=30)
        first = worker_pids(p.pid)[0]
        assert first != p.pid
        assert smtp_send(port, mail("<wp-1@x>"))[0] == 250
        wait_for(lambda: statuses(data) == {"processed": 1}, timeout=60)

        os.kill(first, signal.SIGKILL)              # the worker dies; the intake goes on receiving
        assert smtp_send(port, mail("<wp-2@x>"))[0] == 250
        assert rows(data, "select count(*) from receipt") == [(2,)]
        wait_for(lambda: worker_pids(p.pid) and worker_pids(p.pid)[0] != first, timeout=30)
        wait_for(lambda: statuses(data) == {"processed": 2}, timeout=60)   # the mail received meanwhile too
        assert smtp_send(port, mail("<wp-3@x>"))[0] == 250                  # and the restarted one is fed
        wait_for(lambda: statuses(data) == {"processed": 3}, timeout=60)
        assert rows(data, "select count(*) from submission") == [(3,)]
        assert p.poll() is None

        second = worker_pids(p.pid)[0]
        assert sigterm(p) == 0                      # a clean stop ends both
        wait_for(lambda: not alive(second), timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
    log = (data.parent / f"{data.name}.log").read_text()
    assert f"worker process {first} exited (code -9); restarting it" in log


def test_no_worker_outlives_a_killed_intake(tmp_path):
    data = tmp_path / f"wk-{uuid.uuid4().hex[:6]}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, None, port, extra={"SHENBAO_OCR": "false"})
    try:
        wait_for(lambda: smtp_up(port) and len(worker_pids(p.pid)) == 1, timeout=60)
        child = worker_pids(p.pid)[0]
        sigkill(p)
        waited = wait_for(lambda: not alive(child), timeout=10)
        assert waited < 5
    finally:
        if p.poll() is None:
            p.kill()


def test_a_mail_received_while_no_worker_runs_is_processed_when_the_intake_starts_again(tmp_path):
    """The receipt row is the queue of record: SIGKILL the intake (and so its worker) right after a commit the
    worker was never told about; the next start processes it."""
    data = tmp_path / f"wq-{uuid.uuid4().hex[:6]}"
    data.mkdir()
    port = free_port()
    p = start_intake(data, None, port, fault="after_commit", extra={"SHENBAO_OCR": "false"})
    try:
        wait_for(lambda: smtp_up(port), timeout=60)
        threading.Thread(target=lambda: _try_send(port), daemon=True).start()
        wait_for(lambda: (data / "fault.marker").exists(), timeout=60)
        sigkill(p)
    finally:
        if p.poll() is None:
            p.kill()
    assert statuses(data) == {"received": 1}
    p = start_intake(data, None, port, extra={"SHENBAO_OCR": "false"})
    try:
        wait_for(lambda: statuses(data) == {"processed": 1}, timeout=60)
    finally:
        sigterm(p)


def _try_send(port: int) -> None:
    try:
        smtp_send(port, mail("<wq-1@x>"), timeout=20)
    except Exception:  # noqa: BLE001 - the intake is killed mid-session on purpose
        pass


ATTACHED = textwrap.dedent("""
    import asyncio, sys, time
    from intake.priority import ArrivalGate
    g = ArrivalGate()
    g.attach(int(sys.argv[1]))
    for line in sys.stdin:
        if line.startswith("busy"):
            print(int(g.busy), flush=True)
        elif line.startswith("quiet"):
            t0 = time.monotonic()
            ok = asyncio.run(g.quiet(max_wait=float(line.split()[1])))
            print(int(ok), round(time.monotonic() - t0, 3), flush=True)
""")


async def test_the_arrival_gate_is_seen_by_the_worker_process():
    gate = ArrivalGate()
    fd = gate.share()
    child = subprocess.Popen([sys.executable, "-c", ATTACHED, str(fd)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, pass_fds=(fd,), cwd=REPO)

    def ask(line: str) -> str:
        child.stdin.write(line + "\n")
        child.stdin.flush()
        return child.stdout.readline().strip()
    try:
        assert ask("busy") == "0"
        async with gate.recording():
            assert ask("busy") == "1"
            async with gate.recording():           # nested recordings: busy until the last one ends
                pass
            assert ask("busy") == "1"
            ok, waited = ask("quiet 0.3").split()
            assert ok == "0" and 0.28 <= float(waited) < 1.5     # bounded: a stream of arrivals cannot starve it
        assert ask("busy") == "0"
        ok, waited = ask("quiet 5").split()
        assert ok == "1" and float(waited) < 0.1

        async def release_soon():
            async with gate.recording():
                await asyncio.sleep(0.4)
        task = asyncio.create_task(release_soon())
        await asyncio.sleep(0.05)
        ok, waited = (await asyncio.to_thread(ask, "quiet 5")).split()
        await task
        assert ok == "1" and 0.2 <= float(waited) < 2.0         # waited for the recording, then went on
    finally:
        child.stdin.close()
        child.wait(10)


def _niceness() -> int:
    return os.nice(0)


def test_analysis_children_run_at_a_lower_cpu_priority():
    result = sandbox.run_sync(_niceness, timeout=30)
    assert result.ok, result.detail
    assert result.value == min(19, os.nice(0) + sandbox.CHILD_NICE)


def test_metrics_of_the_intake_and_its_worker_are_one_valid_exposition():
    from prometheus_client.parser import text_string_to_metric_families

    from core import metrics

    snaps = []
    for process in ("intake", "worker"):
        reg = metrics.Registry()
        reg.gauge("loop_lag_seconds", "event loop lag", process=process).set(0.25 if process == "worker" else 0.01)
        if process == "worker":
            reg.counter("worker_processed_total", "receipts processed").inc(3)
        snaps.append(reg.snapshot(process))
    text = metrics.exposition(*snaps).decode()
    assert text.count("# TYPE shenbao_loop_lag_seconds gauge") == 1
    fams = {f.name: f for f in text_string_to_metric_families(text)}
    lag = {s.labels["process"]: s.value for s in fams["shenbao_loop_lag_seconds"].samples}
    assert lag == {"intake": 0.01, "worker": 0.25}
    assert [s.value for s in fams["shenbao_worker_processed"].samples if s.name.endswith("_total")] == [3.0]


async def test_a_processing_transaction_told_database_is_locked_is_run_again_whole(db, services, monkeypatch):
    """Across processes SQLite answers a transaction that read before it wrote with "database is locked" when
    the intake committed in between; the transaction is rolled back and run again — one submission, its
    documents once, the receipt processed (not `retrying` for 30 s)."""
    from tortoise.exceptions import OperationalError

    import intake.pipeline as pipeline
    from models.receipt import Receipt
    from models.submission import Document, Submission
    from tests.intake.mailmaker import make_mail
    from tests.intake.test_pipeline import DEADLINE, deliver
    from datetime import timedelta

    real, calls = pipeline.refresh_dossier, []

    async def locked_once(services_, province):
        calls.append(province)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return await real(services_, province)
    monkeypatch.setattr(pipeline, "refresh_dossier", locked_once)
    raw = make_mail(message_id="<lock1@x>", subject="湖南省关于推荐示范项目的请示",
                    attachments=[("实施方案.pdf", b"%PDF-1.4 plan"), ("资金预算表.xlsx", b"PK\x03\x04budget")])
    receipt, _ = await deliver(services, raw, "mof", DEADLINE - timedelta(hours=1))
    assert calls == ["湖南省", "湖南省"]
    r = await Receipt.get(id=receipt.id)
    assert (r.status, r.attempts) == ("processed", 1)
    assert await Submission.all().count() == 1
    assert sorted(await Document.all().values_list("filename", flat=True)) == ["实施方案.pdf", "资金预算表.xlsx"]
