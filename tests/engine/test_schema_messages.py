"""Schema findings read like a person wrote them: the field as the API names it, the value, what
was expected, the closest valid name, and the smallest node's position (YAML and JSON alike)."""

import json

import pytest
import yaml

from runlint.diagnostic import Range


def findings(lint, spec, syntax="yaml"):
    text = (yaml.safe_dump(spec, sort_keys=False) if syntax == "yaml" else json.dumps(spec, indent=2))
    return [(d.code, d.pointer, d.message) for d in lint(text, f"spec.run.{syntax}")]


CASES = [
    ({"assistant_id": "a", "temprature": 1},
     [("RL101", "/temprature", "unknown field `temprature`; did you mean `temperature`?")]),
    ({"assistant_id": "a", "Model": "gpt-4o"},
     [("RL101", "/Model", "unknown field `Model`; did you mean `model`?")]),
    ({"assistant_id": "a", "frobnicate": 1}, [("RL101", "/frobnicate", "unknown field `frobnicate`")]),
    ({"temperature": 1}, [("RL102", "", "missing required field `assistant_id`")]),
    ({"assistant_id": "a", "temperature": "0.5"},
     [("RL103", "/temperature", "`temperature` must be a number or null, not a string")]),
    ({"assistant_id": "a", "metadata": {"retries": 1}},
     [("RL103", "/metadata/retries", "`metadata.retries` must be a string, not an integer")]),
    ({"assistant_id": "a", "tool_choice": "requried"},
     [("RL104", "/tool_choice", '`tool_choice` must be "none", "auto", "required" or an object; '
       'got "requried"; did you mean "required"?')]),
    ({"assistant_id": "a", "tools": [{"type": "retrieval"}]},
     [("RL104", "/tools/0/type", '`tools[0].type` must be "code_interpreter", "file_search" or "function"; '
       'got "retrieval"')]),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"descripton": "x"}}]},
     [("RL102", "/tools/0/function", "missing required field `name` in `tools[0].function`"),
      ("RL101", "/tools/0/function/descripton",
       "unknown field `descripton` in `tools[0].function`; did you mean `description`?")]),
    ({"assistant_id": "a", "response_format": {"type": "json_schema"}},
     [("RL102", "/response_format", "missing required field `json_schema` in `response_format`")]),
    ({"assistant_id": "a", "truncation_strategy": {"type": "last_messages", "last_messages": 0}},
     [("RL105", "/truncation_strategy/last_messages",
       "`truncation_strategy.last_messages` is 0; it must be at least 1")]),
    ({"assistant_id": "a", "additional_messages": [{"role": "user", "content": []}]},
     [("RL106", "/additional_messages/0/content",
       "`additional_messages[0].content` has 0 items; it must have at least 1")]),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "x" * 65}}]},
     [("RL106", "/tools/0/function/name", "`tools[0].function.name` is 65 characters long; it must be at most 64")]),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "get weather"}}]},
     [("RL107", "/tools/0/function/name",
       '`tools[0].function.name` is "get weather", which does not match `^[a-zA-Z0-9_-]+$`')]),
    ({"assistant_id": "a", "tools": [{"type": "function", "function": {
        "name": "f", "parameters": {"type": "object", "properties": {"a": {"type": "strin"}}}}}]},
     [("RL108", "/tools/0/function/parameters/properties/a/type",
       "not a valid JSON Schema in `tools[0].function.parameters`: "
       '`properties.a.type` must be "array", "boolean", "integer", "null", '
       '"number", "object", "string" or an array; got "strin"; did you mean "string"?')]),
]


@pytest.mark.parametrize("syntax", ["yaml", "json"])
@pytest.mark.parametrize("spec, expected", CASES, ids=[c[1][0][0] + c[1][0][1] for c in CASES])
def test_messages(lint, spec, expected, syntax):
    assert findings(lint, spec, syntax) == expected


def test_valid_spec_has_no_schema_findings(lint):
    spec = {"assistant_id": "a", "model": "gpt-4o", "instructions": None, "tools": [
        {"type": "code_interpreter"},
        {"type": "file_search", "file_search": {"max_num_results": 50,
                                                "ranking_options": {"ranker": "auto", "score_threshold": 0}}},
        {"type": "function", "function": {"name": "f-1", "strict": None, "parameters": {"type": "object"}}}],
        "tool_choice": {"type": "function", "function": {"name": "f-1"}},
        "response_format": "auto", "temperature": 2, "top_p": None, "stream": None,
        "max_prompt_tokens": 256, "truncation_strategy": {"type": "auto", "last_messages": None},
        "parallel_tool_calls": False, "metadata": None, "reasoning_effort": "xhigh"}
    assert [f for f in findings(lint, spec) if f[0].startswith("RL1")] == []


