"""Evidence export: one province's raw mail as received, its attachments, arrival times, findings and audit
entries in a zip with a sha256 manifest; and its verification.

Layout of ``FILE.zip``::

    README.txt                  what this is and how to verify it
    manifest.json               every file's sha256/size, receipts (arrival time per mailbox), submissions,
                                findings, audit entries (with their hash chain links)
    SHA256SUMS                  the same hashes in ``sha256sum -c`` format (and manifest.json's)
    SIGNATURE.json              Ed25519 signature of SHA256SUMS by the server key, with the public key
    raw/<R000012>_<mailbox>.eml  each receipt's bytes exactly as received
    attachments/<S000003>/<D000045>_<filename>

Verify: ``shenbao evidence-verify FILE.zip [--public-key KEY]``, offline — no database needed. It checks the
signature of SHA256SUMS (a recomputed SHA256SUMS does not carry one), that every file listed there and in the
manifest is present with its hash, that no file was added, that each raw message still hashes to the sha256
recorded at arrival and each audit entry to its recorded hash, and that the signing key is the server's (the
one given, or this data directory's; otherwise its fingerprint is printed to compare with the published one).
With the database at hand it also finds the export in the audit log.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone

from core import signing
from core.register import build_register
from core.services import Services
from models.audit import AuditEntry
from models.audit_log import append, entry_hash
from models.receipt import Receipt
from models.submission import Document, Submission

FORMAT = 2                      # 2: signed (SIGNATURE.json)
README = """申报收件证据包（{doc_no}）——{province}
生成时间：{generated}（北京时间），生成人：{actor}

raw/           每封来信在各邮箱收到时的原始字节（.eml），未经任何修改；
attachments/   从来信中取出的附件；
manifest.json  每个文件的 sha256、收件记录（服务器收到时间，UTC 与北京时间）、报送、预审结果、审计日志；
SHA256SUMS     同一组哈希值，可用 `sha256sum -c SHA256SUMS` 校验；
SIGNATURE.json 服务器密钥（Ed25519）对 SHA256SUMS 的签名及公钥（指纹 {fingerprint}）。

