"""Edits of a mapping that keep its key order and, for ruamel.yaml's round-trip maps, its comments.

ruamel.yaml keeps a comment that stands on its own line *before* a key as the trailing comment of the
key before it. So a key is never removed with its trailing comment: the lines after its own
end-of-line comment belong to the next key, and move to the key before (or to the map's head).
"""

from __future__ import annotations

from typing import Any

try:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.tokens import CommentToken
except ImportError:  # pragma: no cover - ruamel.yaml is a dependency; JSON needs none of this
    CommentedMap = CommentToken = None


def _commented(mapping) -> bool:
    return CommentedMap is not None and isinstance(mapping, CommentedMap)


def rename(mapping: dict, old: str, new: str, value: Any = ...) -> None:
    """Put `new` where `old` stood (with `value`, or old's value), keeping old's comments."""
    keys = list(mapping)
    position = keys.index(old)
    value = mapping[old] if value is ... else value
    if _commented(mapping):
        comments = mapping.ca.items.pop(old, None)
        del mapping[old]
        mapping.insert(position, new, value)
        if comments is not None:
            mapping.ca.items[new] = comments
            _shift_eol(comments, len(new) - len(old))  # the comment keeps its distance from the value
        return
    items = list(mapping.items())
    items[position] = (new, value)
    mapping.clear()
    mapping.update(items)


def insert_after(mapping: dict, anchor: str | None, key: str, value: Any) -> None:
    """Add `key` right after `anchor` (at the start when anchor is None or absent)."""
    keys = [k for k in mapping if k != key]
    position = keys.index(anchor) + 1 if anchor in keys else 0
    if _commented(mapping):
        mapping.insert(position, key, value)
        # The comment lines after `anchor`'s value stood before the next key (or ended the map): they
        # go before that key (or after the new one).
        rest = _split_trailing(mapping, keys[position - 1]) if position else ""
        if position < len(keys):
            _put_before(mapping, keys[position], rest)
        else:
            _put_after(mapping, key, rest)
        return
    items = [(k, mapping[k]) for k in keys]
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


def remove(mapping: dict, key: str) -> None:
    """Delete `key`; the comment lines that stood before the next key are kept."""
    if key not in mapping:
        return
    if _commented(mapping):
        keys = list(mapping)
        position = keys.index(key)
        entry = mapping.ca.items.pop(key, None) or [None, None, None, None]
        # Lines above the key (a section heading, say) and below its value both stay, in their order.
        above = "".join(token.value for token in entry[1] or [])
        below = _rest_of(entry[2])
        del mapping[key]
        if position + 1 < len(keys):
            _put_before(mapping, keys[position + 1], above + below)
        elif position:
            _put_after(mapping, keys[position - 1], above + below)
        return
    del mapping[key]


def move(source: dict, key: str, target: dict, anchor: str | None) -> None:
    """Move `key` from `source` into `target` after `anchor`, with its end-of-line comment."""
    value = source[key]
    comments = source.ca.items.get(key) if _commented(source) else None
    insert_after(target, anchor, key, value)
    if comments is not None and _commented(target):
        target.ca.items[key] = comments
        _shift_eol(comments, _column(target, anchor) - _column(source, key))


def new_map(like: dict) -> dict:
    """An empty mapping of the same family (round-trip maps dump in block style, plain dicts as JSON)."""
    return CommentedMap() if _commented(like) else {}


# -- ruamel.yaml comment tokens ----------------------------------------------------------------------

def _rest_of(token) -> str:
    """The comment lines after a trailing comment token's own end-of-line comment."""
    if token is None or not isinstance(token.value, str):
        return ""
    return token.value.partition("\n")[2]


def _split_trailing(mapping, key: str) -> str:
    """Cut the full-line comments off `key`'s trailing comment and return them; its own end-of-line
    comment stays."""
    entry = mapping.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    rest = _rest_of(token)
    if rest.strip():
        token.value = token.value.partition("\n")[0] + "\n"
        return rest
    return ""


def _column(mapping, key) -> int:
    """The column of `key` as read, else of a sibling read with it (keys of a block map line up)."""
    read = getattr(mapping.lc, "data", {})
    known = key if key in read else next((k for k in mapping if k in read), None)
    return mapping.lc.key(known)[1] if known is not None else 0


def _shift_eol(entry: list, delta: int) -> None:
    token = entry[2] if len(entry) > 2 else None
    if token is not None and delta and token.start_mark is not None:
        token.start_mark = _mark(max(0, token.start_mark.column + delta))


def _put_before(mapping, key: str, text: str | None) -> None:
    """Make the comment lines `text` stand right before `key`, above any it has."""
    if not text:
        return
    column = _column(mapping, key)
    entry = mapping.ca.items.setdefault(key, [None, None, None, None])
    lines = [CommentToken(line.strip() + "\n", _mark(column)) for line in text.splitlines()]
    entry[1] = lines + (entry[1] or [])


def _put_after(node, key, text: str) -> None:
    """Make the comment lines `text` follow `key`'s value (inside it, after its last line, when the
    value is a block collection: that is where the reader keeps such lines)."""
    from ruamel.yaml.comments import CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if not text.strip():
        return
    value = node[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        return _put_after(value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1, text)
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.setdefault(key, [None, None, None, None] if slot else [None, None])
    token = entry[slot]
    if token is None:
        # A block scalar ends with its newline; any other value's line still needs one.
        newline = "" if isinstance(value, (LiteralScalarString, FoldedScalarString)) else "\n"
        entry[slot] = CommentToken(newline + text, _mark())
    else:
        token.value = token.value.rstrip("\n") + "\n" + text


def _mark(column: int = 0):
    from ruamel.yaml.error import CommentMark

    return CommentMark(column)


def text_like(container: dict, like: Any, text: str) -> Any:
    """`text` in the YAML style of `like` (a literal block stays one); several lines in YAML become a
    literal block rather than a quoted string full of \\n."""
    style = type(like)
    if style is not str and isinstance(like, str):
        return style(text)
    if _commented(container) and "\n" in text.rstrip("\n"):
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(text)
    return text
