"""The generated schemas: up to date with their source, valid 2020-12, and true to the API on the
cases that matter. Every case runs on jsonschema-rs (what runlint uses) and on python-jsonschema
(the reference implementation): the two must agree."""

import importlib.util
import json

import jsonschema
import jsonschema_rs
import pytest

from helpers import ROOT

spec = importlib.util.spec_from_file_location("generate_schemas", ROOT / "scripts" / "generate_schemas.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)

SCHEMA = json.loads((ROOT / "schemas" / "create-run.schema.json").read_text())
RS = jsonschema_rs.validator_for(SCHEMA)
PY = jsonschema.Draft202012Validator(SCHEMA)


RENDERED = generator.render_all()


@pytest.mark.parametrize("kind", sorted(RENDERED))
def test_committed_schema_is_what_the_generator_writes(kind):
    assert (ROOT / "schemas" / f"{kind}.schema.json").read_text() == RENDERED[kind], \
        "stale: run python scripts/generate_schemas.py"


@pytest.mark.parametrize("kind", sorted(RENDERED))
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
    # OpenAPI's free-form object stays open: closing it would make every key inside it unknown
    assert generator.translate({"type": "object", "properties": {}}) == {"type": "object", "properties": {}}


def test_batch_urls_are_the_official_batch_endpoints():
    extract = json.loads((ROOT / "schemas/source/openapi-extract/create-batch.json").read_text())
    endpoints = extract["components"]["schemas"]["CreateBatchRequest"]["properties"]["endpoint"]["enum"]
    line = json.loads(RENDERED["batch-request"])
    assert line["properties"]["url"]["enum"] == endpoints
    assert "/v1/videos" in endpoints


# The generator's own checks: each fails loudly, naming what needs deciding.
def _overlays(**changes):
    overlays = generator.load_overlays()
    for section, change in changes.items():
        overlays[section] = change(overlays[section])
    return overlays


def _fails(overlays, *words):
    with pytest.raises(generator.GeneratorError) as failure:
        for kind in generator.KINDS:
            generator.generate(kind, overlays)
    assert all(word in str(failure.value) for word in words), str(failure.value)


def test_a_required_field_never_declared_needs_an_overlay():
    _fails(_overlays(undeclared=lambda entries: [e for e in entries if e["field"] != "request_id"]),
           "MCPApprovalResponse", "request_id", "never declared")


def test_a_required_field_documented_as_defaulted_needs_a_decision():
    _fails(_overlays(optional=lambda entries: [e for e in entries if e["field"] != "detail"]),
           "InputImageContent", "detail", "defaulted")


@pytest.mark.parametrize("section, entry, words", [
    ("optional", {"component": "FunctionTool", "field": "description", "source": "s"}, ["FunctionTool.description"]),
    ("undeclared", {"component": "FunctionTool", "field": "nothing", "resolution": "drop", "source": "s"},
     ["no longer has this slip"]),
    ("accepts", {"component": "CreateChatCompletionRequest", "at": "/properties/temperature", "allow": "null",
                 "source": "s"}, ["takes null already"]),
    ("constrain", {"component": "FunctionObject", "at": "/properties/gone", "add": {"maxLength": 1}, "source": "s"},
     ["no node there"]),
    ("any_of", {"component": "FunctionObject", "source": "s"}, ["no oneOf"]),
    ("alternatives", {"component": "InputContent", "add": [{"$ref": "#/$defs/InputTextContent"}], "source": "s"},
     ["has them already"]),
    ("ignored_unknown", {"component": "EmptyModelParam", "source": "s"}, ["not a closed object"]),
])
def test_an_overlay_that_no_longer_applies_fails(section, entry, words):
    _fails(_overlays(**{section: lambda entries: [*entries, entry]}), *words)


def test_an_overlay_without_a_source_is_refused(tmp_path, monkeypatch):
    overlays = tmp_path / "overlays.yaml"
    overlays.write_text("optional:\n  - {component: FunctionTool, field: strict}\n")
    monkeypatch.setattr(generator, "OVERLAYS", overlays)
    with pytest.raises(generator.GeneratorError, match="no source"):
        generator.load_overlays()


def test_the_output_check_finds_closed_free_form_objects_and_undeclared_names():
    with pytest.raises(generator.GeneratorError) as failure:
        generator.check_output("x", {"$defs": {"A": {"type": "object", "properties": {}, "additionalProperties": False},
                                               "B": {"properties": {"a": {}}, "required": ["a", "b"]}}})
    assert "#/$defs/A: a free-form object is closed" in str(failure.value)
    assert "#/$defs/B: `b` is required but not declared" in str(failure.value)


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


# Responses and Chat bodies the service answers 200 and the description's letter would refuse, and
# their near misses the service rejects: the overlays, case by case, on both validators.
TOOL_SEARCH = {"type": "tool_search", "execution": "client", "description": "find tools",
               "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}
NAMESPACE = {"type": "namespace", "name": "crm", "description": "CRM tools",
             "tools": [{"type": "function", "name": "lookup", "parameters": {"type": "object"}}]}
IMAGE = {"type": "input_image", "image_url": "https://example.com/a.png"}
OVERLAY_CASES = [
    ("response", {"model": "m", "input": "x", "tools": [{"type": "function", "name": "f"}]}, True),
    ("response", {"model": "m", "input": "x", "tools": [{"type": "function", "name": "f", "strict": True,
                                                         "parameters": {"type": "object"}}]}, True),
    ("response", {"model": "m", "input": "x", "tools": [{"type": "function"}]}, False),  # name is required
    ("response", {"model": "m", "input": [{"role": "user", "content": [IMAGE]}]}, True),
    ("response", {"model": "m", "input": [{"role": "user", "content": [{**IMAGE, "detail": "huge"}]}]}, False),
    ("response", {"model": "m", "input": [{"type": "message", "role": "assistant", "id": "msg_1", "status": "completed",
                                           "content": [{"type": "output_text", "text": "hi", "annotations": []}]}]},
     True),  # replayed without logprobs
    ("response", {"model": "m", "input": [{"type": "mcp_approval_response", "approval_request_id": "r",
                                           "approve": True}]}, True),
    ("response", {"model": "m", "input": [{"type": "mcp_approval_response", "approve": True}]}, False),
    ("response", {"model": "m", "input": [{"type": "local_shell_call_output", "id": "c", "output": "{}"}]}, True),
    ("response", {"model": "m", "input": "x", "tools": [TOOL_SEARCH, NAMESPACE]}, True),
    ("response", {"model": "m", "input": "x", "tools": None}, True),
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": None}, True),
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": "x"}], "stop": []}, True),
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": "x"}], "stop": list("abcde")}, False),
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": {}}, False),
    # null for an optional field is "not set", at any depth; a required one still needs a value
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": "x"}], "response_format": None}, True),
    ("chat-completion", {"model": "m", "messages": [{"role": "user", "content": None}]}, False),
    ("response", {"model": "m", "input": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}",
                                           "status": None}]}, True),
    ("response", {"model": "m", "input": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}",
                                           "status": "done"}]}, False),
    ("response", {"model": "m", "input": [{"type": "image_generation_call", "id": "ig_1"}]}, True),
    ("response", {"model": "m", "input": [{"role": "assistant", "content": [{"type": "output_text", "text": "hi"}]}]},
     True),
    ("response", {"model": "m", "input": [{"role": "assistant", "content": [{"type": "output_txt", "text": "hi"}]}]},
     False),
]


@pytest.mark.parametrize("kind, instance, valid", OVERLAY_CASES)
def test_what_the_service_accepts_validates(kind, instance, valid):
    schema = json.loads(RENDERED[kind])
    assert jsonschema_rs.validator_for(schema).is_valid(instance) is valid
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) is valid
