"""Argument helpers shared by the commands: times as people type them, provinces, output paths, JSON."""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from core.services import Services

from cli.errors import UserError


def when(services: Services, text: str, flag: str = "--at", *, exact: bool = False) -> datetime:
    """A time typed like the chat accepts it (core.when); ``exact`` refuses a bare date (an arrival time
    needs the time of day)."""
    from core.when import parse_when

    call = services.call
    try:
        dt = parse_when(text, now=services.clock.now(), tz=call.tz, deadline=call.deadline)
    except ValueError as exc:
        raise UserError(f"{flag}：{exc}", f"{flag}: cannot read the time {text!r}") from None
    if exact and len(text.strip()) <= 10 and not any(c in text for c in ":：时点T"):
        raise UserError(f"{flag} 需要写明时刻（例如 2023-03-26 23:00），只有日期不够：{text}",
                        f"{flag} needs a time of day, got the date {text!r}")
    return dt


def province(services: Services, text: str) -> str:
    from core.places import resolve_province

    return resolve_province(text, services.call, services.settings.cache_dir)


def output_file(raw: str | Path, what: str = "-o") -> Path:
    """A file to write: its folder must exist and it must not be a directory."""
    p = Path(raw).expanduser()
    if p.is_dir():
        raise UserError(f"{what} {p} 是目录，请写文件名（例如 {p / 'out.zip'}）", f"{what} {p} is a directory")
    if not p.parent.exists():
        raise UserError(f"{what} 的目录 {p.parent} 不存在", f"{what}: folder {p.parent} does not exist")
    return p


def input_file(raw: str | Path, what: str = "") -> Path:
    p = Path(raw).expanduser()
    if not p.exists():
        raise UserError(f"{what + ' ' if what else ''}文件 {p} 不存在", f"file {p} does not exist")
    if p.is_dir():
        raise UserError(f"{p} 是目录，不是文件", f"{p} is a directory, not a file")
    return p


def dump(obj) -> None:
    def conv(o):
        if isinstance(o, datetime):
            return o.isoformat()
        if isinstance(o, Path):
            return str(o)
        raise TypeError(type(o).__name__)
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=1, default=conv)
    sys.stdout.write("\n")
