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
| SHENBAO_RECEIPT_MAX_PER_DAY | 5 | at most this many 回执 to one address in 24 hours |
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


# Every variable the code reads (tests/demo/test_deploy.py keeps this, .env.example and the code in step):
# anything else starting with SHENBAO_ is a typo the CLI and the daemons warn about by name.
KNOWN_VARIABLES = frozenset({
    "DATABASE_URL", "SHENBAO_DATA_DIR", "SHENBAO_CALL", "SHENBAO_SMTP_HOST", "SHENBAO_SMTP_PORT",
    "SHENBAO_SMTP_MAX_SIZE", "SHENBAO_IMAP_POLL_SECONDS", "SHENBAO_IMAP_IDLE_SECONDS",
    *("SHENBAO_IMAP_" + box + "_" + v for box in ("MOF", "MOHRSS")
      for v in ("HOST", "PORT", "SSL", "USER", "PASSWORD", "FOLDER", "IDLE", "EXTRA_FOLDERS")),
    "SHENBAO_SMTP_RELAY_HOST", "SHENBAO_SMTP_RELAY_PORT", "SHENBAO_SMTP_RELAY_SECURITY", "SHENBAO_SMTP_RELAY_USER",
    "SHENBAO_SMTP_RELAY_PASSWORD", "SHENBAO_MAIL_FROM", "SHENBAO_DIGEST_TO", "SHENBAO_DIGEST_TIME",
    "SHENBAO_DEADLINE_DAY_DIGESTS", "SHENBAO_FINAL_REGISTER_DELAY_MINUTES", "SHENBAO_DIGEST_DAYS_AFTER",
    "SHENBAO_CATCHUP_HOURS", "SHENBAO_REMINDER_OFFSETS", "SHENBAO_SEND_RECEIPTS", "SHENBAO_RECEIPT_DELAY_MINUTES",
    "SHENBAO_RECEIPT_MAX_AGE_HOURS", "SHENBAO_OUTBOX_DRAIN_SECONDS", "SHENBAO_HEALTH_STALE_MINUTES",
    "SHENBAO_TELEGRAM_TOKEN", "SHENBAO_TELEGRAM_WEBHOOK_URL", "SHENBAO_TELEGRAM_WEBHOOK_SECRET",
    "SHENBAO_TELEGRAM_LISTEN", "SHENBAO_TELEGRAM_PORT", "SHENBAO_TELEGRAM_BASE_URL",
    "SHENBAO_WECOM_CORP_ID", "SHENBAO_WECOM_TOKEN", "SHENBAO_WECOM_AES_KEY", "SHENBAO_WECOM_SECRET",
    "SHENBAO_WECOM_AGENT_ID", "SHENBAO_WECOM_LISTEN", "SHENBAO_WECOM_PORT",
    "SHENBAO_OFFICERS_TELEGRAM", "SHENBAO_OFFICERS_WECOM", "SHENBAO_OCR", "SHENBAO_OCR_INTERVAL",
    "SHENBAO_LOG_FORMAT", "SHENBAO_CACHE_DIR", "SHENBAO_WEB", "SHENBAO_WEB_LISTEN", "SHENBAO_WEB_PORT", "SHENBAO_WEB_URL",
    "SHENBAO_WEB_LINK_MINUTES", "SHENBAO_WEB_SESSION_HOURS", "SHENBAO_DINGTALK_CLIENT_ID",
    "SHENBAO_DINGTALK_CLIENT_SECRET", "SHENBAO_DINGTALK_ROBOT_CODE", "SHENBAO_DINGTALK_ENDPOINT",
    "SHENBAO_OFFICERS_DINGTALK", "SHENBAO_WECOM_BOT_ID", "SHENBAO_WECOM_BOT_SECRET", "SHENBAO_WECOM_BOT_URL",
    "SHENBAO_TEST_PG", "SHENBAO_FAULT_PAUSE", "SHENBAO_FAULT_MARKER", "SHENBAO_FAULT_HOLD",
    "SHENBAO_AUTHSERV_IDS", "SHENBAO_AUTH_TRUSTED_PEERS", "SHENBAO_DKIM", "SHENBAO_DNS_TIMEOUT",
    "SHENBAO_RECEIPT_MAX_PER_DAY", "SHENBAO_RETRY_SECONDS", "SHENBAO_SIGNING_KEY", "SHENBAO_SMTP_IDLE_SECONDS",
    "SHENBAO_SMTP_MAX_CONNECTIONS", "SHENBAO_SMTP_MAX_PER_IP", "SHENBAO_SMTP_MIN_RATE", "SHENBAO_SMTP_SESSION_SECONDS",
    "SHENBAO_OCR_WORKERS",
})


