"""The schema layer: validate a document against its kind's JSON Schema, explain what fails.

jsonschema-rs validates (a valid document costs microseconds) and also reports the failures with
their keyword, details and, for oneOf/anyOf, every branch's own errors; this module turns those into
messages a person can act on: the field as the API names it (`tools[0].function.name`), the value
and what was expected, a "did you mean" where a close name exists, a position on the smallest node.
"""

from __future__ import annotations

import difflib
import heapq
import json
from functools import cache
from itertools import chain
from typing import Any, Iterable

import jsonschema_rs

from ..diagnostic import (TYPE_WORDS, Diagnostic, Edit, Fix, Range, field_name, show_json, to_pointer,
                          type_word)
from ..path import Path, resolve_ref
from ..source.document import Document
from ..kinds import Kind
from ..source.limits import MAX_FINDINGS
from ..resources import data_dir

# On an object whose unknown fields the service ignores (scripts/generate_schemas.py, overlays.yaml's
# `ignored_unknown`): they are RL109, a warning, not RL101.
IGNORED = "x-runlint-unknown-fields"

_CODES = {
    "additionalProperties": "RL101", "unevaluatedProperties": "RL101",
    "required": "RL102",
    "type": "RL103",
    "enum": "RL104", "const": "RL104",
    "minimum": "RL105", "maximum": "RL105", "exclusiveMinimum": "RL105", "exclusiveMaximum": "RL105",
    "multipleOf": "RL105",
    "minLength": "RL106", "maxLength": "RL106", "minItems": "RL106", "maxItems": "RL106",
    "minProperties": "RL106", "maxProperties": "RL106", "uniqueItems": "RL106",
    "pattern": "RL107", "format": "RL107",
}


