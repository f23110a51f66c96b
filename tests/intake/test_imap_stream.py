"""A large IMAP message is fetched in partial chunks (RFC 3501 ``BODY.PEEK[]<offset.length>``) into a spool
file: the archived bytes are exactly what Dovecot holds, and memory is one chunk, not the message."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import subprocess
import sys
import tracemalloc
import uuid

from aioimaplib import aioimaplib

from core import metrics
from intake.imap import CHUNK, STREAM_ABOVE, MailboxWatcher
from intake.receiver import Receiver
from models.receipt import Receipt

from .mailmaker import make_mail
from .test_imap_watcher import account, append, wait_until

BIG = 20 * 10**6


def big_mail(size: int, seed: int) -> bytes:
    """A filing of about ``size`` bytes: one base64 attachment in 76-column CRLF lines."""
    rnd = random.Random(seed)
    payload = base64.encodebytes(rnd.randbytes(size * 3 // 4)).replace(b"\n", b"\r\n")
    head = (f"From: czt@gd.gov.cn\r\nTo: sbsjyc@163.com\r\nSubject: 广东省申报材料 {seed}\r\n"
            f"Message-ID: <big-{seed}@gd.gov.cn>\r\nDate: Sun, 26 Mar 2023 22:00:00 +0800\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "见附件。\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"a.pdf\"\r\n\r\n").encode()
    return head + payload + b"--b1--\r\n"


def append_elsewhere(dc, user: str, raw: bytes) -> None:
    script = ("import imaplib, sys; c = imaplib.IMAP4(sys.argv[1], int(sys.argv[2])); c.login(sys.argv[3], sys.argv[4]);"
              "r = c.append('INBOX', None, imaplib.Time2Internaldate(1679842800), sys.stdin.buffer.read());"
              "assert r[0] == 'OK', r; c.logout()")
    subprocess.run([sys.executable, "-c", script, dc.host, str(dc.port), user, dc.password], input=raw, check=True,
                   timeout=60)


async def server_sha256(dc, user: str, uid: int) -> str:
    """What Dovecot holds for ``uid``, fetched whole by an independent client."""
    c = aioimaplib.IMAP4(dc.host, dc.port, timeout=60)
    await c.wait_hello_from_server()
    await c.login(user, dc.password)
    await c.select("INBOX")
    r = await c.uid("fetch", str(uid), "(BODY.PEEK[])")
    await c.logout()
    literal = next(x for x in r.lines if isinstance(x, bytearray))
    return hashlib.sha256(literal).hexdigest()


async def test_large_messages_stream_in_chunks_byte_exact_with_bounded_memory(db, services, dovecot_server):
    dc = dovecot_server
    user = f"stream-{uuid.uuid4().hex[:8]}"
    big = big_mail(BIG, 1)
    assert len(big) > 10 * CHUNK and len(big) > STREAM_ABOVE
    # a backlog: small, large, small (the large one is fetched alone; the small ones stay in batches)
    await append(dc, user, make_mail(message_id="<s1@x>"), "26-Mar-2023 21:00:00 +0800")
    await append(dc, user, big, "26-Mar-2023 22:00:00 +0800")
    await append(dc, user, make_mail(message_id="<s2@x>"), "26-Mar-2023 22:30:00 +0800")
    streamed = metrics.counter("imap_streamed_total", mailbox="mof")
    before = streamed.value
    receiver = Receiver(services.archive, services.clock)
    w = MailboxWatcher(account(dc, user, "mof", poll=60.0), receiver, services.clock, backoff_base=0.2)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        task = asyncio.create_task(w.run())
        try:
            await wait_until(lambda: _count_at_least(3), timeout=120, step=0.1)
            _, peak_backlog = tracemalloc.get_traced_memory()
            # one large filing arriving while the watcher idles: a batch of one, streamed as well (appended by
            # another process, so that only the watcher's allocations are traced here)
            second = big_mail(6 * 10**6, 2)
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            await asyncio.to_thread(append_elsewhere, dc, user, second)
            await wait_until(lambda: _count_at_least(4), timeout=120, step=0.1)
            peak_idle = tracemalloc.get_traced_memory()[1] - base
        finally:
            w.stop()
            await asyncio.wait_for(task, 30)
    finally:
        tracemalloc.stop()
    rs = await Receipt.filter(mailbox="mof").order_by("imap_uid")
    assert [r.imap_uid for r in rs] == [1, 2, 3, 4]
    for r, sent in ((rs[1], big), (rs[3], second)):
        archived = services.archive.path_for(r.archive_path).read_bytes()
        assert r.size == len(archived) == len(sent)
        assert r.sha256 == hashlib.sha256(archived).hexdigest() == await server_sha256(dc, user, r.imap_uid)
    print(f"traced peak growth: backlog with {len(big) / 2**20:.0f} MiB {peak_backlog / 2**20:.1f} MiB, "
          f"idle arrival of {len(second) / 2**20:.0f} MiB {peak_idle / 2**20:.1f} MiB")
    assert streamed.value - before == 2
    assert not list((services.archive.root / "spool").glob("*.part"))          # every spool file was taken
    # Python-level allocations while a 20 MB message was fetched: a few chunks, never the message
    assert peak_backlog < 8 * CHUNK, f"peak {peak_backlog / 2**20:.1f} MiB while fetching {len(big) / 2**20:.0f} MiB"
    assert peak_idle < 8 * CHUNK, f"peak {peak_idle / 2**20:.1f} MiB"


async def _count_at_least(n: int) -> bool:
    return await Receipt.filter(mailbox="mof").count() >= n
