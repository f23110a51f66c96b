"""atheris target: the chat intent parser (bot.normalize.normalize, bot.intents.classify, parse_command).

Contract: any text a user can send (Telegram allows 4096 characters; we go further) is classified without an
exception, and the result names a known intent.
"""
import sys

import _common  # noqa: F401
import atheris

with atheris.instrument_imports(include=["bot"]):
    from bot.intents import classify, parse_command
    from bot.normalize import normalize
    from config.call import load_call

CALL = load_call("2023")


def one(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = fdp.ConsumeUnicodeNoSurrogates(6000)
    normalize(text)
    parse_command(text)
    intent = classify(text, CALL)
    assert isinstance(intent.name, str) and intent.name, intent


def seeds():
    for t in ("实施方案最多几页？", "/bind AB12CD", "广东的呢", "青海", "宁波市", "/overview 湖北", "截止時間是幾點",
              "／help", "粤 材料收到了吗", "A" * 5000):
        yield b"\x01" + t.encode("utf-8")


if __name__ == "__main__":
    _common.run(one, seeds)
