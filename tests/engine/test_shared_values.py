"""The shared value types (runlint/path.py, runlint/diagnostic.py): each idea written once."""

import pytest

from runlint.diagnostic import Diagnostic, Range
from runlint.path import Path, pointer_tokens, resolve_ref, to_pointer


def test_a_path_reads_and_writes_a_json_pointer_with_its_escapes():
    path = Path(("a/b", "c~d", 0))
    assert path.pointer == "/a~1b/c~0d/0"
    assert Path.from_pointer(path.pointer) == path
    assert pointer_tokens("/~01") == ("~1",)  # "~1" unescaped first: "~01" is "~1", not "/"
    assert Path.from_pointer("") == () and Path.from_pointer("/") == ("",)  # RFC 6901: "/" is the key ""
    d = Diagnostic("RL100", "", None, "m", Range(0, 0, 0, 1), to_pointer(("",)))
    assert d.path == ("",) and d.pointer == "/"


def test_a_path_is_shown_the_way_the_api_names_a_parameter():
    assert str(Path(("messages", 0, "content"))) == "messages[0].content"
    assert str(Path(())) == "the request"


def test_with_the_value_a_mapping_key_0_stays_a_key():
    value = {"metadata": {"0": "x"}, "messages": [{"content": "hi"}]}
    assert Path.from_pointer("/metadata/0", value) == ("metadata", "0")
    assert Path.from_pointer("/messages/0/content", value) == ("messages", 0, "content")
    assert isinstance(Path.from_pointer("/messages/0", value)[1], int)


def test_a_diagnostic_carries_its_path_given_as_a_tuple_or_a_pointer():
    exact = Diagnostic("RL100", "", None, "m", Range(0, 0, 0, 1), ("metadata", "0"))
    assert exact.path == ("metadata", "0") and exact.pointer == "/metadata/0"
    assert type(exact.path[1]) is str
    read = Diagnostic("RL100", "", None, "m", Range(0, 0, 0, 1), "/messages/0")
    assert read.path == ("messages", 0) and read.to_json()["path"] == "/messages/0"


def test_a_prefix_put_before_the_pointer_keeps_the_exact_path():
    # the batch reader moves a body's finding under "/body"
    d = Diagnostic("RL100", "", None, "m", Range(0, 0, 0, 1), ("metadata", "0"))
    d.pointer = "/body" + d.pointer
    assert d.path == ("body", "metadata", "0") and type(d.path[2]) is str
    d.pointer = "/other"
    assert d.path == ("other",)


def test_one_ref_resolver_unescapes_and_walks_lists():
    schema = {"$defs": {"a/b": {"type": "string"}}, "anyOf": [{"type": "null"}]}
    assert resolve_ref(schema, "#/$defs/a~1b") == {"type": "string"}
    assert resolve_ref(schema, "#/anyOf/0") == {"type": "null"}
    assert resolve_ref(schema, "#") is schema
    with pytest.raises(ValueError):
        resolve_ref(schema, "https://example.com/s.json")


def test_a_schema_finding_on_the_mapping_key_0_names_the_key_and_points_at_its_value():
    import runlint

    text = 'model: gpt-4o\nmessages: [{role: user, content: hi}]\nmetadata: {"0": 1}\n'
    [found] = runlint.lint_text(text, "a.chat.yaml")
    assert found.code == "RL103" and found.path == ("metadata", "0") and type(found.path[1]) is str
    assert "`metadata.0`" in found.message  # not metadata[0], which would be a list's first item
    assert (found.range.line, found.range.column, found.range.end_column) == (2, 16, 17)  # the 1


def test_a_range_shifts_by_lines_and_contains_its_both_ends():
    where = Range(1, 4, 2, 3)
    assert where.shifted(10) == Range(11, 4, 12, 3) and where.shifted(0) == where
    assert where.contains(1, 4) and where.contains(2, 3) and where.contains(1, 99)
    assert not where.contains(1, 3) and not where.contains(2, 4) and not where.contains(0, 5)


def test_one_set_of_type_words_for_a_document_a_batch_line_and_a_schema_finding():
    import runlint

    def message(text, name):
        return [d.message for d in runlint.lint_text(text, name) if d.code in ("RL003", "RL103")][0]

    assert message("- a\n", "a.chat.yaml").endswith("not an array")
    assert message("5\n", "a.chat.yaml").endswith("not an integer")
    first = '{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {}}\n'
    assert message(first + "[1]\n", "a.jsonl").endswith("not an array")
    assert message("model: 5\nmessages: []\n", "a.chat.yaml").endswith("not an integer")
