"""Evidence export: the zip verifies; a tampered one fails; the CLI commands end to end."""
from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from core.evidence import export_evidence, verify_against_db, verify_zip
from models.audit_log import append
from models.receipt import Receipt
from tests.digest import fixture_units
from tests.digest.conftest import make_services

FINAL = datetime.fromisoformat("2023-03-27T00:15:00+08:00")


def rewrite(data: bytes, change: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in src.namelist():
            z.writestr(n, change.get(n, src.read(n)))
        for n in set(change) - set(src.namelist()):
            z.writestr(n, change[n])
    return buf.getvalue()


async def exported(tmp_path, call):
    s = make_services(tmp_path, call, FINAL)
    await fixture_units.build(s, "final")
    await append(at=FINAL, actor="officer:tg:1001", action="paper_copy", target="甘肃省",
                 detail={"province": "甘肃省", "date": "2023-03-26"})
    await append(at=FINAL, actor="officer:tg:1001", action="paper_copy", target="北京市", detail={"province": "北京市"})
    data, info = await export_evidence(s, "甘肃省", actor="cli:test")
    return s, data, info


async def test_evidence_zip_contents_and_verification(outdb, tmp_path, call):
    s, data, info = await exported(tmp_path, call)
    z = zipfile.ZipFile(io.BytesIO(data))
    m = json.loads(z.read("manifest.json"))
    assert m["province"] == "甘肃省" and m["status"] == "filed"
    assert [r["ref"] for r in m["receipts"]] == [r.ref for r in await Receipt.filter(
        submission__province="甘肃省").order_by("received_at", "id")]
    assert {(r["mailbox"], r["received_at_beijing"]) for r in m["receipts"]} == {
        ("mof", "2023-03-20T09:05:00+08:00"), ("mohrss", "2023-03-20T09:05:04+08:00"),
        ("mof", "2023-03-26T10:30:00+08:00"), ("mohrss", "2023-03-26T10:30:03+08:00")}
    for r in m["receipts"]:                                 # raw bytes exactly as received
        raw = z.read(r["file"])
        assert hashlib.sha256(raw).hexdigest() == r["sha256_at_arrival"]
        assert raw == s.archive.read((await Receipt.get(id=int(r["ref"][1:]))).archive_path)
    assert len([n for n in z.namelist() if n.startswith("attachments/S")]) == 11     # 5 + 6 documents
    assert [a["target"] for a in m["audit"]] == ["甘肃省"]
    assert "resubmission" in {f["code"] for f in m["findings"]}
    assert "sha256sum -c SHA256SUMS" in z.read("README.txt").decode()
    v = verify_zip(data)
    assert v.ok and v.checked == len(m["files"]) == info["files"] == 15
    assert (await verify_against_db(v)).ok and v.audit_recorded


async def test_tampered_evidence_fails(outdb, tmp_path, call):
    s, data, _ = await exported(tmp_path, call)
    z = zipfile.ZipFile(io.BytesIO(data))
    m = json.loads(z.read("manifest.json"))
    eml = m["receipts"][0]["file"]
    forged = z.read(eml).replace(b"Date: ", b"Date: Sun, 26 Mar 2023 23:00:00 +0800\r\nX-Old-Date: ", 1)
    bad = verify_zip(rewrite(data, {eml: forged}))
    assert not bad.ok and any("文件被修改" in p and eml in p for p in bad.problems)
    extra = rewrite(data, {"raw/R999999_mof.eml": b"From: x\r\n\r\nforged"})
    assert any("清单外的文件" in p for p in verify_zip(extra).problems)
    # a careful forger also fixes the file's hash in manifest.json and SHA256SUMS …
    for f in m["files"]:
        if f["path"] == eml:
            f["sha256"] = hashlib.sha256(forged).hexdigest()
    mbytes = json.dumps(m, ensure_ascii=False).encode()
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in m["files"]) + \
        f"{hashlib.sha256(mbytes).hexdigest()}  manifest.json\n"
    careful = verify_zip(rewrite(data, {eml: forged, "manifest.json": mbytes, "SHA256SUMS": sums.encode()}))
    assert any("原始邮件哈希与收件时登记的不一致" in p for p in careful.problems), careful.problems   # … but not the arrival hash
    for r in m["receipts"]:
        if r["file"] == eml:
            r["sha256_at_arrival"] = hashlib.sha256(forged).hexdigest()
    mbytes = json.dumps(m, ensure_ascii=False).encode()
    sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in m["files"]) + \
        f"{hashlib.sha256(mbytes).hexdigest()}  manifest.json\n"
    perfect = verify_zip(rewrite(data, {eml: forged, "manifest.json": mbytes, "SHA256SUMS": sums.encode()}))
    assert not perfect.ok and any("签名无效" in p for p in perfect.problems), perfect.problems   # offline: signed
    assert not (await verify_against_db(perfect)).ok        # … and the audit log knows the real manifest
    assert perfect.audit_recorded is False
    # … and re-signs it with a key of its own: the signature holds, the key is not the server's
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from core import signing
    own = Ed25519PrivateKey.generate()
    resigned = rewrite(data, {eml: forged, "manifest.json": mbytes, "SHA256SUMS": sums.encode(),
                              "SIGNATURE.json": json.dumps({"public_key": signing.public_b64(own),
                                                            "signature": signing.sign(own, sums.encode())}).encode()})
    v = verify_zip(resigned, signing.public_b64(s.signing_key))
    assert not v.ok and v.key_trusted is False and any("不是本系统的服务器公钥" in p for p in v.problems)
    assert verify_zip(resigned).ok and verify_zip(resigned).fingerprint == signing.fingerprint(signing.public_b64(own))
    assert verify_zip(data, signing.public_b64(s.signing_key)).ok


