"""``/web`` in chat: an officer gets a one-time login link to the web desk (the engine's contract is kept by
a wrapper), anyone else is refused; the link signs in once, and the login is in the audit log."""
from __future__ import annotations

import re

from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import build_app
from bot.web.chatlink import WebLinkEngine
from models.audit import AuditEntry
from tests.bot.conftest import OFFICER_TG, tg


async def test_officer_gets_a_link_that_works_once(db, engine, bot_services):
    async with TestClient(TestServer(build_app(bot_services))) as client:
        base = str(client.make_url("")).rstrip("/")
        wrapped = WebLinkEngine(engine, lambda: base)
        r = await wrapped.handle(tg(OFFICER_TG), "/web")
        assert r.intent == "web_link" and r.role == "officer"
        url = re.search(r"(http://\S+/login\?t=\S+)", r.text).group(1)
        assert (await wrapped.handle(tg("5555"), "/web")).text == "网页收件台只对部里工作人员开放。"
        assert (await wrapped.handle(tg("5555"), "截止时间是什么时候？")).intent != "web_link"   # delegated
        first = await client.get(url.removeprefix(base), allow_redirects=False)
        assert first.status == 302 and "shenbao_desk=" in first.headers["Set-Cookie"]
        page = await client.get("/")
        assert page.status == 200 and "收件登记" in await page.text()
        again = await client.get(url.removeprefix(base), allow_redirects=False)
        assert again.status == 403
    logins = await AuditEntry.filter(action="web_login")
    assert [e.actor for e in logins] == [f"officer:telegram:{OFFICER_TG}"]
