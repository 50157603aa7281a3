"""What the API checks in every function's `parameters`, strict or not: the shape its error texts
("Invalid schema for function 'f': ...") state. The strict subset is structured_outputs.py's."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from . import check
from .structured_outputs import FIELDS, _schemas, _walk


def _function_schemas(value: Any, strict: bool | None = None):
    """(path, schema) of every function's `parameters` (Chat, Responses, a namespace's functions,
    the Assistants API's, Chat's deprecated `functions`); not a response format's schema, whose
    error texts no report quotes. `strict` as in structured_outputs._schemas."""
    for at, schema in _schemas(value, strict):
        if at[0] in ("tools", "functions"):
            yield at, schema


def _types(node: dict) -> list:
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind]


@check(fields=FIELDS)
def function_parameters_object(value: Any, args: dict, context: Context) -> list[Violation]:
    """A function's `parameters` whose root is not `type: object` ("schema must be a JSON Schema of
    'type: \"object\"', got 'type: \"None\"'"). An empty `{}` is let be: no report shows the API
    refusing it, and SDKs send it for a function without arguments. A strict schema's root is
    RL210's to report ("the root must be an object"), so it is not said twice."""
    found: list[Violation] = []
    for at, schema in _function_schemas(value, False):
        if not schema:
            continue
        kind = schema.get("type")
        if kind == "object" or isinstance(kind, list) and "object" in kind:
            continue  # a union with object: no report says, so runlint stays quiet
        where = at + ("type",) if "type" in schema else at
        found.append((where, {"got": "None" if kind is None else kind}))
    return found


@check(fields=FIELDS)
def array_schema_items(value: Any, args: dict, context: Context) -> list[Violation]:
    """An array schema without `items` anywhere in a function's `parameters` ("In
    context=('properties', 'paths'), array schema missing items"). A `type` list that includes
    "array" counts, and `prefixItems` does not stand in for `items`: the API refuses a tuple
    given by `prefixItems` alone (community.openai.com thread 1357778)."""
    found: list[Violation] = []
    for at, schema in _function_schemas(value):
        for path, node in _walk(schema):
            if "array" in _types(node) and "items" not in node:
                where = at + path + ("type",) if "type" in node else at + path
                found.append((where, {"context": _context(path)}))
    return found


@check(fields=FIELDS)
def object_schema_properties(value: Any, args: dict, context: Context) -> list[Violation]:
    """A function's `parameters` that is `type: object` with no `properties` ("In context=(),
    object schema missing properties"). Only the root: every report names context=(), and nested
    free-form objects (`{type: object}` for a map of headers) are common in accepted requests."""
    found: list[Violation] = []
    for at, schema in _function_schemas(value):
        if schema.get("type") == "object" and "properties" not in schema:
            found.append((at + ("type",), {}))
    return found


def _context(path: tuple) -> str:
    """The API's way of naming a place in the schema: context=('properties', 'paths')."""
    return "(" + ", ".join(repr(str(part)) for part in path) + ("," if len(path) == 1 else "") + ")"
