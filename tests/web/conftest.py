"""One headless Chromium for the whole session (Debian's /usr/bin/chromium driven by playwright; no browser
download), and the web desk served by a real ``shenbao web`` process over a seeded data directory."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.demo.helpers import REPO, clean_env, shenbao_argv
from tests_support.dovecot import free_port

CHROMIUM = os.environ.get("SHENBAO_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


# package scope, not session: playwright's sync API keeps an event loop running in this thread while the browser
# is open, and every async test collected after tests/web would fail with "Runner.run() cannot be called from a
# running event loop" (seen running tests/web before tests/bot)
@pytest.fixture(scope="package")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} missing: scripts/install.sh --test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")        # a fresh --user-data-dir
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True,
                                                   args=FLAGS, viewport={"width": 1280, "height": 900},
                                                   locale="zh-CN", timezone_id="Asia/Shanghai")
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    try:
        yield pg
    finally:
        pg.close()


class Desk:
    def __init__(self, proc: subprocess.Popen, url: str, data_dir: Path, first_link: str):
        self.proc, self.url, self.data_dir, self.first_link = proc, url, data_dir, first_link

    def link(self, actor: str = "test") -> str:
        """A fresh one-time login link (``shenbao web-link``), pointed at this server."""
        p = subprocess.run([*shenbao_argv(), "--data-dir", str(self.data_dir), "web-link", "--actor", actor],
                           cwd=REPO, env=clean_env(SHENBAO_WEB_URL=self.url), capture_output=True, text=True,
                           timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout.split()[0]


@pytest.fixture(scope="package")
def desk(tmp_path_factory):
    from tests.web.seed import seed

    from concurrent.futures import ThreadPoolExecutor

    data = tmp_path_factory.mktemp("desk") / "data"
    with ThreadPoolExecutor(1) as ex:               # its own event loop (playwright's sync API holds this thread's)
        ex.submit(seed, data).result()
    port = free_port()
    proc = subprocess.Popen([*shenbao_argv(), "--data-dir", str(data), "web", "--port", str(port)], cwd=REPO,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    link, end = None, time.monotonic() + 60
    lines = []
    while time.monotonic() < end and link is None:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"(http://\S+/login\?t=\S+)", line)
        link = m.group(1) if m else None
    assert link, "".join(lines)
    try:
        yield Desk(proc, f"http://127.0.0.1:{port}", data, link)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)