def shenbao(data_dir: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SHENBAO_")}
    return subprocess.run([sys.executable, "-m", "cli.main", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2],
                          env=base | (env or {}))


async def test_cli_evidence_and_verify(tmp_path, call):
    from models import close_db, init_db

    s = make_services(tmp_path, call, FINAL)
    await init_db(s.settings.database_url)                 # the migrated schema, as the CLI opens it
    try:
        await fixture_units.build(s, "final")
    finally:
        await close_db()
    out = tmp_path / "gansu.zip"
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "evidence", "甘肃", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "证据包已写入" in r.stdout and "4 封收件、15 个文件" in r.stdout
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "evidence-verify", str(out))
    assert r.returncode == 0 and "证据包完整" in r.stdout and "即本系统服务器公钥" in r.stdout, r.stdout + r.stderr
    # on a machine without the database or the data directory: offline, with the published public key
    from core import signing
    pub = signing.public_b64(s.signing_key)
    elsewhere = tmp_path / "elsewhere"
    r = await asyncio.to_thread(shenbao, elsewhere, "evidence-verify", str(out), "--public-key", pub)
    assert r.returncode == 0 and "证据包完整" in r.stdout, r.stdout + r.stderr
    assert not (elsewhere / "shenbao.sqlite3").exists() and not (elsewhere / "signing-key.pem").exists()
    data = out.read_bytes()
    name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("attachments/"))
    out.write_bytes(rewrite(data, {name: b"%PDF-1.4 replaced"}))
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "evidence-verify", str(out))
    assert r.returncode == 1 and "文件被修改" in r.stdout
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "digest", "--at", "2023-03-27T00:15:00+08:00")
    assert r.returncode == 0 and "已申报 15 · 逾期视为未申报 1 · 未申报 16" in r.stdout
    assert (s.settings.data_dir / "digests" / "收件登记表_20230327_0015.xlsx").exists()
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "outbox")
    assert r.returncode == 0 and "待发送 0，失败 0" in r.stdout


async def test_cli_digest_send_through_the_relay(tmp_path, call, smtp_sink):
    from models import close_db, init_db

    host, port, sink = smtp_sink
    s = make_services(tmp_path, call, FINAL)
    await init_db(s.settings.database_url)
    try:
        await fixture_units.build(s, "final")
    finally:
        await close_db()
    env = {"SHENBAO_DIGEST_TO": "staff@mof.example.cn", "SHENBAO_OFFICERS_TELEGRAM": "1001",
           "SHENBAO_SMTP_RELAY_HOST": host, "SHENBAO_SMTP_RELAY_PORT": str(port),
           "SHENBAO_MAIL_FROM": "申报收件系统 <shenbao@mof.example.cn>"}
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "digest", "--send", "--at",
                                "2023-03-27T00:15:00+08:00", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "已排队 2 条" in r.stdout and "sent 1" in r.stdout and "left for another process 1" in r.stdout
    [(_, rcpts, msg)] = sink.messages
    assert rcpts == ["staff@mof.example.cn"] and msg["Subject"].startswith("财办社〔2023〕22号 收件汇总 2023-03-27 00:15")
    r = await asyncio.to_thread(shenbao, s.settings.data_dir, "outbox", env=env)
    assert "待发送 1，失败 0" in r.stdout and "telegram\t1001" in r.stdout     # the chat copy waits for the bot
