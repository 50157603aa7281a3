"""A streamed file (a batch file: one request a line, up to 200 MB): read a piece at a time, each
piece checked by this pipeline as it is read, in this process or in `jobs` forked ones.

The format (runlint/source/formats/batch.py) reads: `read` gives a line's requests and findings on
the line's own text, `follow` what it says after the lines before it, `finish` what the whole file
says. Here each line's requests are checked (Linter._check), everything stamped and moved to the
line's place; the lines with findings are kept to quote (as far as MAX_QUOTED_CHARS). Memory stays
bounded: neither the lines nor their requests are kept.
"""

from __future__ import annotations

from itertools import chain, islice

from ..diagnostic import Diagnostic
from ..source.limits import MAX_QUOTED_CHARS
from ..source.request import moved

_PROGRESS_EVERY = 1_000  # lines between two progress reports
_SERIAL_LINES = 2_000  # with several jobs, lines checked in this process before the workers start
_CHUNK_LINES = 500  # lines sent to a worker at a time


def lint_stream(linter, file: str, handle, format, source) -> list[Diagnostic]:
    """The findings of a streamed file, sorted; its quoted lines go to `source.quoted`.
    `source.progress(requests, bytes)` is told every thousand lines; `source.limits` replaces the
    format's limits (rule examples stay short with small ones); with `source.jobs` > 1, the lines
    past the first few thousand are checked by that many processes."""
    pieces = format.stream(file, source.limits, linter.settings.as_of)
    lines, refused = pieces.open(handle)
    if refused is not None:
        head = list(lines)
        found = linter._settle(file, [d for d in refused if linter._stamp(d, file)])
        source.quoted = {d.range.line: pieces.quoted(head[d.range.line][0]) for d in found if d.range.line < len(head)}
        return found
    reading = _Reading(linter, file, pieces)
    found: list[Diagnostic] = []
    quoted: dict[int, str] = {}
    budget = MAX_QUOTED_CHARS
    jobs, progress = source.jobs, source.progress
    lines = enumerate(lines)
    # The first lines are checked here: a small file never waits for workers, and a big one forks
    # them with the schemas its bodies need already compiled.
    checked = _here(reading, islice(lines, _SERIAL_LINES) if jobs > 1 else lines)
    if jobs > 1:
        checked = chain(checked, _in_workers(reading, lines, jobs))
    for number, raw, size, new, facts in checked:
        new += [d for d in pieces.follow(number, raw, size, facts) if linter._stamp(d, file)]
        if new:
            found += new
            if raw is not None and len(raw) <= budget:
                quoted[number] = pieces.quoted(raw)
                budget -= len(raw)
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(pieces.requests, pieces.size)
    found += [d for d in pieces.finish() if linter._stamp(d, file)]
    result = linter._settle(file, found)
    result.sort(key=Diagnostic.sort_key)
    source.quoted = quoted
    return result


class _Reading:
    """One streamed file: a line read by its format and checked here, in any process."""

    def __init__(self, linter, file: str, pieces):
        self.linter, self.file, self.pieces = linter, file, pieces
        self.context = linter.context()  # shared by every line's requests

    def line(self, number: int, raw: bytes | None, size: int) -> tuple[list[Diagnostic], object]:
        """(the line's findings, stamped, in the file; its facts for `follow`)."""
        items, facts = self.pieces.read(number, raw, size)
        linter, file = self.linter, self.file
        found = []
        for item in items:
            for d in ([item] if isinstance(item, Diagnostic) else linter._check(item, self.context)):
                if linter._stamp(d, file):
                    found.append(moved(d, number))
        return found, facts


def _here(reading: _Reading, lines):
    """(number, raw, size, findings, facts) of each line, as `_Reading.line` gives them."""
    for number, (raw, size) in lines:
        yield number, raw, size, *reading.line(number, raw, size)


_worker: _Reading | None = None  # the file a forked worker checks lines of


def _in_workers(reading: _Reading, lines, jobs: int):
    """What `_here` gives, in order, from `jobs` forked processes. At most two chunks a process are
    in flight: memory stays bounded."""
    chunks = iter(lambda: list(islice(lines, _CHUNK_LINES)), [])
    first = next(chunks, None)
    if first is None:  # a small file: every line was checked before
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    global _worker
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): this process checks them all
        yield from _here(reading, chain(first, lines))
        return
    _worker = reading
    try:
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            pending: deque = deque()
            for chunk in chain([first], chunks):
                pending.append((chunk, pool.submit(_check_chunk, chunk)))
                if len(pending) > 2 * jobs:
                    yield from _joined(*pending.popleft())
            while pending:
                yield from _joined(*pending.popleft())
    finally:
        _worker = None


def _check_chunk(chunk: list) -> list:
    return [_worker.line(number, raw, size) for number, (raw, size) in chunk]


def _joined(chunk: list, future):
    for (number, (raw, size)), (found, facts) in zip(chunk, future.result()):
        yield number, raw, size, found, facts
