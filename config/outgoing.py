"""Settings of the outgoing side (digest, reminders, receipts, outbox, watcher health), from ``SHENBAO_*``.

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
from dataclasses import dataclass
from datetime import time, timedelta

from config.settings import Settings, SettingsError


def _list(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in re.split(r"[,;\s]+", raw or "") if x.strip())


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


def _int(s: Settings, name: str, default: int) -> int:
    raw = s.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


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


def load_outgoing(s: Settings) -> OutgoingSettings:
    """Parse the outgoing settings; a malformed value fails loudly with the variable's name."""
    flag = s.get("SHENBAO_SEND_RECEIPTS", "true").strip().lower()
    if flag not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise SettingsError(f"SHENBAO_SEND_RECEIPTS must be true or false, got {flag!r}")
    extra = s.get("SHENBAO_DEADLINE_DAY_DIGESTS", "18:00,22:00")
    offsets = s.get("SHENBAO_REMINDER_OFFSETS", "72h,24h,6h")
    return OutgoingSettings(
        digest_time=_hhmm("SHENBAO_DIGEST_TIME", s.get("SHENBAO_DIGEST_TIME", "08:30") or "08:30"),
        digest_to=_list(s.get("SHENBAO_DIGEST_TO", "")),
        officers_telegram=_list(s.get("SHENBAO_OFFICERS_TELEGRAM", "")),
        officers_wecom=_list(s.get("SHENBAO_OFFICERS_WECOM", "")),
        deadline_day_digests=tuple(sorted(_hhmm("SHENBAO_DEADLINE_DAY_DIGESTS", x) for x in _list(extra))),
        final_delay=timedelta(minutes=_int(s, "SHENBAO_FINAL_REGISTER_DELAY_MINUTES", 15)),
        digest_days_after=_int(s, "SHENBAO_DIGEST_DAYS_AFTER", 7),
        catchup=timedelta(hours=_int(s, "SHENBAO_CATCHUP_HOURS", 48)),
        reminder_offsets=tuple(sorted((parse_offset("SHENBAO_REMINDER_OFFSETS", x) for x in _list(offsets)),
                                      reverse=True)),
        send_receipts=flag in ("1", "true", "yes", "on"),
        receipt_delay=timedelta(minutes=_int(s, "SHENBAO_RECEIPT_DELAY_MINUTES", 10)),
        receipt_max_age=timedelta(hours=_int(s, "SHENBAO_RECEIPT_MAX_AGE_HOURS", 72)),
        drain_seconds=max(1, _int(s, "SHENBAO_OUTBOX_DRAIN_SECONDS", 15)),
        health_stale=timedelta(minutes=_int(s, "SHENBAO_HEALTH_STALE_MINUTES", 5)),
        mail_from=s.get("SHENBAO_MAIL_FROM", "") or "申报收件系统 <noreply@localhost>",
    )
