"""The repair and search commands of issue 16, end to end through the CLI: `shenbao rebuild-state --check`
finds a kept province state that no longer matches the tables, `rebuild-state` repairs it; `shenbao receipts`
finds unrelated mail (recorded, kept out of the register's working set, still searchable)."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from models.dossier import Dossier
from tests.digest.test_evidence import shenbao

from .mailmaker import make_mail
from .test_pipeline import DEADLINE, deliver

NEWSLETTER = ("From: weekly@news.example\r\nTo: sbsjyc@163.com\r\nSubject: 本周行业简报第12期\r\n"
              "Message-ID: <news-cli@news.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n本周要闻\r\n"
              ).encode()


async def test_rebuild_state_and_receipts_commands(services):
    from models import close_db, init_db

    await init_db(services.settings.database_url)            # the database the CLI opens for this data dir
    try:
        await deliver(services, make_mail(message_id="<gd-cli@x>", subject="广东省关于推荐示范项目的请示"), "mof",
                      DEADLINE - timedelta(hours=2))
        await deliver(services, NEWSLETTER, "mof", DEADLINE - timedelta(hours=1))
        d = await Dossier.get(call_id=services.call.id, province="广东省")
        assert d.status == "filed" and d.n_submissions == 1
        d.state = {**d.state, "status": "not_filed", "submissions": []}     # kept state gone wrong
        await d.save(update_fields=["state"])
    finally:
        await close_db()
    data_dir = services.settings.data_dir

    r = await asyncio.to_thread(shenbao, data_dir, "rebuild-state", "--check")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "广东省" in r.stdout and "不一致" in r.stdout
    r = await asyncio.to_thread(shenbao, data_dir, "rebuild-state")
    assert r.returncode == 0 and "广东省" in r.stdout, r.stdout + r.stderr
    r = await asyncio.to_thread(shenbao, data_dir, "rebuild-state", "--check")
    assert r.returncode == 0 and "一致" in r.stdout, r.stdout + r.stderr

    r = await asyncio.to_thread(shenbao, data_dir, "register")
    assert r.returncode == 0 and "无关来信 1" in r.stdout, r.stdout + r.stderr
    r = await asyncio.to_thread(shenbao, data_dir, "receipts", "--unrelated")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and "无关来信" in lines[0] and "本周行业简报第12期" in lines[0]
    r = await asyncio.to_thread(shenbao, data_dir, "receipts", "--search", "示范项目")
    assert r.returncode == 0 and "广东省" in r.stdout and "简报" not in r.stdout, r.stdout
    r = await asyncio.to_thread(shenbao, data_dir, "receipts", "--search", "nothing-like-this")
    assert r.returncode == 0 and "没有符合条件的收件" in r.stdout
