"""Dialogue state per chat: the last question's intent and family, province, cities and numbers, a pending
ask-back, and an officer's pending data change awaiting 确认.

Kept in memory per engine (one bot process serves all chats), not in the database: a follow-up refers to the
last minutes of one conversation, losing it on a restart costs the asker one repeated question, and no answer
waits for a database write. Bounded: at most ``MAX_CHATS`` chats, each forgotten after ``TTL`` of silence. A
pending data change is never run from a stale state: it expires with the chat and needs the same asker's 确认.
``carry_numbers`` gives a follow-up that changes one number the last question's other numbers.
"""
from __future__ import annotations

import re
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


# --- numbers in follow-ups ---------------------------------------------------------------------------
_MORE = r"(?:再加|再多|多加|加上|另加|另外加|还要加|还得加|再补|补上|增加|多出|多了|多)"
_LESS = r"(?:去掉|减掉|减去|删掉|拿掉|少了|减少|少)"
_DELTA_PAGES = re.compile(rf"({_MORE}|{_LESS})\s*(\d+)\s*(?:页|p(?![a-z]))")
_DELTA_WORD = re.compile(rf"({_MORE}|{_LESS})\s*(?=\d)")


def carry_numbers(prev, cur, text: str, followup: bool = True) -> None:
    """A follow-up that changes one number of the last question ("再加两页佐证呢", "方案改成十二页呢", "一亿二呢",
    "再多报两千万呢") gets the last question's other numbers, so the verdict is over the whole. ``prev`` and ``cur``
    are ``bot.slots.Slots`` (``cur`` is changed in place); ``text`` is the follow-up, arabic-numbered
    (``cur.arabic``). A new number without a word of change replaces the old one; a document's new page count
    keeps the other documents only in a ``followup`` (an elliptic turn), a word of change is enough by itself."""
    a = text
    pp, cp = prev.pages, cur.pages
    m = _DELTA_PAGES.search(a)
    if m and pp.any:
        n = int(m.group(2)) * (-1 if re.fullmatch(_LESS, m.group(1)) else 1)
        from bot.numbers import _DOC_WORDS

        after = a[m.end():m.end() + 6]
        kinds = [k for k, ws in _DOC_WORDS if k != "total" and any(w in after for w in ws)] or \
            [k for k in cp.parts if cp.parts[k] == abs(n)]
        if pp.total_stated is not None:
            cp.total_stated = pp.total_stated + n
            cp.basis = f"上次 {pp.total_stated} 页 {'-' if n < 0 else '+'} {abs(n)} 页 = {cp.total_stated} 页"
            cp.parts = dict(pp.parts)
        else:
            parts = dict(pp.parts)
            only = [k for k in pp.parts if k != "prior_report"]
            # no document named: the one document spoken of ("方案十页" → "再加一页呢" is the 方案), else the others
            kind = kinds[0] if kinds else only[0] if len(only) == 1 else "other"
            parts[kind] = max(0, parts.get(kind, 0) + n)
            cp.parts, cp.total_stated = parts, None
            cp.basis = ""
        cp.a3 = cp.a3 or pp.a3
        cp.prior_report = cp.prior_report or pp.prior_report
    elif followup and cp.parts and pp.parts and cp.total_stated is None:
        cp.parts = {**pp.parts, **cp.parts}             # "那方案十二页呢": that document changes, the rest stays
    if prev.amount_wan is not None:
        from bot.numbers import amounts_in

        for m in _DELTA_WORD.finditer(a):
            d = next((x.wan for x in amounts_in(a) if x.start == m.end()), None)
            if d is not None:
                cur.amount_wan = prev.amount_wan + (-d if re.fullmatch(_LESS, m.group(1)) else d)
                cur.amount_basis = f"{prev.amount_wan:g} 万元 {'-' if re.fullmatch(_LESS, m.group(1)) else '+'} {d:g} 万元"
                break
