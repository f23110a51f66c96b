"""CLI: ``audit verify`` and ``audit list`` — the hash-chained audit log."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit log: verify the hash chain, or list entries")
    s = p.add_subparsers(dest="audit_cmd", required=True)
    v = s.add_parser("verify", help="check the chain, its signatures, the receipts, the overrides and the witnessed tips")
    v.add_argument("--tip", action="append", default=[], metavar="N:HASH",
                   help="a tip printed in a digest you received (审计日志 N 条，最新哈希 …); repeatable")
    v.add_argument("--public-key", default=None, help="the server's public key (default: this data dir's key)")
    v.set_defaults(func=cmd_verify)
    k = s.add_parser("public-key", help="print the server's Ed25519 public key (publish it: evidence zips, audit)")
    k.set_defaults(func=cmd_public_key)
    ls = s.add_parser("list", help="list entries")
    ls.add_argument("--last", type=int, default=50)
    ls.add_argument("--json", action="store_true", help="machine format")
    v.add_argument("--json", action="store_true", help="machine format")
    ls.set_defaults(func=cmd_list)


async def cmd_verify(args, services: Services) -> int:
    from core import signing
    from core.audit_check import parse_tip, verify_all

    try:
        tips = [parse_tip(t) for t in args.tip]
    except ValueError as exc:
        print(str(exc))
        return 2
    pub = args.public_key or (signing.public_b64(services.signing_key) if services.signing_key else None)
    rep = await verify_all(public_key=pub, tips=tips, data_dir=services.settings.data_dir)
    if getattr(args, "json", False):
        from cli.args import dump

        dump({"ok": rep.ok, "entries": rep.entries, "signed": rep.signed, "receipts": rep.receipts,
              "witnesses": rep.witnesses, "problems": rep.problems, "notes": rep.notes})
        return 0 if rep.ok else 1
    if rep.ok:
        print(f"审计日志完整：{rep.entries} 条记录，哈希链、签名（{rep.signed} 条，公钥 "
              f"{signing.fingerprint(pub) if pub else '—'}）、{rep.receipts} 份收件记录、{rep.witnesses} 个外部见证均校验通过 / "
              f"audit log OK ({rep.entries} entries)")
        for n in rep.notes:
            print(f"说明 / note: {n}")
        return 0
    print(f"审计日志被改动 / audit log TAMPERED ({len(rep.problems)} problems):")
    for p in rep.problems[:50]:
        print(f"  {p}")
    return 1


async def cmd_public_key(args, services: Services) -> int:
    from core import signing

    pub = signing.public_b64(services.signing_key)
    print(f"{pub}\t(fingerprint {signing.fingerprint(pub)})")
    return 0


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
