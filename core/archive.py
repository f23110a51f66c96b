"""Content-addressed, durable file archive: tmp file, fsync, rename, fsync the directory."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


class StorageUnavailable(Exception):
    """The archive or database could not make a receipt durable; the sender must retry (SMTP 451)."""


class Archive:
    """Stores bytes under ``<root>/<kind>/<aa>/<sha256>``; writing the same bytes twice is a no-op."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, rel: str) -> Path:
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root.resolve()):
            raise ValueError(f"path escapes the archive: {rel!r}")
        return p

    def put(self, data: bytes, kind: str = "raw", suffix: str = "", *, sync_dir: bool = True) -> tuple[str, str]:
        """Write ``data`` durably; return ``(sha256, relative path)``. Raises StorageUnavailable.

        ``sync_dir=False`` leaves the directory entry's fsync to the caller (``sync_dirs``), so a batch of
        files pays one directory fsync per directory instead of one per file."""
        digest = hashlib.sha256(data).hexdigest()
        safe_suffix = suffix if suffix.isascii() and suffix.replace(".", "").isalnum() and len(suffix) <= 8 else ""
        rel = f"{kind}/{digest[:2]}/{digest}{safe_suffix}"
        final = self.root / rel
        try:
            if final.exists() and final.stat().st_size == len(data):
                return digest, rel
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, final)
            if sync_dir:
                _fsync_dir(final.parent)
        except OSError as exc:
            raise StorageUnavailable(f"archive write failed: {exc.strerror or exc}") from exc
        return digest, rel

    def sync_dirs(self, rels) -> None:
        """fsync the directories holding ``rels`` (after ``put(..., sync_dir=False)``), each once."""
        try:
            for d in sorted({(self.root / r).parent for r in rels}):
                _fsync_dir(d)
        except OSError as exc:
            raise StorageUnavailable(f"archive directory sync failed: {exc.strerror or exc}") from exc

    def read(self, rel: str) -> bytes:
        return self.path_for(rel).read_bytes()

    def verify(self, rel: str, sha256: str) -> bool:
        return hashlib.sha256(self.read(rel)).hexdigest() == sha256


def _fsync_dir(path: Path) -> None:
    dfd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)
