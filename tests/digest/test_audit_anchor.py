"""Every digest carries the audit log's length and newest hash: recipients' mail witnesses the chain."""
from __future__ import annotations

from bot.digest.html import render_html
from bot.digest.job import collect_digest
from bot.digest.text import render_text
from models import audit_log


async def test_digest_prints_the_audit_tip(db, services):
    out = services.settings.outgoing
    d = await collect_digest(services, out, services.clock.now())
    assert d.audit_tip is None and "审计日志" not in render_text(d)
    await audit_log.append(at=services.clock.now(), actor="cli:test", action="paper_copy", target="广东省")
    last = await audit_log.append(at=services.clock.now(), actor="cli:test", action="assign_province", target="S1")
    d = await collect_digest(services, out, services.clock.now())
    assert d.audit_tip == (2, last.hash)
    line = f"审计日志：共 2 条，最新哈希 {last.hash}"
    assert line in render_text(d) and line in render_html(d)
