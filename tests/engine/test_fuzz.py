"""Property-based tests: specs generated from runlint's own schema are read back exactly and raise
no error-level schema finding; mutated ones always give positioned diagnostics, never an exception.

The number of examples is small in CI; `RUNLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/engine/test_fuzz.py`
runs a long session (docs/development.md gives the count last reached)."""

import copy
import json
import os

import io

import jsonschema_rs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import ROOT
from runlint.diagnostic import Severity
from runlint.source.document import lone_cr_as_lf
from runlint.pipeline.linter import Linter, Settings
from helpers.schema_strategy import from_schema

SCHEMA = json.loads((ROOT / "schemas" / "create-run.schema.json").read_text())
VALIDATOR = jsonschema_rs.validator_for(SCHEMA)
LINTER = Linter(Settings(cache_dir=None))
EXAMPLES = int(os.environ.get("RUNLINT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

specs = from_schema(SCHEMA, SCHEMA).filter(VALIDATOR.is_valid)


def yaml_12(spec) -> bytes:
    """YAML written by a YAML 1.2 writer (ruamel.yaml): PyYAML writes 1.1, which a 1.2 reader may
    read otherwise (`0E0` unquoted) -- runlint warns about exactly that (RL013, RL018)."""
    from ruamel.yaml import YAML

    out = io.StringIO()
    writer = YAML(typ="safe", pure=True)
    writer.allow_unicode = True
    writer.default_flow_style = False  # libyaml rejects a plain `?x` inside {...}; see docs/performance-and-limits.md
    writer.dump(spec, out)
    return out.getvalue().encode()


def renderings(spec) -> list[tuple[str, bytes]]:
    return [("spec.run.json", json.dumps(spec, ensure_ascii=False, indent=2).encode()),
            ("spec.run.yaml", yaml_12(spec))]


@FUZZ
@given(specs)
def test_valid_specs_are_read_back_exactly_and_pass_the_schema(spec):
    for name, data in renderings(spec):
        source_findings = LINTER.lint_bytes(data, name)
        errors = [(d.code, d.message) for d in source_findings
                  if d.severity == Severity.ERROR and (d.code.startswith("RL0") or d.code.startswith("RL1"))]
        assert errors == [], (name, data.decode()[:500])
        from runlint.source.document import load_bytes

        [document] = load_bytes(name, data).documents
        assert document.value == spec


_MUTATION = st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1),
                      st.binary(min_size=1, max_size=4) | st.sampled_from(
                          [b"{", b"}", b"[", b"]", b":", b",", b'"', b"\n", b"- ", b"&a", b"*a", b"!!",
                           b"\\u", b"\xff", b"\x00", b"<<: ", b"---\n", b"\t", b"#"]))


def mutate(data: bytes, mutations) -> bytes:
    for operation, where, piece in mutations:
        at = int(where * len(data))
        if operation == "insert":
            data = data[:at] + piece + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + len(piece):]
        else:
            data = data[:at] + piece + data[at + len(piece):]
    return data


@FUZZ
@given(specs, st.lists(_MUTATION, min_size=1, max_size=6), st.booleans())
def test_mutated_specs_give_positioned_diagnostics_never_an_exception(spec, mutations, as_yaml):
    name, data = renderings(spec)[1 if as_yaml else 0]
    broken = mutate(data, mutations)
    assume(broken != data)
    found = LINTER.lint_bytes(broken, name)  # raises nothing: that is the first property
    lines = lone_cr_as_lf(broken.decode("utf-8", "replace")).split("\n")  # lines as editors count them
    for d in found:
        assert d.code != "RL014", d.message  # no rule crashed on it
        r = d.range
        assert 0 <= r.line <= r.end_line <= len(lines) and r.column >= 0 and r.end_column >= 0, d
        assert r.line < r.end_line or r.column <= r.end_column, d


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                     | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=12)


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(SCHEMA["properties"])), _JSON, min_size=1))
def test_any_value_in_any_field_never_crashes_a_check(spec):
    # The checks run on specs whose fields may have any type the schema then complains of.
    found = LINTER.lint_bytes(json.dumps(spec).encode(), "spec.run.json")
    assert not [d.message for d in found if d.code == "RL014"]


def _paths(value, path=()):
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, path + (key,))


@FUZZ
@given(specs, st.data())
def test_any_value_at_any_depth_never_crashes_a_check(spec, data):
    spec = copy.deepcopy(spec)  # the strategy may share objects between examples: never mutate them
    path = data.draw(st.sampled_from(list(_paths(spec))[1:]))
    parent = spec
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(_JSON)
    found = LINTER.lint_bytes(json.dumps(spec).encode(), "spec.run.json")
    assert not [d.message for d in found if d.code == "RL014"]


# Every crash the fuzzers found, as the smallest input that reproduced it, with what it must give.
FOUND = [
    ('{"assistant_id": "a", "max_prompt_tokens": 256, "additional_messages": 5, "instructions": "'
     + "word " * 300 + '"}', "spec.run.json", "RL302"),  # atheris: TypeError in the prompt budget
    ('{"assistant_id": "a", "metadata": {"a\\udc00": "x"}}', "spec.run.json", "RL017"),  # atheris
    ("\r" * 12 + 'ssistant_id": "a", "top_p": 1e999}', "spec.run.yaml", "RL001"),  # atheris: lone CRs
    ('{"assistant_id": "a", "response_format": {"type": "json_schema", "json_schema": {"name": "x", '
     '"strict": true, "schema": {"type": "object", "definitions": [], "properties": {}, '
     '"required": [], "additionalProperties": false}}}}', "spec.run.json", "RL108"),  # review: list $defs
]


def test_inputs_the_fuzzers_found():
    for text, file, code in FOUND:
        found = LINTER.lint_bytes(text.encode(), file)
        assert not [d.message for d in found if d.code == "RL014"], text[:60]
        assert code in [d.code for d in found], (text[:60], [d.code for d in found])
