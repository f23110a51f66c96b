"""The systemd units in deploy/ (docs/deploy.md §5 installs them as they are): ``systemd-analyze verify`` accepts
them without a word, they run as an unprivileged user with the hardening lines, their commands are the venv's
``shenbao`` in the layout the docs describe (the repository at /srv/shenbao, ``scripts/install.sh`` → .venv), and
those very command lines, run as ``nobody`` with the unit's environment and umask, migrate, serve SMTP and the
web desk, and stop cleanly on the unit's KillSignal.

Run as root here and in CI, so the unit's user is played by ``setpriv --reuid=nobody``. It keeps one capability,
CAP_DAC_READ_SEARCH (read any file), only so that ``nobody`` can reach an interpreter under a private home
(this machine's pyenv in /root, mode 0700); every write is ``nobody``'s own, into the data directory it owns.
"""
from __future__ import annotations

import os
import shutil
import signal
import smtplib
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.demo.helpers import REPO, clean_env
from tests_support.dovecot import free_port

UNITS = ("shenbao-intake.service", "shenbao-bot.service")
INSTALL = "/srv/shenbao"                                   # docs/deploy.md: the repository checked out there
HARDENING = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ReadWritePaths": f"{INSTALL}/data",
             "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes", "ProtectKernelTunables": "yes",
             "ProtectControlGroups": "yes", "RestrictSUIDSGID": "yes"}
NOBODY = 65534


