"""Offline DKIM for tests: a signing key per domain, its DNS TXT record, and a dict resolver for dkimpy."""
from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@lru_cache(maxsize=None)
def key(domain: str) -> bytes:
    """A 1024-bit RSA private key (PEM) for ``domain`` (cached: one per test run)."""
    k = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                           serialization.NoEncryption())


def txt_record(domain: str) -> bytes:
    pub = serialization.load_pem_private_key(key(domain), None).public_key()
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)


def sign(raw: bytes, domain: str, selector: str = "s1", *, length: bool = False) -> bytes:
    """``raw`` with a DKIM-Signature of ``domain`` prepended (relaxed/relaxed, From/To/Subject/Date/Message-ID)."""
    import dkim

    sig = dkim.sign(raw, selector.encode(), domain.encode(), key(domain), canonicalize=(b"relaxed", b"relaxed"),
                    include_headers=[b"from", b"to", b"subject", b"date", b"message-id"], length=length)
    return sig + raw


class Resolver:
    """``dns_txt`` for dkimpy: answers ``<selector>._domainkey.<domain>`` for the domains it was given."""

    def __init__(self, *domains: str, selector: str = "s1"):
        self.records = {f"{selector}._domainkey.{d}.".encode(): txt_record(d) for d in domains}
        self.asked: list[bytes] = []

    def __call__(self, name: bytes, timeout: float = 5) -> bytes | None:
        self.asked.append(name)
        return self.records.get(name if name.endswith(b".") else name + b".")
