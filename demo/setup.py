"""The demo's data directory and embedded settings: SQLite, SMTP on a free loopback port, local IMAP."""
from __future__ import annotations

import shutil
from pathlib import Path

MARKER = ".shenbao-demo"


class DemoError(RuntimeError):
    """The demo cannot run as asked; the message is for people (Chinese)."""


def prepare_data_dir(path: Path) -> bool:
    """Wipe and recreate ``path``; return True if something was wiped.

    Refuses a non-empty directory that an earlier demo did not create (no marker file), so a mistyped
    ``--data-dir`` never deletes real intake data.
    """
    path = path.expanduser().resolve()
    wiped = False
    if path.exists():
        if not path.is_dir():
            raise DemoError(f"{path} 不是目录")
        if any(path.iterdir()):
            if not (path / MARKER).exists():
                raise DemoError(f"{path} 不是空目录，也不是演示目录（没有 {MARKER}）；演示每次都会清空数据目录，"
                                "为防误删，拒绝运行。请换一个 --data-dir。")
            shutil.rmtree(path)
            wiped = True
    path.mkdir(parents=True, exist_ok=True)
    (path / MARKER).write_text("created by `shenbao demo`; wiped and recreated on each run\n", encoding="utf-8")
    return wiped


DEMO_STAFF = "shebaosi-staff@mof.demo.cn"
DEMO_FROM = "申报收件系统（演示） <sbsjyc@163.com>"


def demo_environ(data_dir: Path, imap=None, call: str = "2023", sink_port: int | None = None) -> dict[str, str]:
    """Embedded defaults, ignoring the caller's environment (no account, no secret needed)."""
    env = {
        "SHENBAO_DATA_DIR": str(data_dir),
        "SHENBAO_CALL": call,
        "SHENBAO_SMTP_HOST": "127.0.0.1",
        "SHENBAO_SMTP_PORT": "0",           # a free loopback port
        "SHENBAO_OCR": "off",               # the demo runs OCR itself, bounded, after intake
        # the demo's clock jumps from one arrival to the next, so a mailbox's last round-trip can look
        # hours old; with a short window the digest would call the watched mailboxes "down"
        "SHENBAO_HEALTH_STALE_MINUTES": "100000",
    }
    if sink_port:                           # 回执 and the digest go out through a local SMTP sink
        env |= {"SHENBAO_SMTP_RELAY_HOST": "127.0.0.1", "SHENBAO_SMTP_RELAY_PORT": str(sink_port),
                "SHENBAO_SMTP_RELAY_SECURITY": "none", "SHENBAO_DIGEST_TO": DEMO_STAFF, "SHENBAO_MAIL_FROM": DEMO_FROM,
                "SHENBAO_RECEIPT_MAX_AGE_HOURS": "100000"}   # the demo's arrivals are in 2023
    if imap is not None:
        for key in ("MOF", "MOHRSS"):
            env |= {f"SHENBAO_IMAP_{key}_HOST": imap.host, f"SHENBAO_IMAP_{key}_PORT": str(imap.port),
                    f"SHENBAO_IMAP_{key}_USER": key.lower(), f"SHENBAO_IMAP_{key}_PASSWORD": imap.password,
                    f"SHENBAO_IMAP_{key}_SSL": "false", f"SHENBAO_IMAP_{key}_IDLE": "true"}
    return env
