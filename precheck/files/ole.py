"""What an OLE compound file (``D0 CF 11 E0``) really holds, from its stream names: a Word/Excel/PowerPoint
or WPS file, an Outlook ``.msg``, or an encrypted Office 2007+ file (``EncryptionInfo`` + ``EncryptedPackage``:
a password-protected .docx/.xlsx is an OLE file, not a zip)."""
from __future__ import annotations

import io

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_kind(data: bytes) -> str | None:
    """``doc`` / ``xls`` / ``ppt`` / ``msg`` / ``encrypted_ooxml`` / ``ole`` (other), None when not OLE."""
    if not data.startswith(OLE_MAGIC):
        return None
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            names = {"/".join(e) for e in ole.listdir(streams=True, storages=True)}
    except Exception:
        return "ole"
    top = {n.split("/", 1)[0] for n in names}
    if "EncryptionInfo" in top and "EncryptedPackage" in top:
        return "encrypted_ooxml"
    if any(n.startswith("__substg1.0_") for n in top) or "__properties_version1.0" in top:
        return "msg"
    if "WordDocument" in top:
        return "doc"
    if "Workbook" in top or "Book" in top:
        return "xls"
    if "PowerPoint Document" in top:
        return "ppt"
    return "ole"
