"""What the cursor is on: which mapping it is in, and whether it is writing a key or a value.

Text being typed is rarely valid, so the current line is replaced by a placeholder that makes it a
key (or a value) and the result is parsed; the placeholder's path says where the cursor stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, load

MARK = "rl__cursor__"
_YAML_KEY = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z0-9_.-]*)$")
_YAML_VALUE = re.compile(r"^(\s*(?:-\s+)*[A-Za-z0-9_.\"'-]+:\s+)([^\s#]*)$")


@dataclass
class Cursor:
    path: tuple  # the key's path when in_value, else the mapping's path
    in_value: bool
    prefix: str
    document: Document


def find(text: str, line: int, column: int, syntax: str) -> Cursor | None:
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    before = lines[line][:column]
    if syntax == "yaml":
        return _yaml(lines, line, before)
    return None


def _yaml(lines: list[str], line: int, before: str) -> Cursor | None:
    value = _YAML_VALUE.match(before)
    key = _YAML_KEY.match(before)
    if value:
        patched = value.group(1) + MARK
        prefix, in_value = value.group(2), True
    elif key:
        patched = key.group(1) + MARK + ": 0"
        prefix, in_value = key.group(2), False
    else:
        return None
    text = "\n".join(lines[:line] + [patched] + lines[line + 1:])
    source = load("cursor.yaml", text, "yaml")
    for document in source.documents:
        for path in document.spans:
            if in_value and path and _value(document, path) == MARK:
                return Cursor(path, True, prefix.strip("\"'"), document)
            if not in_value and path and path[-1] == MARK:
                return Cursor(path[:-1], False, prefix, document)
    return None


def _value(document: Document, path: tuple):
    node = document.value
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node
