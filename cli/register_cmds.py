"""CLI: ``register [--json]`` — the intake register, one row per provincial unit plus unidentified."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.register import Register
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("register", help="print the intake register (all 32 units and the unidentified queue)")
    p.add_argument("--json", action="store_true", help="stable machine format")
    p.add_argument("--province", default=None)
    p.set_defaults(func=cmd_register)
    p = sub.add_parser("rebuild-state", help="repair: re-derive every province's status, findings and kept state "
                                             "from the tables (--check only compares)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if any kept state differs")
    p.set_defaults(func=cmd_rebuild_state)
    p = sub.add_parser("receipts", help="search recorded mail, unrelated mail included (newest first)")
    p.add_argument("--search", default=None, help="text in the sender or subject")
    p.add_argument("--unrelated", action="store_true", help="only mail judged unrelated to the call")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_receipts)


def _bj(services: Services, dt) -> str:
    return services.call.to_local(dt).strftime("%m-%d %H:%M:%S") if dt else "—"


def format_register(reg: Register, services: Services) -> str:
    call = services.call
    c = reg.counts()
    lines = [f"{call.doc_no} 收件登记  截止 {call.to_local(call.deadline):%Y-%m-%d %H:%M} 北京时间（不含）  "
             f"生成于 {call.to_local(reg.generated_at):%Y-%m-%d %H:%M:%S}",
             f"已申报 {c['filed']}  逾期视为未申报 {c['late']}  未申报 {c['not_filed']}  未识别 {c['unidentified']}"
             + (f"  无关来信 {reg.unrelated}（已登记，可用 shenbao receipts --unrelated 检索）" if reg.unrelated else "")]
    if reg.unprocessed():
        p = reg.processing
        lines.append(f"注意：{reg.unprocessed()} 封收件尚未处理完，登记可能少计（待处理 {p['received']} · 待重试 "
                     f"{p['retrying']} · 处理失败 {p['shunted']}；shenbao shunted 查看）")
    if reg.filed_unconfirmed():
        lines.append(f"来源待核实：{'、'.join(reg.filed_unconfirmed())}（仅有未登记发件人的报送；/confirm 编号 理由）")
    lines.append("")
    keys = [m.key for m in call.mailboxes]
    lines.append("省份\t状态\t" + "\t".join(f"{k}首次按时到达" for k in keys) + "\t报送\tA4页\t问题")
    for r in reg.rows:
        problems = ",".join(f.code for f in r.findings if f.severity in ("error", "review", "warning")) or "—"
        lines.append("\t".join([r.province, r.status_zh, *(_bj(services, r.first_on_time.get(k)) for k in keys),
                                str(len(r.submissions)), str(r.pages_total if r.pages_total is not None else "—"),
                                problems]))
    if reg.unidentified:
        lines += ["", "未识别（待处室人员归属）："]
        for u in reg.unidentified:
            rc = " ".join(f"{x.ref}/{x.mailbox}@{_bj(services, x.received_at)}" for x in u.receipts)
            lines.append(f"{u.submission}\t{u.sender or '—'}\t{u.subject[:40]}\t{rc}")
    return "\n".join(lines)


async def cmd_register(args, services: Services) -> int:
    province = services.call.province(args.province).name if args.province else None
    from core.register import build_register

    reg = await build_register(services.call, services.clock.now(), province)
    if args.json:
        print(json.dumps(reg.as_json(services.call), ensure_ascii=False, indent=1))
    else:
        print(format_register(reg, services))
    return 0


async def cmd_rebuild_state(args, services: Services) -> int:
    from core.province_state import rebuild_state

    differ = await rebuild_state(services, check=args.check)
    if args.check:
        print("保存的省级状态与数据一致 / kept state matches the tables" if not differ else
              f"{len(differ)} 个单位的保存状态与数据不一致 / kept state differs: {'、'.join(differ)}")
        return 1 if differ else 0
    print(f"已重建 {len(services.call.province_names())} 个单位的状态，{len(differ)} 个有变化"
          + (f"：{'、'.join(differ)}" if differ else "") + " / kept state rebuilt")
    return 0


async def cmd_receipts(args, services: Services) -> int:
    from tortoise.expressions import Q

    from models.receipt import Receipt

    q = Receipt.all()
    if args.unrelated:
        q = q.filter(submission__unrelated=True)
    if args.search:
        q = q.filter(Q(sender__icontains=args.search) | Q(subject__icontains=args.search))
    rows = await q.order_by("-id").limit(args.limit).prefetch_related("submission")
    for r in rows:
        sub = r.submission
        where = "未处理" if sub is None else sub.province or ("无关来信" if sub.unrelated else "未识别")
        print("\t".join([r.ref, r.mailbox, _bj(services, r.received_at), where, r.sender or "—",
                         (r.subject or "")[:60]]))
    if not rows:
        print("没有符合条件的收件 / no matching receipts")
    return 0
