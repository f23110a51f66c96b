"""A burst of filings (IMAP and SMTP at once) while the real intake process is SIGKILLed again and again:
at each named step of accept (before_archive, after_archive, between_copies, after_commit) and at random
moments. Mail keeps arriving while the intake is killed (half the IMAP mail is APPENDed during the run, one more
at every pause step so the step is always reached — a step not reached fails the test), and SMTP goes to both
mailboxes in one transaction. Afterwards: every message recorded exactly once per mailbox, IMAP times =
INTERNALDATE, both mailboxes' SMTP copies share one stamp, no recorded time ever changed."""
from __future__ import annotations

import asyncio
import os
import random
import threading
import time

from tests_support.dovecot import free_port

from fault_helpers import (append, mail, rows, sigkill, sigterm, smtp_send, start_intake, wait_for, imap_login,
                           internaldate)

N_IMAP, N_SMTP = 30, 12


def test_burst_with_repeated_sigkill(tmp_path, dovecot_server):
    seed = int(os.environ.get("SHENBAO_FAULT_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"seed {seed}")
    dc = dovecot_server
    data = tmp_path / f"burst-{os.getpid()}-{seed}"
    data.mkdir()
    user = data.name
    dates = {f"<burst{i}@x>": f"26-Mar-2023 23:{20 + i:02d}:{rng.randrange(60):02d} +0800" for i in range(N_IMAP)}
    early = dict(list(dates.items())[:N_IMAP // 2])          # in the mailbox before the intake first starts
    late = list(dates.items())[N_IMAP // 2:]                 # APPENDed while the intake is being killed

    async def load(items):
        c = await imap_login(dc, user)
        for mid, when in items:
            await append(dc, user, mail(mid, size=rng.choice([0, 0, 200_000, 5_000_000])), when, client=c)
        await c.logout()
    asyncio.run(load(early.items()))
    pending = list(late)
    lock = threading.Lock()

    def append_next() -> None:
        with lock:
            if pending:
                asyncio.run(load([pending.pop(0)]))
    port = free_port()
    smtp_raw = [mail(f"<smtp{i}@x>", subject=f"陕西省申报 {i}") for i in range(N_SMTP)]
    acked: dict[int, tuple[int, bytes]] = {}
    stop = threading.Event()

    def mta():                                       # a sender's MTA: retry until a 250 (4xx/drops retried)
        for i, raw in enumerate(smtp_raw):
            while not stop.is_set():
                try:
                    code, text = smtp_send(port, raw, rcpt=("sbsjyc@163.com", "jysmohrss@163.com"), timeout=10)
                    if code == 250:
                        acked[i] = (code, text)
                        break
                except OSError:
                    pass
                except Exception:
                    pass
                time.sleep(0.2)
            time.sleep(rng.random() * 0.3)
    sender = threading.Thread(target=mta, daemon=True)
    sender.start()
    kills = []
    seen_times: dict[str, str] = {}
    try:
        plan = ["before_archive", None, "after_archive", "between_copies", None, "after_commit", None, None,
                "after_commit"]
        for step in plan:
            p = start_intake(data, (dc.host, dc.port, user, dc.password), port, fault=step)
            marker = data / "fault.marker"
            if step:
                if step != "between_copies":                 # (only a two-mailbox SMTP message has copies)
                    threading.Thread(target=append_next, daemon=True).start()
                wait_for(lambda: marker.exists(), timeout=45)   # reached, or the test fails
                kills.append(step)
            else:
                threading.Thread(target=append_next, daemon=True).start()
                delay = rng.uniform(0.8, 2.2)
                time.sleep(delay)
                kills.append(f"random {delay:.1f}s")
            sigkill(p)
            kills[-1] += f" @{rows(data, 'select count(*) from receipt')[0][0] if rows(data, 'select 1') else 0}"
            marker.unlink(missing_ok=True)
            for mb, sha, at in rows(data, "select mailbox, sha256, received_at from receipt"):
                assert seen_times.setdefault((mb, sha), at) == at, "a recorded time changed after a crash"
        with lock:
            rest, pending[:] = list(pending), []
        asyncio.run(load(rest))
        p = start_intake(data, (dc.host, dc.port, user, dc.password), port)
        t0 = time.monotonic()
        wait_for(lambda: len(acked) == N_SMTP, timeout=90)
        wait_for(lambda: rows(data, "select count(*) from receipt where status='processed'")
                 == [(N_IMAP + 2 * N_SMTP,)], timeout=120)
        recovered = time.monotonic() - t0
        time.sleep(2.0)                                  # more poll rounds: nothing new appears
        assert sigterm(p) == 0
    finally:
        stop.set()
        sender.join(15)
    got = rows(data, "select source, sha256, received_at, imap_uid, time_source, mailbox from receipt")
    print(f"kills: {kills}; final run completed in {recovered:.1f}s; receipts {len(got)}")
    assert len(got) == N_IMAP + 2 * N_SMTP, got
    assert len({(g[5], g[1]) for g in got}) == len(got)             # zero duplicates per mailbox
    imap = sorted((g for g in got if g[0] == "imap"), key=lambda g: g[3])
    assert [g[3] for g in imap] == list(range(1, N_IMAP + 1))       # zero lost
    by_uid = {g[3]: g for g in imap}
    for i, (mid, when) in enumerate(list(early.items()) + late):      # APPEND order = UID order
        assert by_uid[i + 1][2].replace(" ", "T")[:19] == internaldate(when).astimezone(
            __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    smtp = [g for g in got if g[0] == "smtp"]
    by_sha: dict[str, set] = {}
    for g in smtp:
        by_sha.setdefault(g[1], set()).add((g[5], g[2]))
    assert len(by_sha) == N_SMTP and all(len(v) == 2 and len({t for _, t in v}) == 1 for v in by_sha.values())
    for mb, sha, at in [(g[5], g[1], g[2]) for g in got]:
        assert seen_times.get((mb, sha), at) == at
    assert rows(data, "select last_uid from mailbox_cursor where folder = 'INBOX'") == [(N_IMAP,)]
