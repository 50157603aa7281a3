"""Diagnostics: what every check produces and every front end reports.

Positions are 0-based (line, column in code points) inside runlint; the CLI adds 1 and the
language server converts columns to UTF-16 at its edge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from .path import Path, field_name, to_pointer  # noqa: F401 - field_name and to_pointer: for the checks


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

    def shifted(self, lines: int) -> "Range":
        """The same span `lines` further down (a batch line's own range placed in its file, a
        finding kept across an edit above it)."""
        return Range(self.line + lines, self.column, self.end_line + lines, self.end_column)

    def contains(self, line: int, column: int) -> bool:
        """Whether the position is in the span, both ends included (a cursor right after a node
        is still on it)."""
        return (self.line, self.column) <= (line, column) <= (self.end_line, self.end_column)

    def overlaps(self, other: "Range") -> bool:
        """Whether the two spans share text (a fix's edit reaching into a node)."""
        return ((self.line, self.column) < (other.end_line, other.end_column)
                and (other.line, other.column) < (self.end_line, self.end_column))


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
    # The node's request path. A check passes its path (a tuple); a JSON Pointer string is read once
    # here (its digit tokens as indexes); `pointer` writes it back.
    path: Path | tuple | str = Path()
    file: str = ""
    fix: Fix | None = None
    redact: bool = False  # the range holds a secret: never print it
    # More nodes (JSON Pointers) the finding is about besides its own: a missing field's would-be
    # place (RL102), the whole item a mix-up of the two APIs stands for (RL240). A rule that
    # `supersedes` codes drops their findings inside its own finding's nodes (Linter.supersede).
    scope: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if type(self.path) is not Path:
            self.path = Path.from_pointer(self.path) if isinstance(self.path, str) else Path(self.path)

    @property
    def pointer(self) -> str:
        """The node as a JSON Pointer, "" for the document root."""
        return self.path.pointer

    @pointer.setter
    def pointer(self, pointer: str) -> None:
        # a prefix put before the pointer (a batch line's finding moved under its "/body") keeps the
        # path it had, which a pointer string read again could not tell for a key "0"
        known = self.path.pointer
        self.path = Path.from_pointer(pointer[:len(pointer) - len(known)]) + self.path \
            if pointer.endswith(known) else Path.from_pointer(pointer)

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


# The words a message names a JSON type with: the API's own (its errors say "an array", "an
# integer"), for a schema's `type` and a user's value alike, in every message.
TYPE_WORDS = {"string": "a string", "number": "a number", "integer": "an integer", "boolean": "a boolean",
              "object": "an object", "array": "an array", "null": "null"}


def type_word(value) -> str:
    """The type of a user's value in TYPE_WORDS ("an integer" for 1, "a number" for 1.5)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return TYPE_WORDS[{str: "string", dict: "object", list: "array"}.get(type(value), "string")]


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
