"""Inline suppressions in YAML comments, and the finding for one that suppresses nothing.

    temperature: 0.2  # runlint: disable=RL202           this line
    # runlint: disable-next-line=RL202,RL101             the line after the comment
    # runlint: disable-file=temperature-and-top-p        the whole file

Codes, code prefixes and rule names are accepted, as with --select. JSON has no comments: use
`per-file-ignores` in the configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostic import Diagnostic, Edit, Fix, Range, shorten

_COMMENT = re.compile(r"(?:^|[ \t])(#[ \t]*runlint:[ \t]*(disable|disable-next-line|disable-file)[ \t]*=[ \t]*"
                      r"([A-Za-z0-9_,\- \t]+?))[ \t]*$", re.M)


@dataclass
class Suppression:
    scope: str  # "line", "next-line" or "file"
    line: int  # the line it applies to (0-based); -1 for the whole file
    selectors: list[str]
    where: Range  # the comment itself
    used: set[str]


def find(text: str, inside_scalar) -> list[Suppression]:
    """Suppression comments of a YAML text; `inside_scalar(line, column)` rules out look-alikes
    inside strings (a quoted value or a block scalar that contains the words)."""
    if "runlint:" not in text:
        return []
    found = []
    for match, line, column in _outside_strings(_COMMENT, text, inside_scalar):
        kind = match.group(2)
        scope = {"disable": "line", "disable-next-line": "next-line", "disable-file": "file"}[kind]
        target = {"line": line, "next-line": line + 1, "file": -1}[scope]
        selectors = [s.strip() for s in match.group(3).split(",") if s.strip()]
        found.append(Suppression(scope, target, selectors, Range(line, column, line, column + len(match.group(1))),
                                 set()))
    return found


# Any comment addressed to runlint, to tell the ones it does not read (`# runlint: ignore=RL202`,
# `# runlint: disable RL202`, `disable=RL202  # why`): each would silently suppress nothing.
_ADDRESSED = re.compile(r"(?:^|[ \t])(#[ \t]*runlint:[^\n]*?)[ \t]*$", re.M)
_READ_FORMS = re.compile(r"#[ \t]*runlint:[ \t]*(?:kind[ \t]*=|(?:disable|disable-next-line|disable-file)[ \t]*="
                         r"[ \t]*[A-Za-z0-9_,\- \t]+$)")


def _outside_strings(pattern: re.Pattern, text: str, inside_scalar):
    """Each match of `pattern` whose group 1 is not inside a string, with that group's 0-based line
    and column."""
    line = counted = 0  # lines counted forward, once (from the start for each comment was quadratic)
    for match in pattern.finditer(text):
        start = match.start(1)
        line += text.count("\n", counted, start)
        counted = start
        column = start - (text.rfind("\n", 0, start) + 1)
        if not inside_scalar(line, column):
            yield match, line, column


def unread(text: str, inside_scalar) -> list[Diagnostic]:
    """RL015 for each `# runlint:` comment in a form runlint does not read (outside strings)."""
    found = []
    for match, line, column in _outside_strings(_ADDRESSED, text, inside_scalar):
        comment = match.group(1)
        if _READ_FORMS.match(comment):
            continue
        found.append(Diagnostic("RL015", "", None, f"`{shorten(comment)}` is not a comment runlint reads, so it "
                                "suppresses nothing: write `# runlint: disable=CODES` (or `disable-next-line=`, "
                                "`disable-file=`) with nothing after the codes", Range(line, column, line,
                                                                                      column + len(comment))))
    return found


def inside_strings(documents):
    """A test for "is this position inside a multi-line string?" (a `# runlint:` line there is
    text), from one pass over the documents' positions, made on the first question."""
    strings: list = []

    def inside(line: int, column: int) -> bool:
        if not strings:
            strings.append(_multi_line_strings(documents))
        whole_lines, from_column = strings[0]
        return line in whole_lines or (line in from_column and column >= from_column[line])

    return inside


def _multi_line_strings(documents) -> tuple[set[int], dict[int, int]]:
    """(the lines inside a string, the first line of each string -> the column it starts at)."""
    from ..check.conditions import select

    whole_lines: set[int] = set()
    from_column: dict[int, int] = {}
    for document in documents:
        for path, (where, _key) in document.spans.items():
            if where.line < where.end_line:
                nodes = select(document.value, tuple(str(p) for p in path))
                if nodes and isinstance(nodes[0][1], str):
                    whole_lines.update(range(where.line + 1, where.end_line + 1))
                    from_column[where.line] = min(where.column, from_column.get(where.line, where.column))
    return whole_lines, from_column


def apply(diagnostics: list[Diagnostic], suppressions: list[Suppression], matches) -> list[Diagnostic]:
    """Drop suppressed findings; `matches(diagnostic, selector)` says whether a selector names it."""
    by_line: dict[int, list[Suppression]] = {}
    for suppression in suppressions:
        by_line.setdefault(suppression.line, []).append(suppression)
    whole_file = by_line.get(-1, [])
    kept = []
    for diagnostic in diagnostics:
        suppressed = False
        for suppression in whole_file + by_line.get(diagnostic.range.line, []):
            for selector in suppression.selectors:
                if matches(diagnostic, selector):
                    suppression.used.add(selector)
                    suppressed = True
        if not suppressed:
            kept.append(diagnostic)
    return kept


def unused(suppressions: list[Suppression], known, text: str | None = None, closest=None) -> list[Diagnostic]:
    """RL015 for each selector that suppressed nothing (or names no rule at all: with the rule
    `closest(selector)` names, if any); given the `text`, each with its fix: the comment without
    that selector, or no comment when none is left."""
    found = []
    for suppression in suppressions:
        for selector in suppression.selectors:
            if selector in suppression.used:
                continue
            close = closest(selector) if closest and not known(selector) else None
            why = ("suppresses nothing here" if known(selector) else "names no rule runlint knows"
                   + (f" (did you mean `{close}`?)" if close else ""))
            found.append(Diagnostic("RL015", "", None, f"`{shorten(selector)}` in this runlint comment {why}; "
                                    "remove it", suppression.where,
                                    fix=_without(suppression, selector, text) if text is not None else None))
    return found


_KINDS = {"line": "disable", "next-line": "disable-next-line", "file": "disable-file"}


def _without(suppression: Suppression, selector: str, text: str) -> Fix:
    where = suppression.where
    rest = [s for s in suppression.selectors if s != selector]
    if rest:
        comment = f"# runlint: {_KINDS[suppression.scope]}={','.join(rest)}"
        return Fix(f"Remove `{selector}` from the comment", (Edit(where, comment),))
    line = text.split("\n", where.line + 1)[where.line] if "\n" in text else text
    before = line[:where.column]
    if not before.strip():  # the comment is the line: the line goes
        end = Range(where.line + 1, 0, where.line + 1, 0) if text.count("\n") > where.line else where
        return Fix("Remove the comment", (Edit(Range(where.line, 0, end.end_line, end.end_column), ""),))
    start = len(before.rstrip(" \t"))
    return Fix("Remove the comment", (Edit(Range(where.line, start, where.line, where.end_column), ""),))
