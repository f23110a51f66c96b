"""CLI: ``register [--json] [--province P]`` — the intake register, one row per provincial unit plus unidentified."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.register import Register
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("register", help="print the intake register (all 32 units and the unidentified queue)")
    p.add_argument("--json", action="store_true", help="stable machine format")
    p.add_argument("--province", default=None, help="one province (广东省, 广东, Guangdong, 廣東 …)")
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


def header(reg: Register, services: Services) -> list[str]:
    from cli.runtime import where

    call = services.call
    c = reg.counts()
    return [f"{call.doc_no} 收件登记  截止 {call.to_local(call.deadline):%Y-%m-%d %H:%M} 北京时间（不含）  "
            f"生成于 {call.to_local(reg.generated_at):%Y-%m-%d %H:%M:%S}",
            where(services),
            f"已申报 {c['filed']}  逾期视为未申报 {c['late']}  未申报 {c['not_filed']}  未识别 {c['unidentified']}"
            + (f"  无关来信 {reg.unrelated}（已登记，可用 shenbao receipts --unrelated 检索）" if reg.unrelated else ""),
            *notices(reg)]


def notices(reg: Register) -> list[str]:
    """What makes the counts provisional: receipts not processed yet, 已申报 only from unregistered senders."""
    out = []
    if reg.unprocessed():
        p = reg.processing
        out.append(f"注意：{reg.unprocessed()} 封收件尚未处理完，登记可能少计（待处理 {p['received']} · 待重试 "
                   f"{p['retrying']} · 处理失败 {p['shunted']}；shenbao shunted 查看）")
    if reg.filed_unconfirmed():
        out.append(f"来源待核实：{'、'.join(reg.filed_unconfirmed())}（仅有未登记发件人的报送；/confirm 编号 理由）")
    return out


def format_register(reg: Register, services: Services) -> str:
    from cli.table import format_table
    from core.status_display import override_note, shown_status

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
    if reg.folders:
        lines += ["", "邮箱文件夹核对（文件夹中已读到的邮件 / 登记的收件）："]
        for f in reg.folders:
            count = "未计数" if f.messages is None else f"{f.messages} 封"
            note = ""
            if f.missing > 0:
                note = f"  ← {f.missing} 封没有收件记录（与已登记邮件完全相同的副本，或漏收：请核查）"
            elif f.missing < 0:
                note = f"  ← 邮箱中少了 {-f.missing} 封（登记后被删除或移走）"
            lines.append(f"{f.mailbox}\t{f.folder}\t邮箱 {count} / 登记 {f.receipts} 封{note}")
    read = [r for r in reg.rows if r.facts]
    if read:
        from precheck.reading.summary import fact_lines

        lines += ["", "从申报材料读出（依据：文件、页码、原文）："]
        for r in read:
            lines.append(f"{r.province}：" + "；".join(fact_lines(r.facts)))
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
    from core.register import build_register

    name = province(services, args.province) if args.province else None
    reg = await build_register(services.call, services.clock.now(), name)
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
