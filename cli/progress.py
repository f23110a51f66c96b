"""Progress for long commands (OCR, backfill/ingest, the demo): a ``rich`` bar on a terminal (stderr), and
the same steps as plain lines when output goes to a file or a pipe, so nothing runs for a minute silently."""
from __future__ import annotations

import sys
from contextlib import contextmanager


class _Bar:
    def __init__(self, progress, task):
        self._p, self._t = progress, task

    def advance(self, n: int = 1) -> None:
        if self._p is not None:
            self._p.advance(self._t, n)

    def describe(self, text: str) -> None:
        if self._p is not None:
            self._p.update(self._t, description=text)

    def print(self, text: str, *, err: bool = False) -> None:
        print(text, file=sys.stderr if err else sys.stdout, flush=True)


@contextmanager
def progress(label: str, total: int | None):
    """``with progress("OCR", 12) as bar: … bar.advance()``; a no-op bar when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield _Bar(None, None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    cols = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*cols, console=Console(stderr=True), transient=True) as p:
        yield _Bar(p, p.add_task(label, total=total))
