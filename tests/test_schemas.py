"""The generated schemas: up to date with their source, valid 2020-12, and true to the API on the
cases that matter. Every case runs on jsonschema-rs (what runlint uses) and on python-jsonschema
(the reference implementation): the two must agree."""

import importlib.util
import json

import jsonschema
import jsonschema_rs
import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("generate_schemas", ROOT / "scripts" / "generate_schemas.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)

SCHEMA = json.loads((ROOT / "schemas" / "create-run.schema.json").read_text())
RS = jsonschema_rs.validator_for(SCHEMA)
PY = jsonschema.Draft202012Validator(SCHEMA)


@pytest.mark.parametrize("kind", sorted(generator.KINDS))
def test_committed_schema_is_what_the_generator_writes(kind):
    assert (ROOT / "schemas" / f"{kind}.schema.json").read_text() == generator.render(kind), \
        "stale: run python scripts/generate_schemas.py"


@pytest.mark.parametrize("kind", sorted(generator.KINDS))
def test_schema_is_valid_2020_12(kind):
    jsonschema.Draft202012Validator.check_schema(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))


def test_nullable_translation():
    assert generator.translate({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert generator.translate({"type": "string", "enum": ["a"], "nullable": True}) == {
        "type": ["string", "null"], "enum": ["a", None]}
    assert generator.translate({"$ref": "#/components/schemas/X", "nullable": True, "description": "d"}) == {
        "description": "d", "anyOf": [{"$ref": "#/$defs/X"}, {"type": "null"}]}
    assert generator.translate({"allOf": [{"$ref": "#/components/schemas/X"}, {"nullable": True}]}) == {
        "anyOf": [{"$ref": "#/$defs/X"}, {"type": "null"}]}
    assert generator.translate({"type": "object", "properties": {"a": {"type": "string"}}, "x-oai": 1,
                                "example": {}}) == {
        "type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}


FN = {"type": "function", "function": {"name": "f"}}
CASES = [
    ({"assistant_id": "asst_1"}, True),
    ({}, False),
    ({"assistant_id": "a", "frobnicate": 1}, False),
    ({"assistant_id": "a", "temperature": None}, True),
    ({"assistant_id": "a", "temperature": 2.5}, False),
    ({"assistant_id": "a", "top_p": 1.5}, False),
    ({"assistant_id": "a", "max_prompt_tokens": 255}, False),
    ({"assistant_id": "a", "max_prompt_tokens": 256}, True),
    ({"assistant_id": "a", "tools": [{"type": "code_interpreter"}] * 21}, False),
    ({"assistant_id": "a", "tools": [{"type": "code_interpreter"}] * 20}, True),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "bad name"}}]}, False),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "x" * 65}}]}, False),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "f", "descripton": "x"}}]}, False),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {
        "name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "strin"}}}}}]}, False),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {
        "name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "string"}}}}}]}, True),
    ({"assistant_id": "a", "tool_choice": "auto"}, True),
    ({"assistant_id": "a", "tool_choice": {"type": "function", "function": {"name": "f"}}, "tools": [FN]}, True),
    ({"assistant_id": "a", "tool_choice": "sometimes"}, False),
    ({"assistant_id": "a", "truncation_strategy": {"type": "last_messages", "last_messages": 0}}, False),
    ({"assistant_id": "a", "truncation_strategy": None}, True),
    ({"assistant_id": "a", "response_format": "auto"}, True),
    ({"assistant_id": "a", "response_format": {"type": "json_schema", "json_schema": {
        "name": "x", "schema": {"type": "object"}, "strict": True}}}, True),
    ({"assistant_id": "a", "additional_messages": [{"role": "system", "content": "hi"}]}, False),
    ({"assistant_id": "a", "additional_messages": [{"role": "user", "content": []}]}, False),
    ({"assistant_id": "a", "metadata": {"a": 1}}, False),
    ({"assistant_id": "a", "metadata": None}, True),
    ({"assistant_id": "a", "reasoning_effort": "xhigh"}, True),
    ({"assistant_id": "a", "reasoning_effort": "extreme"}, False),
    ({"assistant_id": "a", "model": "anything-at-all"}, True),
    # ParallelToolCalls is not nullable in the official description
    ({"assistant_id": "a", "parallel_tool_calls": None}, False),
]


@pytest.mark.parametrize("instance, valid", CASES)
def test_both_validators_agree_with_the_api(instance, valid):
    assert RS.is_valid(instance) is valid
    assert PY.is_valid(instance) is valid
