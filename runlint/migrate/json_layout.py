"""JSON written back in the layout it was read in: its indentation, and each object or array that
stood on one line stays on one line (json.dumps alone would spread every small array over lines)."""

from __future__ import annotations

import json
import re
from typing import Any

_NEW_INLINE_WIDTH = 60  # a container the migration made goes on one line up to this width


def containers(value: Any, text: str) -> tuple[dict[int, Any], set[int]]:
    """Every container of `value` (read from `text`) by id, and the ids of those that stood on one
    line. (Holding the containers keeps their ids from being reused by the ones the migration makes
    once it drops some.)"""
    from ..source.json_loader import scan

    spans = scan(text, want_problems=False)[0]
    known: dict[int, Any] = {}
    one_line: set[int] = set()
    stack = [((), value)]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        known[id(node)] = node
        where = spans.get(path)
        if where is not None and where[0].line == where[0].end_line:
            one_line.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack += [(path + (key,), child) for key, child in items]
    return known, one_line


def indent_of(text: str) -> str | None:
    """The indentation of the file's first indented line; None for a file on one line."""
    match = re.search(r"\n([ \t]+)\S", text)
    return match.group(1) if match else None


def dumps(value: Any, indent: str | None, one_line: set[int], known: dict[int, Any]) -> str:
    """`value` as JSON: containers in `one_line` on one line, the others (of `known`, those read from
    the file) spread over lines; new ones on one line when short and flat."""
    if indent is None:
        return _inline(value)
    return _dump(value, indent, one_line, known, 0)


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _dump(value: Any, indent: str, one_line: set[int], known: dict[int, Any], level: int) -> str:
    if not isinstance(value, (dict, list)) or not value or id(value) in one_line:
        return _inline(value)
    if id(value) not in known:
        flat = _inline(value)
        if len(flat) <= _NEW_INLINE_WIDTH and not any(isinstance(v, (dict, list)) for v in _children(value)):
            return flat
    inner = indent * (level + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_inline(key)}: {_dump(child, indent, one_line, known, level + 1)}"
                 for key, child in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent * level + "}"
    items = [inner + _dump(child, indent, one_line, known, level + 1) for child in value]
    return "[\n" + ",\n".join(items) + "\n" + indent * level + "]"


def _children(value: dict | list):
    return value.values() if isinstance(value, dict) else value
