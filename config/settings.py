"""Typed settings from the environment (``SHENBAO_*``, ``DATABASE_URL``); loaded once in entry points.

Nothing here reads ``os.environ`` at import time: ``load_settings(environ)`` is called by the
composition roots and the result is passed down explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

PLACEHOLDERS = {"", "changeme", "change-me", "xxx", "todo", "placeholder", "your-token-here", "secret"}


class SettingsError(ValueError):
    """A setting is missing, malformed or still a placeholder; the message names the variable."""


@dataclass(frozen=True)
class ImapAccount:
    mailbox: str  # call mailbox key: "mof" / "mohrss"
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    ssl: bool = True
    folder: str = "INBOX"
    idle: bool = True
    poll_seconds: float = 45.0
    idle_seconds: float = 540.0  # re-issue IDLE every 9 min (< 10 min many providers allow)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    call: str
    smtp_host: str
    smtp_port: int
    smtp_max_size: int
    imap_accounts: tuple[ImapAccount, ...]
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    def get(self, name: str, default: str = "") -> str:
        """Raw access to an optional ``SHENBAO_*`` variable for adapters that own their settings."""
        return self.environ.get(name, default)

    def require_secret(self, name: str) -> str:
        """Return a secret setting, refusing a missing or placeholder value with a clear message."""
        value = self.environ.get(name, "")
        if value.strip().lower() in PLACEHOLDERS or value.strip().startswith("<"):
            raise SettingsError(f"{name} is not set (or is still a placeholder); see .env.example")
        return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _imap_accounts(env: Mapping[str, str]) -> tuple[ImapAccount, ...]:
    out = []
    for key in ("MOF", "MOHRSS"):
        host = env.get(f"SHENBAO_IMAP_{key}_HOST", "")
        if not host:
            continue
        user = env.get(f"SHENBAO_IMAP_{key}_USER", "")
        password = env.get(f"SHENBAO_IMAP_{key}_PASSWORD", "")
        if not user:
            raise SettingsError(f"SHENBAO_IMAP_{key}_USER is required when SHENBAO_IMAP_{key}_HOST is set")
        if password.strip().lower() in PLACEHOLDERS:
            raise SettingsError(f"SHENBAO_IMAP_{key}_PASSWORD is not set (or is still a placeholder); "
                                "for 163.com use the client authorization code (授权码)")
        ssl = _bool(env, f"SHENBAO_IMAP_{key}_SSL", True)
        out.append(ImapAccount(
            mailbox=key.lower(), host=host, port=_int(env, f"SHENBAO_IMAP_{key}_PORT", 993 if ssl else 143),
            user=user, password=password, ssl=ssl, folder=env.get(f"SHENBAO_IMAP_{key}_FOLDER", "INBOX"),
            idle=_bool(env, f"SHENBAO_IMAP_{key}_IDLE", True),
            poll_seconds=float(env.get("SHENBAO_IMAP_POLL_SECONDS", "45")),
            idle_seconds=float(env.get("SHENBAO_IMAP_IDLE_SECONDS", "540"))))
    return tuple(out)


def load_settings(environ: Mapping[str, str], data_dir: str | Path | None = None) -> Settings:
    """Read every setting from ``environ``; ``data_dir`` (the ``--data-dir`` flag) wins over the env."""
    env = dict(environ)
    ddir = Path(data_dir or env.get("SHENBAO_DATA_DIR") or "./data").expanduser().resolve()
    db = env.get("DATABASE_URL") or f"sqlite://{ddir / 'shenbao.sqlite3'}"
    return Settings(
        data_dir=ddir, database_url=db, call=env.get("SHENBAO_CALL", "2023"),
        smtp_host=env.get("SHENBAO_SMTP_HOST", "127.0.0.1"), smtp_port=_int(env, "SHENBAO_SMTP_PORT", 8025),
        smtp_max_size=_int(env, "SHENBAO_SMTP_MAX_SIZE", 64 * 2**20), imap_accounts=_imap_accounts(env),
        environ=env)
