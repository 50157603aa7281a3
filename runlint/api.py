"""The public Python API: the same diagnostics the CLI prints.

    >>> import runlint
    >>> [d.code for d in runlint.lint_text("assistant_id: asst_1\\ntemprature: 1\\n", "a.run.yaml")]
    ['RL101']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .diagnostic import Diagnostic
from .source.files import discover
from .pipeline.linter import Linter, Settings
from .pipeline.runner import lint_files
from .source.request import Source


@lru_cache(maxsize=1)
def _default_linter() -> Linter:
    return Linter(Settings())


def lint_text(text: str, filename: str | None = None, *, settings: Settings | None = None) -> list[Diagnostic]:
    """Lint one spec given as text. The file name (if any) tells the syntax and the request kind."""
    linter = Linter(settings) if settings else _default_linter()
    name = filename or "<text>"
    syntax = None if filename else ("json" if text.lstrip()[:1] in ("{", "[") else "yaml")
    return linter.lint(Source(name, text=text, syntax=syntax))


def lint_paths(paths: Iterable[str], *, settings: Settings | None = None) -> list[Diagnostic]:
    """Lint files and folders (folders yield the include globs). Unreadable paths raise OSError."""
    linter = Linter(settings) if settings else _default_linter()
    found = discover([str(p) for p in paths], linter.settings.include, linter.settings.exclude)
    if found.errors:
        raise OSError(found.errors[0])
    diagnostics = []
    for result in lint_files(linter, found.files):
        if result.error:
            raise OSError(result.error)
        diagnostics += result.diagnostics
    return diagnostics
