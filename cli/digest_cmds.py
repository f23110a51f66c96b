"""CLI: ``digest``, ``outbox``, ``evidence`` and ``evidence-verify`` — the outgoing side.

    shenbao digest [--at ISO] [--send]     build the digest as of now (or ISO); print it and write
                                            HTML, text and xlsx into <data dir>/digests; --send queues it
                                            to SHENBAO_DIGEST_TO and the officer chats and sends the e-mail
    shenbao outbox [--drain] [--all] [--retry-failed]
                                            list pending/failed outgoing messages; --drain sends due
                                            e-mail now (chat rows are left for the bot process)
    shenbao evidence PROVINCE -o FILE.zip  raw .eml as received, attachments, sha256 manifest, arrival
                                            times per mailbox, findings, audit entries
    shenbao evidence-verify FILE.zip       check an evidence zip (exit 0 = intact, 1 = altered)
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services


def register(sub) -> None:
    p = sub.add_parser("digest", help="build (print, write HTML+xlsx) or --send the intake digest now")
    p.add_argument("--at", default=None, help="as of this time (default: now): 2023-03-26T08:30+08:00, "
                   "2023/03/26 08:30, 3月26日8时, 明天, 截止 (Beijing time)")
    p.add_argument("--send", action="store_true", help="queue to staff e-mail and officer chats, send the e-mail")
    p.add_argument("--json", action="store_true", help="the digest's figures as JSON (nothing written)")
    p.set_defaults(func=cmd_digest)
    p = sub.add_parser("outbox", help="list outgoing messages waiting or failed; --drain sends due e-mail")
    p.add_argument("--drain", action="store_true")
    p.add_argument("--all", action="store_true", help="also list sent messages (last 100)")
    p.add_argument("--retry-failed", action="store_true", help="re-queue messages that were refused")
    p.add_argument("--json", action="store_true", help="machine format")
    p.set_defaults(func=cmd_outbox)
    p = sub.add_parser("evidence", help="export one province's evidence (raw .eml, attachments, manifest) as zip",
                       description=__doc__)
    p.add_argument("province")
    p.add_argument("-o", "--output", required=True, help="FILE.zip")
    p.set_defaults(func=cmd_evidence)
    p = sub.add_parser("evidence-verify", help="verify an evidence zip made by 'shenbao evidence' (exit 1 if altered)",
                       description="Offline: checks the Ed25519 signature of SHA256SUMS, every file's sha256, that "
                       "nothing was added or removed, that raw mail still hashes to the sha256 recorded at arrival, "
                       "each audit entry's hash, and that the signing key is the server's (--public-key, or this "
                       "data directory's key). With a database it also finds the export in the audit log.")
    p.add_argument("file")
    p.add_argument("--public-key", default=None, help="the server's public key (shenbao audit public-key)")
    p.add_argument("--json", action="store_true", help="machine format")
    p.set_defaults(func=cmd_evidence_verify, no_db=True, reads_only=True)     # offline: no database, creates nothing


def _at(services: Services, raw: str | None) -> datetime:
    from cli.args import when

    return when(services, raw, "--at") if raw else services.clock.now()


def email_senders(services: Services):
    from bot.mail import EmailOutboxSender, SmtpRelay
    from bot.outbox import Senders

    relay = SmtpRelay.from_settings(services.settings)
    if relay is None:
        return Senders()
    out = services.settings.outgoing
    return Senders(email=EmailOutboxSender(relay, mail_from=out.mail_from, archive=services.archive,
                                           clock=services.clock))


async def cmd_digest(args, services: Services) -> int:
    from bot.digest.job import collect_digest, queue_digest, render_all, write_files
    from bot.outbox import drain

    out = services.settings.outgoing
    at = _at(services, args.at)
    if args.send:
        slot = f"manual:{services.call.to_local(at).isoformat(timespec='seconds')}"
        keys = await queue_digest(services, out, slot=slot, kind="manual", slot_at=at, now=at)
        if not keys:
            print(f"没有收件人（请设置 SHENBAO_DIGEST_TO 或 SHENBAO_OFFICERS_*），或 {slot} 已发送过。")
            return 1
        res = await drain(email_senders(services), services.clock)
        print(f"已排队 {len(keys)} 条（{slot}）；发送：{res}")
        return 0
    d = await collect_digest(services, out, at)
    if args.json:
        from cli.args import dump

        dump(digest_json(d))
        return 0
    r = render_all(d)
    from cli.runtime import where

    print(where(services))
    print(r["text"])
    paths = await write_files(services, d, r)
    print("\n已写入：\n" + "\n".join(f"  {p}" for p in paths))
    return 0


async def cmd_outbox(args, services: Services) -> int:
    from bot.outbox import drain, retry_failed
    from core.vocabulary import OutboxStatus
    from models.outbox import OutboxMessage

    if args.retry_failed:
        print(f"重新排队 {await retry_failed(services.clock.now())} 条")
    if args.drain:
        print(f"发送：{await drain(email_senders(services), services.clock)}")
    q = OutboxMessage.all() if args.all else OutboxMessage.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
    rows = await q.order_by("-id").limit(100)
    if args.json:
        from cli.args import dump

        dump([{"id": m.id, "status": str(m.status), "channel": m.channel, "recipient": m.recipient,
               "attempts": m.attempts, "next_attempt_at": m.next_attempt_at, "key": m.key,
               "last_error": m.last_error} for m in reversed(rows)])
        return 0
    for m in reversed(rows):
        nxt = services.call.to_local(m.next_attempt_at).strftime("%m-%d %H:%M:%S")
        print(f"{m.id}\t{m.status}\t{m.channel}\t{m.recipient}\t尝试{m.attempts}\t下次{nxt}\t{m.key}"
              + (f"\t错误：{m.last_error[:100]}" if m.last_error else ""))
    pending = await OutboxMessage.filter(status=OutboxStatus.PENDING).count()
    failed = await OutboxMessage.filter(status=OutboxStatus.FAILED).count()
    print(f"待发送 {pending}，失败 {failed}")
    return 0


async def cmd_evidence(args, services: Services) -> int:
    import asyncio

    from core.evidence import export_evidence

    from cli.args import output_file, province

    name = province(services, args.province)
    out = output_file(args.output)
    data, info = await export_evidence(services, name, actor="cli")
    await asyncio.to_thread(out.write_bytes, data)
    print(f"证据包已写入 {out}：{info['receipts']} 封收件、{info['files']} 个文件，manifest sha256 "
          f"{info['manifest_sha256']}（已记入审计日志）。校验：shenbao evidence-verify {out}")
    return 0


async def cmd_evidence_verify(args, services: Services) -> int:
    import asyncio

    from cli.args import dump, input_file
    from core import signing
    from core.evidence import verify_zip

    trusted = args.public_key or (signing.public_b64(services.signing_key) if services.signing_key else None)
    v = verify_zip(await asyncio.to_thread(input_file(args.file).read_bytes), trusted)
    if args.json:
        dump({"ok": v.ok, "checked": v.checked, "manifest_sha256": v.manifest_sha256, "problems": v.problems,
              "signing_key_fingerprint": v.fingerprint, "key_trusted": v.key_trusted})
        return 0 if v.ok else 1
    if v.ok:
        trust = ("签名公钥即本系统服务器公钥" if v.key_trusted else
                 f"签名公钥指纹 {v.fingerprint}，请与部里公布的服务器公钥指纹核对")
        print(f"证据包完整：签名有效，{v.checked} 个文件哈希一致，清单哈希 {v.manifest_sha256}；{trust} / evidence OK")
        return 0
    print("证据包校验失败 / evidence FAILED:\n" + "\n".join(f"  - {p}" for p in v.problems))
    return 1


def digest_json(d) -> dict:
    """The digest's figures (what the e-mail says), for scripts."""
    from core.status_display import is_overridden

    tz = d.call.tz
    iso = lambda x: x.astimezone(tz).isoformat() if x else None  # noqa: E731
    return {"title": d.title, "kind": d.kind, "generated_at": iso(d.generated_at), "counts": d.counts,
            "not_filed": d.not_filed, "changes": d.changes,
            "rows": [{"province": r.province, "status": r.status, "status_zh": r.status_zh,
                      "overridden": is_overridden(r), "arrivals": {k: iso(v) for k, v in r.arrivals.items()},
                      "submissions": r.submissions, "late_submissions": r.late_submissions, "pages": r.pages,
                      "open": [f.code for f in r.open], "paper": r.paper} for r in d.rows],
            "unidentified": [u.submission for u in d.unidentified], "shunted": d.shunted,
            "health": [{"mailbox": h.key, "state": h.state} for h in d.health]}
