"""The sandbox turns hangs, memory bombs and crashes into results; OCR reads a rendered Chinese page."""
from __future__ import annotations

import os
import time

from precheck import sandbox
from precheck.analysis import ocr_document

from . import builders as b


def _hang():
    time.sleep(60)


def _eat_memory():
    blocks = []
    for _ in range(64):
        blocks.append(bytearray(64 << 20))     # 4 GiB total, far above the 1 GiB cap
    return len(blocks)


def _crash():
    os.abort()


def _echo(x):
    return {"x": x, "pid": os.getpid()}


async def test_timeout_memory_crash_then_normal_work():
    t0 = time.monotonic()
    r = await sandbox.run(_hang, timeout=1.0)
    assert not r.ok and r.error == "timeout" and time.monotonic() - t0 < 5
    r = await sandbox.run(_eat_memory, mem_bytes=512 << 20)
    assert not r.ok and r.error == "memory"
    r = await sandbox.run(_crash)
    assert not r.ok and r.error in ("crash", "memory") and "exit code" in r.detail
    r = await sandbox.run(_echo, 7)
    assert r.ok and r.value["x"] == 7 and r.value["pid"] != os.getpid()


def test_worker_count_is_cores():
    assert sandbox.worker_count() == (os.cpu_count() or 1)


async def test_ocr_reads_a_scanned_cover_letter(call):
    img = b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部：",
                        "经省人民政府同意，现将有关材料报送你们。", "山东省财政厅", "山东省人力资源和社会保障厅"],
                       seal=True, dpi=200, noise=False)
    data = b.scanned_pdf([img], dpi=200)
    analysis = {"family": "pdf", "scan_pages": 1, "survey": [{"layer": "image"}], "ocr": {"status": "pending", "done": []}}
    upd, pages = await ocr_document(data, "扫描件001.pdf", "application/pdf", analysis, call)
    a = upd["analysis"]
    assert a["ocr"]["status"] == "done" and a["ocr"]["done"] == [0] and a["text_source"] == "ocr"
    assert len(pages) == 1 and pages[0]["lines"] and pages[0]["colour"] == "color"
    assert "青岛市" in a["cities"] and a["cities_fact"]["evidence"][0]["page"] == 1
    assert upd["kind"] == "cover_letter" and upd["kind_source"] == "ocr_title"
    # an officer's kind is never overwritten by OCR
    upd2, _ = await ocr_document(data, "扫描件001.pdf", "application/pdf", analysis, call, kind="plan",
                                 kind_source="officer")
    assert "kind" not in upd2


def _spawn_grandchild_and_hang(path):
    import subprocess

    p = subprocess.Popen(["sleep", "60"])
    with open(path, "w") as fh:
        fh.write(str(p.pid))
    time.sleep(60)


async def test_timeout_also_ends_grandchildren(tmp_path):
    pidfile = tmp_path / "pid"
    r = await sandbox.run(_spawn_grandchild_and_hang, str(pidfile), timeout=1.5)
    assert r.error == "timeout"
    pid = int(pidfile.read_text())
    time.sleep(0.2)
    try:
        os.kill(pid, 0)
        alive = open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except ProcessLookupError:
        alive = False
    assert not alive


async def test_a_named_function_is_imported_in_the_child_only():
    """sandbox.Named: the child imports the module and runs the function; the parent never imports it."""
    import sys

    mod = "tests.checks.sandbox_named_target"
    assert mod not in sys.modules
    r = await sandbox.run(sandbox.Named(mod, "loaded_where"), 21)
    assert r.ok, r.detail
    assert r.value[0] == 42 and r.value[1] != os.getpid()
    assert mod not in sys.modules
    bad = await sandbox.run(sandbox.Named(mod, "no_such_function"))
    assert not bad.ok and bad.error == "exception" and "no_such_function" in bad.detail
