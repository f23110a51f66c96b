"""How a province's status is shown to people, everywhere a status appears (CLI, digest, xlsx, web desk):
the register's ``status_zh`` plus, when an officer overrode the verdict, that fact and the reason — so a
province never shows 已申报 next to "[错误] 截止后到达" without saying an officer decided it."""
from __future__ import annotations

OVERRIDE_ZH = "人工认定"


def is_overridden(row) -> bool:
    return bool(getattr(row, "override_reason", None))


def shown_status(row, *, with_reason: bool = False) -> str:
    """``已申报`` / ``已申报（人工认定）`` / ``已申报（人工认定：电话核实…）``."""
    base = row.status_zh
    if not is_overridden(row):
        return base
    return f"{base}（{OVERRIDE_ZH}：{row.override_reason}）" if with_reason else f"{base}（{OVERRIDE_ZH}）"


def override_note(row) -> str | None:
    """One line for a finding list: why the status differs from what the findings suggest."""
    if not is_overridden(row):
        return None
    return f"状态由部里工作人员人工认定为“{row.status_zh}”，理由：{row.override_reason}"