校验方法：shenbao evidence-verify 本文件.zip（无需数据库）
（检查签名、每个文件的哈希、有无增删、原始邮件哈希与收件时登记的一致、审计记录哈希；签名公钥须与部里公布的
服务器公钥一致。）
"""


def _safe(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "file"
    return name[:120]


def _iso(dt: datetime | None, tz=None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(tz or timezone.utc).isoformat()


async def export_evidence(services: Services, province: str, *, actor: str = "cli") -> tuple[bytes, dict]:
    """Build the zip for one province; append an ``evidence_export`` audit entry with the manifest hash."""
    call, now = services.call, services.clock.now()
    name = call.province(province).name
    subs = await Submission.filter(call_id=call.id, province=name).order_by("first_received_at", "id")
    files: dict[str, bytes] = {}
    receipts_out, subs_out = [], []
    for s in subs:
        rs = await Receipt.filter(submission_id=s.id).order_by("received_at", "id")
        for r in rs:
            raw = services.archive.read(r.archive_path)
            path = f"raw/{r.ref}_{r.mailbox}.eml"
            files[path] = raw
            receipts_out.append({"ref": r.ref, "submission": s.ref, "mailbox": r.mailbox,
                                 "mailbox_address": call.mailbox(r.mailbox).address, "source": str(r.source),
                                 "received_at_utc": _iso(r.received_at), "received_at_beijing": _iso(r.received_at, call.tz),
                                 "time_source": str(r.time_source), "on_time": call.is_on_time(r.received_at),
                                 "sha256_at_arrival": r.sha256, "file": path, "message_id": r.message_id,
                                 "sender": r.sender, "date_header": r.date_header, "imap_folder": r.imap_folder,
                                 "imap_uidvalidity": r.imap_uidvalidity & 0xFFFFFFFF if r.imap_uidvalidity is not None else None,
                                 "imap_uid": r.imap_uid, "recorded_at_utc": _iso(r.created_at)})
        docs = await Document.filter(submission_id=s.id).order_by("id")
        doc_out = []
        for d in docs:
            path = f"attachments/{s.ref}/D{d.id:06d}_{_safe(d.filename)}"
            files[path] = services.archive.read(d.archive_path)
            doc_out.append({"id": d.id, "filename": d.filename, "kind": d.kind, "pages": d.pages, "sha256": d.sha256,
                            "parent": d.parent_id, "file": path})
        subs_out.append({"ref": s.ref, "subject": s.subject, "sender": s.sender, "message_id": s.message_id,
                         "on_time": s.on_time, "first_received_at_utc": _iso(s.first_received_at),
                         "first_received_at_beijing": _iso(s.first_received_at, call.tz),
                         "date_header_sent_utc": _iso(s.date_sent), "attribution": s.attribution, "documents": doc_out})
    row = (await build_register(call, now, name)).rows[0]
    refs = {name} | {s.ref for s in subs} | {r["ref"] for r in receipts_out}
    audit = [a for a in await AuditEntry.all().order_by("id")
             if a.target in refs or (isinstance(a.detail, dict) and a.detail.get("province") == name)]
    manifest = {
        "format": FORMAT, "call": call.id, "doc_no": call.doc_no, "province": name, "status": row.status,
        "status_zh": row.status_zh, "generated_at_utc": _iso(now), "deadline_utc": _iso(call.deadline),
        "first_on_time": {k: _iso(v, call.tz) for k, v in row.first_on_time.items()},
        "receipts": receipts_out, "submissions": subs_out,
        "findings": [{"code": f.code, "severity": f.severity, "message": f.message, "clause": f.clause,
                      "section": f.section, "scope": f.scope, "ref": f.ref, "figures": f.figures} for f in row.findings],
        "audit": [{"id": a.id, "at_utc": a.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
                   "actor": a.actor, "action": a.action, "target": a.target, "detail": a.detail,
                   "prev_hash": a.prev_hash, "hash": a.hash} for a in audit],
        "files": [{"path": p, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for p, b in sorted(files.items())],
    }
    mbytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode()
    msha = hashlib.sha256(mbytes).hexdigest()
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest["files"]) + f"{msha}  manifest.json\n"
    key = services.signing_key
    if key is None:
        raise ValueError("evidence export needs the server signing key (core.signing; cli.runtime installs it)")
    pub = signing.public_b64(key)
    signature = {"alg": "Ed25519", "signed": "SHA256SUMS", "public_key": pub, "fingerprint": signing.fingerprint(pub),
                 "signature": signing.sign(key, sums.encode())}
    readme = README.format(doc_no=call.doc_no, province=name, generated=call.to_local(now).strftime("%Y-%m-%d %H:%M:%S"),
                           actor=actor, fingerprint=signature["fingerprint"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("README.txt", readme)
        z.writestr("manifest.json", mbytes)
        z.writestr("SHA256SUMS", sums)
        z.writestr("SIGNATURE.json", json.dumps(signature, indent=1))
        for p, b in sorted(files.items()):
            z.writestr(p, b)
    await append(at=now, actor=actor, action="evidence_export", target=name,
                 detail={"province": name, "manifest_sha256": msha, "files": len(files)})
    return buf.getvalue(), {"manifest_sha256": msha, "files": len(files), "receipts": len(receipts_out),
                            "fingerprint": signature["fingerprint"]}


@dataclass
class Verification:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    manifest_sha256: str = ""
    audit_recorded: bool | None = None       # None: no database consulted
    fingerprint: str = ""                    # of the key that signed it
    key_trusted: bool | None = None          # None: no trusted key given to compare with

    def fail(self, msg: str) -> None:
        self.ok = False
        self.problems.append(msg)


def verify_zip(data: bytes, trusted_key: str | None = None) -> Verification:
    """Offline checks of an evidence zip (no database needed); ``trusted_key``: the server's public key."""
    v = Verification()
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        v.fail(f"不是有效的zip文件：{exc}")
        return v
    with z:
        names = set(z.namelist())
        if "manifest.json" not in names:
            v.fail("缺少 manifest.json")
            return v
        mbytes = z.read("manifest.json")
        v.manifest_sha256 = hashlib.sha256(mbytes).hexdigest()
        m = json.loads(mbytes)
        listed = {f["path"]: f for f in m.get("files", [])}
        for path, f in listed.items():
            if path not in names:
                v.fail(f"缺少文件：{path}")
                continue
            h = hashlib.sha256(z.read(path)).hexdigest()
            v.checked += 1
            if h != f["sha256"]:
                v.fail(f"文件被修改：{path}（sha256 {h[:16]}…，清单为 {f['sha256'][:16]}…）")
        extra = names - set(listed) - {"manifest.json", "SHA256SUMS", "README.txt", "SIGNATURE.json"}
        for path in sorted(extra):
            v.fail(f"清单外的文件：{path}")
        for r in m.get("receipts", []):
            f = listed.get(r["file"])
            if f and f["sha256"] != r["sha256_at_arrival"]:
                v.fail(f"{r['ref']}：原始邮件哈希与收件时登记的不一致")
        for a in m.get("audit", []):
            h = entry_hash(a["prev_hash"], datetime.fromisoformat(a["at_utc"]), a["actor"], a["action"], a["target"],
                           a["detail"])
            if h != a["hash"]:
                v.fail(f"审计记录 {a['id']} 的内容与其哈希不符")
        if "SHA256SUMS" not in names:
            v.fail("缺少 SHA256SUMS")
            return v
        raw_sums = z.read("SHA256SUMS")
        sums = dict(reversed(line.split("  ", 1)) for line in raw_sums.decode().splitlines() if "  " in line)
        if sums.get("manifest.json") != v.manifest_sha256:
            v.fail("manifest.json 与 SHA256SUMS 不一致（清单被修改）")
        for path, h in sums.items():
            if path != "manifest.json" and (path not in listed or listed[path]["sha256"] != h):
                v.fail(f"SHA256SUMS 与清单不一致：{path}")
        if "SIGNATURE.json" not in names:
            v.fail("缺少签名 SIGNATURE.json（无法证明由本系统导出）")
            return v
        try:
            sig = json.loads(z.read("SIGNATURE.json"))
            pub, signature = sig["public_key"], sig["signature"]
        except (ValueError, KeyError, TypeError):
            v.fail("SIGNATURE.json 无法读取")
            return v
        v.fingerprint = signing.fingerprint(pub) if pub else ""
        if not signing.verify(pub, raw_sums, signature):
            v.fail("签名无效：SHA256SUMS 在导出后被改动或重新计算过")
        if trusted_key is not None:
            v.key_trusted = pub == trusted_key
            if not v.key_trusted:
                v.fail(f"签名公钥（指纹 {v.fingerprint}）不是本系统的服务器公钥（指纹 {signing.fingerprint(trusted_key)}）")
    return v


async def verify_against_db(v: Verification) -> Verification:
    """Also require that the manifest hash is the one the audit log recorded at export."""
    rows = await AuditEntry.filter(action="evidence_export").all()
    v.audit_recorded = any((a.detail or {}).get("manifest_sha256") == v.manifest_sha256 for a in rows)
    if not v.audit_recorded:
        v.fail("审计日志中没有此清单哈希的导出记录（清单可能被改过，或来自另一数据库）")
    return v
