"""A throwaway local Dovecot IMAP server on loopback (any user name logs in with one password).

Used by ``shenbao demo`` and, through tests_support/dovecot.py, by the tests and benchmarks. Dovecot's
login process refuses to run as root but needs root to start, so the demo uses it
only when we are root and ``dovecot`` is installed (Debian: dovecot-imapd); otherwise SMTP only.
"""
from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time

CONF = """\
instance_name = shenbao-imap-{port}
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
namespace inbox {{
  inbox = yes
  mailbox Junk {{
    special_use = \\Junk
    auto = create
  }}
}}
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


def dovecot_unavailable() -> str | None:
    """Why a local Dovecot cannot be used here (Chinese, for the demo's output), or None if it can."""
    exe = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
    if exe is None:
        return "未安装 dovecot（Debian：apt-get install dovecot-imapd）"
    if os.geteuid() != 0:
        return "不是 root 用户，无法启动本地 Dovecot"
    for user in ("dovecot", "dovenull", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            return f"缺少系统用户 {user}（dovecot-core 安装时创建）"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalImapServer:
    """Dovecot in the foreground (-F) with its own config and Maildir under a temporary directory."""

    host = "127.0.0.1"

    def __init__(self, password: str | None = None, prefix: str = "shenbao-imap-") -> None:
        self.exe = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.path.exists(self.exe):
            raise RuntimeError("dovecot is not installed (Debian: apt-get install dovecot-imapd)")
        self.password = password or secrets.token_urlsafe(12)
        self.dir = tempfile.mkdtemp(prefix=prefix)
        os.chmod(self.dir, 0o755)
        home = os.path.join(self.dir, "home")
        os.mkdir(home)
        os.chown(home, pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(CONF.format(d=self.dir, port=self.port, password=self.password))
        self.proc: subprocess.Popen | None = None

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
                self.stop()
                raise RuntimeError(f"dovecot did not start: {self.log()[-1000:]}")
            time.sleep(0.02)

    def log(self) -> str:
        p = os.path.join(self.dir, "dovecot.log")
        return open(p, errors="replace").read() if os.path.exists(p) else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
