"""Typed settings from the environment (``SHENBAO_*``, ``DATABASE_URL``): the one loader, run once in the
entry points; the result is passed down explicitly. Nothing reads ``os.environ`` at import time.

A channel (Telegram, WeCom, the SMTP relay, an IMAP account) is configured when its first variable is set;
then its secrets must be real: a missing or placeholder value stops the process and names the variable.
Lists (officer ids, the staff e-mail list, times, offsets) are split by one parser: commas (also ``，``),
semicolons or white space.

Outgoing side:

| variable | default | meaning |
|---|---|---|
| SHENBAO_DIGEST_TIME | 08:30 | daily digest, Beijing time |
| SHENBAO_DIGEST_TO | (none) | staff e-mail list, comma-separated |
| SHENBAO_OFFICERS_TELEGRAM / SHENBAO_OFFICERS_WECOM | (none) | officer chat ids, comma-separated |
| SHENBAO_DEADLINE_DAY_DIGESTS | 18:00,22:00 | extra digests on the deadline day |
| SHENBAO_FINAL_REGISTER_DELAY_MINUTES | 15 | final register this long after the deadline |
| SHENBAO_DIGEST_DAYS_AFTER | 7 | daily digests continue this many days after the deadline |
| SHENBAO_CATCHUP_HOURS | 48 | missed slots older than this are not caught up |
| SHENBAO_REMINDER_OFFSETS | 72h,24h,6h | reminders this long before the deadline |
| SHENBAO_SEND_RECEIPTS | true | 回执 to the senders of new submissions |
| SHENBAO_RECEIPT_DELAY_MINUTES | 10 | wait for the second mailbox's copy (or this long) |
| SHENBAO_RECEIPT_MAX_AGE_HOURS | 72 | never answer mail older than this (backfills) |
| SHENBAO_OUTBOX_DRAIN_SECONDS | 15 | outbox drain interval |
| SHENBAO_HEALTH_STALE_MINUTES | 5 | a mailbox without a round-trip this long is down |
| SHENBAO_SMTP_RELAY_HOST/PORT/USER/PASSWORD | —/25 | relay for outgoing mail |
| SHENBAO_SMTP_RELAY_SECURITY | auto | auto (STARTTLS if offered) / starttls / ssl / none |
| SHENBAO_MAIL_FROM | 申报收件系统 <noreply@localhost> | From: of outgoing mail |
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Mapping

PLACEHOLDERS = {"", "changeme", "change-me", "xxx", "todo", "placeholder", "your-token-here", "secret"}


class SettingsError(ValueError):
    """A setting is missing, malformed or still a placeholder; the message names the variable."""


def split_list(raw: str | None) -> tuple[str, ...]:
    """The one list parser: ``"9001 9002"``, ``"9001,9002"``, ``"9001；9002"`` → ``("9001", "9002")``."""
    return tuple(x for x in re.split(r"[,，;；\s]+", raw or "") if x)


def _is_placeholder(value: str) -> bool:
    v = value.strip()
    return v.lower() in PLACEHOLDERS or v.startswith("<")


def _secret(env: Mapping[str, str], name: str, hint: str = "") -> str:
    value = env.get(name, "")
    if _is_placeholder(value):
        raise SettingsError(f"{name} is not set (or is still a placeholder); {hint or 'see .env.example'}")
    return value


def _hhmm(name: str, raw: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", raw.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise SettingsError(f"{name} must be HH:MM (Beijing time), got {raw!r}")
    return time(int(m.group(1)), int(m.group(2)))


def parse_offset(name: str, raw: str) -> timedelta:
    """``72h``, ``3d``, ``90m`` → timedelta."""
    m = re.fullmatch(r"(\d+)\s*([dhm])", raw.strip().lower())
    if not m:
        raise SettingsError(f"{name}: offsets look like 3d, 24h or 90m, got {raw!r}")
    n, unit = int(m.group(1)), m.group(2)
    return timedelta(days=n) if unit == "d" else timedelta(hours=n) if unit == "h" else timedelta(minutes=n)


def _number(env: Mapping[str, str], name: str, default, kind: type, what: str):
    raw = env.get(name)
    if raw is None or not str(raw).strip():
        return default
    try:
        return kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, int, "an integer")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, float, "a number")


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or not str(raw).strip():
        return default
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


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
class OutgoingSettings:
    digest_time: time = time(8, 30)
    digest_to: tuple[str, ...] = ()
    officers_telegram: tuple[str, ...] = ()
    officers_wecom: tuple[str, ...] = ()
    deadline_day_digests: tuple[time, ...] = (time(18, 0), time(22, 0))
    final_delay: timedelta = timedelta(minutes=15)
    digest_days_after: int = 7
    catchup: timedelta = timedelta(hours=48)
    reminder_offsets: tuple[timedelta, ...] = (timedelta(hours=72), timedelta(hours=24), timedelta(hours=6))
    send_receipts: bool = True
    receipt_delay: timedelta = timedelta(minutes=10)
    receipt_max_age: timedelta = timedelta(hours=72)
    drain_seconds: int = 15
    health_stale: timedelta = timedelta(minutes=5)
    mail_from: str = "申报收件系统 <noreply@localhost>"

    def officer_chats(self) -> list[tuple[str, str]]:
        return [("telegram", x) for x in self.officers_telegram] + [("wecom", x) for x in self.officers_wecom]


@dataclass(frozen=True)
class TelegramSettings:
    token: str = field(repr=False)
    base_url: str | None = None               # a local Bot API stand-in in tests
    webhook_url: str | None = None            # polling when unset
    webhook_secret: str | None = field(default=None, repr=False)
    listen: str = "127.0.0.1"
    port: int = 8443


@dataclass(frozen=True)
class WeComSettings:
    corp_id: str
    token: str = field(repr=False)
    aes_key: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)   # for active (late) replies; passive only when unset
    agent_id: str = "0"
    listen: str = "127.0.0.1"
    port: int = 8088


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    security: str = "auto"                     # auto / starttls / ssl / none


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    call: str
    smtp_host: str
    smtp_port: int
    smtp_max_size: int
    imap_accounts: tuple[ImapAccount, ...]
    outgoing: OutgoingSettings = field(default_factory=OutgoingSettings)
    telegram: TelegramSettings | None = None
    wecom: WeComSettings | None = None
    relay: RelaySettings | None = None
    ocr: bool = True                          # the intake runs background OCR while its worker is idle
    ocr_interval: float = 20.0
    ocr_workers: int = 1                      # warm OCR processes (one per core you can give it; ~1 GiB RSS each)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)   # what this was read from

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def cache_dir(self) -> Path:
        """Derived data built once (the gazetteer, the chat's trained models): ``SHENBAO_CACHE_DIR`` or
        ``<data dir>/cache``. Safe to delete: rebuilt on the next run."""
        raw = self.environ.get("SHENBAO_CACHE_DIR")
        return Path(raw).expanduser().resolve() if raw else self.data_dir / "cache"


def _imap_accounts(env: Mapping[str, str]) -> tuple[ImapAccount, ...]:
    out = []
    for key in ("MOF", "MOHRSS"):
        host = env.get(f"SHENBAO_IMAP_{key}_HOST", "")
        if not host:
            continue
        user = env.get(f"SHENBAO_IMAP_{key}_USER", "")
        if not user:
            raise SettingsError(f"SHENBAO_IMAP_{key}_USER is required when SHENBAO_IMAP_{key}_HOST is set")
        password = _secret(env, f"SHENBAO_IMAP_{key}_PASSWORD", "for 163.com use the client authorization code (授权码)")
        ssl = _bool(env, f"SHENBAO_IMAP_{key}_SSL", True)
        out.append(ImapAccount(
            mailbox=key.lower(), host=host, port=_int(env, f"SHENBAO_IMAP_{key}_PORT", 993 if ssl else 143),
            user=user, password=password, ssl=ssl, folder=env.get(f"SHENBAO_IMAP_{key}_FOLDER", "INBOX"),
            idle=_bool(env, f"SHENBAO_IMAP_{key}_IDLE", True),
            poll_seconds=_float(env, "SHENBAO_IMAP_POLL_SECONDS", 45.0),
            idle_seconds=_float(env, "SHENBAO_IMAP_IDLE_SECONDS", 540.0)))
    return tuple(out)


def _outgoing(env: Mapping[str, str]) -> OutgoingSettings:
    return OutgoingSettings(
        digest_time=_hhmm("SHENBAO_DIGEST_TIME", env.get("SHENBAO_DIGEST_TIME", "") or "08:30"),
        digest_to=split_list(env.get("SHENBAO_DIGEST_TO")),
        officers_telegram=split_list(env.get("SHENBAO_OFFICERS_TELEGRAM")),
        officers_wecom=split_list(env.get("SHENBAO_OFFICERS_WECOM")),
        deadline_day_digests=tuple(sorted(_hhmm("SHENBAO_DEADLINE_DAY_DIGESTS", x)
                                          for x in split_list(env.get("SHENBAO_DEADLINE_DAY_DIGESTS", "18:00,22:00")))),
        final_delay=timedelta(minutes=_int(env, "SHENBAO_FINAL_REGISTER_DELAY_MINUTES", 15)),
        digest_days_after=_int(env, "SHENBAO_DIGEST_DAYS_AFTER", 7),
        catchup=timedelta(hours=_int(env, "SHENBAO_CATCHUP_HOURS", 48)),
        reminder_offsets=tuple(sorted((parse_offset("SHENBAO_REMINDER_OFFSETS", x)
                                       for x in split_list(env.get("SHENBAO_REMINDER_OFFSETS", "72h,24h,6h"))),
                                      reverse=True)),
        send_receipts=_bool(env, "SHENBAO_SEND_RECEIPTS", True),
        receipt_delay=timedelta(minutes=_int(env, "SHENBAO_RECEIPT_DELAY_MINUTES", 10)),
        receipt_max_age=timedelta(hours=_int(env, "SHENBAO_RECEIPT_MAX_AGE_HOURS", 72)),
        drain_seconds=max(1, _int(env, "SHENBAO_OUTBOX_DRAIN_SECONDS", 15)),
        health_stale=timedelta(minutes=_int(env, "SHENBAO_HEALTH_STALE_MINUTES", 5)),
        mail_from=env.get("SHENBAO_MAIL_FROM", "") or "申报收件系统 <noreply@localhost>",
    )


def _telegram(env: Mapping[str, str]) -> TelegramSettings | None:
    if not env.get("SHENBAO_TELEGRAM_TOKEN"):
        return None
    webhook = env.get("SHENBAO_TELEGRAM_WEBHOOK_URL") or None
    return TelegramSettings(
        token=_secret(env, "SHENBAO_TELEGRAM_TOKEN"), base_url=env.get("SHENBAO_TELEGRAM_BASE_URL") or None,
        webhook_url=webhook, webhook_secret=_secret(env, "SHENBAO_TELEGRAM_WEBHOOK_SECRET") if webhook else None,
        listen=env.get("SHENBAO_TELEGRAM_LISTEN", "") or "127.0.0.1", port=_int(env, "SHENBAO_TELEGRAM_PORT", 8443))


def _wecom(env: Mapping[str, str]) -> WeComSettings | None:
    if not (env.get("SHENBAO_WECOM_CORP_ID") or env.get("SHENBAO_WECOM_TOKEN")):
        return None
    return WeComSettings(
        corp_id=_secret(env, "SHENBAO_WECOM_CORP_ID"), token=_secret(env, "SHENBAO_WECOM_TOKEN"),
        aes_key=_secret(env, "SHENBAO_WECOM_AES_KEY"),
        secret=_secret(env, "SHENBAO_WECOM_SECRET") if env.get("SHENBAO_WECOM_SECRET") else None,
        agent_id=env.get("SHENBAO_WECOM_AGENT_ID", "") or "0",
        listen=env.get("SHENBAO_WECOM_LISTEN", "") or "127.0.0.1", port=_int(env, "SHENBAO_WECOM_PORT", 8088))


def _relay(env: Mapping[str, str]) -> RelaySettings | None:
    host = env.get("SHENBAO_SMTP_RELAY_HOST", "")
    if not host:
        return None
    user = env.get("SHENBAO_SMTP_RELAY_USER", "")
    security = (env.get("SHENBAO_SMTP_RELAY_SECURITY", "") or "auto").lower()
    if security not in ("auto", "starttls", "ssl", "none"):
        raise SettingsError(f"SHENBAO_SMTP_RELAY_SECURITY must be auto, starttls, ssl or none, got {security!r}")
    return RelaySettings(host=host, port=_int(env, "SHENBAO_SMTP_RELAY_PORT", 465 if security == "ssl" else 25),
                         user=user, password=_secret(env, "SHENBAO_SMTP_RELAY_PASSWORD") if user else "",
                         security=security)


def load_settings(environ: Mapping[str, str], data_dir: str | Path | None = None) -> Settings:
    """Read every setting from ``environ``; ``data_dir`` (the ``--data-dir`` flag) wins over the env."""
    env = dict(environ)
    ddir = Path(data_dir or env.get("SHENBAO_DATA_DIR") or "./data").expanduser().resolve()
    db = env.get("DATABASE_URL") or f"sqlite://{ddir / 'shenbao.sqlite3'}"
    return Settings(
        data_dir=ddir, database_url=db, call=env.get("SHENBAO_CALL", "2023"),
        smtp_host=env.get("SHENBAO_SMTP_HOST", "127.0.0.1"), smtp_port=_int(env, "SHENBAO_SMTP_PORT", 8025),
        smtp_max_size=_int(env, "SHENBAO_SMTP_MAX_SIZE", 64 * 2**20), imap_accounts=_imap_accounts(env),
        outgoing=_outgoing(env), telegram=_telegram(env), wecom=_wecom(env), relay=_relay(env),
        ocr=_bool(env, "SHENBAO_OCR", True), ocr_interval=_float(env, "SHENBAO_OCR_INTERVAL", 20.0),
        ocr_workers=max(1, _int(env, "SHENBAO_OCR_WORKERS", 1)), environ=env)
