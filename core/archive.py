"""Content-addressed, durable file archive: tmp file, fsync, rename, fsync the directory."""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path


def digest(data: bytes) -> str:
    """The archive's name for ``data``: its sha256, hex."""
    return hashlib.sha256(data).hexdigest()


class StorageUnavailable(Exception):
    """The archive or database could not make a receipt durable; the sender must retry (SMTP 451)."""


class Archive:
    """Stores bytes under ``<root>/<kind>/<aa>/<sha256>``; writing the same bytes twice is a no-op.

    ``<root>/spool/`` holds messages still being received (see :class:`SpoolFile`); it is on the archive's
    file system so a finished message is renamed into place, never copied.
    """

    SPOOL = "spool"

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def spool_dir(self) -> Path:
        return self.root / self.SPOOL

    def open_spool(self) -> "SpoolFile":
        """A new spool file for one incoming message (raises StorageUnavailable)."""
        return SpoolFile(self.spool_dir)

    def put_spooled(self, spooled: "Spooled", kind: str = "raw", suffix: str = "") -> tuple[str, str]:
        """Move a finished spool file into the archive; return ``(sha256, relative path)``.

        Already archived (same bytes): the spool file is removed. Raises StorageUnavailable.
        """
        rel = _rel_path(kind, spooled.sha256, suffix)
        final = self.root / rel
        try:
            if final.exists() and final.stat().st_size == spooled.size:
                os.unlink(spooled.path)
                return spooled.sha256, rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(spooled.path, final)          # same file system: atomic, no copy; data fsynced by finish()
            _fsync_dir(final.parent)
        except OSError as exc:
            raise StorageUnavailable(f"archive write failed: {exc.strerror or exc}") from exc
        return spooled.sha256, rel

    def put_file(self, path: str | os.PathLike, kind: str, suffix: str = "", *, sha256: str, size: int
                 ) -> tuple[str, str]:
        """Move a file already on the archive's file system (an attachment the parse spooled, whose digest and
        size the spool computed) into the archive: fsync, rename, no copy. Raises StorageUnavailable."""
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StorageUnavailable(f"archive write failed: {exc.strerror or exc}") from exc
        return self.put_spooled(Spooled(Path(path), sha256, size), kind, suffix)

    def clean_spool(self) -> int:
        """Remove spool files left by processes that are gone (a crash mid-DATA: never acknowledged)."""
        removed = 0
        try:
            entries = list(self.spool_dir.iterdir())
        except OSError:
            return 0
        for p in entries:
            pid = p.name.split("-", 1)[0]
            if p.suffix == ".part" and pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                try:
                    p.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed

    def path_for(self, rel: str) -> Path:
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root.resolve()):
            raise ValueError(f"path escapes the archive: {rel!r}")
        return p

    def put(self, data: bytes, kind: str = "raw", suffix: str = "", *, sync_dir: bool = True,
            sha256: str | None = None) -> tuple[str, str]:
        """Write ``data`` durably; return ``(sha256, relative path)``. Raises StorageUnavailable.

        ``sync_dir=False`` leaves the directory entry's fsync to the caller (``sync_dirs``), so a batch of
        files pays one directory fsync per directory instead of one per file. ``sha256``: the digest, when the
        caller computed it already (``digest``)."""
        digest = sha256 or hashlib.sha256(data).hexdigest()
        rel = _rel_path(kind, digest, suffix)
        final = self.root / rel
        try:
            if final.exists() and final.stat().st_size == len(data):
                return digest, rel
            final.parent.mkdir(parents=True, exist_ok=True)
            # unique per write: a batch may hold two byte-identical messages, written concurrently (accept_many)
            tmp = final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            except OSError:
                os.close(fd)
                fd = -1
                try:
                    os.unlink(tmp)           # a partial file must not keep the space (the database needs it)
                except OSError:
                    pass
                raise
            finally:
                if fd >= 0:
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


@dataclass(frozen=True)
class Spooled:
    """A message fully written to a spool file: where it is, its sha256 and size (the bytes are not in memory)."""

    path: Path
    sha256: str
    size: int


class SpoolFile:
    """One message being received, written chunk by chunk to ``<archive>/spool/<pid>-<random>.part`` with a
    running sha256 and size (memory stays one chunk, whatever the message's size or shape).

    ``finish()`` returns a :class:`Spooled`; :meth:`Archive.put_spooled` then moves it into the archive
    (fsync, rename: no copy). ``discard()`` removes an unfinished or unused file; it is safe to call twice.
    A write error raises StorageUnavailable (disk full: the SMTP client is told 451 and retries).
    """

    def __init__(self, directory: Path):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.path = directory / f"{os.getpid()}-{secrets.token_hex(8)}.part"
            self._fd: int | None = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        except OSError as exc:
            raise StorageUnavailable(f"spool file not created: {exc.strerror or exc}") from exc
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        if self._fd is None:
            raise StorageUnavailable("spool file already closed")
        self._hash.update(data)
        self.size += len(data)
        view = memoryview(data)
        try:
            while view:
                n = os.write(self._fd, view)
                view = view[n:]
        except OSError as exc:
            raise StorageUnavailable(f"spool write failed: {exc.strerror or exc}") from exc

    def finish(self) -> Spooled:
        """Flush to disk (fsync) and close; the file stays until the archive takes it."""
        if self._fd is None:
            raise StorageUnavailable("spool file already closed")
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise StorageUnavailable(f"spool fsync failed: {exc.strerror or exc}") from exc
        finally:
            os.close(self._fd)
            self._fd = None
        return Spooled(self.path, self._hash.hexdigest(), self.size)

    def discard(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None
        try:
            os.unlink(self.path)
        except OSError:
            pass


def _rel_path(kind: str, digest: str, suffix: str) -> str:
    safe_suffix = suffix if suffix.isascii() and suffix.replace(".", "").isalnum() and len(suffix) <= 8 else ""
    return f"{kind}/{digest[:2]}/{digest}{safe_suffix}"


def _fsync_dir(path: Path) -> None:
    dfd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
