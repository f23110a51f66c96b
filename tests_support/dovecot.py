"""The local Dovecot (demo/localimap.py) with what tests need besides: kill -9, doveadm, a fixture."""
from __future__ import annotations

import contextlib
import grp
import os
import pwd
import signal
import subprocess
from datetime import datetime

import pytest

from demo.localimap import LocalImapServer, free_port  # noqa: F401  (free_port is used by tests)


class Dovecot(LocalImapServer):
    """Start/stop/kill a Dovecot master in the foreground (-F) with its own config and Maildir."""

    def __init__(self, password: str = "dovecot-test-pw"):
        super().__init__(password=password, prefix="shenbao-dovecot-")

    def kill(self) -> None:
        """SIGKILL the master and its children (imap processes): an abrupt server crash."""
        if self.proc and self.proc.poll() is None:
            pids = subprocess.run(["pgrep", "-f", f"shenbao-imap-{self.port}"], capture_output=True,
                                  text=True).stdout
            self.proc.kill()
            self.proc.wait()
            for pid in pids.split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
        self.proc = None

    def fill(self, user: str, messages, when: datetime) -> int:
        """Drop messages straight into ``user``'s Maildir (new/), as a years-old mailbox holds them: thousands
        in a second instead of minutes of APPENDs. Dovecot gives them UIDs in name order on the next access;
        INTERNALDATE is the file's mtime (``when``). Returns how many were written."""
        md = os.path.join(self.dir, "home", user, "Maildir")
        owner = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
        for d in (os.path.dirname(md), md, *(os.path.join(md, x) for x in ("cur", "new", "tmp"))):
            os.makedirs(d, exist_ok=True)
            os.chown(d, *owner)
        stamp = when.timestamp()
        n = 0
        for raw in messages:
            path = os.path.join(md, "new", f"{int(stamp)}.M{n:08d}P1.fill")
            with open(path, "wb") as f:
                f.write(raw)
            os.chown(path, *owner)
            os.utime(path, (stamp, stamp))
            n += 1
        return n

    def doveadm(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["doveadm", "-c", self.conf, *args], capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="session")
def dovecot_server():
    d = Dovecot()
    d.start()
    yield d
    d.cleanup()
