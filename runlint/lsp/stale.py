"""While a syntax error is being typed, the findings of the last text that parsed still stand for
the lines that did not change: carried over (moved with the lines after the change), marked as
from the last valid text, until the file parses again."""

from __future__ import annotations

import dataclasses

from ..diagnostic import Diagnostic

SYNTAX_ERROR = "RL001"
MARK = " (from the last valid text)"


def parses(found: list[Diagnostic]) -> bool:
    return not any(d.code == SYNTAX_ERROR for d in found)


def carried(old_lines: list[str], old: list[Diagnostic], new_lines: list[str], found: list[Diagnostic]) -> list[Diagnostic]:
    """The findings of `old` (on `old_lines`) that lie in the lines before or after the part that
    changed, at their place in `new_lines`, and not already in `found`."""
    same_before = 0
    limit = min(len(old_lines), len(new_lines))
    while same_before < limit and old_lines[same_before] == new_lines[same_before]:
        same_before += 1
    same_after = 0
    while (same_after < limit - same_before
           and old_lines[len(old_lines) - 1 - same_after] == new_lines[len(new_lines) - 1 - same_after]):
        same_after += 1
    first_after = len(old_lines) - same_after  # the first old line of the unchanged end
    shift = len(new_lines) - len(old_lines)
    present = {(d.code, d.range) for d in found}
    kept = []
    for diagnostic in old:
        where = diagnostic.range
        if where.end_line < same_before:
            moved = where
        elif where.line >= first_after:
            moved = where.shifted(shift)
        else:
            continue
        if (diagnostic.code, moved) in present:
            continue
        message = diagnostic.message if diagnostic.message.endswith(MARK) else diagnostic.message + MARK
        kept.append(dataclasses.replace(diagnostic, range=moved, message=message, fix=None))
    return kept
