"""Check functions: the escape hatch for what the declarative vocabulary cannot say.

A rule names one as `{function: NAME, args: {...}}`. A function takes the document's value and the
rule's args and returns violations: (path tuple of the offending node, message parameters). Register
with `@check("name")`; runlint's own functions are registered here, on import.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from .conditions import FUNCTIONS, Context, Violation


def check(name: str) -> Callable:
    def register(function: Callable[[Any, dict], list[Violation]]):
        if name in FUNCTIONS and FUNCTIONS[name] is not function:
            raise ValueError(f"a check function named {name!r} is already registered")
        FUNCTIONS[name] = function
        return function

    return register


@check("unknown-model")
def unknown_model(value: Any, args: dict, context: Context) -> list[Violation]:
    """A `model` the capability table does not know: say so, and name a close known id."""
    model = value.get("model")
    if not isinstance(model, str) or context.models.find(model) is not None:
        return []
    from difflib import get_close_matches

    close = get_close_matches(model, args.get("known", []), n=1, cutoff=0.75)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return [(("model",), {"value": model, "hint": hint})]


# -- Structured Outputs: the JSON Schema subset strict mode accepts -----------------------------
_SCHEMA_PLACES = (  # (where a request carries a schema, where its strict flag is, a guard)
    (("response_format", "json_schema", "schema"), ("response_format", "json_schema", "strict"),
     ("response_format", "type"), "json_schema"),
    (("tools", "*", "function", "parameters"), ("tools", "*", "function", "strict"), None, None),
)


def _schemas(value: Any, strict: bool):
    """(path of each carried schema, the schema) whose strict flag is (or is not) true."""
    from .conditions import select

    for schema_at, strict_at, guard_at, guard in _SCHEMA_PLACES:
        if guard_at and select(value, guard_at)[:1] != [(guard_at, guard)]:
            continue
        for path, schema in select(value, schema_at):
            flag_path = tuple(p if q == "*" else q for p, q in zip(path, strict_at)) + strict_at[len(path):]
            flag = select(value, tuple(str(p) for p in flag_path))
            if isinstance(schema, dict) and (bool(flag) and flag[0][1] is True) == strict:
                yield path, schema


def _walk(schema: dict):
    """Every subschema with its path, each $defs entry once (recursion through $ref is allowed)."""
    stack = [((), schema)]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield path, node
        for key in ("properties", "$defs", "definitions"):
            if isinstance(node.get(key), dict):
                stack += [(path + (key, name), sub) for name, sub in node[key].items()]
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                stack.append((path + (key,), node[key]))
        for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
            if isinstance(node.get(key), list):
                stack += [(path + (key, i), sub) for i, sub in enumerate(node[key])]


def _is_object(node: dict) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node


@check("strict-schema-subset")
def strict_schema_subset(value: Any, args: dict, context: Context) -> list[Violation]:
    """The subset of JSON Schema that Structured Outputs accepts (args: unsupported, formats)."""
    unsupported, formats = args["unsupported"], set(args["formats"])
    found: list[Violation] = []
    for at, schema in _schemas(value, True):
        if not _is_object(schema) or "anyOf" in schema:
            found.append((at, {"problem": "the root must be an object (not anyOf)"}))
        for path, node in _walk(schema):
            here = at + path
            for keyword in unsupported:
                if keyword in node:
                    found.append((here + (keyword,), {"problem": f"`{keyword}` is not supported"}))
            if isinstance(node.get("format"), str) and node["format"] not in formats:
                found.append((here + ("format",), {"problem": f"the format `{node['format']}` is not supported "
                                                   f"(supported: {', '.join(sorted(formats))})"}))
            if not _is_object(node) or path[-2:-1] in (("$defs",), ("definitions",)) and "$ref" in node:
                continue
            if node.get("additionalProperties") is not False:
                where = here + ("additionalProperties",) if "additionalProperties" in node else here
                found.append((where, {"problem": "every object must set `additionalProperties: false`"}))
            required = node.get("required") if isinstance(node.get("required"), list) else []
            for name in node.get("properties", {}) if isinstance(node.get("properties"), dict) else ():
                if name not in required:
                    found.append((here + ("properties", name), {
                        "problem": f"`{name}` must be listed in `required` (make it optional with a union "
                                   "with null instead)"}))
    return found


@check("strict-schema-limits")
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
            enum_values += len(values)
            text += sum(len(v) for v in values if isinstance(v, str))
            text += len(node["const"]) if isinstance(node.get("const"), str) else 0
            strings = [v for v in values if isinstance(v, str)]
            if len(strings) > args["large_enum_values"] and sum(map(len, strings)) > args["large_enum_chars"]:
                found.append((at + path + ("enum",), {"problem": f"an enum of {len(strings)} strings has "
                              f"{sum(map(len, strings)):,} characters; at most {args['large_enum_chars']:,} "
                              f"when it has more than {args['large_enum_values']} values"}))
        depth = _depth(schema)
        for amount, limit, what in ((properties, args["max_properties"], "object properties"),
                                    (depth, args["max_depth"], "levels of nesting"),
                                    (enum_values, args["max_enum_values"], "enum values"),
                                    (text, args["max_text"], "characters of names, enum values and consts")):
            if amount > limit:
                found.append((at, {"problem": f"{amount:,} {what}; at most {limit:,}"}))
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


@check("external-schema-refs")
def external_schema_refs(value: Any, args: dict, context: Context) -> list[Violation]:
    """`$ref`s in a carried schema that leave it (a URL, another file): never fetched."""
    found: list[Violation] = []
    for at, schema in [*_schemas(value, True), *_schemas(value, False)]:
        for path, node in _walk(schema):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append((at + path + ("$ref",), {"ref": ref}))
    return found


# -- secrets -------------------------------------------------------------------------------------
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

    from .conditions import parse_pointer, select

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


# -- prompt budget -------------------------------------------------------------------------------
def _list(value: Any) -> list:
    """A list, or nothing: checks run on specs the schema may have found to be of the wrong type."""
    return value if isinstance(value, list) else []


def _run_texts(value: dict) -> list[str]:
    """The text a run sends on its own: instructions, messages, and its tools' definitions."""
    import json

    texts = [value[k] for k in ("instructions", "additional_instructions") if isinstance(value.get(k), str)]
    for message in _list(value.get("additional_messages")):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
    for tool in _list(value.get("tools")):
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            texts.append(json.dumps(tool["function"], ensure_ascii=False, separators=(",", ":")))
    return texts


