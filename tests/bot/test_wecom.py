"""WeCom callback over loopback: official vectors, encrypted round-trip, forged/stale/replayed callbacks,
duplicate MsgId answered once."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot.wecom import WeComCallback
from bot.wecom_crypto import WeComCrypto, WeComCryptoError
from models.chat import InboundMessage

TOKEN, AES, CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
GET = dict(msg_signature="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", timestamp="1409659589", nonce="263014780",
           echostr="P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==")
POST = dict(msg_signature="477715d11cdb4164915debcba66cb864d751f3e6", timestamp="1409659813", nonce="1372623149")
POST_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvu"
    "JTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwG"
    "c2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9"
    "EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0"
    "lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==")
POST_XML = (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{POST_ENCRYPT}]]></Encrypt>"
            "<AgentID><![CDATA[218]]></AgentID></xml>")


def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES, CORP)


def test_official_vectors():
    c = crypto()
    assert c.decrypt(GET["msg_signature"], GET["timestamp"], GET["nonce"], GET["echostr"]) == "1616140317555161061"
    plain = c.decrypt(POST["msg_signature"], POST["timestamp"], POST["nonce"], POST_ENCRYPT)
    assert "<Content><![CDATA[hello]]></Content>" in plain and "<MsgId>4561255354251345929</MsgId>" in plain
    with pytest.raises(WeComCryptoError):
        c.decrypt("0" * 40, POST["timestamp"], POST["nonce"], POST_ENCRYPT)
    with pytest.raises(WeComCryptoError):
        WeComCrypto(TOKEN, AES, "wx0000000000000000").decrypt(POST["msg_signature"], POST["timestamp"],
                                                               POST["nonce"], POST_ENCRYPT)


def test_round_trip_counts_bytes_not_characters():
    c = crypto()
    msg = "<xml><Content><![CDATA[实施方案最多几页？]]></Content></xml>"
    e = c.encrypt(msg, "1700000000", "42")
    assert c.decrypt(e["MsgSignature"], "1700000000", "42", e["Encrypt"]) == msg


@pytest.fixture
async def server(db, engine, clock):
    cb = WeComCallback(engine, crypto(), clock)
    srv = TestServer(cb.app(), host="127.0.0.1")
    await srv.start_server()
    async with ClientSession() as http:
        yield srv, http, clock
    await srv.close()


def inner(user: str, text: str, msg_id: str, ts: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
            f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


def envelope(text: str, user: str, msg_id: str, ts: str, nonce: str):
    e = crypto().encrypt(inner(user, text, msg_id, ts), ts, nonce)
    body = f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{e['Encrypt']}]]></Encrypt></xml>"
    return {"msg_signature": e["MsgSignature"], "timestamp": ts, "nonce": nonce}, body


def reply_text(xml: str) -> str:
    root = ET.fromstring(xml)
    c = crypto()
    plain = c.decrypt(root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce"),
                      root.findtext("Encrypt"))
    return ET.fromstring(plain).findtext("Content")


async def test_url_verification_with_official_vector(server):
    srv, http, clock = server
    clock.set(datetime.fromtimestamp(1409659589, timezone.utc))
    async with http.get(srv.make_url("/wecom/callback"), params=GET) as r:
        assert r.status == 200 and await r.text() == "1616140317555161061"
    bad = dict(GET, msg_signature="5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4")
    async with http.get(srv.make_url("/wecom/callback"), params=bad) as r:
        assert r.status == 403
    clock.advance(minutes=6)
    async with http.get(srv.make_url("/wecom/callback"), params=GET) as r:
        assert r.status == 403                              # stale timestamp


async def test_official_message_gets_an_encrypted_passive_reply(server):
    srv, http, clock = server
    clock.set(datetime.fromtimestamp(1409659813, timezone.utc))
    async with http.post(srv.make_url("/wecom/callback"), params=POST, data=POST_XML.encode()) as r:
        assert r.status == 200
        text = reply_text(await r.text())
    assert "实施方案最多几页" in text                       # "hello" gets the help with examples
    assert await InboundMessage.filter(channel="wecom", message_id="4561255354251345929").exists()


async def test_question_round_trip(server):
    srv, http, clock = server
    ts = str(int(clock.now().timestamp()))
    params, body = envelope("截止时间是什么时候？", "zhangsan", "1001", ts, "n1")
    async with http.post(srv.make_url("/wecom/callback"), params=params, data=body.encode()) as r:
        assert r.status == 200
        assert "2023年3月26日24时前" in reply_text(await r.text())


async def test_forged_stale_and_replayed(server):
    srv, http, clock = server
    ts = str(int(clock.now().timestamp()))
    params, body = envelope("截止时间", "zhangsan", "1002", ts, "n2")
    forged = dict(params, msg_signature=re.sub("[0-9a-f]$", lambda m: "0" if m.group() != "0" else "1",
                                               params["msg_signature"]))
    async with http.post(srv.make_url("/wecom/callback"), params=forged, data=body.encode()) as r:
        assert r.status == 403
    tampered = body.replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A")
    async with http.post(srv.make_url("/wecom/callback"), params=params, data=tampered.encode()) as r:
        assert r.status == 403
    old_ts = str(int(clock.now().timestamp()) - 301)
    p_old, b_old = envelope("截止时间", "zhangsan", "1003", old_ts, "n3")
    async with http.post(srv.make_url("/wecom/callback"), params=p_old, data=b_old.encode()) as r:
        assert r.status == 403
    async with http.post(srv.make_url("/wecom/callback"), params=params, data=body.encode()) as r:
        assert r.status == 200 and await r.text()
    async with http.post(srv.make_url("/wecom/callback"), params=params, data=body.encode()) as r:
        assert r.status == 403                              # the very same callback again: a replay


async def test_duplicate_msgid_answered_once(server):
    srv, http, clock = server
    ts = str(int(clock.now().timestamp()))
    p1, b1 = envelope("联系人电话？", "wangwu", "2001", ts, "a1")
    p2, b2 = envelope("联系人电话？", "wangwu", "2001", ts, "a2")   # WeCom's retry: same MsgId, new nonce
    async with http.post(srv.make_url("/wecom/callback"), params=p1, data=b1.encode()) as r:
        assert "010-68553924" in reply_text(await r.text())
    async with http.post(srv.make_url("/wecom/callback"), params=p2, data=b2.encode()) as r:
        assert r.status == 200 and await r.text() == ""
    row = await InboundMessage.get(channel="wecom", message_id="2001")
    assert "010-68553924" in row.reply


async def test_slow_answer_goes_out_as_an_active_message(db, engine, clock):
    sent = []

    async def late_sender(user: str, text: str) -> None:
        sent.append((user, text))

    cb = WeComCallback(engine, crypto(), clock, reply_timeout=0.0, late_sender=late_sender)
    srv = TestServer(cb.app(), host="127.0.0.1")
    await srv.start_server()
    try:
        ts = str(int(clock.now().timestamp()))
        params, body = envelope("需要附哪些材料？", "zhaoliu", "3001", ts, "s1")
        async with ClientSession() as http:
            async with http.post(srv.make_url("/wecom/callback"), params=params, data=body.encode()) as r:
                assert r.status == 200 and await r.text() == ""     # nothing passive: WeCom stops waiting
        for _ in range(100):
            if sent:
                break
            await __import__("asyncio").sleep(0.02)
    finally:
        await srv.close()
    assert sent and sent[0][0] == "zhaoliu" and "资金预算表" in sent[0][1]