def unit(name: str) -> dict[str, list[str]]:
    """key → values (a key may repeat) of the [Service] and [Unit] sections."""
    out: dict[str, list[str]] = {}
    for line in (REPO / "deploy" / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


def one(u: dict, key: str) -> str:
    assert len(u.get(key, [])) == 1, (key, u.get(key))
    return u[key][0]


def verify_root(tmp_path: Path, units_dir: Path) -> Path:
    """A root for ``systemd-analyze verify --root``: the distribution's units, the units under test in
    /etc/systemd/system, and an executable at /srv/shenbao/.venv/bin/shenbao (verify checks ExecStart)."""
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for name in UNITS:
        shutil.copy(units_dir / name, root / "etc/systemd/system" / name)
    exe = root / INSTALL.lstrip("/") / ".venv/bin/shenbao"
    exe.parent.mkdir(parents=True)
    exe.write_text(f'#!/bin/sh\nexec {REPO}/.venv/bin/shenbao "$@"\n')
    exe.chmod(0o755)
    return root


def verify(root: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze (Debian package systemd) is installed by scripts/install.sh --test"
    return subprocess.run([tool, "verify", f"--root={root}", *UNITS], capture_output=True, text=True, timeout=60)


def test_units_verify_without_warnings(tmp_path):
    p = verify(verify_root(tmp_path, REPO / "deploy"))
    assert p.returncode == 0 and p.stdout == "" and p.stderr == "", p.stdout + p.stderr
    # … and verify does look: a misspelt hardening key and a command that is not there are both reported
    bad = tmp_path / "bad"
    bad.mkdir()
    broken = {UNITS[0]: ("ProtectSystem=", "ProtectSystm="), UNITS[1]: ("/.venv/bin/shenbao bot", "/.venv/bin/shenbao-bot")}
    for name, (was, now) in broken.items():
        (bad / name).write_text((REPO / "deploy" / name).read_text(encoding="utf-8").replace(was, now), encoding="utf-8")
    p = verify(verify_root(tmp_path / "b", bad))
    assert "Unknown key 'ProtectSystm'" in p.stderr and "shenbao-bot is not executable" in p.stderr, p.stderr


@pytest.mark.parametrize("name", UNITS)
def test_unit_is_unprivileged_hardened_and_runs_the_venv_command(name):
    u = unit(name)
    assert one(u, "User") == one(u, "Group") == "shenbao"               # never root, never left out (= root)
    for k, v in HARDENING.items():
        assert one(u, k) == v, k
    assert "AmbientCapabilities" not in u and "CapabilityBoundingSet" not in u
    assert one(u, "UMask") == "0027" and one(u, "WorkingDirectory") == INSTALL
    assert one(u, "EnvironmentFile") == f"{INSTALL}/.env" and f"SHENBAO_DATA_DIR={INSTALL}/data" in u["Environment"]
    assert one(u, "Restart") == "always" and one(u, "KillSignal") == "SIGTERM"
    for cmd in u["ExecStart"] + u.get("ExecStartPre", []):
        exe, *args = cmd.split()
        assert exe == f"{INSTALL}/.venv/bin/shenbao", cmd
        local = REPO / Path(exe).relative_to(INSTALL)                  # the same file in this checkout's venv
        assert local.is_file() and os.access(local, os.X_OK), local
        assert args and args[0] in ("migrate", "intake", "bot"), cmd
    assert (u.get("ExecStartPre") == [f"{INSTALL}/.venv/bin/shenbao migrate"]) == (name == UNITS[0])
    doc = (REPO / "docs/deploy.md").read_text(encoding="utf-8")
    assert f"deploy/{name}" in doc and "[Service]" not in doc             # docs point at the file, no copy
    assert "useradd --system" in doc and f"install -m 0644 deploy/{UNITS[0]} deploy/{UNITS[1]}" in doc


def as_the_unit(cmd: str, install: Path) -> list[str]:
    """The unit's command line with /srv/shenbao mapped to ``install``, run as nobody with no new privileges."""
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", "--",
            *cmd.replace(INSTALL, str(install)).split()]


def test_unit_commands_run_as_nobody_migrate_serve_and_stop(tmp_path):
    install = tmp_path / "srv-shenbao"
    install.mkdir()
    (install / ".venv").symlink_to(REPO / ".venv")                     # the checkout's venv, at the unit's path
    data = install / "data"
    data.mkdir(mode=0o750)                                              # docs: install -d -o shenbao -m 0750
    os.chown(data, NOBODY, NOBODY)
    intake, bot = unit(UNITS[0]), unit(UNITS[1])
    smtp, web = free_port(), free_port()
    env = clean_env(**dict(e.split("=", 1) for e in intake["Environment"]), SHENBAO_SMTP_PORT=str(smtp),
                    SHENBAO_WEB_PORT=str(web), SHENBAO_WEB_LISTEN="127.0.0.1", SHENBAO_OCR="off",
                    HOME=str(install))
    env = {k: v.replace(INSTALL, str(install)) for k, v in env.items()}
    umask = int(one(intake, "UMask"), 8)
    run = dict(cwd=install, env=env, preexec_fn=lambda: os.umask(umask))

    pre = subprocess.run(as_the_unit(intake["ExecStartPre"][0], install), capture_output=True, text=True,
                         timeout=120, **run)
    assert pre.returncode == 0, pre.stdout + pre.stderr
    db = data / "shenbao.sqlite3"
    assert db.stat().st_uid == NOBODY and not db.stat().st_mode & stat.S_IROTH
    helped = subprocess.run(as_the_unit(f"{INSTALL}/.venv/bin/shenbao register --json", install),
                            capture_output=True, text=True, timeout=120, **run)
    assert helped.returncode == 0 and '"provinces"' in helped.stdout, helped.stderr

    procs = {n: subprocess.Popen(as_the_unit(one(u, "ExecStart"), install), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, **run) for n, u in (("intake", intake), ("bot", bot))}
    outs = {}
    try:
        end = time.monotonic() + 90
        code = health = None
        while code is None or health is None:
            assert time.monotonic() < end and all(p.poll() is None for p in procs.values()), \
                {n: p.poll() for n, p in procs.items()}
            try:
                if code is None:
                    with smtplib.SMTP("127.0.0.1", smtp, timeout=5) as s:
                        s.sendmail("a@example.cn", ["sbsjyc@163.com"], b"Subject: unit\r\n\r\nas nobody\r\n")
                        code = 250
                if health is None:
                    with urllib.request.urlopen(f"http://127.0.0.1:{web}/healthz", timeout=5) as r:
                        health = r.status
            except (OSError, smtplib.SMTPException):
                time.sleep(0.2)
    finally:
        for n, p in procs.items():
            p.send_signal(getattr(signal, one(unit(f"shenbao-{n}.service"), "KillSignal")))
        for n, p in procs.items():
            outs[n] = p.communicate(timeout=int(one(intake, "TimeoutStopSec")))[0].decode("utf-8", "replace")
    assert code == 250 and health in (200, 503), outs
    assert procs["intake"].returncode == 0 and procs["bot"].returncode == 0, outs
    written = [f for f in install.rglob("*") if f.is_file() and ".venv" not in f.parts]
    assert written and all(f.is_relative_to(data) for f in written), written      # only the data dir is written
    assert all(f.stat().st_uid == NOBODY and not f.stat().st_mode & stat.S_IROTH for f in written), \
        [(f, f.stat().st_uid, oct(f.stat().st_mode)) for f in written]
    assert any(f.suffix == ".eml" for f in written)                     # the mail sent as nobody was kept