@lru_cache(maxsize=4)
def _tokenizer(name: str):
    """bpe-openai's Rust tokenizer for an encoding (it ships its vocabularies; tiktoken downloads
    them, which fails offline). Its compiled module is loaded on its own: the package's Python side
    decodes both vocabularies again on import, which costs about a second; the Rust side needs
    about 0.1 s and gives the same counts as tiktoken."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("bpe_openai")
    if package is None or not package.submodule_search_locations:
        raise ImportError("bpe-openai is not installed")
    folder = Path(package.submodule_search_locations[0])
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    library = next((f for f in sorted(folder.glob("_bindings*")) if any(f.name.endswith(s) for s in suffixes)), None)
    if library is None:
        raise ImportError("bpe-openai has no compiled tokenizer")
    loader = importlib.machinery.ExtensionFileLoader("bpe_openai._bindings", str(library))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module.tokenizer_for_encoding(name)


@check("prompt-budget")
def prompt_budget(value: Any, args: dict, context: Context) -> list[Violation]:
    """max_prompt_tokens smaller than the tokens of the run's own text alone (a lower bound of what
    the run needs: the thread's messages and the model's own formatting come on top)."""
    budget = value.get("max_prompt_tokens")
    if not isinstance(budget, int) or isinstance(budget, bool):
        return []
    texts = _run_texts(value)
    if sum(len(t.encode("utf-8")) for t in texts) <= budget:
        return []  # a token holds at least one byte: the tokenizer need not even be loaded
    family = context.models.find(value.get("model"))
    if family is not None:
        names = [next((n for n, families in args["encodings"].items() if family.name in families),
                      args["default_encoding"])]
    else:  # the assistant's model is unknown: count with every encoding and take the fewest tokens
        names = [args["default_encoding"], *args["encodings"]]
    try:
        counts = {name: sum(_tokenizer(name).count(t) for t in texts) for name in names}
    except ImportError:
        return []
    name = min(counts, key=counts.get)
    if counts[name] <= budget:
        return []
    return [(("max_prompt_tokens",), {"tokens": f"{counts[name]:,}", "budget": f"{budget:,}", "encoding": name})]
