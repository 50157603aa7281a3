"""The generic fixes a rule file asks for (`fix: {action: rename | remove | set | suggested}`), as
text edits of one document; a rule's own fix (`fix: {function: family.name}`) lives beside its
check in runlint/check/families/, and builds on the edits here.

An edit touches the field's own text only: its key (a rename) or its entry, with the comma or the
line it stands on (a removal). What cannot be done that way (a key that shares its line with its
sequence's dash, a mapping left empty) gets no fix rather than a guess.
"""

from __future__ import annotations

import re

from ..diagnostic import Diagnostic, Edit, Fix, Range
from ..path import Path
from ..source.document import Document


def attach(diagnostics: list[Diagnostic], document: Document, fixes: dict[str, list[dict]]) -> None:
    """Give each finding of a rule whose file describes its fix that fix (when one can be made): of
    the rule's fixes, the first whose `message_has` the finding's message has (or that has none).
    A fix is a generic `action` below, or a rule's own `function` in its family's module."""
    for d in diagnostics:
        specs = fixes.get(d.code)
        if not specs or d.fix is not None:
            continue
        spec = next((s for s in specs if not s.get("message_has") or s["message_has"] in d.message), None)
        if spec is None:
            continue
        path = path_in(document.value, d.pointer)
        if spec.get("function"):
            from ..check.families import FIXES

            d.fix = FIXES[spec["function"]](document, path, d, spec.get("args") or {})
        else:
            d.fix = ACTIONS[spec["action"]](document, path, d, spec)


def path_in(value, pointer: str) -> tuple:
    """The pointer's parts, list indexes as ints (as the document's spans have them)."""
    return Path.from_pointer(pointer, value)


def _parent(document: Document, path: tuple):
    node = document.value
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) else None


def _entry(document: Document, path: tuple) -> tuple[Range, Range] | None:
    """(key range, value range) of a mapping entry, or None."""
    entry = document.spans.get(path)
    if entry is None or entry[1] is None:
        return None
    return entry[1], entry[0]


def rename(document: Document, path: tuple, new: str) -> Fix | None:
    parent = _parent(document, path)
    entry = _entry(document, path)
    if parent is None or entry is None or new in parent or path[-1] not in parent:
        return None
    key = document.scalar_content(entry[0])
    if document.text_at(key) != path[-1]:
        return None  # an escaped or folded key: its text is not its name
    return Fix(f"Rename `{path[-1]}` to `{new}`", renamed(document, path, key, new))


def renamed(document: Document, path: tuple, key: Range, new: str) -> tuple[Edit, ...]:
    """The edits that rename the key at `key` to `new`; a comment after the value on the same line
    keeps its column when the spaces before it allow (a longer name takes from them, a shorter gives)."""
    edits = [Edit(key, new)]
    entry = document.spans.get(path) if document.syntax == "yaml" else None
    if entry is not None and entry[0].line == entry[0].end_line == key.line:
        line = document.lines[key.line]
        end = entry[0].end_column
        rest = line[end:]
        spaces = len(rest) - len(rest.lstrip(" "))
        if spaces and rest[spaces:].startswith("#"):
            delta = len(new) - (key.end_column - key.column)
            keep = max(1, spaces - delta)
            if keep != spaces:
                edits.append(Edit(Range(key.line, end, key.line, end + spaces), " " * keep))
    return tuple(edits)


def offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) + 1 for text in lines[:line]) + column


def remove(document: Document, path: tuple) -> Fix | None:
    parent = _parent(document, path)
    entry = _entry(document, path)
    if parent is None or entry is None or path[-1] not in parent:
        return None
    if len(parent) < 2:  # the mapping would be left empty (null, in YAML): it goes with its field
        if len(path) >= 2 and isinstance(path[-2], str) and _parent(document, path[:-1]) is not None:
            outer = remove(document, path[:-1])
            if outer is not None:
                shown = ".".join(str(p) for p in path[-2:])
                return Fix(f"Remove `{path[-2]}` (with its only field, `{shown}`)", outer.edits)
        return None
    text, lines = document.text, document.lines
    key, value = entry
    start, end = offset(lines, key.line, key.column), offset(lines, value.end_line, value.end_column)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start:start], text[end:line_end]
    alone = not before.strip()
    if document.syntax == "yaml" and alone and (not after.strip() or after.lstrip().startswith("#")):
        cut = (line_start, min(line_end + 1, len(text)))  # block style: the entry's lines
    else:
        follow = end
        while follow < len(text) and text[follow] in " \t\r\n":
            follow += 1
        if follow < len(text) and text[follow] == ",":
            stop = follow + 1
            if alone:  # on its own line: that whole line goes
                while stop < len(text) and text[stop] in " \t":
                    stop += 1
                if text.startswith("\r\n", stop):
                    stop += 2
                elif text.startswith("\n", stop):
                    stop += 1
                else:
                    line_start = start
                cut = (line_start if text[stop - 1] == "\n" else start, stop)
            else:
                while stop < len(text) and text[stop] in " \t":
                    stop += 1
                cut = (start, stop)
        else:  # the last entry: the comma before it goes
            back = start - 1
            while back >= 0 and text[back] in " \t\r\n":
                back -= 1
            if back < 0 or text[back] != ",":
                return None
            cut = (back, end)
    return Fix(f"Remove `{path[-1]}`", (Edit(Range.of_offsets(text, *cut), ""),))


