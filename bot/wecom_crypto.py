"""WeCom (企业微信) callback crypto, per the official 加解密方案: SHA-1 msg_signature, AES-256-CBC with
IV = key[:16], plaintext = random16 + len(msg) (4 bytes big-endian, in bytes) + msg + receiveid, PKCS#7 to 32."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class WeComCryptoError(ValueError):
    """Signature, padding or receiveid check failed (the callback is rejected)."""


class WeComCrypto:
    BLOCK = 32                                     # WeCom pads to 32 bytes, not AES's 16

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str):
        if len(encoding_aes_key) != 43:
            raise ValueError("EncodingAESKey must be 43 characters")
        self.token = token
        self.receive_id = receive_id.encode()
        self.key = base64.b64decode(encoding_aes_key + "=")
        self.iv = self.key[:16]

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypt])).encode()).hexdigest()

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        if not hmac.compare_digest(self.signature(timestamp, nonce, encrypt), (msg_signature or "").lower()):
            raise WeComCryptoError("bad signature")

    def decrypt(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        self.verify(msg_signature, timestamp, nonce, encrypt)
        try:
            raw = base64.b64decode(encrypt)
        except ValueError as exc:
            raise WeComCryptoError("bad base64") from exc
        if not raw or len(raw) % 16:
            raise WeComCryptoError("bad ciphertext length")
        d = Cipher(algorithms.AES(self.key), modes.CBC(self.iv)).decryptor()
        plain = d.update(raw) + d.finalize()
        pad = plain[-1]
        if not 1 <= pad <= self.BLOCK:
            raise WeComCryptoError("bad padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise WeComCryptoError("truncated")
        (n,) = struct.unpack(">I", content[:4])
        msg, rid = content[4:4 + n], content[4 + n:]
        if rid != self.receive_id:
            raise WeComCryptoError("receiveid mismatch")
        try:
            return msg.decode("utf-8")
        except UnicodeDecodeError as exc:   # was a 500 out of the callback (found by property test)
            raise WeComCryptoError("message is not UTF-8") from exc

    def encrypt(self, msg: str, timestamp: str, nonce: str) -> dict[str, str]:
        body = msg.encode("utf-8")
        raw = os.urandom(16) + struct.pack(">I", len(body)) + body + self.receive_id
        pad = self.BLOCK - len(raw) % self.BLOCK
        raw += bytes([pad]) * pad
        e = Cipher(algorithms.AES(self.key), modes.CBC(self.iv)).encryptor()
        enc = base64.b64encode(e.update(raw) + e.finalize()).decode()
        return {"Encrypt": enc, "MsgSignature": self.signature(timestamp, nonce, enc), "TimeStamp": timestamp,
                "Nonce": nonce}

    def reply_xml(self, msg: str, timestamp: str, nonce: str) -> str:
        e = self.encrypt(msg, timestamp, nonce)
        return (f"<xml><Encrypt><![CDATA[{e['Encrypt']}]]></Encrypt><MsgSignature><![CDATA[{e['MsgSignature']}]]>"
                f"</MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>")