def unknown_variables(env: Mapping[str, str], known: frozenset[str] | None = None) -> list[tuple[str, str | None]]:
    """``SHENBAO_*`` names nobody reads, each with the closest known name (a typo: DIGST for DIGEST)."""
    import difflib

    known = known or KNOWN_VARIABLES
    out = []
    for name in sorted(env):
        if name.startswith("SHENBAO_") and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
            out.append((name, close[0] if close else None))
    return out


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
    extra_folders: tuple[str, ...] = ("\\Junk",)   # also watched; "\\Junk": found by SPECIAL-USE or 163's names
    idle: bool = True
    poll_seconds: float = 45.0
    idle_seconds: float = 540.0  # re-issue IDLE every 9 min (< 10 min many providers allow)


@dataclass(frozen=True)
class SmtpLimits:
    """The built-in SMTP intake's limits (docs/deploy.md "SMTP intake limits").

    | variable | default | meaning |
    |---|---|---|
    | SHENBAO_SMTP_MAX_SIZE | 64 MiB | hard cap of one message (DATA beyond it: 552, spool removed) |
    | SHENBAO_SMTP_MAX_CONNECTIONS | 100 | open sessions in total; more get 421 and are closed at once |
    | SHENBAO_SMTP_MAX_PER_IP | 10 | open sessions from one client address |
    | SHENBAO_SMTP_IDLE_SECONDS | 60 | a session without progress this long is closed (NOOP, RSET, HELP are no progress) |
    | SHENBAO_SMTP_SESSION_SECONDS | 300 | absolute session budget; only DATA bytes extend it |
    | SHENBAO_SMTP_MIN_RATE | 4096 | bytes/s: each DATA byte extends the budget by 1/MIN_RATE s |
    """

    max_size: int = 64 * 2**20
    max_connections: int = 100
    max_per_ip: int = 10
    idle_seconds: float = 60.0
    session_seconds: float = 300.0
    min_rate: float = 4096.0


@dataclass(frozen=True)
class SenderAuthSettings:
    """Sender authentication (DESIGN.md policy 8; precheck/sender_auth.py).

    | variable | default | meaning |
    |---|---|---|
    | SHENBAO_DKIM | true | verify DKIM signatures (DNS TXT lookups of the signers' keys) |
    | SHENBAO_AUTHSERV_IDS | (none) | authserv-ids of the receiving host whose Authentication-Results are trusted (e.g. the provider's MX name) |
    | SHENBAO_AUTH_TRUSTED_PEERS | 127.0.0.1 ::1 | SMTP intake clients (the relay in front) whose Authentication-Results count |
    | SHENBAO_DNS_TIMEOUT | 5 | seconds per DNS lookup |
    """

    dkim: bool = True
    authserv_ids: tuple[str, ...] = ()
    trusted_peers: tuple[str, ...] = ("127.0.0.1", "::1")
    dns_timeout: float = 5.0


@dataclass(frozen=True)
class OutgoingSettings:
    digest_time: time = time(8, 30)
    digest_to: tuple[str, ...] = ()
    officers_telegram: tuple[str, ...] = ()
    officers_wecom: tuple[str, ...] = ()
    officers_dingtalk: tuple[str, ...] = ()
    deadline_day_digests: tuple[time, ...] = (time(18, 0), time(22, 0))
    final_delay: timedelta = timedelta(minutes=15)
    digest_days_after: int = 7
    catchup: timedelta = timedelta(hours=48)
    reminder_offsets: tuple[timedelta, ...] = (timedelta(hours=72), timedelta(hours=24), timedelta(hours=6))
    send_receipts: bool = True
    receipt_delay: timedelta = timedelta(minutes=10)
    receipt_max_age: timedelta = timedelta(hours=72)
    receipt_max_per_day: int = 5
    drain_seconds: int = 15
    health_stale: timedelta = timedelta(minutes=5)
    mail_from: str = "申报收件系统 <noreply@localhost>"

    def officer_chats(self) -> list[tuple[str, str]]:
        return ([("telegram", x) for x in self.officers_telegram] + [("wecom", x) for x in self.officers_wecom]
                + [("dingtalk", x) for x in self.officers_dingtalk])


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
class WebSettings:
    """The officers' read-only web desk, served by the bot process (with /healthz and /metrics)."""
    enabled: bool = True
    listen: str = "127.0.0.1"
    port: int = 8090
    public_url: str | None = None              # how officers reach it (behind the HTTPS reverse proxy)
    link_minutes: int = 10                     # a one-time login link is valid this long
    session_hours: int = 12

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.listen}:{self.port}").rstrip("/")


