"""Terminal chat: ``shenbao chat`` (interactive) and ``shenbao ask`` (one answer), over the same engine."""
from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.access import Caller
from bot.engine import Engine

PROMPT = "你> "


def terminal_caller(*, officer: bool = False, province: str | None = None, user: str = "local") -> Caller:
    return Caller("terminal", user, chat_id="terminal", officer=officer, as_province=province)


async def ask(engine: Engine, caller: Caller, question: str) -> str:
    return (await engine.handle(caller, question)).text


async def chat(engine: Engine, caller: Caller, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Read questions line by line until EOF or 退出/exit; print each answer."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    who = "部里工作人员" if caller.officer else (f"{caller.as_province}联系人" if caller.as_province else "未绑定用户")
    print(f"申报助手（{who}）。输入问题，空行跳过，输入“退出”结束。", file=stdout)
    loop = asyncio.get_running_loop()
    while True:
        print(PROMPT, end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        q = line.strip()
        if not q:
            continue
        if q in ("退出", "exit", "quit", "/quit"):
            break
        print((await engine.handle(caller, q)).text, file=stdout, flush=True)
    print("再见。", file=stdout)
    return 0
