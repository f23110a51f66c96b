"""``/web`` in chat: an officer gets a one-time login link to the web desk.

A thin wrapper with the engine's own contract (``handle(caller, text) -> Reply``), so the chat engine
and the adapters stay unaware of the web desk: the daemon hands the adapters this wrapper.
"""
from __future__ import annotations

from bot.access import Caller, officer_ids
from bot.engine import Engine, Reply

WEB_WORDS = frozenset({"/web", "/desk", "网页", "网页版", "收件台网页", "/网页"})


class WebLinkEngine:
    def __init__(self, engine: Engine, base_url=lambda: None):
        self.engine, self.services, self.base_url = engine, engine.services, base_url
        self._officers = officer_ids(engine.services)

    def __getattr__(self, name):                     # apology(), warm(), services … as the engine has them
        return getattr(self.engine, name)

    async def handle(self, caller: Caller, text: str) -> Reply:
        if (text or "").strip().lower() not in WEB_WORDS:
            return await self.engine.handle(caller, text)
        if not (caller.officer or caller.user_id in self._officers.get(caller.channel, set())):
            return Reply("网页收件台只对部里工作人员开放。", None, "web_link", "")
        if not self.services.settings.web.enabled:
            return Reply("网页收件台未开启（SHENBAO_WEB=off）。", None, "web_link", "officer")
        from bot.web.auth import issue_link

        url, exp = issue_link(self.services, f"{caller.channel}:{caller.user_id}", base_url=self.base_url())
        local = self.services.call.to_local(exp)
        return Reply(f"网页收件台登录链接（仅限本人，一次有效，{local:%H:%M} 前使用）：\n{url}\n"
                     "登录后可查看收件登记、各省详情、未识别来信，并打印A4登记表；网页只读。",
                     None, "web_link", "officer")
