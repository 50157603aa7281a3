"""A request path: the one value type every stage names a node by.

Its own module beside diagnostic.py (not inside it) because more than findings use it: the schema
walk, the rule conditions, the fixes, the language server's cross-references and the `$ref`s of a
JSON Schema all read or write paths, and none of them needs a Diagnostic for it.

A path is a tuple of str keys and int list indexes, parsed once. It is written two ways:
- `pointer`: a JSON Pointer (RFC 6901), the machine form (`--format json`'s "path");
- `str(path)`: the way the API's own errors name a parameter, `messages[0].content`.
A JSON Pointer cannot tell the key "0" from the index 0: read one back with the value it points
into (`Path.from_pointer(pointer, value)`) and each token becomes what the value holds there.
"""

from __future__ import annotations

from typing import Any, Iterable

_NO_VALUE = object()


def escape_token(token: object) -> str:
    """One step of a JSON Pointer: '~' and '/' escaped (RFC 6901, section 3)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """The inverse of `escape_token` ('~1' first, so '~01' reads back as '~1')."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """'/a~1b/0' -> ('a/b', '0'): the unescaped tokens, every one a string ("/" is the key "", as
    RFC 6901 reads it; the rule files' own reading is conditions.parse_pointer)."""
    if not pointer:
        return ()
    return tuple(unescape_token(token) for token in pointer[1:].split("/"))


def to_pointer(parts: Iterable) -> str:
    """('tools', 0, 'function') -> '/tools/0/function' (RFC 6901)."""
    return "".join("/" + escape_token(p) for p in parts)


def field_name(parts: Iterable) -> str:
    """('tools', 0, 'function') -> 'tools[0].function', as the API's own errors name parameters;
    the root is "the request"."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the request"


class Path(tuple):
    """A request path: str keys and int indexes (a tuple, so it is a dict key, compares with the
    plain tuples the loaders index spans by, and costs nothing to make)."""

    __slots__ = ()

    @classmethod
    def from_pointer(cls, pointer: str, value: Any = _NO_VALUE) -> "Path":
        """The path a JSON Pointer names. With the `value` it points into, a digit token is an
        index exactly where that value holds a list (a mapping key "0" stays a key); without it, a
        digit token is taken as an index, the reading a request's own pointers need."""
        parts: list = []
        for token in pointer_tokens(pointer):
            if value is _NO_VALUE:
                parts.append(int(token) if token.isdigit() else token)
                continue
            if isinstance(value, list) and token.isdigit():
                index = int(token)
                parts.append(index)
                value = value[index] if index < len(value) else None
            else:
                parts.append(token)
                value = value.get(token) if isinstance(value, dict) else None
        return cls(parts)

    @classmethod
    def within(cls, parts: Iterable, value: Any) -> "Path":
        """`parts` read against the value they lead into: an int where it holds a list, a str where
        a mapping (a validator that reports the mapping key "0" as 0 gets its key back)."""
        exact: list = []
        for part in parts:
            if isinstance(value, dict):
                part = str(part)
                value = value.get(part)
            elif isinstance(value, list) and (isinstance(part, int) or str(part).isdigit()):
                part = int(part)
                value = value[part] if part < len(value) else None
            else:
                value = None
            exact.append(part)
        return cls(exact)

    @property
    def pointer(self) -> str:
        return to_pointer(self)

    @property
    def last(self) -> str | int | None:
        """The last key or index (an unknown field's name), None at the root."""
        return self[-1] if self else None

    def __add__(self, other) -> "Path":
        return Path(tuple(self) + tuple(other))

    def __getitem__(self, item):
        found = tuple.__getitem__(self, item)
        return Path(found) if isinstance(item, slice) else found

    def __str__(self) -> str:
        return field_name(self)

    def __repr__(self) -> str:
        return f"Path({tuple(self)!r})"


def resolve_ref(root: Any, ref: str) -> Any:
    """The node a local `$ref` ('#/$defs/a~1b') names inside `root` (a JSON Schema): KeyError,
    IndexError or TypeError when it names nothing there, ValueError when it is not local."""
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        raise ValueError(ref)
    node = root
    for token in pointer_tokens(ref[1:]):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node
