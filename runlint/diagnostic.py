"""Diagnostics: what every check produces and every front end reports.

Positions are 0-based (line, column in code points) inside runlint; the CLI adds 1 and the
language server converts columns to UTF-16 at its edge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r}; expected error, warning or info") from None

    def softer(self) -> "Severity":
        return Severity(max(self - 1, Severity.INFO))

    def __str__(self) -> str:
        return self.name.lower()


class Range(NamedTuple):
    """A span of text: 0-based start and (exclusive) end, in lines and code-point columns.
    (A named tuple: loading makes one for every node, and tuples are the cheapest to make.)"""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> "Range":
        return cls(line, column, line, column)

    @classmethod
    def of_offsets(cls, text: str, start: int, end: int) -> "Range":
        """The range of text[start:end], found by counting (no index of every line: for one or a
        few ranges in a text)."""
        line = text.count("\n", 0, start)
        end_line = line + text.count("\n", start, end)
        return cls(line, start - text.rfind("\n", 0, start) - 1, end_line, end - text.rfind("\n", 0, end) - 1)


@dataclass(frozen=True, slots=True)
class Edit:
    range: Range
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggested change: a title a person can read and the text edits that make it."""

    title: str
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # "safe" (--fix applies it) or "unsafe" (only with --unsafe-fixes)
    drop_bom: bool = False  # the fix removes the UTF-8 byte order mark (which no position reaches)

    def to_json(self) -> dict:
        """`fix` in `--format json` (1-based positions, like the finding's)."""
        return {"applicability": self.applicability, "message": self.title,
                "edits": [{"line": e.range.line + 1, "column": e.range.column + 1, "end_line": e.range.end_line + 1,
                           "end_column": e.range.end_column + 1, "content": e.new_text} for e in self.edits]}


# RL007's fix: no edit of the text reaches the byte order mark, which is not part of it
DROP_BOM = Fix("Remove the byte order mark", (), drop_bom=True)


@dataclass(slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    range: Range
    pointer: str = ""  # JSON Pointer of the node, "" for the document root
    file: str = ""
    fix: Fix | None = None
    redact: bool = False  # the range holds a secret: never print it
    # More nodes (JSON Pointers) the finding is about besides its own: a missing field's would-be
    # place (RL102), the whole item a mix-up of the two APIs stands for (RL240). A rule that
    # `supersedes` codes drops their findings inside its own finding's nodes (Linter.supersede).
    scope: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        r = self.range
        return (self.file, r.line, r.column, self.code, self.message)

    def to_json(self) -> dict:
        """The stable machine contract of `--format json` (1-based positions)."""
        r = self.range
        return {
            "file": self.file,
            "line": r.line + 1,
            "column": r.column + 1,
            "end_line": r.end_line + 1,
            "end_column": r.end_column + 1,
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.pointer,
            "fix": self.fix.to_json() if self.fix is not None else None,
        }


def escape_pointer_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def to_pointer(parts: tuple | list) -> str:
    """('tools', 0, 'function') -> '/tools/0/function' (RFC 6901)."""
    return "".join("/" + escape_pointer_token(p) for p in parts)


def field_name(path) -> str:
    """('tools', 0, 'function') -> 'tools[0].function', as the API's own errors name parameters."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the request"


# How much of a user's value a message quotes. Only values are cut, never runlint's own words: a
# message explains the finding whole, and "…" (not "...", which messages use for "and so on")
# marks the one place text was left out.
SHOWN_CHARS = 60


class Said(str):
    """A message part in runlint's own words (composed by a check, any user value in it already
    `show`n): placed in the message whole, never cut."""


def shorten(text: str, limit: int | None = None) -> str:
    """A user's text cut to `limit` characters (SHOWN_CHARS), the cut marked "…"; runlint's words
    (`Said`) pass whole."""
    limit = limit or SHOWN_CHARS
    if isinstance(text, Said) or len(text) <= limit:
        return text
    return text[:limit - 1] + "…"


def show(value) -> str:
    """A user's value as a message quotes it: a string as it is, anything else as JSON; cut to fit."""
    if isinstance(value, str):
        return shorten(value)
    if value is None:
        return "null"
    return shorten(json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value))


def show_json(value) -> str:
    """A user's value written as JSON (a string in its quotes), cut to fit: how schema messages
    quote values and enum options."""
    return shorten(json.dumps(value, ensure_ascii=False))
