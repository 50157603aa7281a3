"""A buffer as the requests it holds, each with where its nodes stand: the documents of a YAML or
JSON spec, or the lines of a batch file (the request being the line's `body`). What navigation, the
outline and inlay hints read; positions are runlint's (0-based lines, code-point columns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..diagnostic import Range
from ..source.document import load_json_text, syntax_of
from . import parsed


@dataclass
class Unit:
    value: Any  # the request body
    spans: dict  # path in the body -> (value range, key range or None), in the buffer's lines
    line: int = 0  # a batch line's number (its spans are shifted to it)
    envelope: Any = None  # a batch line: the whole line's value (custom_id, url, body)
    envelope_spans: dict | None = None

    def value_range(self, path: tuple) -> Range | None:
        entry = self.spans.get(path)
        return entry[0] if entry else None

    def key_range(self, path: tuple) -> Range | None:
        entry = self.spans.get(path)
        return entry[1] if entry else None


def units(path: str, text: str) -> Iterator[Unit]:
    """The requests of a buffer; a document (or line) that does not parse gives none."""
    if syntax_of(path) == "jsonl":
        for number, line in enumerate(text.removeprefix("\ufeff").split("\n")):
            if not line.strip():
                continue
            documents, _ = load_json_text(path, line)
            if not documents or not isinstance(documents[0].value, dict):
                continue
            shifted = {p: (v.shifted(number), k.shifted(number) if k else None)
                       for p, (v, k) in documents[0].spans.items()}
            body = {p[1:]: entry for p, entry in shifted.items() if p[:1] == ("body",)}
            yield Unit(documents[0].value.get("body"), body, number, documents[0].value, shifted)
        return
    for document in parsed.source(path, text).documents:
        yield Unit(document.value, document.spans)


def node_at(unit: Unit, line: int, column: int) -> tuple | None:
    """The path of the innermost scalar (or key) under the position."""
    best = None
    for path, (value_range, key_range) in unit.spans.items():
        for where in (value_range, key_range):
            if where is not None and where.contains(line, column):
                size = (where.end_line - where.line, where.end_column - where.column if where.end_line == where.line else 0)
                if best is None or size < best[0]:
                    best = (size, path)
    return best[1] if best else None


def inside_quotes(lines: list[str], where: Range) -> Range:
    """The range of a scalar's text without its quotes (a rename keeps the quoting)."""
    if where.line != where.end_line or where.line >= len(lines):
        return where
    text = lines[where.line][where.column:where.end_column]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Range(where.line, where.column + 1, where.line, where.end_column - 1)
    return where
