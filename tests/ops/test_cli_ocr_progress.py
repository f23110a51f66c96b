"""Row 53 of the CLI mistakes: ``shenbao ocr`` never runs for a minute without a word. One line per round
names the document (id, file name, province, pages read) — on a pipe as plain lines, on a terminal above a
``rich`` bar — and the summary counts the rounds and what is still waiting. Real CLI, real OCR of a one-page
scan that ``shenbao ingest`` left waiting."""
from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.checks import builders as b
from tests.demo.helpers import REPO, clean_env, shenbao, shenbao_argv
from tests.intake.mailmaker import make_mail

LINE = re.compile(r"文件 (\d+) 《扫描件001\.pdf》 山东省：已识别 1/1 页，识别完成")


@pytest.fixture(scope="module")
def waiting(tmp_path_factory) -> Path:
    """A data dir whose only scan (a one-page cover letter, no text layer) waits for OCR."""
    root = tmp_path_factory.mktemp("ocr-progress")
    img = b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示", "财政部、人力资源社会保障部：",
                        "山东省财政厅", "山东省人力资源和社会保障厅"], dpi=150, noise=False)
    eml = root / "sd.eml"
    eml.write_bytes(make_mail(subject="山东省关于推荐2023年公共就业服务能力提升示范项目的请示", sender="sbc@sd.gov.cn",
                              message_id="<sd-ocr@x>", attachments=[("扫描件001.pdf", b.scanned_pdf([img]))]))
    p = shenbao("--data-dir", str(root / "data"), "ingest", str(eml), "--mailbox", "mof",
                "--received-at", "2023-03-25 10:00")
    assert p.returncode == 0, p.stderr
    return root / "data"


def fresh(waiting: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(waiting, d)
    return d


def test_ocr_on_a_pipe_prints_a_line_per_document_and_the_count(waiting, tmp_path):
    p = shenbao("--data-dir", str(fresh(waiting, tmp_path)), "ocr", "--workers", "1", timeout=180)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr[-2000:]
    lines = p.stdout.splitlines()
    assert lines[0].startswith("待文字识别的扫描件 1 个")
    assert sum(bool(LINE.search(x)) for x in lines) == 1, p.stdout
    doc = LINE.search(p.stdout).group(1)
    assert lines[-1] == f"已完成 1 轮文字识别（文件 {doc}）；仍待识别 0 个"
    assert "\x1b[" not in p.stdout + p.stderr                        # no bar or colour codes in a pipe


def test_ocr_on_a_terminal_shows_the_rich_bar_and_the_same_line(waiting, tmp_path):
    main, sub = pty.openpty()                                         # stdout and stderr: one terminal
    proc = subprocess.Popen([*shenbao_argv(), "--data-dir", str(fresh(waiting, tmp_path)), "ocr", "--workers", "1"],
                            cwd=REPO, env=clean_env(TERM="xterm", COLUMNS="120"), stdin=subprocess.DEVNULL,
                            stdout=sub, stderr=sub)
    os.close(sub)
    out = b""
    try:
        while True:
            r, _, _ = select.select([main], [], [], 180)
            if not r:
                raise AssertionError(f"no output for 180 s: {out[-2000:]!r}")
            try:
                chunk = os.read(main, 65536)
            except OSError:                                           # EIO: the terminal's last writer closed
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main)
        rc = proc.wait(timeout=60)
    text = out.decode("utf-8", "replace")
    assert rc == 0 and "Traceback" not in text, text[-2000:]
    assert "\x1b[" in text and "文字识别" in text and "0/1" in text   # rich's bar (drawn on stderr, then cleared)
    assert LINE.search(text), text[-2000:]
    assert "已完成 1 轮文字识别" in text and "仍待识别 0 个" in text
