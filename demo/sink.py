"""A local SMTP sink for the demo: the relay the bot sends 回执 and digests through, on loopback. Every
message is kept (and written as .eml under ``<data dir>/sent-mail/`` for a person to open)."""
from __future__ import annotations

import email
import email.policy
from pathlib import Path


class _Handler:
    def __init__(self, folder: Path):
        self.folder, self.messages = folder, []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{len(self.messages):03d}.eml").write_bytes(envelope.original_content)
        return "250 2.0.0 OK"


class SmtpSink:
    def __init__(self, folder: Path):
        from aiosmtpd.controller import Controller

        from demo.localimap import free_port

        self.handler = _Handler(folder)
        self.folder = folder
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self):
        return self.handler.messages

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
