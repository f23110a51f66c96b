"""The local Dovecot (demo/localimap.py) with what tests need besides: kill -9, doveadm, a fixture."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess

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

    def doveadm(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["doveadm", "-c", self.conf, *args], capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="session")
def dovecot_server():
    d = Dovecot()
    d.start()
    yield d
    d.cleanup()
