"""The floor for arrival latency: a minimal IMAP IDLE client (no library: LOGIN, EXAMINE, IDLE, on EXISTS
DONE + one UID FETCH, each message written and fsynced) that records when each message became durable.

bench_load.py runs it beside the intake on the same Dovecot folder, so shenbao's IDLE path can be compared
with what any client could do on that server under the same load.

Usage: python benchmarks/idle_floor.py HOST PORT USER PASSWORD OUTDIR   (runs until killed)
Writes OUTDIR/arrivals.tsv: message-id<TAB>unix time the message was on disk.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
import time

LITERAL = re.compile(rb"\{(\d+)\}\r\n$")
UIDNEXT = re.compile(rb"\[UIDNEXT (\d+)\]")
UID = re.compile(rb"\bUID (\d+)")
MID = re.compile(rb"^Message-ID:\s*(\S+)", re.I | re.M)


async def main(host: str, port: int, user: str, password: str, outdir: str) -> None:
    r, w = await asyncio.open_connection(host, port)
    await r.readline()
    tag = 0

    async def cmd(text: str) -> list[bytes]:
        nonlocal tag
        tag += 1
        t = f"f{tag}".encode()
        w.write(t + b" " + text.encode() + b"\r\n")
        await w.drain()
        lines = []
        while True:
            line = await r.readline()
            m = LITERAL.search(line)
            if m:
                line += await r.readexactly(int(m.group(1)))
                line += await r.readline()
            lines.append(line)
            if line.startswith(t + b" "):
                return lines

    await cmd(f"LOGIN {user} {password}")
    uidnext = next(int(m.group(1)) for ln in await cmd("EXAMINE INBOX") if (m := UIDNEXT.search(ln)))
    os.makedirs(outdir, exist_ok=True)
    log = open(os.path.join(outdir, "arrivals.tsv"), "a", buffering=1)
    while True:
        tag += 1
        t = f"f{tag}".encode()
        w.write(t + b" IDLE\r\n")
        await w.drain()
        while True:                                   # "+ idling", then wait for news
            line = await r.readline()
            if line.endswith(b"EXISTS\r\n"):
                break
        w.write(b"DONE\r\n")
        await w.drain()
        while not (await r.readline()).startswith(t + b" "):
            pass
        for line in await cmd(f"UID FETCH {uidnext}:* (UID BODY.PEEK[])"):
            u = UID.search(line[:200])
            if not u or int(u.group(1)) < uidnext:
                continue
            uidnext = int(u.group(1)) + 1
            body = line[line.index(b"}\r\n") + 3:] if b"}\r\n" in line else b""
            path = os.path.join(outdir, f"{u.group(1).decode()}.eml")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                view = memoryview(body)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            m = MID.search(body[:20000])
            log.write(f"{m.group(1).decode() if m else '-'}\t{time.time():.6f}\n")


if __name__ == "__main__":
    h, p, u, pw, out = sys.argv[1:6]
    asyncio.run(main(h, int(p), u, pw, out))
