"""Electronic seals and signatures of an OFD (GB/T 33190 §18, GB/T 38540 / GM/T 0031): who signed, which
seal, when, on which page, and whether it still verifies.

``Signatures.xml`` lists each ``Signature.xml``: ``SignedInfo`` (provider, method, time, the files it covers
with their digests, the ``StampAnnot`` where the seal shows) and ``SignedValue`` (a DER ``SES_Signature``:
the seal with its name and picture, the signer's certificate, the SM2 signature over ``TBS_Sign``).

What is checked, and how far it goes:

- every referenced file's digest (SM3, SHA-1/256) against ``CheckValue``: the pages were not changed;
- ``dataHash`` against SM3 of ``Signature.xml``: the signed list itself was not changed;
- the SM2 signature over ``TBS_Sign`` with the signer certificate's key (``openssl pkeyutl``, distinguishing
  ID ``1234567812345678``): the signature belongs to that certificate.

Not checked: the certificate chain up to a trusted seal authority (no root certificates here), revocation,
and the seal maker's own signature on the seal. A person is told exactly that.
"""
from __future__ import annotations

import base64
import hashlib
import os
import posixpath
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone

from precheck.files import der
from precheck.files.problems import FileProblem

SM3_OIDS = {"1.2.156.10197.1.401", "1.2.156.10197.1.401.1", "SM3", "sm3"}
SM2_DIST_ID = "1234567812345678"
METHODS = {"1.2.156.10197.1.501": "SM2-with-SM3", "1.2.840.113549.1.1.11": "RSA-SHA256",
           "1.2.840.113549.1.1.5": "RSA-SHA1"}


@dataclass
class OfdSignature:
    id: str
    type: str                       # Seal (电子签章) / Sign (数字签名)
    provider: str = ""
    method: str = ""
    time: str | None = None         # ISO 8601, UTC
    signer: str = ""                # signer certificate's subject CN
    seal_name: str = ""             # the seal's name (SES_ESPropertyInfo.name)
    page: int | None = None         # 1-based page the seal shows on
    boundary: tuple[float, float, float, float] | None = None
    seal_picture_type: str = ""     # ofd / png / jpg / gif …
    seal_picture: bytes = field(default=b"", repr=False)
    references: int = 0
    references_ok: bool | None = None
    changed: list[str] = field(default_factory=list)
    data_hash_ok: bool | None = None
    signature_ok: bool | None = None
    notes: list[str] = field(default_factory=list)

    def verdict(self) -> str:
        """One Chinese sentence on what verification showed."""
        if self.changed:
            return f"签章后文件被修改（{'、'.join(self.changed[:3])}），签章无效"
        if self.references_ok is False or self.data_hash_ok is False:
            return "签章所保护的内容与签章记录不一致，签章无效"
        if self.signature_ok is False:
            return "签名值与签章证书不匹配，签章无效"
        if self.signature_ok and self.references_ok:
            return "签名值与证书匹配，签章后内容未被修改（证书链未核验）"
        if self.references_ok:
            return "签章后内容未被修改（签名值未能核验）"
        return "签章未能核验"

    def as_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "provider": self.provider, "method": self.method,
                "time": self.time, "signer": self.signer, "seal_name": self.seal_name, "page": self.page,
                "references": self.references, "references_ok": self.references_ok, "changed": self.changed,
                "data_hash_ok": self.data_hash_ok, "signature_ok": self.signature_ok, "verdict": self.verdict(),
                "notes": self.notes}


