"""Spooled attachments go to the analysis children as files (``precheck.files.file_ref``): the same results
as from bytes, the parent never reads them whole, the archive takes the file by rename."""
from __future__ import annotations

import asyncio
import hashlib
import io
import random
import tracemalloc
import zipfile

import pikepdf
import pytest

from core.archive import Archive
from intake.documents import prepare_documents
from precheck import analysis
from precheck.analysis import analyse_attachments
from precheck.files import file_ref
from precheck.files.file_ref import FileRef
from precheck.files.sniff import HEAD, sniff, sniff_file
from precheck.parse import AttachmentPart

BIG = 20 * 10**6


def big_pdf(size: int) -> bytes:
    """A valid two-page A4 PDF padded with a large uncompressed stream (as a scanned filing's bulk)."""
    pdf = pikepdf.new()
    for _ in range(2):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.Padding = pikepdf.Stream(pdf, random.Random(3).randbytes(size))
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False)
    return buf.getvalue()


def big_zip(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("材料.bin", random.Random(4).randbytes(size))
    return buf.getvalue()


@pytest.mark.parametrize("name,data", [
    ("a.pdf", b"%PDF-1.7\n" + b"0" * (HEAD + 10)),
    ("junk.pdf", b"banner\r\n" * 10 + b"%PDF-1.4\n" + b"1" * HEAD),
    ("b.zip", None),                                           # a real zip: its directory is read
    ("random.zip", bytes(random.Random(1).randbytes(HEAD * 2))),
    ("tail.bin", b"x" * (HEAD + 5) + b"PK\x05\x06" + b"\0" * 18),
    ("page.html", b"<html><body>" + b"a" * (HEAD * 2)),
    ("c.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (HEAD * 2)),
    ("small.txt", b"hello"),
])
def test_sniff_file_decides_as_sniff(tmp_path, name, data):
    data = data if data is not None else big_zip(2 * HEAD)
    p = tmp_path / name
    p.write_bytes(data)
    assert sniff_file(FileRef(str(p)), name, "") == sniff(data, name, "")


def test_sniff_file_reads_only_the_head_of_a_large_pdf(tmp_path, monkeypatch):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"0" * (3 * HEAD))
    reads = []
    orig = FileRef.read
    monkeypatch.setattr(FileRef, "read", lambda self, limit=-1: reads.append(limit) or orig(self, limit))
    assert sniff_file(FileRef(str(p)), "a.pdf").family == "pdf"
    assert reads == [HEAD]


async def test_spooled_attachment_goes_to_the_child_as_a_path(tmp_path, call2023, monkeypatch):
    data = big_pdf(BIG)
    spool = tmp_path / "spool" / "parse-1"
    spool.mkdir(parents=True)
    path = spool / "att-0"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    part = AttachmentPart("实施方案.pdf", "application/pdf", b"", sha, path=str(path), size=len(data))
    given = []
    orig_run = analysis.sandbox.run

    async def spy(func, *args, **kw):
        given.append((func.__name__, [type(a).__name__ for a in args], max((len(a) for a in args
                                                                            if isinstance(a, bytes)), default=0)))
        return await orig_run(func, *args, **kw)
    monkeypatch.setattr(analysis.sandbox, "run", spy)
    from_bytes = (await analyse_attachments([AttachmentPart("实施方案.pdf", "application/pdf", data)],
                                            call=call2023)).documents[0]
    given.clear()
    whole_reads = []
    orig_read = file_ref.FileRef.read
    monkeypatch.setattr(file_ref.FileRef, "read",
                        lambda self, limit=-1: (limit < 0 and whole_reads.append(self.path)) or orig_read(self, limit))
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        doc = (await analyse_attachments([part], call=call2023)).documents[0]
        growth = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert given and all("FileRef" in kinds and biggest == 0 for _, kinds, biggest in given), given
    assert whole_reads == []                                   # the parent never read the file whole
    assert growth < 4 * 2**20, f"parent allocations grew {growth / 2**20:.1f} MiB for a {len(data) / 2**20:.0f} MiB file"
    assert (doc.sha256, doc.size, doc.path, doc.data) == (sha, len(data), str(path), b"")
    assert doc.pages == from_bytes.pages == 2
    assert (doc.kind, doc.page_detail) == (from_bytes.kind, from_bytes.page_detail)
    assert doc.read() == data

    # the pipeline archives the file by rename: byte-exact, and the spool no longer holds it
    from types import SimpleNamespace

    archive = Archive(tmp_path / "archive")
    prepared = await prepare_documents(SimpleNamespace(attachments=[part], html_body="", forwarded=()),
                                       call=call2023, archive=archive)
    item = prepared.items[0]
    assert item["sha256"] == sha and "data" not in item and "path" not in item
    assert archive.path_for(item["archive_path"]).read_bytes() == data
    assert not path.exists()
    await asyncio.sleep(0)