def test_did_you_mean_fix_keeps_the_quotes(lint):
    text = '{"assistant_id": "a",\n "temprature": 1}'
    [d] = lint(text, "a.run.json")
    assert d.range == Range(1, 1, 1, 13)
    [edit] = d.fix.edits
    assert edit.range == Range(1, 2, 1, 12) and edit.new_text == "temperature"


def test_position_of_missing_field_is_the_key_of_its_mapping(lint):
    [d] = lint("assistant_id: a\ntools:\n  - type: function\n    function:\n      description: x\n",
               "a.run.yaml")
    assert (d.code, d.range) == ("RL102", Range(3, 4, 3, 12))


BOTH_STORES = {"vector_store_ids": ["vs_1"], "vector_stores": [{"file_ids": ["file_1"]}]}
AMBIGUOUS = [
    ("assistant", {"model": "gpt-4o", "tool_resources": {"file_search": BOTH_STORES}},
     ("tool_resources", "file_search")),
    ("thread-run", {"assistant_id": "a", "thread": {"tool_resources": {"file_search": BOTH_STORES}}},
     ("thread", "tool_resources", "file_search")),
]


@pytest.mark.parametrize("syntax", ["yaml", "json"])
@pytest.mark.parametrize("kind, spec, path", AMBIGUOUS, ids=[c[0] for c in AMBIGUOUS])
def test_a_value_valid_under_more_than_one_alternative_is_reported_at_its_key(lint, kind, spec, path, syntax):
    text = yaml.safe_dump(spec, sort_keys=False) if syntax == "yaml" else json.dumps(spec, indent=2)
    found = [d for d in lint(text, f"spec.{kind}.{syntax}") if d.code != "RL600"]
    name = ".".join(path)
    assert [(d.code, d.pointer, d.message) for d in found] == [
        ("RL100", "/" + "/".join(path), f"`{name}` matches more than one of its alternatives: one with "
         "`vector_store_ids` and one with `vector_stores`; give only one of them")]
    key = f'"{path[-1]}"' if syntax == "json" else path[-1]
    line = text.split("\n").index(next(l for l in text.split("\n") if l.strip().startswith(key + ":")))
    column = text.split("\n")[line].index(key)
    assert found[0].range == Range(line, column, line, column + len(key))


@pytest.mark.parametrize("kind, spec, path", AMBIGUOUS, ids=[c[0] for c in AMBIGUOUS])
def test_either_alternative_alone_passes(lint, kind, spec, path):
    for only in ("vector_store_ids", "vector_stores"):
        text = json.dumps(spec).replace(json.dumps(BOTH_STORES), json.dumps({only: BOTH_STORES[only]}))
        assert [d.code for d in lint(text, f"spec.{kind}.json") if d.code != "RL600"] == []


def test_alternatives_are_named_by_their_own_fields_then_titles_then_type():
    from runlint.check.schema import _describe_alternatives

    assert _describe_alternatives([{"required": ["id", "a", "b"]}, {"required": ["id", "c"]}]) == (
        ["one with `a` and `b`", "one with `c`"], "give only one of them")
    assert _describe_alternatives([{"title": "Text"}, {"title": "Image", "required": ["url"]}]) == (
        ['"Text"', '"Image"'], "it must match exactly one")
    assert _describe_alternatives([{"properties": {"type": {"const": "a"}}},
                                   {"properties": {"type": {"enum": ["b"]}}}]) == (
        ['one with `type` "a"', 'one with `type` "b"'], "it must match exactly one")
    assert _describe_alternatives([{"type": "object"}, {"type": "object"}]) is None


def test_an_overlap_nothing_tells_apart_is_the_schemas_not_the_requests(lint):
    # Chat's `stop` is oneOf [string or null, array, null]: null is valid under two branches, and the
    # API takes it. Nothing in the request chose two alternatives: nothing to report.
    spec = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}], "stop": None}
    for syntax in ("yaml", "json"):
        text = yaml.safe_dump(spec) if syntax == "yaml" else json.dumps(spec)
        assert [d.code for d in lint(text, f"spec.chat.{syntax}")] == []
