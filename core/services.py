"""The explicit composition of what every entry point needs: settings, call, clock, archive."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from config.call import CallConfig
from config.clock import Clock
from config.settings import Settings
from core.archive import Archive


@dataclass
class Services:
    settings: Settings
    call: CallConfig
    clock: Clock
    archive: Archive
    dns_txt: Callable[..., bytes | None] | None = None   # DKIM key lookups; None: dkimpy's DNS (tests inject a dict)
    signing_key: object | None = None                   # core.signing Ed25519 key (evidence zips; audit entries)
