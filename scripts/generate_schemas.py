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
  `properties: {}` (a free-form object, such as EmptyModelParam) stays open;
- draft 2019-09's `$recursiveRef` becomes a `$ref` to its component;
- `allOf` of object schemas (the Chat and Responses requests are built so) is merged into one
  object, so that closing it does not reject the properties of its other parts;
- schemas/source/overlays.yaml says, with a source each, where the service differs from the
  description (constraints stated in prose, fields it takes as optional, values it accepts, slips).

The generator checks the description and its own output, and fails (exit 2, naming each) on a
required field that no object declares, on a required field documented as defaulted that no
overlay decides, on a free-form object closed, and on an overlay that no longer applies.
batch-request.schema.json is generated too: a batch line's `url` takes CreateBatchRequest.endpoint.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "schemas" / "source" / "openapi-extract"
TARGET = ROOT / "schemas"
METASCHEMA = "https://json-schema.org/draft/2020-12/schema"
EXTRACTS_BATCH = "create-batch.json"  # CreateBatchRequest: the endpoints a batch can call

sys.path.insert(0, str(ROOT))
from runlint.kinds import KINDS as REGISTRY  # noqa: E402 - the kinds' names, titles and urls

# The extract each kind's schema is generated from (everything else about a kind: runlint/kinds.py)
KINDS = {
    "create-run": "create-run.json",
    "thread-and-run": "create-thread-and-run.json",
    "assistant": "create-assistant.json",
    "chat-completion": "create-chat-completion.json",
    "response": "create-response.json",
}

# A line of a Batch API input file. The official description has no component for it (the format is
# documented at https://platform.openai.com/docs/api-reference/batch/request-input); its `url` enum
# is CreateBatchRequest.endpoint's, so a new batchable endpoint arrives with the extract.
BATCH_LINE = {
    "$schema": METASCHEMA,
    "title": "One line of a Batch API input file",
    "description": "A request of a batch: POST /v1/batches takes a JSONL file of these, one a line "
                   "(https://platform.openai.com/docs/api-reference/batch/request-input). The url enum is "
                   "CreateBatchRequest.endpoint's; data/batch.yaml says which of them runlint checks the "
                   "body of.",
    "type": "object",
    "required": ["custom_id", "method", "url", "body"],
    "additionalProperties": False,
    "properties": {
        "custom_id": {"type": "string", "minLength": 1,
                      "description": "A developer-provided per-request id that will be used to match outputs to "
                                     "inputs. Must be unique for each request in a batch."},
        "method": {"enum": ["POST"],
                   "description": "The HTTP method to be used for the request. Currently only POST is supported."},
        "url": {"description": "The OpenAI API relative URL to be used for the request. Every request of a batch "
                               "uses the batch's one endpoint."},
        "body": {"type": "object", "description": "The request body, as the endpoint takes it."},
    },
}

OVERLAYS = SOURCE.parent / "overlays.yaml"


class GeneratorError(Exception):
    """The extracts and the overlays disagree: an overlay no longer applies, or one is missing."""


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
    # `properties: {}` is OpenAPI's free-form object (any keys): it stays open.
    if out.get("properties") and "additionalProperties" not in out and out.get("type") in (
            "object", None, ["object", "null"]):
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


def _accepts_null(node: dict) -> bool:
    types = node.get("type")
    return (types == "null" or (isinstance(types, list) and "null" in types)
            or any(_accepts_null(branch) for union in ("anyOf", "oneOf") for branch in node.get(union, [])))


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


