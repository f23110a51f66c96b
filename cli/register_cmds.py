"""CLI: ``register [--json] [--province P]`` — the intake register, one row per provincial unit plus unidentified."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.services import Services
from core.status_display import override_note, shown_status

from cli.table import format_table

if TYPE_CHECKING:                       # core.register imports the ORM (~0.3 s): only when a register is built
    from core.register import Register


def register(sub) -> None:
    p = sub.add_parser("register", help="print the intake register (all 32 units and the unidentified queue)")
    p.add_argument("--json", action="store_true", help="stable machine format")
    p.add_argument("--province", default=None, help="one province (广东省, 广东, Guangdong, 廣東 …)")
    p.set_defaults(func=cmd_register)


def _bj(services: Services, dt) -> str:
    return services.call.to_local(dt).strftime("%m-%d %H:%M:%S") if dt else "—"


def header(reg: Register, services: Services) -> list[str]:
    from cli.runtime import where

    call = services.call
    c = reg.counts()
    return [f"{call.doc_no} 收件登记  截止 {call.to_local(call.deadline):%Y-%m-%d %H:%M} 北京时间（不含）  "
            f"生成于 {call.to_local(reg.generated_at):%Y-%m-%d %H:%M:%S}",
            where(services),
            f"已申报 {c['filed']}  逾期视为未申报 {c['late']}  未申报 {c['not_filed']}  未识别 {c['unidentified']}"]


def format_register(reg: Register, services: Services) -> str:
    call = services.call
    keys = [m.key for m in call.mailboxes]
    lines = header(reg, services) + [""]
    rows = []
    notes = []
    for r in reg.rows:
        problems = ",".join(f.code for f in r.findings if f.severity in ("error", "review", "warning")) or "—"
        rows.append([r.province, shown_status(r), *(_bj(services, r.first_on_time.get(k)) for k in keys),
                     str(len(r.submissions)), str(r.pages_total if r.pages_total is not None else "—"), problems])
        if override_note(r):
            notes.append(f"  {r.province}：{override_note(r)}")
    lines += format_table(["省份", "状态", *(f"{k}首次按时到达" for k in keys), "报送", "A4页", "问题"], rows)
    if notes:
        lines += ["", "人工认定："] + notes
    if reg.unidentified:
        lines += ["", "未识别（待处室人员归属）："]
        urows = []
        for u in reg.unidentified:
            rc = " ".join(f"{x.ref}/{x.mailbox}@{_bj(services, x.received_at)}" for x in u.receipts)
            urows.append([u.submission, u.sender or "—", u.subject[:40], rc])
        lines += format_table(["报送", "发件人", "主题", "收件"], urows)
    return "\n".join(lines)


async def cmd_register(args, services: Services) -> int:
    from cli.args import province

    name = province(services, args.province) if args.province else None
    from core.register import build_register

    reg = await build_register(services.call, services.clock.now(), name)
    if args.json:
        print(json.dumps(reg.as_json(services.call), ensure_ascii=False, indent=1))
    else:
        print(format_register(reg, services))
    return 0
