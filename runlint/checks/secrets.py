"""Secrets written in a spec: well-known key shapes anywhere, high-entropy tokens where args say."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..conditions import Context, Violation, parse_pointer, select
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


@check("secrets")
def secrets(value: Any, args: dict, context: Context) -> list[Violation]:
    """Well-known key shapes anywhere in the spec; long high-entropy tokens where args say."""
    import json

    entropy_places = [parse_pointer(p) for p in args.get("entropy_in", [])]
    # Every shape holds one of the `hints` (lowercase). One substring test over the whole spec,
    # serialised in C, rules most specs out; then only the places for high-entropy tokens are walked.
    everything = json.dumps(value, ensure_ascii=False).lower()
    if any(hint in everything for hint in args["hints"]):
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
            found.append((path, {"kind": hit[1], "masked": mask(hit[0].group())}))
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
