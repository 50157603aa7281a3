"""Loading: values, positions of keys and values, and bad input as positioned diagnostics."""

import time

import pytest

from runlint.diagnostic import Range
from runlint.source.document import load, load_bytes


def only(source, code):
    return [p for p in source.problems if p.code == code]


def test_yaml_positions_of_keys_and_values():
    doc = load("a.yaml", "assistant_id: asst_1\ntools:\n  - type: function\n    function: {name: f}\n").documents[0]
    assert doc.locate(("assistant_id",)) == Range(0, 14, 0, 20)
    assert doc.locate(("assistant_id",), on_key=True) == Range(0, 0, 0, 12)
    assert doc.locate(("tools", 0, "function", "name")) == Range(3, 21, 3, 22)
    assert doc.locate(("tools", 0, "type"), on_key=True) == Range(2, 4, 2, 8)
    # a missing node: the nearest ancestor that exists
    assert doc.locate(("tools", 0, "function", "parameters")) == Range(3, 14, 3, 23)


def test_json_positions_match_yaml_semantics():
    text = '{\n  "assistant_id": "asst_1",\n  "tools": [{"type": "function", "function": {"name": "f"}}]\n}'
    doc = load("a.json", text).documents[0]
    assert doc.locate(("assistant_id",)) == Range(1, 18, 1, 26)
    assert doc.locate(("assistant_id",), on_key=True) == Range(1, 2, 1, 16)
    assert doc.locate(("tools", 0, "function", "name")) == Range(2, 54, 2, 57)
    assert doc.locate(("tools", 0)) == Range(2, 12, 2, 59)


def test_json_escaped_keys_and_non_ascii_before_a_value():
    text = '{"caf\\u00e9": 1, "é": "😀", "x": 2}'
    doc = load("a.json", text).documents[0]
    assert doc.value == {"café": 1, "é": "😀", "x": 2}
    assert doc.locate(("café",)) == Range(0, 14, 0, 15)
    assert doc.locate(("x",)) == Range(0, 32, 0, 33)  # code points: the emoji is one column


def test_several_yaml_documents_are_each_read_with_file_positions():
    source = load("a.yaml", "a: 1\n---\nb: 2\n---\nc: [3\n---\nd: 4\n")
    assert [d.value for d in source.documents] == [{"a": 1}, {"b": 2}, {"d": 4}]
    assert source.documents[2].locate(("d",)) == Range(6, 3, 6, 4)
    assert [p.code for p in source.problems] == ["RL001"]
    assert source.problems[0].range[:2] == (4, 3)  # the `[` left open, in the file's lines


def test_yaml_1_2_core_schema_scalars():
    doc = load("a.yaml", "a: yes\nb: 0o17\nc: 0x1F\nd: 1_000\ne: ~\nf: 2024-01-01\ng: 1e3\nh: 'true'\n"
               "i: !!str 12\nj: !!float 1\n").documents[0]
    assert doc.value == {"a": "yes", "b": 15, "c": 31, "d": "1_000", "e": None, "f": "2024-01-01",
                         "g": 1000.0, "h": "true", "i": "12", "j": 1.0}


def test_duplicate_keys_reported_in_yaml_and_json_last_value_wins():
    yaml_source = load("a.yaml", "a: 1\nb: 2\na: 3\n")
    json_source = load("a.json", '{"a": 1,\n "b": 2,\n "a": 3}')
    for source, where in ((yaml_source, Range(2, 0, 2, 1)), (json_source, Range(2, 1, 2, 4))):
        assert source.documents[0].value == {"a": 3, "b": 2}
        [problem] = only(source, "RL002")
        assert problem.range == where and problem.pointer == "/a"
        assert "first on line 1" in problem.message


def test_parse_errors_have_positions():
    [yaml_problem] = load("a.yaml", "a: 1\nb: [1, 2\nc: 3\n").problems
    assert (yaml_problem.code, yaml_problem.range) == ("RL001", Range(1, 3, 1, 4))  # the `[` left open
    [json_problem] = load("a.json", '{"a": 1,\n  "b": }').problems
    assert (json_problem.code, json_problem.range) == ("RL001", Range(1, 2, 1, 5))  # the key without a value
    assert json_problem.message == "JSON syntax error: the key has no value after its `:`"


@pytest.mark.parametrize("text, syntax", [("", "yaml"), ("# only a comment\n", "yaml"), ("  \n", "json"),
                                          ("---\n", "yaml")])
def test_empty_files(text, syntax):
    source = load(f"a.{syntax}", text)
    assert [p.code for p in source.problems] == ["RL004"] and not source.documents


@pytest.mark.parametrize("text, syntax, what", [("- 1\n", "yaml", "an array"), ('"x"', "json", "a string"),
                                                ("null", "json", "null"), ("42\n", "yaml", "an integer")])
def test_top_level_must_be_a_mapping(text, syntax, what):
    [problem] = load(f"a.{syntax}", text).problems
    assert problem.code == "RL003" and problem.message.endswith(what)


def test_utf8_bom_is_read_with_unchanged_positions():
    source = load_bytes("a.yaml", b"\xef\xbb\xbfassistant_id: a\ntemprature: 1\n")
    assert source.documents[0].value == {"assistant_id": "a", "temprature": 1}
    assert source.documents[0].locate(("temprature",), on_key=True) == Range(1, 0, 1, 10)
    assert [p.code for p in source.problems] == ["RL007"]
    json_source = load_bytes("a.json", b'\xef\xbb\xbf{"a": 1}')
    assert json_source.documents[0].locate(("a",)) == Range(0, 6, 0, 7)


