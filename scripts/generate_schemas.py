#!/usr/bin/env python3
"""Generate schemas/<kind>.schema.json (JSON Schema 2020-12) from OpenAI's OpenAPI extracts.

The extracts in schemas/source/openapi-extract/ are the source (see their SOURCE.md for the commit);
a new API release is a new extract and one run of this script, never a hand edit of schemas/.

    python scripts/generate_schemas.py          # write every schema
    python scripts/generate_schemas.py --check  # exit 1 if a written schema is stale

What the translation does, generically:
- OpenAPI 3.0 `nullable: true` becomes a JSON Schema union with null;
- `x-*` vendor keys and `example` are dropped; titles, descriptions and defaults are kept (hover);
- objects that list `properties` are closed (`additionalProperties: false`) unless they say
  otherwise: the API rejects unknown parameters at any depth ("Unknown parameter: 'tools[0].x'");
- draft 2019-09's `$recursiveRef` becomes a `$ref` to its component;
- `allOf` of object schemas (the Chat and Responses requests are built so) is merged into one
  object, so that closing it does not reject the properties of its other parts;
- OVERLAYS add the constraints the official description states only in prose.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "schemas" / "source" / "openapi-extract"
TARGET = ROOT / "schemas"
METASCHEMA = "https://json-schema.org/draft/2020-12/schema"

KINDS = {
    "create-run": ("create-run.json", "Create run request (POST /v1/threads/{thread_id}/runs)"),
    "thread-and-run": ("create-thread-and-run.json", "Create thread and run request (POST /v1/threads/runs)"),
    "assistant": ("create-assistant.json", "Create assistant request (POST /v1/assistants)"),
    "chat-completion": ("create-chat-completion.json", "Create chat completion request (POST /v1/chat/completions)"),
    "response": ("create-response.json", "Create response request (POST /v1/responses)"),
}

# (component, JSON pointer inside it, keywords to merge, the official sentence that states them)
OVERLAYS = [
    ("FunctionObject", "/properties/name", {"pattern": "^[a-zA-Z0-9_-]+$", "maxLength": 64},
     "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64."),
    ("ResponseFormatJsonSchema", "/properties/json_schema/properties/name",
     {"pattern": "^[a-zA-Z0-9_-]+$", "maxLength": 64},
     "Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64."),
    ("FunctionParameters", "", {"$ref": METASCHEMA},
     "The parameters the functions accepts, described as a JSON Schema object."),
    ("ResponseFormatJsonSchemaSchema", "", {"$ref": METASCHEMA},
     "The schema for the response format, described as a JSON Schema object."),
    ("FunctionTool", "/properties/parameters", {"anyOf": [{"$ref": METASCHEMA}, {"type": "null"}]},
     "A JSON schema object describing the parameters of the function."),
]


# Unions whose alternatives overlap, where the API takes what matches any of them: OpenAPI writes
# `oneOf`, which JSON Schema reads as "exactly one", and a plain {role, content} input message is both
# an EasyInputMessage and an Item's InputMessage.
ONE_OF_AS_ANY_OF = {"InputItem": "an input message matches EasyInputMessage and InputMessage alike"}


def translate(node):
    """One OpenAPI schema node (and everything below it) as JSON Schema 2020-12."""
    if isinstance(node, list):
        return [translate(item) for item in node]
    if not isinstance(node, dict):
        return node
    nullable = node.get("nullable") is True
    out = {key: translate(value) for key, value in node.items()
           if not key.startswith("x-") and key not in ("example", "nullable")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/$defs/")
    all_of = out.get("allOf")
    if isinstance(all_of, list):
        # OpenAPI's nullable reference: allOf [ {$ref}, {nullable: true} ]
        parts = [p for p in all_of if p != {} and set(p) - {"description"}]
        nullable = nullable or any(isinstance(p, dict) and p.get("nullable") for p in node["allOf"])
        for part in all_of:
            if isinstance(part, dict) and set(part) <= {"description"} and "description" in part:
                out.setdefault("description", part["description"])
        if len(parts) == 1:
            del out["allOf"]
            out = {**parts[0], **out}
        else:
            out["allOf"] = parts
    if nullable:
        out = _allow_null(out)
    if "properties" in out and "additionalProperties" not in out and out.get("type") in ("object", None, ["object", "null"]):
        out["additionalProperties"] = False
    return out


def _allow_null(node: dict) -> dict:
    if "$ref" in node:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**rest, "anyOf": [{"$ref": node["$ref"]}, {"type": "null"}]}
    for union in ("anyOf", "oneOf"):
        if union in node:
            if {"type": "null"} not in node[union]:
                node[union] = [*node[union], {"type": "null"}]
            return node
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        node["type"] = types + ["null"] if "null" not in types else types
        if "enum" in node and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    return node


def _reachable(root: dict, defs: dict) -> list[str]:
    seen: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/") and ref[8:] not in seen:
                seen.append(ref[8:])
                stack.append(defs[ref[8:]])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return seen


def _overlay(defs: dict) -> None:
    for component in ONE_OF_AS_ANY_OF:
        if component in defs and "oneOf" in defs[component]:
            defs[component]["anyOf"] = defs[component].pop("oneOf")
    for component, pointer, keywords, _why in OVERLAYS:
        if component not in defs:
            continue
        node = defs[component]
        for part in [p for p in pointer.split("/") if p]:
            node = node[part]
        node.update(keywords)


def _recursion_as_ref(node, name: str):
    """Draft 2019-09's `$recursiveAnchor`/`$recursiveRef: "#"` (a component that refers to itself)
    as a plain `$ref` to the component."""
    if isinstance(node, list):
        return [_recursion_as_ref(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _recursion_as_ref(value, name) for key, value in node.items() if key != "$recursiveAnchor"}
    if out.get("$recursiveRef") == "#":
        del out["$recursiveRef"]
        out["$ref"] = f"#/$defs/{name}"
    return out


def _merge_all_of(node, defs: dict):
    """Every `allOf` whose parts are all objects (through their $refs) as one object."""
    if isinstance(node, list):
        return [_merge_all_of(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _merge_all_of(value, defs) for key, value in node.items()}
    parts = node.get("allOf")
    if not isinstance(parts, list):
        return node
    resolved = [_merge_all_of(defs[p["$ref"][8:]], defs) if set(p) == {"$ref"} else p for p in parts]
    if not all(isinstance(p, dict) and "properties" in p and "allOf" not in p for p in resolved):
        return node
    merged = {key: value for key, value in node.items() if key != "allOf"}
    merged.update(type="object", properties={}, required=[])
    for part in resolved:
        merged["properties"].update(part["properties"])
        merged["required"] += [name for name in part.get("required", []) if name not in merged["required"]]
    if not merged["required"]:
        del merged["required"]
    merged["additionalProperties"] = False
    return merged


def generate(kind: str) -> dict:
    file, title = KINDS[kind]
    extract = json.loads((SOURCE / file).read_text(encoding="utf-8"))
    components = extract["components"]["schemas"]
    defs = {name: _recursion_as_ref(translate(schema), name) for name, schema in components.items()}
    defs = {name: _merge_all_of(schema, defs) for name, schema in defs.items()}
    _overlay(defs)
    root = defs.pop(extract["root"])
    document = {"$schema": METASCHEMA, "$id": f"https://runlint.dev/schemas/{kind}.schema.json", "title": title,
                **root}
    keep = _reachable(root, defs)
    document["$defs"] = {name: defs[name] for name in defs if name in keep}
    return document


def _check_overlays() -> None:
    every = set()
    for file, _title in KINDS.values():
        every |= set(json.loads((SOURCE / file).read_text(encoding="utf-8"))["components"]["schemas"])
    missing = [component for component, *_ in OVERLAYS if component not in every]
    if missing:
        raise SystemExit(f"overlays name components no extract has: {', '.join(missing)}")


def render(kind: str) -> str:
    return json.dumps(generate(kind), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a written schema is stale")
    args = parser.parse_args()
    _check_overlays()
    stale = []
    for kind in KINDS:
        path = TARGET / f"{kind}.schema.json"
        text = render(kind)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale (run scripts/generate_schemas.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
