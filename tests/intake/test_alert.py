"""Intake alerts (UIDVALIDITY change, …) reach the officers through the outbox the bot process drains."""
from __future__ import annotations

from config.settings import load_settings
from intake.daemon import alert
from models.outbox import OutboxMessage


async def test_alert_is_queued_once_per_officer_channel_and_staff_mail(db, services, tmp_path):
    services.settings = load_settings({"SHENBAO_DATA_DIR": str(tmp_path), "SHENBAO_OFFICERS_TELEGRAM": "42,43",
                                       "SHENBAO_DIGEST_TO": "staff@example.cn"})
    detail = {"account": "sbsjyc@163.com@imap.163.com:993", "old": 1, "new": 2}
    await alert(services, "uidvalidity_changed", "UIDVALIDITY changed", detail)
    await alert(services, "uidvalidity_changed", "UIDVALIDITY changed", detail)      # same event: no new rows
    rows = await OutboxMessage.all().order_by("id")
    assert sorted((r.channel, r.recipient) for r in rows) == [("email", "staff@example.cn"), ("telegram", "42"),
                                                              ("telegram", "43")]
    assert all(r.status == "pending" and "UIDVALIDITY" in r.body for r in rows)
