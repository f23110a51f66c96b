"""CLI: ``audit verify`` and ``audit list`` — the hash-chained audit log."""
from __future__ import annotations

from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit log: verify the hash chain, or list entries")
    s = p.add_subparsers(dest="audit_cmd", required=True)
    v = s.add_parser("verify", help="check that no entry was altered, removed or inserted")
    v.set_defaults(func=cmd_verify)
    ls = s.add_parser("list", help="list entries")
    ls.add_argument("--last", type=int, default=50)
    ls.add_argument("--json", action="store_true", help="machine format")
    v.add_argument("--json", action="store_true", help="machine format")
    ls.set_defaults(func=cmd_list)


async def cmd_verify(args, services: Services) -> int:
    from models import audit_log        # the ORM is imported when a command runs, not to build the parser

    ok, n, problem = await audit_log.verify()
    if getattr(args, "json", False):
        from cli.args import dump

        dump({"ok": ok, "entries": n, "problem": problem})
        return 0 if ok else 1
    if ok:
        print(f"审计日志完整：{n} 条记录，哈希链校验通过 / audit log OK ({n} entries)")
        return 0
    print(f"审计日志被改动 / audit log TAMPERED: {problem}")
    return 1


async def cmd_list(args, services: Services) -> int:
    from models.audit import AuditEntry

    rows = await AuditEntry.all().order_by("-id").limit(args.last)
    if args.json:
        from cli.args import dump

        dump([{"id": e.id, "at": services.call.to_local(e.at).isoformat(), "actor": e.actor, "action": e.action,
               "target": e.target, "detail": e.detail, "hash": e.hash} for e in reversed(rows)])
        return 0
    for e in reversed(rows):
        print(f"{services.call.to_local(e.at):%Y-%m-%d %H:%M:%S}\t{e.actor}\t{e.action}\t{e.target or ''}\t{e.detail}")
    return 0
