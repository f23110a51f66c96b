"""C6 bad inputs through the real intake process: every hostile message is recorded at its INTERNALDATE before
anything parses it, each ends processed (none shunted, none stuck), none stalls the other mail (a normal filing
by SMTP is answered at once and one by IMAP is recorded within seconds while the worker chews the rest), the
process stays within memory bounds, and no attachment name reaches the file system."""
from __future__ import annotations

import asyncio
import os
import re
import time
import uuid

from tests_support.dovecot import free_port

from fault_helpers import (append, imap_login, mail, rows, sigterm, smtp_send, smtp_up, start_intake, wait_for)
from hostile_mail import cases


def _hwm_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_hostile_corpus_is_recorded_bounded_and_does_not_stall_other_mail(tmp_path, dovecot_server):
    dc = dovecot_server
    data = tmp_path / f"hostile-{uuid.uuid4().hex[:8]}"
    data.mkdir()
    corpus = cases()
    dates = {name: f"26-Mar-2023 23:{i // 60:02d}:{i % 60:02d} +0800" for i, name in enumerate(corpus)}

    async def load():
        c = await imap_login(dc, data.name)
        for name, raw in corpus.items():
            await append(dc, data.name, raw, dates[name], client=c)
        await c.logout()
    asyncio.run(load())
    port = free_port()
    p = start_intake(data, (dc.host, dc.port, data.name, dc.password), port)
    try:
        t0 = time.monotonic()
        wait_for(lambda: rows(data, "select count(*) from receipt") == [(len(corpus),)], timeout=60)
        recorded_s = time.monotonic() - t0
        # other mail while the worker is busy with the hostile corpus
        wait_for(lambda: smtp_up(port), timeout=30)
        ts = time.monotonic()
        code, _ = smtp_send(port, mail("<normal-smtp@x>", subject="湖北省关于推荐2023年公共就业服务能力提升示范项目的请示"))
        smtp_s = time.monotonic() - ts
        assert code == 250
        ti = time.monotonic()
        asyncio.run(append(dc, data.name, mail("<normal-imap@x>", subject="湖南省关于推荐2023年示范项目的请示"),
                           "27-Mar-2023 00:30:00 +0800"))
        wait_for(lambda: rows(data, "select count(*) from receipt where source='imap'") == [(len(corpus) + 1,)],
                 timeout=60)
        imap_s = time.monotonic() - ti
        tp = time.monotonic()
        wait_for(lambda: rows(data, "select count(*) from receipt where status in ('received', 'retrying')") == [(0,)],
                 timeout=300,
                 step=0.5)
        processed_s = time.monotonic() - tp
        hwm = _hwm_mb(p.pid)
        assert sigterm(p) == 0
    finally:
        if p.poll() is None:
            p.kill()
    got = rows(data, "select message_id, status, received_at, error from receipt where source='imap' order by imap_uid")
    statuses = {}
    for (mid, status, at, err), name in zip(got, list(corpus) + ["normal"]):
        statuses[status] = statuses.get(status, 0) + 1
        if name != "normal":
            want = dates[name]
            assert at.startswith(f"2023-03-26 15:{want[15:17]}:{want[18:20]}"), (name, at, want)
    shunted = rows(data, "select message_id, error from receipt where status='shunted'")
    print(f"hostile corpus: {len(corpus)} recorded in {recorded_s:.1f}s; while processing: SMTP 250 in {smtp_s:.2f}s, "
          f"IMAP recorded in {imap_s:.1f}s; all processed {processed_s:.0f}s later; statuses {statuses}; "
          f"shunted {shunted}; intake VmHWM {hwm:.0f} MiB")
    assert statuses == {"processed": len(got)} and shunted == [], (statuses, shunted)   # a corpus all shunted passed
    assert smtp_s < 5 and imap_s < 30
    assert hwm < 700
    normal = rows(data, "select s.province, r.status from receipt r join submission s on r.submission_id = s.id "
                        "where r.message_id in ('<normal-smtp@x>', '<normal-imap@x>') order by r.source")
    assert sorted(normal) == [("湖北省", "processed"), ("湖南省", "processed")], normal
    # nothing named after an attachment exists anywhere under the data directory
    for dirpath, _dirs, files in os.walk(data):
        for f in files:
            assert re.fullmatch(r"[0-9a-f]{64}(\.eml)?|shenbao\.sqlite3(-wal|-shm)?|fault\.marker|metrics-(intake|worker)\.json", f) or \
                dirpath == str(data), os.path.join(dirpath, f)
    names = [n for (n,) in rows(data, "select filename from document")]
    assert not any(n.startswith("/") or ".." in n.split("/") for n in names), names
