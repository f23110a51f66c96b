"""A real Dovecot 2.3 IMAP server on 127.0.0.1 for tests and benchmarks (recipe: libraries.md §2)."""
from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

CONF = """\
instance_name = dovecot-test-{port}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:{d}/home/%u/Maildir
mail_fsync = never
mailbox_idle_check_interval = 1 secs
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    """Start/stop/kill a Dovecot master in the foreground (-F) with its own config and Maildir."""

    def __init__(self, password: str = "dovecot-test-pw"):
        exe = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(exe):
            raise RuntimeError("dovecot is not installed: run scripts/test.sh (apt-get install dovecot-imapd)")
        self.exe = exe
        self.password = password
        self.dir = tempfile.mkdtemp(prefix="shenbao-dovecot-")
        os.chmod(self.dir, 0o755)
        home = os.path.join(self.dir, "home")
        os.mkdir(home)
        os.chown(home, pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(CONF.format(d=self.dir, port=self.port, password=password))
        self.proc: subprocess.Popen | None = None
        self.host = "127.0.0.1"

    def start(self, timeout: float = 15) -> None:
        self.proc = subprocess.Popen([self.exe, "-F", "-c", self.conf], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr.log"), "ab"))
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError):
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not start: {self.log()[-2000:]}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL the master and its children (imap processes): an abrupt server crash."""
        if self.proc and self.proc.poll() is None:
            pids = subprocess.run(["pgrep", "-f", f"dovecot-test-{self.port}"], capture_output=True, text=True).stdout
            self.proc.kill()
            self.proc.wait()
            for pid in pids.split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
        self.proc = None

    def doveadm(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["doveadm", "-c", self.conf, *args], capture_output=True, text=True, timeout=30)

    def log(self) -> str:
        p = os.path.join(self.dir, "dovecot.log")
        return open(p, errors="replace").read() if os.path.exists(p) else ""

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server():
    d = Dovecot()
    d.start()
    yield d
    d.cleanup()