@dataclass(frozen=True)
class WeComBotSettings:
    """WeCom 智能机器人 over its long connection (an outgoing WebSocket; no callback URL, no AES)."""
    bot_id: str
    secret: str = field(repr=False)
    url: str = "wss://openws.work.weixin.qq.com"


@dataclass(frozen=True)
class DingTalkSettings:
    """DingTalk (钉钉) enterprise-internal robot over the Stream protocol (no public callback URL)."""
    client_id: str
    client_secret: str = field(repr=False)
    robot_code: str | None = None              # for active messages (digests, alerts) to officers
    endpoint: str = "https://api.dingtalk.com"


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
    smtp_limits: SmtpLimits = field(default_factory=SmtpLimits)
    sender_auth: SenderAuthSettings = field(default_factory=SenderAuthSettings)
    telegram: TelegramSettings | None = None
    wecom: WeComSettings | None = None
    relay: RelaySettings | None = None
    web: WebSettings = field(default_factory=WebSettings)
    dingtalk: DingTalkSettings | None = None
    wecom_bot: WeComBotSettings | None = None
    ocr: bool = True                          # the intake runs background OCR while its worker is idle
    ocr_interval: float = 20.0
    retry_seconds: float = 15.0               # how often the worker looks for due retries and stuck receipts
    ocr_workers: int = 1                      # warm OCR processes (one per core you can give it; ~1 GiB RSS each)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)   # what this was read from

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL."""
        if not self.database_url.startswith("sqlite://"):
            return None
        return Path(self.database_url[len("sqlite://"):].split("?", 1)[0])

    @property
    def database_label(self) -> str:
        """The database for people: the SQLite path, or the PostgreSQL URL without its password."""
        if self.sqlite_path is not None:
            return f"SQLite {self.sqlite_path}"
        return "PostgreSQL " + re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", self.database_url)

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
            extra_folders=split_list(env.get(f"SHENBAO_IMAP_{key}_EXTRA_FOLDERS"))
            if env.get(f"SHENBAO_IMAP_{key}_EXTRA_FOLDERS") is not None else ("\\Junk",),
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
        officers_dingtalk=split_list(env.get("SHENBAO_OFFICERS_DINGTALK")),
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
        receipt_max_per_day=max(1, _int(env, "SHENBAO_RECEIPT_MAX_PER_DAY", 5)),
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


def _web(env: Mapping[str, str]) -> WebSettings:
    url = env.get("SHENBAO_WEB_URL", "").strip() or None
    if url and not re.match(r"^https?://[^/\s]+", url):
        raise SettingsError(f"SHENBAO_WEB_URL must start with http:// or https://, got {url!r}")
    return WebSettings(enabled=_bool(env, "SHENBAO_WEB", True), listen=env.get("SHENBAO_WEB_LISTEN", "") or "127.0.0.1",
                       port=_int(env, "SHENBAO_WEB_PORT", 8090), public_url=url,
                       link_minutes=_int(env, "SHENBAO_WEB_LINK_MINUTES", 10),
                       session_hours=_int(env, "SHENBAO_WEB_SESSION_HOURS", 12))


def _wecom_bot(env: Mapping[str, str]) -> WeComBotSettings | None:
    if not env.get("SHENBAO_WECOM_BOT_ID"):
        return None
    url = env.get("SHENBAO_WECOM_BOT_URL") or "wss://openws.work.weixin.qq.com"
    if not re.match(r"^wss?://", url):
        raise SettingsError(f"SHENBAO_WECOM_BOT_URL must start with wss://, got {url!r}")
    return WeComBotSettings(bot_id=_secret(env, "SHENBAO_WECOM_BOT_ID"),
                            secret=_secret(env, "SHENBAO_WECOM_BOT_SECRET"), url=url)


def _dingtalk(env: Mapping[str, str]) -> DingTalkSettings | None:
    if not env.get("SHENBAO_DINGTALK_CLIENT_ID"):
        return None
    return DingTalkSettings(client_id=_secret(env, "SHENBAO_DINGTALK_CLIENT_ID"),
                            client_secret=_secret(env, "SHENBAO_DINGTALK_CLIENT_SECRET"),
                            robot_code=env.get("SHENBAO_DINGTALK_ROBOT_CODE") or None,
                            endpoint=(env.get("SHENBAO_DINGTALK_ENDPOINT") or "https://api.dingtalk.com").rstrip("/"))


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


def _smtp_limits(env: Mapping[str, str]) -> SmtpLimits:
    lim = SmtpLimits(
        max_size=_int(env, "SHENBAO_SMTP_MAX_SIZE", 64 * 2**20),
        max_connections=_int(env, "SHENBAO_SMTP_MAX_CONNECTIONS", 100),
        max_per_ip=_int(env, "SHENBAO_SMTP_MAX_PER_IP", 10),
        idle_seconds=_float(env, "SHENBAO_SMTP_IDLE_SECONDS", 60.0),
        session_seconds=_float(env, "SHENBAO_SMTP_SESSION_SECONDS", 300.0),
        min_rate=_float(env, "SHENBAO_SMTP_MIN_RATE", 4096.0))
    for name, value in (("SHENBAO_SMTP_MAX_SIZE", lim.max_size), ("SHENBAO_SMTP_MAX_CONNECTIONS", lim.max_connections),
                        ("SHENBAO_SMTP_MAX_PER_IP", lim.max_per_ip), ("SHENBAO_SMTP_IDLE_SECONDS", lim.idle_seconds),
                        ("SHENBAO_SMTP_SESSION_SECONDS", lim.session_seconds), ("SHENBAO_SMTP_MIN_RATE", lim.min_rate)):
        if value <= 0:
            raise SettingsError(f"{name} must be positive, got {value}")
    return lim


def _sender_auth(env: Mapping[str, str]) -> SenderAuthSettings:
    peers = split_list(env.get("SHENBAO_AUTH_TRUSTED_PEERS")) if env.get("SHENBAO_AUTH_TRUSTED_PEERS") is not None \
        else ("127.0.0.1", "::1")
    return SenderAuthSettings(dkim=_bool(env, "SHENBAO_DKIM", True),
                              authserv_ids=tuple(x.lower() for x in split_list(env.get("SHENBAO_AUTHSERV_IDS"))),
                              trusted_peers=peers, dns_timeout=_float(env, "SHENBAO_DNS_TIMEOUT", 5.0))


def load_settings(environ: Mapping[str, str], data_dir: str | Path | None = None) -> Settings:
    """Read every setting from ``environ``; ``data_dir`` (the ``--data-dir`` flag) wins over the env."""
    env = dict(environ)
    ddir = Path(data_dir or env.get("SHENBAO_DATA_DIR") or "./data").expanduser().resolve()
    if ddir.exists() and not ddir.is_dir():
        raise SettingsError(f"the data directory {ddir} is a file, not a directory "
                            f"({'--data-dir' if data_dir else 'SHENBAO_DATA_DIR' if env.get('SHENBAO_DATA_DIR') else 'default ./data'})")
    db = env.get("DATABASE_URL") or f"sqlite://{ddir / 'shenbao.sqlite3'}"
    return Settings(
        data_dir=ddir, database_url=db, call=env.get("SHENBAO_CALL", "2023"),
        smtp_host=env.get("SHENBAO_SMTP_HOST", "127.0.0.1"), smtp_port=_int(env, "SHENBAO_SMTP_PORT", 8025),
        smtp_max_size=_int(env, "SHENBAO_SMTP_MAX_SIZE", 64 * 2**20), imap_accounts=_imap_accounts(env),
        outgoing=_outgoing(env), smtp_limits=_smtp_limits(env), sender_auth=_sender_auth(env),
        telegram=_telegram(env), wecom=_wecom(env), relay=_relay(env), web=_web(env),
        dingtalk=_dingtalk(env), wecom_bot=_wecom_bot(env),
        ocr=_bool(env, "SHENBAO_OCR", True), ocr_interval=_float(env, "SHENBAO_OCR_INTERVAL", 20.0),
        ocr_workers=max(1, _int(env, "SHENBAO_OCR_WORKERS", 1)),
        retry_seconds=max(0.2, _float(env, "SHENBAO_RETRY_SECONDS", 15.0)), environ=env)