def _nodes(node, pointer: str = ""):
    """Every schema node below `node` (itself included), with its JSON Pointer."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _nodes(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nodes(item, f"{pointer}/{index}")


def _at(defs: dict, entry: dict) -> dict:
    where = f"overlay {entry['component']}{entry.get('at', '')}"
    if entry["component"] not in defs:
        raise GeneratorError(f"{where}: no extract has the component {entry['component']} any more")
    node = defs[entry["component"]]
    for part in [p for p in entry.get("at", "").split("/") if p]:
        if not isinstance(node, dict) or part not in node:
            raise GeneratorError(f"{where}: the component has no node there any more")
        node = node[part]
    return node


def _required_names(components: dict, resolve) -> tuple[set, set]:
    """(component, field) pairs the description lists in `required` of an object that declares
    properties, but never declares; and those it declares and documents as defaulted (a `default`
    that is no discriminator's one value, or "Defaults to" in its text)."""
    undeclared, defaulted = set(), set()
    for name, component in components.items():
        for _pointer, node in _nodes(component):
            properties, required = node.get("properties"), node.get("required")
            if not properties or not isinstance(required, list):
                continue  # a branch's bare `required` names the enclosing object's properties
            for field in required:
                if field not in properties:
                    undeclared.add((name, field))
                    continue
                declared = resolve(properties[field])
                discriminator = len(declared.get("enum", ())) == 1
                if ("default" in declared and not discriminator) or re.search(
                        r"[Dd]efaults? to", declared.get("description") or ""):
                    defaulted.add((name, field))
    return undeclared, defaulted


def _resolver(components: dict):
    def resolve(node: dict) -> dict:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target = components.get(node["$ref"].rsplit("/", 1)[-1], {})
            node, seen = {**target, **{k: v for k, v in node.items() if k != "$ref"}}, seen + 1
        return node
    return resolve


SECTIONS = ("constrain", "optional", "defaulted_but_required", "undeclared", "accepts", "alternatives",
            "ignored_unknown", "any_of")
IGNORED = "x-runlint-unknown-fields"  # on an object whose unknown fields the service ignores (RL109)


def load_overlays() -> dict:
    """overlays.yaml: every section a list of entries, `null_means_unset` one entry; each with a
    source (or, for a decision to keep the description's word, a reason)."""
    data = yaml.safe_load(OVERLAYS.read_text(encoding="utf-8"))
    unknown = set(data) - {*SECTIONS, "null_means_unset"}
    if unknown:
        raise GeneratorError(f"{OVERLAYS.name}: unknown sections {', '.join(sorted(unknown))}")
    data = {section: data.get(section) or [] for section in SECTIONS} | {
        "null_means_unset": data.get("null_means_unset") or {"kinds": []}}
    for section in SECTIONS:
        for entry in data[section]:
            if not entry.get("source") and not entry.get("reason"):
                raise GeneratorError(f"overlay {section}: {entry.get('component')} gives no source or reason")
    if data["null_means_unset"]["kinds"] and not data["null_means_unset"].get("source"):
        raise GeneratorError("overlay null_means_unset gives no source")
    return data


def check_description(overlays: dict, raw: dict) -> None:
    """Fail on what the description says that needs an overlay and has none, and on overlays for
    what it no longer says."""
    undeclared, defaulted = _required_names(raw, _resolver(raw))
    decided = {(e["component"], e["field"]) for e in overlays["undeclared"]}
    problems = [f"{c}: `{f}` is in `required` but never declared; resolve it under `undeclared` in "
                f"{OVERLAYS.name}" for c, f in sorted(undeclared - decided)]
    problems += [f"overlay undeclared {c}.{f}: the description no longer has this slip"
                 for c, f in sorted(decided - undeclared) if c in raw]
    decided = {(e["component"], e["field"]) for e in overlays["optional"] + overlays["defaulted_but_required"]}
    problems += [f"{c}: required `{f}` is documented as defaulted; decide it under `optional` or "
                 f"`defaulted_but_required` in {OVERLAYS.name}" for c, f in sorted(defaulted - decided)]
    kept = {(e["component"], e["field"]) for e in overlays["defaulted_but_required"]}
    problems += [f"overlay defaulted_but_required {c}.{f}: no longer documented as defaulted"
                 for c, f in sorted(kept - defaulted) if c in raw]
    if problems:
        raise GeneratorError("\n".join(problems))


def apply_overlays(defs: dict, overlays: dict) -> None:
    """Apply every overlay to the translated components; each must change something."""
    for entry in overlays["any_of"]:
        node = _at(defs, entry)
        if "oneOf" not in node:
            raise GeneratorError(f"overlay any_of {entry['component']}: it is no oneOf any more")
        node["anyOf"] = node.pop("oneOf")
    for entry in overlays["constrain"]:
        node = _at(defs, entry)
        if all(node.get(key) == value for key, value in entry["add"].items()):
            raise GeneratorError(f"overlay constrain {entry['component']}{entry['at']}: the description says "
                                 "this itself now")
        node.update(entry["add"])
    for entry in overlays["optional"] + [e for e in overlays["undeclared"] if e["resolution"] == "drop"]:
        changed = False
        for _pointer, node in _nodes(_at(defs, entry)):
            if isinstance(node.get("required"), list) and entry["field"] in node["required"]:
                node["required"] = [name for name in node["required"] if name != entry["field"]]
                changed = True
                if not node["required"]:
                    del node["required"]
        if not changed:
            raise GeneratorError(f"overlay {entry['component']}.{entry['field']}: it is required there no more")
    for entry in overlays["alternatives"]:
        node = _at(defs, entry)
        union = node.get("oneOf", node.get("anyOf"))
        if union is None or all(alternative in union for alternative in entry["add"]):
            raise GeneratorError(f"overlay alternatives {entry['component']}: no union, or it has them already")
        union += [alternative for alternative in entry["add"] if alternative not in union]
    for entry in overlays["ignored_unknown"]:
        node = _at(defs, entry)
        if node.get("additionalProperties") is not False:
            raise GeneratorError(f"overlay ignored_unknown {entry['component']}: it is not a closed object")
        node[IGNORED] = "ignored by the service"
    for entry in overlays["accepts"]:
        node = _at(defs, entry)
        if entry["allow"] == "null":
            if _accepts_null(node):
                raise GeneratorError(f"overlay accepts {entry['component']}{entry['at']}: it takes null already")
            replacement = _allow_null(dict(node))
            node.clear()
            node.update(replacement)
        elif entry["allow"] == "empty-array":
            arrays = [n for _p, n in _nodes(node) if n.get("type") == "array" and n.get("minItems", 0) > 0]
            if not arrays:
                raise GeneratorError(f"overlay accepts {entry['component']}{entry['at']}: it takes [] already")
            for array in arrays:
                del array["minItems"]
        else:
            raise GeneratorError(f"overlay accepts {entry['component']}: unknown allow {entry['allow']!r}")


def null_means_unset(document: dict) -> None:
    """Every optional property takes null too (the description's `nullable` ones do already)."""
    for _pointer, node in list(_nodes(document)):
        properties = node.get("properties")
        if not isinstance(properties, dict) or not isinstance(node.get("type", "object"), (str, list)):
            continue
        required = node.get("required") or []
        for name, schema in properties.items():
            if name not in required and isinstance(schema, dict) and schema and not _accepts_null(schema):
                kept = {k: schema[k] for k in ("title", "description", "default") if k in schema}
                inner = {k: v for k, v in schema.items() if k not in kept}
                properties[name] = {**kept, "anyOf": [inner, {"type": "null"}]}


def check_output(kind: str, document: dict) -> None:
    """What a generated schema must never hold: a required name no object declares, a free-form
    object closed (every key in it would be "unknown")."""
    problems = []
    for pointer, node in _nodes(document):
        properties = node.get("properties")
        if isinstance(properties, dict) and properties and isinstance(node.get("required"), list):
            problems += [f"{kind}.schema.json#{pointer}: `{name}` is required but not declared"
                         for name in node["required"] if name not in properties]
        if node.get("additionalProperties") is False and not properties and not node.get("patternProperties"):
            problems.append(f"{kind}.schema.json#{pointer}: a free-form object is closed")
    if problems:
        raise GeneratorError("\n".join(problems))


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
    if merged["properties"]:
        merged["additionalProperties"] = False
    return merged


def _extract(file: str) -> dict:
    return json.loads((SOURCE / file).read_text(encoding="utf-8"))


def generate(kind: str, overlays: dict) -> dict:
    file, title = KINDS[kind], REGISTRY[kind].schema_title
    extract = _extract(file)
    components = extract["components"]["schemas"]
    check_description(overlays, components)
    defs = {name: _recursion_as_ref(translate(schema), name) for name, schema in components.items()}
    defs = {name: _merge_all_of(schema, defs) for name, schema in defs.items()}
    apply_overlays(defs, {section: [e for e in overlays[section] if e["component"] in defs
                                    and kind in e.get("kinds", [kind])] for section in SECTIONS})
    root = defs.pop(extract["root"])
    document = {"$schema": METASCHEMA, "$id": f"https://runlint.dev/schemas/{kind}.schema.json", "title": title,
                **root}
    keep = _reachable(root, defs)
    document["$defs"] = {name: defs[name] for name in defs if name in keep}
    if kind in overlays["null_means_unset"]["kinds"]:
        null_means_unset(document)
    check_output(kind, document)
    return document


def generate_batch_line() -> dict:
    batch = _extract(EXTRACTS_BATCH)["components"]["schemas"]["CreateBatchRequest"]
    document = json.loads(json.dumps(BATCH_LINE))
    document["properties"]["url"]["enum"] = batch["properties"]["endpoint"]["enum"]
    return document


def _check_overlays_found(overlays: dict) -> None:
    every = set()
    for file in KINDS.values():
        every |= set(_extract(file)["components"]["schemas"])
    missing = sorted({e["component"] for section in SECTIONS for e in overlays[section]} - every)
    if missing:
        raise GeneratorError(f"overlays name components no extract has: {', '.join(missing)}")


def render_all() -> dict[str, str]:
    """kind -> the text of schemas/<kind>.schema.json."""
    overlays = load_overlays()
    _check_overlays_found(overlays)
    texts = {kind: generate(kind, overlays) for kind in KINDS}
    texts["batch-request"] = generate_batch_line()
    return {kind: json.dumps(document, indent=2, ensure_ascii=False) + "\n" for kind, document in texts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a written schema is stale")
    args = parser.parse_args()
    try:
        texts = render_all()
    except GeneratorError as error:
        print(f"generate_schemas: {error}", file=sys.stderr)
        return 2
    stale = []
    for kind, text in texts.items():
        path = TARGET / f"{kind}.schema.json"
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
