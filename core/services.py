"""The explicit composition of what every entry point needs: settings, call, clock, archive.

The database is opened by the entry point (the daemons, most CLI commands, the tests) before any code runs;
``shenbao ask`` opens it only when an answer needs stored data: it sets ``db_opener`` and code that reads
or writes rows on a path a rule question also takes calls ``await services.need_db()`` first (a no-op when
the database is already open). A rule question thus never imports the ORM nor touches the database file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

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
    db_opener: Callable[[], Awaitable[None]] | None = None   # set when the database opens on first need (ask)

    async def need_db(self) -> None:
        """Open the database now if this process opens it on first need; otherwise nothing (it is open)."""
        if self.db_opener is not None:
            opener, self.db_opener = self.db_opener, None
            await opener()


class DatabaseUnavailable(RuntimeError):
    """The database opened on first need could not be opened; ``__cause__`` is the reason (for the CLI's
    one-line error). Passes through the chat engine's error boundary: there is no answer to give."""
