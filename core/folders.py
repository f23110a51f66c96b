"""IMAP folder names and the uidvalidity a receipt records (shared by the watcher and the register)."""
from __future__ import annotations

import base64
import re
import zlib


def decode_folder(name: str) -> str:
    """IMAP modified UTF-7 (RFC 3501 5.1.3) → text: ``&V4NXPpCuTvY-`` → 垃圾邮件."""
    def one(m):
        b64 = m.group(1)
        if not b64:
            return "&"
        b64 = b64.replace(",", "/")
        return base64.b64decode(b64 + "=" * (-len(b64) % 4)).decode("utf-16-be", "replace")
    return re.sub(r"&([^-]*)-", one, name)


def stored_uidvalidity(folder: str, uidvalidity: int) -> int:
    """The uidvalidity a receipt records. Two folders of one mailbox may share a UIDVALIDITY (Dovecot stamps
    folders created together alike), and receipts are unique per (mailbox, uidvalidity, uid): outside INBOX a
    31-bit tag of the folder name goes in the high bits; the folder's own value is the low 32 bits."""
    if folder.upper() == "INBOX":
        return uidvalidity
    return ((zlib.crc32(folder.encode()) & 0x7FFFFFFF) << 32) | (uidvalidity & 0xFFFFFFFF)
