"""The ids a Responses request hands back: the API checks their form before it looks them up, so a
wrong one is known before anything is sent ("Expected an ID that begins with 'fc'")."""

from __future__ import annotations

import re
from typing import Any

from ..conditions import Context, Violation
from . import check

# The characters the API takes in an id ("Expected an ID that contains letters, numbers,
# underscores, or dashes, but this value contained additional characters").
ID_CHARACTERS = re.compile(r"^[A-Za-z0-9_-]+$")

# The prefix an input item's `id` must have, by item: only those an error text states.
_PREFIXES = {"function_call": "fc", "reasoning": "rs", "assistant message": "msg"}


def _kind(item: dict) -> str | None:
    """The item as the prefix table names it: its type, or `assistant message` for an output
    message handed back (with `type: message` or, in the short form, only a role)."""
    kind = item.get("type", "message" if "role" in item else None)
    if kind == "message":
        return "assistant message" if item.get("role") == "assistant" else None
    return kind


@check(fields=("input", "previous_response_id"))
def response_id_format(value: Any, args: dict, context: Context) -> list[Violation]:
    """`previous_response_id` and every input item's `id`: the API's characters (args: `check:
    characters`), or for a function call, a reasoning item and an assistant message, the prefix
    of the ids it made (`check: prefix`; an id with other characters is reported once, by the
    first)."""
    want = args["check"]
    found: list[Violation] = []
    previous = value.get("previous_response_id")
    if isinstance(previous, str) and not ID_CHARACTERS.match(previous):
        found.append((("previous_response_id",), {"value": previous, "problem": "characters"}))
    items = value.get("input")
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        where, item_id = ("input", index, "id"), item["id"]
        if not ID_CHARACTERS.match(item_id):
            found.append((where, {"value": item_id, "problem": "characters"}))
            continue
        prefix = _PREFIXES.get(_kind(item) or "")
        if prefix is not None and not item_id.startswith(prefix):
            found.append((where, {"value": item_id, "problem": "prefix", "prefix": prefix,
                                  "item": _kind(item)}))
    return [(where, params) for where, params in found if params["problem"] == want]