def read_signatures(pkg, path: str, doc) -> list[OfdSignature]:
    from precheck.files.ofd import child, children, descendants, text_of

    if not pkg.exists(path):
        raise FileProblem("corrupt", "签章列表文件缺失", f"{path} missing")
    root = pkg.xml(path)
    base = posixpath.dirname(path)
    out = []
    for s in children(root, "Signature")[:50]:
        sig = OfdSignature(id=s.get("ID", ""), type=s.get("Type", "Seal") or "Seal")
        spath = pkg.resolve(s.get("BaseLoc", ""), base)
        if not pkg.exists(spath):
            sig.notes.append("签章文件缺失")
            out.append(sig)
            continue
        sroot = pkg.xml(spath)
        info = child(sroot, "SignedInfo")
        if info is not None:
            prov = child(info, "Provider")
            if prov is not None:
                sig.provider = (prov.get("ProviderName") or prov.get("Company") or "")[:100]
            oid = text_of(child(info, "SignatureMethod"))
            sig.method = METHODS.get(oid, oid)[:60]
            sig.time = _xml_time(text_of(child(info, "SignatureDateTime")))
            refs = child(info, "References")
            if refs is not None:
                _check_references(pkg, refs, sig, children, text_of)
            stamp = descendants(info, "StampAnnot")
            if stamp:
                sig.page = doc.page_ids.get(stamp[0].get("PageRef", ""), None) if hasattr(doc, "page_ids") else None
                if sig.page is not None:
                    sig.page += 1
                try:
                    sig.boundary = tuple(float(v) for v in stamp[0].get("Boundary", "").split()[:4]) or None
                except ValueError:
                    sig.boundary = None
        value_ref = text_of(child(sroot, "SignedValue"))
        vpath = pkg.resolve(value_ref, posixpath.dirname(spath))
        if value_ref and pkg.exists(vpath):
            try:
                _read_signed_value(pkg.read(vpath, 4 << 20), pkg.read(spath), sig)
            except (der.DerError, FileProblem, IndexError, ValueError) as exc:
                sig.notes.append(f"签名值无法解析（{type(exc).__name__}）")
        else:
            sig.notes.append("签名值文件缺失")
        out.append(sig)
    return out


def _xml_time(v: str) -> str | None:
    v = (v or "").strip()
    for fmt in ("%Y%m%d%H%M%SZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S"):
        try:
            return datetime.strptime(v, fmt).replace(tzinfo=timezone.utc).isoformat()
        except ValueError:
            continue
    return v[:40] or None


def _digest(method: str, blob: bytes) -> bytes | None:
    m = (method or "").strip()
    if m in SM3_OIDS or not m:
        return sm3(blob)
    if m.upper() in ("SHA1", "1.3.14.3.2.26"):
        return hashlib.sha1(blob).digest()
    if m.upper() in ("SHA256", "2.16.840.1.101.3.4.2.1"):
        return hashlib.sha256(blob).digest()
    if m.upper() in ("MD5", "1.2.840.113549.2.5"):
        return hashlib.md5(blob).digest()
    return None


