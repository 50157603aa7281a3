"""runlint counts columns in code points; LSP counts UTF-16 code units. Converted at this edge."""

from __future__ import annotations

from lsprotocol import types

from ..diagnostic import Range


def to_utf16(line: str, column: int) -> int:
    prefix = line[:column]
    return column + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def from_utf16(line: str, character: int) -> int:
    units = 0
    for index, ch in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def lsp_range(lines: list[str], where: Range) -> types.Range:
    def position(line: int, column: int) -> types.Position:
        text = lines[line] if 0 <= line < len(lines) else ""
        return types.Position(line=max(line, 0), character=to_utf16(text, column))

    return types.Range(start=position(where.line, where.column), end=position(where.end_line, where.end_column))


def buffer_position(document, position: types.Position) -> tuple[int, int]:
    """An LSP position in a buffer as runlint's (line, code-point column), kept inside the text."""
    lines = document.source.split("\n")
    line = position.line if position.line < len(lines) else len(lines) - 1
    return line, from_utf16(lines[line] if lines else "", position.character)
