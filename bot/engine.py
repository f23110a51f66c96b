"""The conversation engine: text in → understanding → authorization → answer (data) → rendered text.

Adapters call ``await engine.handle(caller, text)``; nothing channel-specific happens here. Commands
(``/status``) and binding codes go through ``bot.intents``; free text through ``bot.understand`` (readings
with confidence, several per message) and ``bot.answering``, with per-chat dialogue state (``bot.dialogue``,
in memory). ``Reply.meta`` says what the answer is (kind, the rule and open-question ids it rests on, the
verdict), for adapters, logs and the evaluation.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

from core.services import DatabaseUnavailable, Services

from bot import answer_types as A
from bot import officer_cmds
from bot import compose as queries
from bot.access import CONTACT, OFFICER, PUBLIC, BindingError, Caller, Identity, identify, officer_ids, redeem
from bot.dialogue import DialogueStore
from bot.intents import DATA_INTENTS, OFFICER_INTENTS, Intent, classify, is_free_text
from bot.render import render

log = logging.getLogger("shenbao.bot")


@dataclass
class Reply:
    text: str
    answer: object
    intent: str
    role: str
    meta: A.Meta = field(default_factory=lambda: A.Meta("error"))

    @property
    def kind(self) -> str:
        return self.meta.kind


def incident_ref() -> str:
    """A short reference that ties an apology in chat to the traceback in the log."""
    return uuid.uuid4().hex[:8].upper()


class Engine:
    def __init__(self, services: Services):
        self.services = services
        self.call = services.call
        self.officers = officer_ids(services)
        self.cache_dir = services.settings.cache_dir
        self.dialogue = DialogueStore()
        self._answerer = None

    @property
    def answerer(self):
        if self._answerer is None:
            from bot.answering import Answerer
            from bot.slots import use_cache_dir
            from bot.understand import understander_for

            use_cache_dir(self.cache_dir)
            self._answerer = Answerer(self.services, understander_for(self.call, self.cache_dir))
        return self._answerer

    def warm(self) -> None:
        """Load (or train and cache) the models, the gazetteer and OpenCC now, not on the first question."""
        self.answerer.u.read("山东能报青岛和济南两个吗 實施方案幾頁")

    async def handle(self, caller: Caller, text: str) -> Reply:
        """Answer one message. Never raises: a failure is logged with its incident reference and the asker
        gets a Chinese apology quoting that reference (the error boundary every adapter relies on)."""
        try:
            ident = await identify(self.services, caller, self.officers)
            if is_free_text(text):
                from bot.normalize import normalize

                key = f"{caller.channel}:{caller.user_id}:{caller.chat_id or ''}"
                state = self.dialogue.get(key, self.services.clock.now())
                answer = await self.answerer.answer(caller, ident, normalize(text), state)
                m = A.meta(answer)
                return Reply(render(answer), answer, m.kind, ident.role, m)
            intent = classify(text, self.call)
            answer = await self.answer(caller, ident, intent)
            return Reply(render(answer), answer, intent.name, ident.role, A.meta(answer))
        except DatabaseUnavailable:          # `shenbao ask` found no database to open: its one-line error, no answer
            raise
        except Exception:
            ref = incident_ref()
            log.exception("chat %s:%s: answer failed (incident %s)", caller.channel, caller.user_id, ref)
            return Reply(self.apology(ref), None, "error", "")

    def apology(self, ref: str) -> str:
        """What the asker reads when an answer failed: the incident reference and both contacts."""
        contacts = "；".join(f"{c.org} {c.name} {c.phone}" for c in self.call.contacts)
        return (f"抱歉，系统处理您的消息时出错，已记录（错误编号 {ref}）。请稍后再试；"
                f"如急需答复，请联系：{contacts}。")

    async def answer(self, caller: Caller, ident: Identity, it: Intent):
        s, call = self.services, self.call
        name = it.name
        if name in OFFICER_INTENTS or name == "dossier" and ident.role == OFFICER:
            if ident.role != OFFICER:
                return A.Refusal("officer_only")
            if name == "overview":
                return await queries.overview(s)
            if name == "unidentified":
                return await queries.unidentified(s)
            if name == "dossier":
                if not it.slots.provinces:
                    return A.ActionFailed("请写明省份", "用法：/dossier 省份")
                return await queries.dossier(s, it.slots.provinces[0], it.focus, officer_view=True)
            return await officer_cmds.run(s, name, it.args, caller.actor)
        if name in DATA_INTENTS:
            return await self._own_data(ident, it)
        if name == "bind":
            return await self._bind(caller, it)
        if name == "unbind":
            if ident.role != CONTACT or caller.as_province:
                return A.Refusal("not_bound")
            from bot.access import revoke

            await revoke(s, f"{caller.channel}:{caller.user_id}", actor=caller.actor)
            return A.ActionDone(f"已解除与{ident.province}的绑定")
        if name == "rules" and not it.args:
            return A.Help(ident.role, ident.province)
        if name == "rules":
            st = self.dialogue.get(f"{caller.channel}:{caller.user_id}:{caller.chat_id or ''}", s.clock.now())
            return await self.answerer.answer(caller, ident, it.text, st)
        if name == "contacts":
            return A.ContactsAnswer(queries.contacts(call))
        if name == "mailboxes":
            return queries.mailboxes(call)
        if name in ("deadline", "countdown"):
            own = await queries.status_line(s, ident.province) if ident.role == CONTACT else None
            return queries.deadline(call, s.clock.now(), own)
        if name == "materials":
            return queries.materials(call)
        if name == "quota":
            prov = it.slots.provinces[0] if it.slots.provinces else (ident.province if ident.role == CONTACT else None)
            return queries.quota(call, prov, it.slots.cities)
        return A.Help(ident.role, ident.province, not_understood=name not in ("help",))

    async def _own_data(self, ident: Identity, it: Intent):
        if ident.role == PUBLIC:
            return A.Refusal("not_bound")
        if ident.role == OFFICER:
            return await queries.overview(self.services)
        asked = it.slots.provinces
        if any(p != ident.province for p in asked):
            other = next(p for p in asked if p != ident.province)
            log.info("refused: contact of %s asked for %s", ident.province, other)
            return A.Refusal("other_province", asked=other, own=ident.province)
        return await queries.dossier(self.services, ident.province, it.focus)

    async def _bind(self, caller: Caller, it: Intent):
        if not it.args:
            return A.ActionFailed("请在 /bind 后写绑定码", "例如：/bind ABCD-2345")
        if caller.as_province or caller.officer:
            return A.ActionFailed("终端模式不需要绑定")
        try:
            province, previous = await redeem(self.services, caller, it.args[0])
        except BindingError as exc:
            return A.ActionFailed(str(exc))
        return A.Bound(province, previous)
