"""The server's Ed25519 signing key: it signs every audit entry and every evidence zip, so a copy of the
database alone cannot forge a correctly chained entry or a consistent rewrite, and an evidence zip proves
itself offline.

The key lives in the data directory (``signing-key.pem``, mode 0600; ``SHENBAO_SIGNING_KEY`` names another
path). It is created by ``shenbao migrate`` or on first use and never logged; every process of one deployment
(intake and bot, on every host) must use the same file. The public key (``shenbao audit public-key``) is printed
in the evidence zip and belongs in the deployment's records (docs/deploy.md, 证据与审计).
"""
from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "signing-key.pem"


def key_path(data_dir: Path, environ: dict | None = None) -> Path:
    override = (environ or {}).get("SHENBAO_SIGNING_KEY")
    return Path(override) if override else Path(data_dir) / KEY_FILE


def load_or_create(path: Path) -> Ed25519PrivateKey:
    """The key at ``path``; a new one (written with O_EXCL, mode 0600) when there is none."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass                                      # another process created it first: use that one
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def fingerprint(public_key_b64: str) -> str:
    """A short, printable name of a public key (the first 16 hex digits of its sha256)."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode()


def verify(public_key_b64: str, data: bytes, signature_b64: str | None) -> bool:
    if not signature_b64:
        return False
    try:
        pub = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        pub.verify(base64.b64decode(signature_b64), data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def install_signer(settings, *, create: bool = False):
    """Load the server's Ed25519 key (creating it when ``create`` and there is none: every command that opens
    the database) and sign every audit entry this process appends with it; None when there is no key and
    ``create`` is false. Never logged. Used by the CLI and by the intake's worker process."""
    from models import audit_log

    path = key_path(settings.data_dir, dict(settings.environ))
    if not create and not path.exists():
        return None
    key = load_or_create(path)
    audit_log.set_signer(lambda data: sign(key, data))
    return key
