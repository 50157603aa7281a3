"""Walking a request schema by path: what an editor asks (descriptions, field names, allowed values).

Plain dict navigation over the JSON Schemas in schemas/, following local `$ref`s and looking into
every branch of `anyOf`/`oneOf` (narrowed by a sibling `type` value when the document has one).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..path import resolve_ref


def _resolve(schema: dict, node: Any, seen: int = 0) -> Any:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/") and seen < 32:
        target = resolve_ref(schema, node["$ref"])
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node, seen = merged, seen + 1
    return node


def branches(schema: dict, node: Any) -> list[dict]:
    """A schema node as the list of the alternatives it allows (refs resolved, unions flattened)."""
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return []
    alternatives = node.get("anyOf") or node.get("oneOf")
    if not alternatives:
        return [node]
    found = []
    for alternative in alternatives:
        found += branches(schema, alternative)
    # a description on the union itself is the best one for all its branches
    if "description" in node:
        found = [{"description": node["description"], **b} if "description" not in b else b for b in found]
    return found


def at(schema: dict, path: Iterable, value_at: Any = None) -> list[dict]:
    """The schema alternatives for the node at `path`. `value_at(path)` gives the document's value
    there (if any), used to keep only branches whose `type` const matches the document's."""
    nodes = branches(schema, schema)
    walked: tuple = ()
    for part in path:
        following = []
        for node in _narrow(schema, nodes, walked, value_at):
            if isinstance(part, int) or (isinstance(part, str) and part.isdigit() and "items" in node):
                if "items" in node:
                    following += branches(schema, node["items"])
            elif part in node.get("properties", {}):
                following += branches(schema, node["properties"][part])
            elif isinstance(node.get("additionalProperties"), dict):
                following += branches(schema, node["additionalProperties"])
        nodes = following
        walked += (part,)
    return _narrow(schema, nodes, walked, value_at)


def _narrow(schema: dict, nodes: list[dict], path: tuple, value_at) -> list[dict]:
    if value_at is None or len(nodes) < 2:
        return nodes
    value = value_at(path)
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return nodes
    matching = [n for n in nodes if value["type"] in _allowed(schema, n.get("properties", {}).get("type"))]
    return matching or nodes


def _allowed(schema: dict, node: Any) -> list:
    values = []
    for branch in branches(schema, node) if node is not None else []:
        values += branch.get("enum", []) + ([branch["const"]] if "const" in branch else [])
    return values


def description(schema: dict, path: Iterable, value_at: Any = None) -> str | None:
    for node in at(schema, path, value_at):
        if node.get("description"):
            return node["description"].strip()
    return None


def properties(schema: dict, path: Iterable, value_at: Any = None) -> dict[str, dict]:
    """Field name -> its schema, for every field the mapping at `path` may have."""
    found: dict[str, dict] = {}
    for node in at(schema, path, value_at):
        for name, sub in node.get("properties", {}).items():
            found.setdefault(name, _resolve(schema, sub))
    return found


def values(schema: dict, path: Iterable, value_at: Any = None) -> list:
    """The values the node at `path` may take from a fixed set (enums, consts, booleans)."""
    found: list = []
    for node in at(schema, path, value_at):
        for value in node.get("enum", []) + ([node["const"]] if "const" in node else []):
            if value not in found:
                found.append(value)
        types = node.get("type")
        if types == "boolean" or (isinstance(types, list) and "boolean" in types):
            found += [v for v in (True, False) if v not in found]
    return found


def required(schema: dict, path: Iterable, value_at: Any = None) -> set[str]:
    names: set[str] = set()
    for node in at(schema, path, value_at):
        names.update(node.get("required", []))
    return names
