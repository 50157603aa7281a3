"""A JSON value held in a YAML string (`jsonSchema: |` in a GitHub Models prompt file), read as a
Document of its own whose ranges are those of the file.

The string's JSON is scanned with positions, and each position is moved to where that character
stands in the file. The move is exact for the two ways such strings are written in practice: a
literal block scalar (`|`, `|-`, `|+`, with or without an indentation indicator: each line of the
string is a line of the file less the block's indentation) and a string on one line with no
escapes (plain or quoted: a shift of columns). Other styles (folded `>`, quoted strings over
several lines or with escapes) fold or unescape characters, so no column of the string is a column
of the file: `embedded` returns None for them, and a finding inside lands on the whole scalar.
"""

from __future__ import annotations

import json
import re

from ..diagnostic import Range
from .document import Document

_BLOCK_HEADER = re.compile(r"[|]([1-9]?)[+-]?|[|][+-]([1-9])")


def embedded(document: Document, path: tuple) -> Document | None:
    """The JSON value of the string at `path` as a Document positioned in the file, or None (not
    a string, not a JSON object or array, or a style whose columns cannot be mapped)."""
    node = document.value
    try:
        for part in path:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(node, str) or not node.strip().startswith(("{", "[")):
        return None
    try:
        value = json.loads(node)
    except ValueError:
        return None
    where = document.locate(path)
    shift = _shift(document, where, node)
    if shift is None:
        return None
    from .json_loader import scan

    spans, _ = scan(node, want_problems=False)
    moved = {p: (shift(v), None if k is None else shift(k)) for p, (v, k) in spans.items()}
    root = moved.get((), (where, None))[0]
    return Document(document.file, document.text, "json", value, root, _spans=moved)


def _shift(document: Document, where: Range, string: str):
    """A function moving a range of `string` to the file, or None when the style does not allow it."""
    lines = document.lines
    first = lines[where.line][where.column:] if where.line < len(lines) else ""
    header = _BLOCK_HEADER.match(first)
    rest = "" if header is None else first[header.end():].strip()
    if header is not None and (not rest or rest.startswith("#")):
        start = where.line + 1
        explicit = header.group(1) or header.group(2)
        indent = _block_indent(lines, start, where, explicit)
        if indent is None:
            return None

        def block(r: Range) -> Range:
            return Range(start + r.line, r.column + indent, start + r.end_line, r.end_column + indent)
        return block
    if where.line != where.end_line or "\n" in string:
        return None
    written = document.text_at(where)
    if written == string:
        offset = where.column
    elif len(written) == len(string) + 2 and written[0] in "\"'" and written[1:-1] == string:
        offset = where.column + 1
    else:
        return None  # escapes or doubled quotes: columns differ

    def inline(r: Range) -> Range:
        return Range(where.line, r.column + offset, where.line, r.end_column + offset)
    return inline


def _block_indent(lines: list[str], start: int, where: Range, explicit: str | None) -> int | None:
    """The indentation of a block scalar's content: the indicator's, else its first non-blank line's."""
    if explicit:
        parent = len(lines[where.line]) - len(lines[where.line].lstrip(" "))
        return parent + int(explicit)
    for line in lines[start:where.end_line + 1]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return None