@pytest.mark.parametrize("data, words", [
    (b"a: \xff\xfe\n", "not valid UTF-8 (byte 0xff at offset 3)"),
    ("a: 1\n".encode("utf-16"), "UTF-16"),
    ("a: 1\n".encode("utf-16-le"), "UTF-16 without a byte order mark"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "NUL byte"),
])
def test_bad_encodings_are_one_diagnostic(data, words):
    [problem] = load_bytes("a.yaml", data).problems
    assert problem.code == "RL005" and words in problem.message


def test_unsafe_tags_construct_nothing():
    source = load("a.yaml", "a: !!python/object/apply:os.system ['touch /tmp/runlint-pwned']\n"
                  "b: !!binary aGVsbG8=\nc: !Ref Other\n")
    assert source.documents[0].value == {"a": ["touch /tmp/runlint-pwned"], "b": "aGVsbG8=", "c": "Other"}
    assert [p.pointer for p in only(source, "RL006")] == ["/a", "/b", "/c"]


def test_aliases_share_values_and_merge_keys_apply():
    doc = load("a.yaml", "base: &b {model: gpt-4o, temperature: 1}\nrun:\n  <<: *b\n  temperature: 0.2\n"
               "copy: *b\n").documents[0]
    assert doc.value["run"] == {"model": "gpt-4o", "temperature": 0.2}
    assert doc.value["copy"] is doc.value["base"]


def test_billion_laughs_is_bounded_and_reported_at_the_alias():
    levels = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    start = time.perf_counter()
    source = load("bomb.yaml", "\n".join(levels) + "\n")
    assert time.perf_counter() - start < 2
    problems = only(source, "RL010")
    assert problems and problems[0].range.line == 4


def test_deep_nesting_is_bounded_in_yaml_and_json():
    for text, syntax in (("[" * 100_000 + "]" * 100_000, "json"), ("[" * 100_000 + "]" * 100_000, "yaml"),
                         ("- " * 100_000 + "x\n", "yaml")):
        source = load(f"deep.{syntax}", text)
        assert [p.code for p in source.problems][:1] == ["RL009"], (syntax, source.problems[:2])


def test_numbers_json_cannot_carry():
    source = load("a.json", '{"a": NaN, "b": -Infinity, "c": 1e400, "d": ' + "7" * 5000 + "}")
    assert [(p.code, p.pointer) for p in source.problems] == [
        ("RL011", "/a"), ("RL011", "/b"), ("RL011", "/c"), ("RL011", "/d")]
    yaml_source = load("a.yaml", "a: .inf\nb: .nan\nc: " + "7" * 5000 + "\n")
    assert [(p.code, p.pointer) for p in yaml_source.problems] == [("RL011", "/a"), ("RL011", "/b"), ("RL011", "/c")]


def test_non_string_keys():
    source = load("a.yaml", "1: one\nnull: x\ntrue: why\n[a]: z\n")
    assert source.documents[0].value == {"1": "one", "null": "x", "true": "why"}
    assert [p.code for p in source.problems] == ["RL008"] * 4


@pytest.mark.parametrize("text, syntax", [
    ('a: 1\nb: [1, 2]\n"c": "x"\n', "yaml"),
    ("{a: 1, b: {c: 2}, d: x}\n", "yaml"),
    ("---\na: 1\n---\n---\nb: |\n  text\n  more\nc: >-\n  folded\n", "yaml"),
    ("? a\n: 1\nb: &x hi\nc: *x\n", "yaml"),
    ("base: &b {m: 1}\n<<: *b\nz: 2\n", "yaml"),
    ('# c\nassistant_id: "asst"   # trailing\nx: \n  - 1\ny: plain\n  continued\n', "yaml"),
    ('{"a": 1, "b": {"c": [1, {"d": 2}]}, "e" : "\\u00e9x", "a2": null}', "json"),
    ('  \n { "k" : [ ] , "é": "ü",\n"n": {"x": [1,\n2]}, "last": true }  ', "json"),
])
def test_top_level_keys_are_located_without_the_full_parse_exactly_as_with_it(text, syntax):
    # The shortcut for a finding on a clean file must point where the full positioned parse does.
    for index, document in enumerate(load(f"a.{syntax}", text).documents):
        full = load(f"a.{syntax}", text).documents[index]
        for key, value in document.value.items():
            document._spans = None
            assert document._entry((key,)) == full.spans[(key,)], key
            if not isinstance(value, (dict, list)) and "<<" not in text and "*x" not in text:
                assert document._spans is None, f"{key}: the full parse ran"


def test_lone_surrogates_are_reported_and_the_checks_get_replacement_characters(lint):
    # Found by fuzz/fuzz_pipeline.py: the schema check crashed encoding the key.
    found = lint('{"assistant_id": "asst_1", "metadata": {"a\\udc00": "x\\ud83d"}}', "a.run.json")
    assert [(d.code, d.pointer) for d in found] == [("RL017", "/metadata"), ("RL017", "/metadata/a\ufffd")]


@pytest.mark.parametrize("text, file, line, column", [
    ('assistant_id: "a\u2028b"\ntemprature: 1\n', "a.run.yaml", 1, 0),  # LS: no line break for editors
    ("assistant_id: a\x85temprature: 1\n", "a.run.yaml", 0, 16),  # NEL: a break for libyaml only
    ("assistant_id: a\rtemprature: 1\r", "a.run.yaml", 1, 0),  # a lone CR is a line break everywhere
    ('{"assistant_id": "a",\r"temprature": 1}', "a.run.json", 1, 0),
    ("\r" * 12 + 'ssistant_id": "asst_1", "top_p": 1e999}', "a.run.yaml", 12, 22),  # found by the fuzzer
])
def test_lines_are_counted_as_editors_count_them(lint, text, file, line, column):
    found = [d for d in lint(text, file) if d.code in ("RL101", "RL001")]
    assert found and (found[0].range.line, found[0].range.column) == (line, column)
