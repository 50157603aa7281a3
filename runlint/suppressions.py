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

from .diagnostic import Diagnostic, Range

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
    for match in _COMMENT.finditer(text):
        start = match.start(1)
        line = text.count("\n", 0, start)
        column = start - (text.rfind("\n", 0, start) + 1)
        if inside_scalar(line, column):
            continue
        kind = match.group(2)
        scope = {"disable": "line", "disable-next-line": "next-line", "disable-file": "file"}[kind]
        target = {"line": line, "next-line": line + 1, "file": -1}[scope]
        selectors = [s.strip() for s in match.group(3).split(",") if s.strip()]
        found.append(Suppression(scope, target, selectors, Range(line, column, line, column + len(match.group(1))),
                                 set()))
    return found


def apply(diagnostics: list[Diagnostic], suppressions: list[Suppression], matches) -> list[Diagnostic]:
    """Drop suppressed findings; `matches(diagnostic, selector)` says whether a selector names it."""
    kept = []
    for diagnostic in diagnostics:
        suppressed = False
        for suppression in suppressions:
            if suppression.line not in (-1, diagnostic.range.line):
                continue
            for selector in suppression.selectors:
                if matches(diagnostic, selector):
                    suppression.used.add(selector)
                    suppressed = True
        if not suppressed:
            kept.append(diagnostic)
    return kept


def unused(suppressions: list[Suppression], known) -> list[Diagnostic]:
    """RL015 for each selector that suppressed nothing (or names no rule at all)."""
    found = []
    for suppression in suppressions:
        for selector in suppression.selectors:
            if selector in suppression.used:
                continue
            why = "suppresses nothing here" if known(selector) else "names no rule runlint knows"
            found.append(Diagnostic("RL015", "", None, f"`{selector}` in this runlint comment {why}; "
                                    "remove it", suppression.where))
    return found
