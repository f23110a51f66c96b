"""CLI: ``audit verify`` and ``audit list`` — the hash-chained audit log."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit log: verify the hash chain, or list entries")
    s = p.add_subparsers(dest="audit_cmd", required=True)
    v = s.add_parser("verify", help="check that no entry was altered, removed or inserted")
    v.set_defaults(func=cmd_verify)
    ls = s.add_parser("list", help="list entries")
    ls.add_argument("--last", type=int, default=50)
    ls.set_defaults(func=cmd_list)


async def cmd_verify(args, services: Services) -> int:
    from models import audit_log

    ok, n, problem = await audit_log.verify()
    if ok:
        print(f"审计日志完整：{n} 条记录，哈希链校验通过 / audit log OK ({n} entries)")
        return 0
    print(f"审计日志被改动 / audit log TAMPERED: {problem}")
    return 1


async def cmd_list(args, services: Services) -> int:
    from models.audit import AuditEntry

    rows = await AuditEntry.all().order_by("-id").limit(args.last)
    for e in reversed(rows):
        print(f"{services.call.to_local(e.at):%Y-%m-%d %H:%M:%S}\t{e.actor}\t{e.action}\t{e.target or ''}\t{e.detail}")
    return 0
