"""Structured Outputs: the JSON Schema subset and the size limits of strict mode, and references
that leave a carried schema."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation, select
from ...diagnostic import Said, show
from . import check

# Where a request carries a schema: (the object that holds it, the `type` that object must have,
# the schema and its strict flag inside it). Each kind has its own, and no two overlap: a Responses
# function tool has `parameters` itself, the other kinds' tools under `function`.
_SCHEMA_PLACES = (
    (("response_format",), "json_schema", ("json_schema", "schema"), ("json_schema", "strict")),  # Chat, runs
    (("tools", "*"), "function", ("function", "parameters"), ("function", "strict")),  # Chat, runs, assistants
    (("text", "format"), "json_schema", ("schema",), ("strict",)),  # Responses
    (("tools", "*"), "function", ("parameters",), ("strict",)),  # Responses function tools
    (("tools", "*", "tools", "*"), "function", ("parameters",), ("strict",)),  # a Responses namespace's functions
    (("functions", "*"), None, ("parameters",), ("strict",)),  # Chat's deprecated functions (never strict)
)
FIELDS = ("response_format", "tools", "text", "functions")  # the top-level fields those places are under


def _schemas(value: Any, strict: bool | None = None) -> list[tuple[tuple, dict]]:
    """(path of each carried schema, the schema) whose strict flag is (or is not) true; all of
    them when `strict` is None. A strict flag left out is not true: in Chat and the Assistants API
    it defaults to false, and a Responses function tool without it is made strict only when its
    schema allows it (see RL210's explanation), so nothing is reported for it."""
    if not isinstance(value, dict) or not any(value.get(field) is not None for field in FIELDS):
        return []
    return [(path, schema) for path, schema, flag in _carried(value) if strict is None or strict == flag]


# The rules of one request share one search for its schemas and one walk of each (six rules asked
# for them: a fifth of the time of a run on requests with tools). Kept for the last request asked
# about, held so that its identity cannot be another's: rules never change the request they check.
_last: tuple = (None, [], {})  # (the request, its schemas with their strict flags, id(schema) -> walk)


def _carried(value: dict) -> list[tuple[tuple, dict, bool]]:
    last = _last
    if last[0] is value:
        return last[1]
    found = []
    for owner_at, kind, schema_at, strict_at in _SCHEMA_PLACES:
        for path, owner in select(value, owner_at):
            if not isinstance(owner, dict) or (kind is not None and owner.get("type") != kind):
                continue
            schema = select(owner, schema_at)
            if not schema or not isinstance(schema[0][1], dict):
                continue
            flag = select(owner, strict_at)
            found.append((path + schema[0][0], schema[0][1], bool(flag) and flag[0][1] is True))
    globals()["_last"] = (value, found, {})
    return found


def _walk(schema: dict) -> list[tuple[tuple, dict]]:
    """Every subschema with its path, each $defs entry once (recursion through $ref is allowed);
    walked once for the request `_carried` found the schema in."""
    walks = _last[2]
    walked = walks.get(id(schema))
    if walked is not None and walked[0] is schema:
        return walked[1]
    nodes = []
    stack = [((), schema)]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        nodes.append((path, node))
        for key in ("properties", "$defs", "definitions"):
            if isinstance(node.get(key), dict):
                stack += [(path + (key, name), sub) for name, sub in node[key].items()]
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                stack.append((path + (key,), node[key]))
        for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
            if isinstance(node.get(key), list):
                stack += [(path + (key, i), sub) for i, sub in enumerate(node[key])]
    walks[id(schema)] = (schema, nodes)
    return nodes


def _is_object(node: dict) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node


@check("strict-schema-subset", fields=FIELDS)
def strict_schema_subset(value: Any, args: dict, context: Context) -> list[Violation]:
    """The subset of JSON Schema that Structured Outputs accepts (args: unsupported, formats)."""
    unsupported, formats = args["unsupported"], set(args["formats"])
    found: list[Violation] = []
    for at, schema in _schemas(value, True):
        if not _is_object(schema) or "anyOf" in schema:
            found.append((at, {"problem": Said("the root must be an object (not anyOf)")}))
        for path, node in _walk(schema):
            here = at + path
            for keyword in unsupported:
                if keyword in node:
                    found.append((here + (keyword,), {"problem": Said(f"`{keyword}` is not supported")}))
            if isinstance(node.get("format"), str) and node["format"] not in formats:
                supported = ", ".join(sorted(formats))
                found.append((here + ("format",), {"problem": Said(
                    f"the format `{show(node['format'])}` is not supported (supported: {supported})")}))
            if not _is_object(node) or path[-2:-1] in (("$defs",), ("definitions",)) and "$ref" in node:
                continue
            if node.get("additionalProperties") is not False:
                where = here + ("additionalProperties",) if "additionalProperties" in node else here
                found.append((where, {"problem": Said("every object must set `additionalProperties: false`")}))
            required = node.get("required") if isinstance(node.get("required"), list) else []
            for name in node.get("properties", {}) if isinstance(node.get("properties"), dict) else ():
                if name not in required:
                    found.append((here + ("properties", name), {
                        "problem": Said(f"`{show(name)}` must be listed in `required` (make it optional with a union "
                                        "with null instead)")}))
    return found


@check("strict-schema-limits", fields=FIELDS)
def strict_schema_limits(value: Any, args: dict, context: Context) -> list[Violation]:
    """Size limits of Structured Outputs schemas (args: the limits, kept as data)."""
    found: list[Violation] = []
    for at, schema in _schemas(value, True):
        properties = enum_values = text = 0
        for path, node in _walk(schema):
            if isinstance(node.get("properties"), dict):
                properties += len(node["properties"])
                text += sum(len(name) for name in node["properties"])
            if path[-2:-1] in (("$defs",), ("definitions",)):
                text += len(str(path[-1]))
            values = node.get("enum") if isinstance(node.get("enum"), list) else []
            strings = [v for v in values if isinstance(v, str)]
            chars = sum(map(len, strings))
            enum_values += len(values)
            text += chars + (len(node["const"]) if isinstance(node.get("const"), str) else 0)
            if len(strings) > args["large_enum_values"] and chars > args["large_enum_chars"]:
                found.append((at + path + ("enum",), {"problem": Said(
                    f"an enum of {len(strings)} strings has {chars:,} characters; at most "
                    f"{args['large_enum_chars']:,} when it has more than {args['large_enum_values']} values")}))
        depth = _depth(schema)
        for amount, limit, what in ((properties, args["max_properties"], "object properties"),
                                    (depth, args["max_depth"], "levels of nesting"),
                                    (enum_values, args["max_enum_values"], "enum values"),
                                    (text, args["max_text"], "characters of names, enum values and consts")):
            if amount > limit:
                found.append((at, {"problem": Said(f"{amount:,} {what}; at most {limit:,}")}))
    return found


def _depth(schema: dict) -> int:
    """Nesting depth of objects, following local $refs (a recursive schema counts each ref once)."""
    defs = {name: sub for key in ("definitions", "$defs") if isinstance(schema.get(key), dict)
            for name, sub in schema[key].items()}
    deepest = 0
    reached: dict[int, int] = {}  # node -> deepest it was reached at: shared $defs are walked again
    stack = [(schema, 1, frozenset())]  # only when reached deeper (no blow-up on a diamond of refs)
    while stack:
        node, depth, seen = stack.pop()
        if not isinstance(node, dict) or reached.get(id(node), 0) >= depth:
            continue
        reached[id(node)] = depth
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in defs and ref not in seen:
            stack.append((defs[ref.rsplit("/", 1)[-1]], depth, seen | {ref}))
            continue
        deepest = max(deepest, depth)
        children = list(node.get("properties", {}).values()) if isinstance(node.get("properties"), dict) else []
        step = 1 if children else 0
        children += [node[k] for k in ("items", "additionalProperties") if isinstance(node.get(k), dict)]
        children += [s for k in ("anyOf", "oneOf", "allOf") for s in node.get(k, []) if isinstance(node.get(k), list)]
        stack += [(child, depth + step, seen) for child in children]
    return deepest


@check("external-schema-refs", fields=FIELDS)
def external_schema_refs(value: Any, args: dict, context: Context) -> list[Violation]:
    """`$ref`s in a carried schema that leave it (a URL, another file): never fetched."""
    found: list[Violation] = []
    for at, schema in _schemas(value):
        for path, node in _walk(schema):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append((at + path + ("$ref",), {"ref": ref}))
    return found