@cache
def load_schema(kind_name: str) -> dict:
    with open(data_dir("schemas") / f"{kind_name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _validator(kind_name: str):
    return jsonschema_rs.validator_for(load_schema(kind_name))


def check(document: Document, kind: Kind) -> list[Diagnostic]:
    validator = _validator(kind.name)
    if validator.is_valid(document.value):
        return []
    explainer = _Explainer(document, kind, load_schema(kind.name))
    explained = [explainer.explain(error) for error in validator.iter_errors(document.value)]
    if len(document.text) > _BIG_TEXT:
        _give_back_freed_memory()  # the errors are gone: what the validator copied can go too
    found = _unique(chain.from_iterable(explained))
    explainer.name_the_closest()
    return found


# A document this large may make the validator copy megabytes (once for each error that holds it).
_BIG_TEXT = 1 << 20


def _give_back_freed_memory() -> None:
    """jsonschema-rs frees the copies it made of a big document (100 MB for 200,000 keys), but
    glibc keeps the pages, where Python's own objects cannot go: give them back before the
    findings are built."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim
    except (ImportError, OSError, AttributeError, TypeError):  # not glibc
        return None


def _unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each finding once (two errors may explain the same thing): by range first, which tells
    nearly all apart (a tuple a finding would cost 20 MB for 200,000 of them)."""
    first_at: dict[Range, Diagnostic] = {}
    more_at: set[tuple] = set()
    found = []
    for d in diagnostics:
        first = first_at.setdefault(d.range, d)
        if first is not d:
            key = (d.code, d.range, d.message)
            if (first.code, first.message) == (d.code, d.message) or key in more_at:
                continue
            more_at.add(key)
        found.append(d)
    return found


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    candidates = [c for c in candidates if isinstance(c, str)]
    folded = {c.lower(): c for c in candidates}
    if word.lower() in folded:
        return folded[word.lower()]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _quote(value: Any) -> str:
    """A value of the schema's own (an enum option, a suggestion) as JSON: runlint's words, never
    cut; the user's values are `show_json`n."""
    return json.dumps(value, ensure_ascii=False)


def _types(types: list[str]) -> str:
    """['null', 'number'] -> 'a number or null': null last, it is the exception."""
    ordered = sorted(types, key=lambda t: t == "null")
    return _or([TYPE_WORDS.get(t, t) for t in ordered])


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _describe_alternatives(branches: list) -> tuple[list[str], str] | None:
    """How to name each of the oneOf branches a value matches, and what to do about it: by the
    required fields only it has, else its title, else its `type` const; None if any has none."""
    if len(branches) < 2 or not all(isinstance(b, dict) for b in branches):
        return None
    required = [set(b.get("required", [])) for b in branches]
    common = set.intersection(*required)
    own = [sorted(r - common) for r in required]
    if all(own):
        return [f"one with {_and([f'`{n}`' for n in names])}" for names in own], "give only one of them"
    titles = [b.get("title") for b in branches]
    if all(isinstance(t, str) and t for t in titles) and len(set(titles)) == len(titles):
        return [f'"{t}"' for t in titles], "it must match exactly one"
    consts = [_type_const(b) for b in branches]
    if all(c is not None for c in consts):
        return [f"one with `type` {_quote(c)}" for c in consts], "it must match exactly one"
    return None


def _type_const(branch: dict) -> Any:
    node = branch.get("properties", {}).get("type")
    if isinstance(node, dict):
        if "const" in node:
            return node["const"]
        if len(node.get("enum", [])) == 1:
            return node["enum"][0]
    return None


def renamed(document, path, key, new):
    from ..fix.actions import renamed

    return renamed(document, path, key, new)


class _Explainer:
    def __init__(self, document: Document, kind: Kind, schema: dict):
        self.document = document
        self.kind = kind
        self.schema = schema
        # (the findings of one mapping's unknown fields, its known names, the mapping): for "did you mean"
        self.unknown: list[tuple] = []

    def name_the_closest(self) -> None:
        """"Did you mean" for the unknown fields: the first MAX_FINDINGS of each code in the file's
        order (its documents are checked in order), as many as a file reports (difflib costs
        0.1 ms a name)."""
        by_code: dict[str, list] = {}
        for entry in self.unknown:
            by_code.setdefault(entry[0][0].code, []).append(entry)
        named = self.document.per_file().setdefault("named", {})  # code -> names searched
        for code, entries in by_code.items():
            room = MAX_FINDINGS - named.get(code, 0)
            pending = ((d, known, mapping) for out, known, mapping in entries for d in out)
            chosen = heapq.nsmallest(room, pending, key=lambda u: u[0].range) if room > 0 else []
            named[code] = named.get(code, 0) + len(chosen)
            for d, known, mapping in chosen:
                hint = suggest(str(d.path.last), known)
                if hint and hint not in mapping:
                    d.message += f"; did you mean `{hint}`?"
                    key = self.document.scalar_content(d.range)
                    d.fix = Fix(f"Rename to `{hint}`", renamed(self.document, d.path, key, hint))

    def diagnostic(self, code: str, message: str, path: tuple, where: Range, fix: Fix | None = None):
        embedded = self._embedded_root(path)
        if embedded is not None:
            code = "RL108"
            inner = path[len(embedded):]
            message = message.replace(f"`{field_name(path)}`", f"`{field_name(inner)}`" if inner else "it")
            message = f"not a valid JSON Schema in `{field_name(embedded)}`: {message}"
        return Diagnostic(code, "", None, message, where, path, fix=fix)

    def _embedded_root(self, path: tuple) -> tuple | None:
        for pattern in self.kind.embedded_schemas:
            if len(path) > len(pattern) and all(p == "*" or p == q for p, q in zip(pattern, path)):
                return path[:len(pattern)]
        return None

    def explain(self, error) -> Iterable[Diagnostic]:
        """The findings an error stands for: a list, or for unknown fields an iterable that holds
        no reference to the error (its copies of the document are freed before they are made)."""
        keyword = error.kind.name
        if isinstance(error.kind, jsonschema_rs.ValidationErrorKind.OneOfMultipleValid):
            return self._ambiguous(error)
        if keyword in ("oneOf", "anyOf"):
            return self._union(error)
        path = Path.within(error.instance_path, self.document.value)  # jsonschema-rs reports a key "0" as 0
        details = error.kind.as_dict()
        code = _CODES.get(keyword, "RL100")
        if keyword in ("additionalProperties", "unevaluatedProperties"):
            node = self._object_at(error.schema_path)
            known = list(node.get("properties", {}))
            if node.get(IGNORED):  # the service ignores what it does not know here: no error
                code = "RL109"
            return self._unknown_fields(code, path, details.get("unexpected", []), known)
        instance = error.instance
        name = f"`{field_name(path)}`"
        document = self.document
        if keyword == "required":
            missing = details["property"]
            inside = f" in {name}" if path else ""
            found = self.diagnostic(code, f"missing required field `{missing}`{inside}", path, document.anchor(path))
            found.scope = (to_pointer(path + (missing,)),)  # where it belongs: a mix-up rule may account for it
            return [found]

        where = document.point_at(path)  # a bad value; a mapping or list by its key
        if keyword == "type":
            expected = _types(details["types"])
            message = f"{name} must be {expected}, not {type_word(instance)}"
        elif keyword in ("enum", "const"):
            options = details.get("options", [details.get("expected_value")])
            message = f"{name} must be {_or([_quote(o) for o in options])}; got {show_json(instance)}"
            return [self._with_value_hint(code, message, path, where, instance, options)]
        elif keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            limit = details["limit"]
            bound = {"minimum": f"at least {limit}", "maximum": f"at most {limit}",
                     "exclusiveMinimum": f"more than {limit}", "exclusiveMaximum": f"less than {limit}"}
            message = f"{name} is {show_json(instance)}; it must be {bound[keyword]}"
        elif keyword in ("minLength", "maxLength"):
            limit = details["limit"]
            bound = "at least" if keyword == "minLength" else "at most"
            message = f"{name} is {len(instance)} characters long; it must be {bound} {limit}"
        elif keyword in ("minItems", "maxItems"):
            limit = details["limit"]
            bound = "at least" if keyword == "minItems" else "at most"
            message = f"{name} has {len(instance)} items; it must have {bound} {limit}"
        elif keyword in ("minProperties", "maxProperties"):
            limit = details["limit"]
            bound = "at least" if keyword == "minProperties" else "at most"
            message = f"{name} has {len(instance)} fields; it must have {bound} {limit}"
        elif keyword == "pattern":
            message = f"{name} is {show_json(instance)}, which does not match `{details['pattern']}`"
        elif keyword == "uniqueItems":
            message = f"the items of {name} must be unique"
        elif keyword == "falseSchema":
            message = f"{name} is not allowed here"
        else:
            message = f"{name}: {error.message}"
        return [self.diagnostic(code, message, path, where)]

    def _unknown_fields(self, code: str, path: tuple, keys: list, known: list[str]):
        """Unknown fields of one mapping ("did you mean" comes later: `name_the_closest`)."""
        inside = f" in `{field_name(path)}`" if path else ""
        if code == "RL109":
            inside += ": the service ignores it, so it has no effect"
        out = []
        keys.reverse()  # taken as they are explained: each name lives no longer than its use
        while keys:
            key = keys.pop()
            out.append(self.diagnostic(code, f"unknown field `{key}`{inside}", path + (key,),
                                       self.document.locate(path + (key,), on_key=True)))
            yield out[-1]
        if known and out:
            self.unknown.append((out, known, self._value_at(path)))

    def _with_value_hint(self, code, message, path, where, instance, options) -> Diagnostic:
        hint = suggest(instance, options) if isinstance(instance, str) else None
        fix = None
        if hint is not None:
            message += f"; did you mean {_quote(hint)}?"
            fix = Fix(f"Change to {_quote(hint)}", (Edit(self.document.scalar_content(where), hint),))
        return self.diagnostic(code, message, path, where, fix)

    def _union(self, error) -> Iterable[Diagnostic]:
        """oneOf/anyOf: explain the branch the value was meant for, not every branch."""
        path = tuple(error.instance_path)
        branches = [list(branch) for branch in error.kind.context]

        def own(e, keyword):
            return e.kind.name == keyword and tuple(e.instance_path) == path

        typed = [b for b in branches if not any(own(e, "type") for e in b)]
        other_types = sorted({t for b in branches for e in b if own(e, "type")
                              for t in e.kind.as_dict()["types"]})
        name = f"`{field_name(path)}`"
        if not typed:
            expected = _types(other_types)
            return [self.diagnostic("RL103", f"{name} must be {expected}, not {type_word(error.instance)}",
                                    path, self.document.point_at(path))]

        # The property that tells the branches apart (`type`, or `role` for chat messages): one whose
        # value every branch rejects, when there is one.
        def variant_keys(branch):
            return {e.instance_path[len(path)] for e in branch if len(e.instance_path) == len(path) + 1
                    and tuple(e.instance_path[:len(path)]) == path and e.kind.name in ("enum", "const")}

        rejected_by_all = set.intersection(*(variant_keys(b) for b in typed))
        key = "type" if "type" in rejected_by_all or not rejected_by_all else sorted(rejected_by_all)[0]
        discriminator = path + (key,)

        def wrong_variant(branch):
            return any(tuple(e.instance_path) == discriminator and e.kind.name in ("enum", "const")
                       for e in branch)

        meant = [b for b in typed if not wrong_variant(b)]
        if not meant:
            options = []
            for branch in typed:
                for e in branch:
                    if tuple(e.instance_path) == discriminator and e.kind.name in ("enum", "const"):
                        details = e.kind.as_dict()
                        options += [o for o in details.get("options", [details.get("expected_value")])
                                    if o not in options]
            value = error.instance.get(key) if isinstance(error.instance, dict) else None
            message = (f"`{field_name(discriminator)}` must be {_or([_quote(o) for o in options])}; "
                       f"got {show_json(value)}")
            return [self._with_value_hint("RL104", message, discriminator,
                                          self.document.locate(discriminator), value, options)]

        best = min(meant, key=len)
        if len(best) == 1 and own(best[0], "enum") and other_types:
            # A string that is none of the allowed words, where an object (say) would also do.
            options = best[0].kind.as_dict()["options"]
            words = [_quote(o) for o in options] + [_types(other_types)]
            message = f"{name} must be {_or(words)}; got {show_json(error.instance)}"
            return [self._with_value_hint("RL104", message, path, self.document.point_at(path),
                                          error.instance, options)]
        return chain.from_iterable([self.explain(e) for e in best])  # each explained now: see explain

    def _ambiguous(self, error) -> list[Diagnostic]:
        """A oneOf the value matches several branches of (`file_search` with both `vector_store_ids`
        and `vector_stores`): RL100, as no specific rule names "one of these, not both"; the
        message says what tells the matching branches apart. When nothing does, the overlap is the
        schema's own looseness, not the request's (`stop: null`, which two branches of Chat's
        `stop` allow and the API takes): nothing to report."""
        path = Path.within(error.instance_path, self.document.value)  # jsonschema-rs reports a key "0" as 0
        alternatives = self._schema_at(error.schema_path) or []
        matched = [self._deref(alternatives[i]) for i, errors in enumerate(error.kind.context)
                   if not errors and i < len(alternatives)]
        described = _describe_alternatives(matched)
        if described is None:
            return []
        words, advice = described
        message = f"`{field_name(path)}` matches more than one of its alternatives: {_and(words)}; {advice}"
        return [self.diagnostic("RL100", message, path, self.document.anchor(path))]

    def _value_at(self, path: tuple) -> Any:
        """The document's own node (an error's `instance` is a copy: 20 MB for 200,000 keys)."""
        node = self.document.value
        try:
            for part in path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
        return node

    def _schema_at(self, schema_path) -> Any:
        """The schema node at an error's schema path (None when it cannot be walked)."""
        node: Any = self.schema
        try:
            for part in schema_path:
                node = self._deref(node)[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return node

    def _deref(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node and "properties" not in node:
            node = self._resolve(node["$ref"])
        return node

    def _object_at(self, schema_path) -> dict:
        """The object schema an additionalProperties error is about, found by walking its path."""
        node = self._deref(self._schema_at(list(schema_path)[:-1]))
        return node if isinstance(node, dict) else {}

    def _resolve(self, ref: str) -> Any:
        return resolve_ref(self.schema, ref)