def node_at(document: Document, path: tuple):
    node = document.value
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def set_key(document: Document, path: tuple, key: str, value, shown: str | None = None) -> Fix | None:
    """`key: value` added to the mapping at `path` (when it lacks the key), after its last entry, in
    the mapping's own style: a line at its keys' indentation (a block mapping), or one more entry
    before the closing brace (a flow mapping, JSON)."""
    import json

    node = node_at(document, path)
    entry = document.spans.get(path)
    if not isinstance(node, dict) or key in node or entry is None:
        return None
    text, lines = document.text, document.lines
    where = entry[0]
    start, end = offset(lines, where.line, where.column), offset(lines, where.end_line, where.end_column)
    children = [document.spans.get(path + (k,)) for k in node]
    if any(c is None or c[1] is None for c in children):
        return None
    shown_value = json.dumps(value) if shown is None else shown  # `shown`: the value as YAML writes it
    title = f"Add `{key}: {shown_value}`"
    if text[start:start + 1] == "{":  # flow mapping (or JSON object)
        if text[end - 1:end] != "}":
            return None
        shown_key = json.dumps(key) if document.syntax == "json" else key
        item = f"{shown_key}: {shown_value}"
        if not children:
            return Fix(title, (Edit(Range.of_offsets(text, end - 1, end - 1), item),))
        last_key, last_value = max(((c[1], c[0]) for c in children), key=lambda kv: (kv[1].end_line, kv[1].end_column))
        after = offset(lines, last_value.end_line, last_value.end_column)
        key_line_start = text.rfind("\n", 0, offset(lines, last_key.line, last_key.column)) + 1
        indent = text[key_line_start:offset(lines, last_key.line, last_key.column)]
        on_own_line = last_key.line > where.line and not indent.strip()
        new = f",\n{indent}{item}" if on_own_line else f", {item}"
        if on_own_line and lines[last_key.line].endswith("\r"):
            new = f",\r\n{indent}{item}"
        return Fix(title, (Edit(Range.of_offsets(text, after, after), new),))
    if not children or document.syntax != "yaml":
        return None
    indent = where.column
    last = max((c[0] for c in children), key=lambda r: (r.end_line, r.end_column))
    line = lines[last.end_line]
    newline = "\r\n" if line.endswith("\r") else "\n"
    item = " " * indent + f"{key}: {shown_value}"
    if last.end_line + 1 < len(lines):
        at = Range(last.end_line + 1, 0, last.end_line + 1, 0)
        return Fix(title, (Edit(at, item + newline),))
    at = Range(last.end_line, len(line), last.end_line, len(line))
    return Fix(title, (Edit(at, newline + item),))


_SUGGESTED = re.compile(r"did you mean `([A-Za-z0-9][A-Za-z0-9._:-]*)`\?$")


def suggested(document: Document, path: tuple, message: str) -> Fix | None:
    """The string at `path` replaced by the value the finding's message proposes ("... did you mean
    `gpt-4o-mini`?"), inside its quotes; a value written in any other way (escaped, folded) gets none."""
    match = _SUGGESTED.search(message)
    entry = document.spans.get(path)
    node = node_at(document, path)
    if match is None or entry is None or not isinstance(node, str):
        return None
    content = document.scalar_content(entry[0])
    if document.text_at(content) != node:
        return None
    return Fix(f"Change to `{match.group(1)}`", (Edit(content, match.group(1)),))


def _key(path: tuple) -> bool:
    """Whether the finding's path ends at a mapping key (what a rename or a removal needs)."""
    return bool(path) and isinstance(path[-1], str)


# The generic actions, by the name a rule file's `fix: {action: NAME}` gives (rule_model.FixSpec
# lists the same names; tests/rules/test_rule_files.py holds them equal): fn(document, path, finding, spec).
ACTIONS = {
    "rename": lambda document, path, finding, spec: rename(document, path, spec["to"]) if _key(path) else None,
    "remove": lambda document, path, finding, spec: remove(document, path) if _key(path) else None,
    "set": lambda document, path, finding, spec: set_key(document, path, spec["key"], spec.get("value")),
    "suggested": lambda document, path, finding, spec: suggested(document, path, finding.message),
}
