"""Dialogue state per chat: the last question's intent and family, province, cities and numbers, a pending
ask-back, and an officer's pending data change awaiting 确认.

Kept in memory per engine (one bot process serves all chats), not in the database: a follow-up refers to the
last minutes of one conversation, losing it on a restart costs the asker one repeated question, and no answer
waits for a database write. Bounded: at most ``MAX_CHATS`` chats, each forgotten after ``TTL`` of silence. A
pending data change is never run from a stale state: it expires with the chat and needs the same asker's 确认.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_CHATS = 10_000
TTL = timedelta(minutes=30)


@dataclass
class PendingAction:
    intent: str                 # assign / paper_copy / override
    args: list[str]
    command: str                # the slash command as shown


@dataclass
class ChatState:
    updated: datetime
    reading: object | None = None            # the last bot.understand.Reading answered
    province: str | None = None
    cities: list[str] = field(default_factory=list)
    count: int | None = None
    ask_back: str | None = None              # the intent of an unanswered ask-back (quota)
    action: PendingAction | None = None
    subject: str | None = None               # what "它" refers to for an officer (a submission ref or province)

    def last_reading(self):
        return self.reading


class DialogueStore:
    def __init__(self, max_chats: int = MAX_CHATS, ttl: timedelta = TTL):
        self._chats: OrderedDict[str, ChatState] = OrderedDict()
        self.max_chats, self.ttl = max_chats, ttl

    def get(self, key: str, now: datetime) -> ChatState:
        st = self._chats.get(key)
        if st is None or now - st.updated > self.ttl or now < st.updated - self.ttl:
            st = ChatState(now)
            self._chats[key] = st
        self._chats.move_to_end(key)
        st.updated = now
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return st

    def __len__(self) -> int:
        return len(self._chats)
