"""The write baton (intake.write_baton) and the worker's transaction giving way to an arrival
(intake.priority.GaveWay): the intake's receipt transaction waits for the worker's statement in flight, not
for SQLite's busy-handler sleeps."""
from __future__ import annotations

import asyncio
import fcntl
import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest

from intake.write_baton import SUFFIX, WriteBaton


def other_holder(path, seconds: float, stamp) -> subprocess.Popen:
    """Another process that takes the baton, says so on stdout, holds it ``seconds``, and writes when it let go."""
    code = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(path)!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep({seconds})
        t = time.time()
        fcntl.flock(fd, fcntl.LOCK_UN)
        open({str(stamp)!r}, "w").write(repr(t))
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


@pytest.fixture
def baton(tmp_path):
    b = WriteBaton()
    b.configure(tmp_path / "db.sqlite3")
    yield b
    b.close()


def free_for_others(path) -> bool:
    """Whether a process (any open file description but the baton's) could take the lock now."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


async def test_the_baton_waits_for_the_other_process_and_is_taken_when_it_lets_go(tmp_path):
    db = tmp_path / "shenbao.sqlite3"
    baton = WriteBaton()
    baton.configure(db)
    try:
        path = tmp_path / f"shenbao.sqlite3{SUFFIX}"
        assert baton.enabled and baton.path == path
        holder = other_holder(path, 0.3, tmp_path / "released")
        async with baton.held():
            entered = time.time()
            assert not free_for_others(path)
        holder.wait(10)                       # it writes the time it let go just after letting go
        released = float((tmp_path / "released").read_text())
        assert entered >= released            # not before the other process let go
        assert baton.waited >= 0.2
        assert free_for_others(path)          # given back on exit
    finally:
        baton.close()


async def test_the_coroutines_of_one_process_share_it_and_the_last_out_gives_it_back(baton):
    inside, release_first = asyncio.Event(), asyncio.Event()

    async def first():
        async with baton.held():
            inside.set()
            await release_first.wait()
    t = asyncio.create_task(first())
    await inside.wait()
    async with baton.held():                 # does not wait for the first coroutine
        assert not free_for_others(baton.path)
    assert not free_for_others(baton.path)   # the first is still inside
    release_first.set()
    await t
    assert free_for_others(baton.path)


async def test_a_cancelled_waiter_leaves_the_baton_free(baton, tmp_path):
    holder = other_holder(baton.path, 0.3, tmp_path / "released")

    async def wait_for_it():
        async with baton.held():
            raise AssertionError("should have been cancelled before the other process let go")
    t = asyncio.create_task(wait_for_it())
    await asyncio.sleep(0.1)
    t.cancel()
    with pytest.raises(asyncio.CancelledError):
        await t
    holder.wait(10)
    for _ in range(100):                     # the thread's flock returns after the release; it is given back
        if free_for_others(baton.path) and baton._taking is None:
            break
        await asyncio.sleep(0.02)
    assert free_for_others(baton.path)
    async with baton.held():                 # and the next writer takes it at once
        assert not free_for_others(baton.path)


async def test_no_baton_on_postgresql_or_where_the_file_cannot_be_made(tmp_path):
    baton = WriteBaton()
    baton.configure(None)
    assert not baton.enabled
    async with baton.held():
        pass
    baton.configure(tmp_path / "no" / "such" / "dir" / "db.sqlite3")
    assert not baton.enabled
    async with baton.held():
        pass


async def test_a_worker_transaction_gives_way_to_an_arrival_that_begins_while_it_runs(db, services, monkeypatch):
    """The arrival gate set in the middle of the processing transaction: it is rolled back, waits for the
    arrival, runs again whole — one submission, its documents once, the receipt processed once."""
    import intake.pipeline as pipeline
    from core import metrics
    from intake.priority import GATE
    from models.receipt import Receipt
    from models.submission import Document, Submission
    from tests.intake.mailmaker import make_mail
    from tests.intake.test_pipeline import DEADLINE, deliver

    real, calls, arrival_done = pipeline.store_documents, [], []

    async def arrival():
        async with GATE.recording():
            await asyncio.sleep(0.05)
            arrival_done.append(time.monotonic())

    async def store_with_an_arrival(*args, **kw):
        calls.append(time.monotonic())
        if len(calls) == 1:
            asyncio.ensure_future(arrival())
            await asyncio.sleep(0)                   # the arrival begins: the gate is set
            assert GATE.busy
        return await real(*args, **kw)
    monkeypatch.setattr(pipeline, "store_documents", store_with_an_arrival)
    before = metrics.counter("worker_gave_way_total").value
    raw = make_mail(message_id="<giveway1@x>", subject="湖南省关于推荐示范项目的请示",
                    attachments=[("实施方案.pdf", b"%PDF-1.4 plan"), ("资金预算表.xlsx", b"PK\x03\x04budget")])
    receipt, _ = await deliver(services, raw, "mof", DEADLINE - timedelta(hours=1))
    assert len(calls) == 2 and len(arrival_done) == 1
    assert calls[1] >= arrival_done[0]              # run again only once the arrival was recorded
    assert metrics.counter("worker_gave_way_total").value == before + 1
    r = await Receipt.get(id=receipt.id)
    assert (r.status, r.attempts) == ("processed", 1)
    assert await Submission.all().count() == 1
    assert sorted(await Document.all().values_list("filename", flat=True)) == ["实施方案.pdf", "资金预算表.xlsx"]


async def test_a_transaction_begun_after_waiting_out_a_busy_gate_does_not_give_way(db, services, monkeypatch):
    """Arrivals without a pause: the worker waited ``max_wait`` and went ahead; it is not rolled back (it would
    never finish)."""
    import intake.pipeline as pipeline
    from intake.priority import GATE
    from models.receipt import Receipt
    from tests.intake.mailmaker import make_mail
    from tests.intake.test_pipeline import DEADLINE, deliver

    calls = []

    async def never_quiet(max_wait: float = 1.0) -> bool:
        return False
    real = pipeline.store_documents

    async def store_while_busy(*args, **kw):
        calls.append(1)
        GATE._busy += 1                              # an arrival is being recorded all along
        try:
            return await real(*args, **kw)
        finally:
            GATE._busy -= 1
    monkeypatch.setattr(GATE, "quiet", never_quiet)
    monkeypatch.setattr(pipeline, "store_documents", store_while_busy)
    raw = make_mail(message_id="<giveway2@x>", subject="湖南省关于推荐示范项目的请示",
                    attachments=[("实施方案.pdf", b"%PDF-1.4 plan")])
    receipt, _ = await deliver(services, raw, "mof", DEADLINE - timedelta(hours=1))
    assert calls == [1]
    assert (await Receipt.get(id=receipt.id)).status == "processed"


async def test_receipts_and_processing_take_the_baton(db, services, tmp_path):
    """The intake's receipt transaction and the worker's processing transaction each wait for the baton another
    process holds (the real BATON, as ``shenbao intake`` and its worker configure it)."""
    from core.vocabulary import Source, TimeSource
    from intake.receiver import RawMail, Receiver
    from intake.worker import Worker
    from intake.write_baton import BATON
    from models.receipt import Receipt
    from tests.intake.mailmaker import make_mail
    from tests.intake.test_pipeline import DEADLINE

    BATON.configure(tmp_path / "baton-test.sqlite3")
    try:
        worker = Worker(services)
        receiver = Receiver(services.archive, services.clock, worker.submit)
        raw = make_mail(message_id="<baton1@x>", subject="湖南省关于推荐示范项目的请示")
        holder = other_holder(BATON.path, 0.3, tmp_path / "released-1")
        receipt, created = await receiver.accept(RawMail(Source.SMTP, "mof", raw, DEADLINE - timedelta(hours=1),
                                                         TimeSource.SMTP_END_OF_DATA))
        done = time.time()
        holder.wait(10)
        assert created and done >= float((tmp_path / "released-1").read_text())
        holder = other_holder(BATON.path, 0.3, tmp_path / "released-2")
        await worker.drain()
        done = time.time()
        holder.wait(10)
        assert done >= float((tmp_path / "released-2").read_text())
        assert (await Receipt.get(id=receipt.id)).status == "processed"
        assert BATON.waited >= 0.4
    finally:
        BATON.close()


@pytest.mark.timeout(20)            # the bug did not fail, it spun for ever
async def test_a_writer_arriving_when_the_flock_returned_but_before_its_callback_takes_it(baton):
    """The race that spun the intake's loop at 100 % CPU in a deadline-night run: the blocking flock had
    returned (its future done) and its done callback had not run yet when another coroutine asked for the
    baton; awaiting a done future does not yield, so the callback never ran."""
    fcntl.flock(baton._fd, fcntl.LOCK_EX)             # what the thread did
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(None)                              # done; no callback has run
    baton._taking = fut
    async with baton.held():
        assert baton._locked and baton._taking is None
        assert not free_for_others(baton.path)
    assert free_for_others(baton.path)


async def test_background_ocr_writes_take_the_baton(tmp_path):
    """The OCR step's writes (a document's reading, the dossier re-check) wait for the baton like processing."""
    from intake import ocr_backlog
    from intake.write_baton import BATON

    BATON.configure(tmp_path / "ocr.sqlite3")
    try:
        holder = other_holder(BATON.path, 0.3, tmp_path / "released")
        ran = []

        async def write():
            ran.append(time.time())
            return "written"
        assert await ocr_backlog._write(write) == "written"
        holder.wait(10)
        assert ran[0] >= float((tmp_path / "released").read_text())
    finally:
        BATON.close()
