"""Secrets written in a spec: well-known key shapes anywhere, high-entropy tokens where args say."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..conditions import Context, Violation, parse_pointer, select
from ...diagnostic import Said
from . import check


def _entropy(text: str) -> float:
    from collections import Counter
    from math import log2

    counts = Counter(text)
    return -sum(n / len(text) * log2(n / len(text)) for n in counts.values())


@lru_cache(maxsize=8)
def _shape_patterns(shapes: tuple) -> tuple[re.Pattern, list[tuple[re.Pattern, str]]]:
    combined = re.compile("|".join(f"(?:{pattern})" for _kind, pattern in shapes))
    return combined, [(re.compile(pattern), kind) for kind, pattern in shapes]


@lru_cache(maxsize=8)
def _places(pointers: tuple) -> list[tuple]:
    return [parse_pointer(p) for p in pointers]


@lru_cache(maxsize=8)
def _prefilters(hints: tuple, token: str, entropy_in: tuple):
    """Two validators: one passes a spec with no hint in any string and no token where high-entropy
    ones are looked for (most specs: they have no secret), the other a spec with no hint. jsonschema-rs
    walks the spec and searches each string for every hint at once, in Rust: a few microseconds,
    where a Python scan a hint took ten times as long."""
    import jsonschema_rs

    def nowhere(pattern: str, name: str) -> dict:
        ref = {"$ref": f"#/$defs/{name}"}
        return {"not": {"type": "string", "pattern": pattern}, "items": ref, "additionalProperties": ref}

    def at(path: tuple, schema: dict) -> dict:
        for part in reversed(path):
            schema = {"additionalProperties": schema, "items": schema} if part == "*" else \
                {"properties": {part: schema}}
        return schema

    defs = {"hint_free": nowhere("|".join(hints), "hint_free"), "token_free": nowhere(token, "token_free")}
    hint_free = {"$ref": "#/$defs/hint_free"}
    token_free = [at(place, {"$ref": "#/$defs/token_free"}) for place in _places(entropy_in)]
    return (jsonschema_rs.validator_for({"$defs": defs, "allOf": [hint_free, *token_free]}),
            jsonschema_rs.validator_for({"$defs": defs, **hint_free}))


@check()
def secrets(value: Any, args: dict, context: Context) -> list[Violation]:
    """Well-known key shapes anywhere in the spec; long high-entropy tokens where args say."""
    entropy_in = tuple(args.get("entropy_in", ()))
    clean, hint_free = _prefilters(tuple(args["hints"]), args["token"], entropy_in)
    try:
        if clean.is_valid(value):
            return []
        hinted = not hint_free.is_valid(value)
    except (ValueError, UnicodeError):  # a value Rust cannot take: every string is searched
        hinted = True
    # Every match of a shape holds a hint: without one, only the places for high-entropy tokens
    # are walked.
    entropy_places = _places(entropy_in)
    if hinted:
        roots = [((), value)]
        combined, shapes = _shape_patterns(tuple(args["shapes"].items()))
    else:
        roots = [node for place in entropy_places for node in select(value, place)]
        combined = None
    found: list[Violation] = []
    for path, text in _strings(roots, 16):  # no key shape is shorter
        hit = None
        if combined is not None and combined.search(text):
            hit = next(((m, kind) for pattern, kind in shapes if (m := pattern.search(text))), None)
        elif len(text) >= 32 and any(path[:len(p)] == p for p in entropy_places):
            hit = next(((m, "high-entropy token") for m in re.finditer(args["token"], text)
                        if _entropy(m.group()) >= args["min_entropy"]), None)
        if hit is not None:
            found.append((path, {"kind": Said(hit[1]), "masked": Said(mask(hit[0].group()))}))
    return sorted(found, key=repr)


def _strings(roots: list[tuple[tuple, Any]], shortest: int):
    """(path, text) of every string at least `shortest` long under the given nodes."""
    stack = list(roots)
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack += [(path + (k,), v) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(path + (i,), v) for i, v in enumerate(node)]
        elif isinstance(node, str) and len(node) >= shortest:
            yield path, node


def mask(secret: str) -> str:
    """Enough to recognise which key it was, never enough to use it."""
    return secret[:4] + "…" + "*" * 4 if len(secret) > 8 else "*" * len(secret)