def sm3(blob: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes

    h = hashes.Hash(hashes.SM3())
    h.update(blob)
    return h.finalize()


def _check_references(pkg, refs, sig: OfdSignature, children, text_of) -> None:
    method = refs.get("CheckMethod", "")
    ok = True
    for r in children(refs, "Reference")[:2000]:
        sig.references += 1
        fpath = pkg.resolve(r.get("FileRef", ""))
        want = text_of(children(r, "CheckValue")[0]) if children(r, "CheckValue") else ""
        try:
            got = _digest(method, pkg.read(fpath, 256 << 20))
        except KeyError:
            sig.changed.append(posixpath.basename(fpath) + "（已删除）")
            ok = False
            continue
        if got is None:
            sig.notes.append(f"摘要算法 {method[:40]} 不受支持")
            sig.references_ok = None
            return
        try:
            expected = base64.b64decode(want)
        except ValueError:
            expected = b""
        if got != expected:
            sig.changed.append(posixpath.basename(fpath))
            ok = False
    sig.references_ok = ok if sig.references else None


def _read_signed_value(blob: bytes, signature_xml: bytes, sig: OfdSignature) -> None:
    top = der.read(blob)
    kids = top.children()
    tbs = kids[0]
    tk = tbs.children()
    version = tk[0].integer() if tk and tk[0].tag == der.INTEGER else 0
    eseal = tk[1]
    _read_seal(eseal, sig)
    if version >= 4 and len(kids) >= 4:           # GB/T 38540-2020
        time_node, hash_node = tk[2], tk[3]
        cert, signature = kids[1].content, kids[3].bits()
        sig.time = sig.time or _der_time(time_node)
    else:                                         # GM/T 0031-2014 (v1–v3)
        hash_node = tk[3]
        cert = tk[5].content if len(tk) > 5 else b""
        signature = kids[1].bits() if len(kids) > 1 else b""
        if tk[2].tag == der.BIT_STRING and not sig.time:
            sig.time = _xml_time(tk[2].bits().decode("ascii", "replace"))
    if hash_node.tag == der.BIT_STRING:
        sig.data_hash_ok = hash_node.bits() == sm3(signature_xml)
    sig.signer = _cert_cn(cert)
    if cert and signature and "SM2" in (sig.method or "SM2"):
        sig.signature_ok = sm2_verify(cert, tbs.raw, signature)
        if sig.signature_ok is None:
            sig.notes.append("本机无法核验 SM2 签名（缺少 openssl）")


def _read_seal(eseal: der.Node, sig: OfdSignature) -> None:
    info = eseal.children()[0]
    parts = info.children()
    for p in parts:
        if p.tag != der.SEQUENCE:
            continue
        kids = p.children()
        names = [k for k in kids if k.tag == der.UTF8]
        if names and not sig.seal_name and kids and kids[0].tag == der.INTEGER:
            sig.seal_name = names[0].text()[:120]
        if len(kids) >= 2 and kids[0].tag == der.IA5 and kids[1].tag == der.OCTET_STRING and kids[0].text() != "ES":
            sig.seal_picture_type = kids[0].text().lower()[:10]
            sig.seal_picture = kids[1].content[: 8 << 20]


def _der_time(node: der.Node) -> str | None:
    t = node.text()
    for fmt in ("%Y%m%d%H%M%SZ", "%y%m%d%H%M%SZ"):
        try:
            return datetime.strptime(t, fmt).replace(tzinfo=timezone.utc).isoformat()
        except ValueError:
            continue
    return t[:40] or None


def _cert_cn(cert: bytes) -> str:
    """The subject's common name; found by walking the DER so an SM2 key never stops it."""
    if not cert:
        return ""
    try:
        tbs = der.read(cert).children()[0].children()
    except (der.DerError, IndexError):
        return ""
    seqs = [n for n in tbs if n.tag == der.SEQUENCE]
    subject = seqs[3] if len(seqs) >= 4 else None        # algorithm, issuer, validity, subject
    if subject is None:
        return ""
    cn = ""
    for n in der.walk(subject):
        if n.tag == der.SEQUENCE:
            kids = n.children()
            if len(kids) == 2 and kids[0].tag == der.OID and kids[0].oid() == "2.5.4.3":
                cn = kids[1].text()
    return cn[:160]


def sm2_verify(cert: bytes, message: bytes, signature: bytes, timeout: float = 10.0) -> bool | None:
    """True/False from ``openssl pkeyutl -verify`` (SM2, SM3, ID 1234567812345678); None when it cannot run."""
    if not shutil.which("openssl"):
        return None
    with tempfile.TemporaryDirectory(prefix="sbsm2-") as tmp:
        pub = subprocess.run(["openssl", "x509", "-inform", "DER", "-pubkey", "-noout"], input=cert,
                             capture_output=True, timeout=timeout)
        if pub.returncode != 0 or b"PUBLIC KEY" not in pub.stdout:
            return None
        paths = {n: os.path.join(tmp, n) for n in ("pub.pem", "msg", "sig")}
        for n, b in (("pub.pem", pub.stdout), ("msg", message), ("sig", signature)):
            with open(paths[n], "wb") as fh:
                fh.write(b)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.pem"], "-rawin",
                            "-in", paths["msg"], "-sigfile", paths["sig"], "-digest", "sm3",
                            "-pkeyopt", f"distid:{SM2_DIST_ID}"], capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        if b"Verified Successfully" in r.stdout:
            return True
        if b"Verification Failure" in r.stdout + r.stderr:
            return False
        return None
