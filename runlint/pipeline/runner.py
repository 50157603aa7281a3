"""Lint many files, on every core when there are enough of them to pay for the workers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..diagnostic import Diagnostic, Severity
from ..source.document import lone_cr_as_lf
from ..source.formats import claim
from ..source.request import Source
from .linter import Linter

# Below this many files a second process costs more (fork, pickling results) than it saves.
PARALLEL_THRESHOLD = 48


@dataclass
class FileResult:
    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None  # kept only when there is something to show from it
    error: str | None = None  # the file could not be read
    fail_on: Severity = Severity.ERROR  # from the settings the file was linted with
    lines: dict[int, str] | None = None  # a batch file's quoted lines, instead of its whole text

    def quoted_lines(self) -> dict[int, str]:
        """Line number (0-based) -> the text the reports quote."""
        if self.lines is not None:
            return self.lines
        return dict(enumerate(self.text.split("\n"))) if self.text is not None else {}


def lint_file(linter: Linter, path: str, progress=None, jobs: int = 1) -> FileResult:
    """`progress(requests, bytes read, file size)` follows a file read as a stream (a batch file, by
    `jobs` processes)."""
    source = Source(path, jobs=jobs)
    if progress is not None:
        total = _size(path)
        source.progress = lambda requests, done: progress(requests, done, total)
    try:
        diagnostics = linter.lint(source)
    except OSError as error:
        return FileResult(path, error=f"cannot read {path}: {error.strerror or error}")
    if source.quoted is not None:  # streamed: only the lines with findings were kept
        return FileResult(path, diagnostics, lines=mask(source.quoted, diagnostics), fail_on=linter.settings.fail_on)
    text = source_text(source.data, diagnostics) if diagnostics else None
    return FileResult(path, diagnostics, text, fail_on=linter.settings.fail_on)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def source_text(data: bytes, diagnostics: list[Diagnostic]) -> str:
    """The text the reports quote."""
    lines = lone_cr_as_lf(data.decode("utf-8", "replace").removeprefix("\ufeff")).split("\n")
    return "\n".join(mask(dict(enumerate(lines)), diagnostics).values())


def mask(lines: dict[int, str], diagnostics: list[Diagnostic]) -> dict[int, str]:
    """Every secret a finding points at masked in the quoted lines (same length, so the carets
    under it still line up)."""
    for d in diagnostics:
        if not d.redact:
            continue
        r = d.range
        for number in range(r.line, r.end_line + 1):
            line = lines.get(number)
            if line is None:
                continue
            start = r.column if number == r.line else 0
            end = r.end_column if number == r.end_line else len(line)
            lines[number] = line[:start] + "*" * len(line[start:end]) + line[end:]
    return lines


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


_worker_linter: Linter | None = None


def _lint_chunk(paths: list[str]) -> list[FileResult]:
    return [lint_file(_worker_linter, path) for path in paths]


def lint_files(linter: Linter, paths: list[str], jobs: int | None = None, progress=None,
               batch_progress=None) -> list[FileResult]:
    """Lint `paths` in order; `progress(n)` is told as each batch of n files is done,
    `batch_progress(file, requests, bytes read, size)` as a batch file is read."""
    progress = progress or (lambda count: None)
    jobs = jobs or usable_cores()
    batches = [p for p in paths if hasattr(claim(p), "stream")]
    if batches:  # streamed one after the other, each by every job: each may be 200 MB
        done = {}
        for path in batches:
            told = (lambda *state, path=path: batch_progress(path, *state)) if batch_progress else None
            done[path] = lint_file(linter, path, told, jobs)
            progress(1)
        specs = iter(lint_files(linter, [p for p in paths if p not in done], jobs, progress))
        return [done[p] if p in done else next(specs) for p in paths]
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        results = []
        for path in paths:
            results.append(lint_file(linter, path))
            progress(1)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _worker_linter
    _worker_linter = linter  # inherited by the forked workers: rules and schemas are loaded once
    # Warm up before forking (the YAML parser's import, the schema validator), so no worker has to.
    linter.lint(Source("warm.run.json", text='{"assistant_id": "warm"}'))
    linter.lint(Source("warm.run.yaml", text="assistant_id: warm\n"))
    size = max(8, len(paths) // (jobs * 4))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): run in this process
        return lint_files(linter, paths, 1, progress)
    results = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for chunk in pool.map(_lint_chunk, chunks):
            results += chunk
            progress(len(chunk))
    return results
