"""CLI: ``register [--json]`` — the intake register, one row per provincial unit plus unidentified."""
from __future__ import annotations

import json

from core.register import Register, build_register
from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("register", help="print the intake register (all 32 units and the unidentified queue)")
    p.add_argument("--json", action="store_true", help="stable machine format")
    p.add_argument("--province", default=None)
    p.set_defaults(func=cmd_register)


def _bj(services: Services, dt) -> str:
    return services.call.to_local(dt).strftime("%m-%d %H:%M:%S") if dt else "—"


def format_register(reg: Register, services: Services) -> str:
    call = services.call
    c = reg.counts()
    lines = [f"{call.doc_no} 收件登记  截止 {call.to_local(call.deadline):%Y-%m-%d %H:%M} 北京时间（不含）  "
             f"生成于 {call.to_local(reg.generated_at):%Y-%m-%d %H:%M:%S}",
             f"已申报 {c['filed']}  逾期视为未申报 {c['late']}  未申报 {c['not_filed']}  未识别 {c['unidentified']}", ""]
    keys = [m.key for m in call.mailboxes]
    lines.append("省份\t状态\t" + "\t".join(f"{k}首次按时到达" for k in keys) + "\t报送\tA4页\t问题")
    for r in reg.rows:
        problems = ",".join(f.code for f in r.findings if f.severity in ("error", "review", "warning")) or "—"
        lines.append("\t".join([r.province, r.status_zh, *(_bj(services, r.first_on_time.get(k)) for k in keys),
                                str(len(r.submissions)), str(r.pages_total if r.pages_total is not None else "—"),
                                problems]))
    read = [r for r in reg.rows if r.facts]
    if read:
        from precheck.reading.summary import fact_lines

        lines += ["", "从申报材料读出（依据：文件、页码、原文）："]
        for r in read:
            lines.append(f"{r.province}：" + "；".join(fact_lines(r.facts)))
    if reg.unidentified:
        lines += ["", "未识别（待处室人员归属）："]
        for u in reg.unidentified:
            rc = " ".join(f"{x.ref}/{x.mailbox}@{_bj(services, x.received_at)}" for x in u.receipts)
            lines.append(f"{u.submission}\t{u.sender or '—'}\t{u.subject[:40]}\t{rc}")
    return "\n".join(lines)


async def cmd_register(args, services: Services) -> int:
    province = services.call.province(args.province).name if args.province else None
    reg = await build_register(services.call, services.clock.now(), province)
    if args.json:
        print(json.dumps(reg.as_json(services.call), ensure_ascii=False, indent=1))
    else:
        print(format_register(reg, services))
    return 0
