"""Hypothesis strategies for the values a JSON Schema describes, for the keywords runlint's own
request schemas use. Generated values are kept only when the real validator accepts them, so a
keyword this generator treats loosely costs examples, never correctness."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Text without control characters (tab and newline aside) and line separators: YAML 1.1 writers
# and readers (PyYAML, libyaml) fold NEL, LS and PS into spaces, whoever reads them back.
_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\t\n")
_TEXT = st.text(_CHARACTERS, max_size=20)
_PLAIN_SCHEMA = st.just({"type": "object", "properties": {"q": {"type": "string"}}})


def from_schema(node: dict, root: dict, depth: int = 0) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return _PLAIN_SCHEMA  # the JSON Schema metaschema: any small valid schema will do
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        return from_schema(target, root, depth)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    for combinator in ("oneOf", "anyOf"):
        if combinator in node:
            return st.one_of([from_schema(branch, root, depth + 1) for branch in node[combinator]])
    kinds = node.get("type", ["object", "string", "integer", "boolean"])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return st.one_of([_of_type(kind, node, root, depth) for kind in kinds])


def _of_type(kind: str, node: dict, root: dict, depth: int) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(node.get("minimum", -(2 ** 40)), node.get("maximum", 2 ** 40))
    if kind == "number":
        return st.floats(node.get("minimum"), node.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "string":
        if "pattern" in node:
            text = st.from_regex(node["pattern"], fullmatch=True)
            return text.filter(lambda s: len(s) <= node.get("maxLength", 10 ** 9))
        return st.text(_CHARACTERS, min_size=node.get("minLength", 0),
                       max_size=min(node.get("maxLength", 40), 40))
    if kind == "array":
        if depth > 4:
            return st.just([]) if node.get("minItems", 0) == 0 else st.nothing()
        items = from_schema(node.get("items", {}), root, depth + 1)
        return st.lists(items, min_size=node.get("minItems", 0), max_size=min(node.get("maxItems", 3), 3))
    if kind == "object":
        properties = node.get("properties", {})
        if not properties:
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and depth <= 4:
                keys = _TEXT.filter(bool).map(lambda k: k[:64])
                return st.dictionaries(keys, from_schema(extra, root, depth + 1), max_size=4)
            return st.just({})
        required = set(node.get("required", []))
        strategies = {name: from_schema(sub, root, depth + 1) for name, sub in properties.items()}
        return st.fixed_dictionaries({k: v for k, v in strategies.items() if k in required},
                                     optional={k: v for k, v in strategies.items() if k not in required})
    raise ValueError(f"no strategy for type {kind!r}")
