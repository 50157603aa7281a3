"""What every message and position holds to, over every rule's invalid examples and every file in
examples/bad/: runlint's own words are never cut (only a quoted user value is), and a finding
points at the smallest node that says it (one line, unless the rule is listed below with why)."""

import io
import re

import pytest

from runlint import diagnostic
from runlint.source.request import Source
from runlint.diagnostic import Said, show, show_json
from helpers.rule_examples import cases, lint_example, linter_for

from helpers import ROOT
BAD_EXAMPLES = sorted((ROOT / "examples" / "bad").iterdir())

# Rules whose finding may span several lines, and why. A mapping or list is pointed at by its key
# (Document.point_at), a value by itself; only a multi-line string is a value of several lines.
MAY_SPAN_LINES: dict[str, str] = {
    "RL501": "the range is also what every report masks: a secret in a block string spans its lines",
}


def _everything():
    """(where, source text, findings) of every invalid rule example and every file in examples/bad/."""
    for param in cases("invalid"):
        rule, example, file, text = param.values
        yield f"{param.id}", text, lint_example(example, file, text)
    for path in BAD_EXAMPLES:
        data = path.read_bytes()
        linter = linter_for({})
        found = (linter.lint(Source(str(path), handle=io.BytesIO(data))) if path.suffix == ".jsonl"
                 else linter.lint_bytes(data, str(path)))
        yield path.name, data.decode("utf-8", "replace"), found


def test_a_message_cuts_only_a_quoted_user_value(monkeypatch):
    """With values cut at 8 characters, every cut ("…") ends a piece of the user's own file: had a
    message part in runlint's words been cut (RL210's "make it optional wi..."), the piece before
    the "…" would be runlint's text, found nowhere in the example."""
    monkeypatch.setattr(diagnostic, "SHOWN_CHARS", 8)
    cuts = 0
    for where, text, found in _everything():
        for d in found:
            for cut in re.finditer("…", d.message):
                piece = re.split(r"[\s`\"'(=]", d.message[:cut.start()])[-1]
                assert piece and piece in text, f"{where}: {d.code} cut its own words: {d.message!r}"
                cuts += 1
    assert cuts > 50  # the examples do quote long values: the test saw cuts to judge


def test_runlint_words_in_a_check_are_never_cut():
    """RL210's explanation of a property missing from `required`, whole: the check composes it
    (with the property's name shown) and the message keeps it."""
    lines = (ROOT / "examples/bad/structured-outputs.run.yaml").read_text()
    found = linter_for({}).lint_bytes(lines.encode(), "structured-outputs.run.yaml")
    messages = [d.message for d in found if d.code == "RL210"]
    assert ("strict schema: `quantity` must be listed in `required` (make it optional with a union with null "
            "instead)") in messages
    assert ("strict schema: the format `iso-date` is not supported (supported: date, date-time, duration, "
            "email, hostname, ipv4, ipv6, time, uuid)") in messages
    assert not [m for m in messages if "..." in m or "…" in m]


def test_a_long_user_value_is_cut_in_one_place_and_runlint_words_pass_whole():
    long = "x" * 100
    assert show(long) == "x" * 59 + "…" and len(show(long)) == diagnostic.SHOWN_CHARS
    assert show_json(long) == '"' + "x" * 58 + "…"
    assert show({"a": long}).endswith("…") and len(show({"a": long})) == 60
    assert show(Said(long)) == long  # runlint's own words
    assert show("short") == "short" and show(None) == "null" and show(1.5) == "1.5"


def test_a_long_model_name_is_cut_but_not_the_message(lint):
    model = "my-own-model-" + "z" * 80
    found = [d for d in lint(f"model: {model}\nmessages: [{{role: user, content: Hi}}]\n", "x.chat.yaml")
             if d.code == "RL400"]
    assert found and "`my-own-model-zzz" in found[0].message and model not in found[0].message
    assert "zzz…`" in found[0].message
    assert found[0].message.endswith("`extends` for a family it behaves like; `runlint models` lists them)")


def test_no_finding_spans_more_lines_than_its_rule_allows():
    seen = 0
    for where, text, found in _everything():
        for d in found:
            seen += 1
            r = d.range
            assert r.end_line == r.line or d.code in MAY_SPAN_LINES, (
                f"{where}: {d.code} spans lines {r.line + 1}-{r.end_line + 1}: {d.message}")
    assert seen > 500


@pytest.mark.parametrize("line, column, end_column, message", [
    (13, 40, 48, "the format `iso-date`"),  # a bad value: the value
    (16, 11, 16, "every object must set"),  # an object that breaks strict mode: its key (`items:`)
    (20, 15, 23, "`quantity` must be listed"),  # a property that breaks a rule: its key
    (24, 7, 24, "`patternProperties` is not supported"),  # an unsupported keyword: the key
])
def test_strict_schema_findings_point_at_the_key_or_the_value(line, column, end_column, message):
    data = (ROOT / "examples/bad/structured-outputs.run.yaml").read_bytes()
    found = [d for d in linter_for({}).lint_bytes(data, "s.run.yaml") if d.code == "RL210" and message in d.message]
    assert found
    r = found[0].range
    assert (r.line + 1, r.column + 1, r.end_line + 1, r.end_column + 1) == (line, column, line, end_column)


def test_an_optional_property_with_a_long_value_is_pointed_at_by_its_key(lint):
    """The issue's case: RL210 underlined all 8 lines of an optional property's value."""
    text = """model: gpt-4o
input: Hi
text:
  format:
    type: json_schema
    name: x
    strict: true
    schema:
      type: object
      properties:
        city: {type: string}
        lines:
          type: array
          items:
            type: object
            properties:
              sku: {type: string}
            required: [sku]
            additionalProperties: false
      required: [city]
      additionalProperties: false
"""
    found = [d for d in lint(text, "x.response.yaml") if d.code == "RL210"]
    assert [(d.range, d.message) for d in found] == [
        (diagnostic.Range(11, 8, 11, 13), "strict schema: `lines` must be listed in `required` (make it optional "
                                          "with a union with null instead)")]


# Syntax errors are reported where a person mends them, not where the parser gave up:
# (file text, the message's words, (line, column, end line, end column), 1-based).
SYNTAX_ERRORS = [
    # YAML: libyaml stops past the mistake; its context mark is where the mistake began
    ('model: gpt-4o\ninstructions: "Be brief\nstore: false\n', "opening \" is never closed", (2, 15, 2, 16)),
    ("model: gpt-4o\ninstructions: 'Be brief\n", "opening ' is never closed", (2, 15, 2, 16)),
    ("model: gpt-4o\n\tstore: false\n", "a tab indents this line: YAML indents with spaces only", (2, 1, 2, 2)),
    ("text:\n\tformat: {type: text}\n", "a tab indents this line: YAML indents with spaces only", (2, 1, 2, 2)),
    ("model: gpt-4o\n\t\tstore: false\n", "a tab indents this line", (2, 1, 2, 3)),
    ("model: gpt-4o\ninput\nstore: false\n", "a key without `:`", (2, 1, 2, 6)),
    ("model: gpt-4o\ntools: [{type: web_search}\nstore: false\n", "this `[` is never closed (expected `]`)",
     (2, 8, 2, 9)),
    ("model: gpt-4o\nmetadata: {a: b\n", "this `{` is never closed (expected `}`)", (2, 11, 2, 12)),
    ("model: gpt-4o\ninput: Answer: briefly: now\n", "a `: ` where no mapping can start", (2, 14, 2, 15)),
    ("model: gpt-4o\ninput: @me\n", "the character @ cannot start a plain value: quote the value", (2, 8, 2, 9)),
    # JSON: the decoder stops past the mistake too
    ('{"model": "gpt-4o",\n "input": "Hi",\n}\n', "trailing comma: an object takes no comma after its last member",
     (2, 15, 2, 16)),
    ('{"model": "gpt-4o", "input": ["a", "b",]}', "trailing comma: an array takes no comma after its last item",
     (1, 39, 1, 40)),
    ('{"model": "gpt-4o"\n "input": "Hi"}', "a comma is missing between two members of an object", (1, 19, 1, 19)),
    ('{"model": "gpt-4o", "input": ["a" "b"]}', "a comma is missing between two items of an array", (1, 34, 1, 34)),
    ('{"model": "gpt-4o",\n "metadata": {"a": "b"}\n', "this `{` is never closed", (1, 1, 1, 2)),
    ('{"model": "gpt-4o",\n "input": ["a",\n  "b"\n', "this `[` is never closed", (2, 11, 2, 12)),
    ('{"model": "gpt-4o", "input": ["a"}', "`}` cannot close the `[` opened on line 1, column 30", (1, 34, 1, 35)),
    ('{"model": "gpt-4o",\n "input": }', "the key has no value after its `:`", (2, 2, 2, 9)),
    ('{"model": "gpt-4o", "input"}', "the key has no `:` and value after it", (1, 21, 1, 28)),
    ("{'model': 'gpt-4o'}", "a key is written in double quotes, not single ones", (1, 2, 1, 3)),
    ('{model: "gpt-4o"}', "a key must be a string in double quotes", (1, 2, 1, 7)),
    ('{"model": "gpt-4o}', "the string is never closed", (1, 11, 1, 12)),
    ('{"model": "gpt-4o\n}', "the string is not closed on its line", (1, 11, 1, 18)),
    ('{"model": "gpt-4o", "store": True}', "`True` is not a JSON value", (1, 30, 1, 34)),
    ('{"model": "gpt-4o"}}', "`}` closes nothing", (1, 20, 1, 21)),
]


@pytest.mark.parametrize("text, words, where", SYNTAX_ERRORS, ids=[w for _, w, _ in SYNTAX_ERRORS])
def test_a_syntax_error_is_reported_where_it_is(lint, text, words, where):
    file = "spec.response.json" if text.startswith("{") else "spec.response.yaml"
    [error] = [d for d in lint(text, file) if d.code == "RL001"]
    r = error.range
    assert words in error.message and (r.line + 1, r.column + 1, r.end_line + 1, r.end_column + 1) == where, (
        error.message, r)


def test_a_trailing_comma_in_a_batch_line_is_reported_at_the_comma(lint):
    good = '{"custom_id": "a", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4o", "input": "Hi"}}'
    broken = '{"custom_id": "b", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4o", "input": ["Hi",]}}'
    [error] = [d for d in lint(good + "\n" + broken + "\n", "batch.jsonl") if d.code == "RL001"]
    assert error.message == "JSON syntax error: trailing comma: an array takes no comma after its last item"
    assert error.range == diagnostic.Range(1, broken.index(",]"), 1, broken.index(",]") + 1)


# A request path in a message is written as the API's errors write it, `messages[0].content`:
# never a JSON Pointer (/messages/0/content), a dotted index (messages.0.content) or a wildcard.
OTHER_PATH_STYLES = re.compile(r"(?<![\w#.:/])/(?!v1/)[A-Za-z_$][\w$~]*/[\w*$~]+"  # a pointer (an endpoint is fine)
                               r"|[A-Za-z_]\.\d+\b(?!\.\d)|\w\[\*?\]|\w\.\*")


def test_messages_write_request_paths_as_the_api_does():
    from runlint.check.rules import load_catalog
    from runlint.resources import data_dir

    templates = [case.message for rule in load_catalog([data_dir("rules")], cache_dir=None).rules.values()
                 for case in rule.cases]
    assert len(templates) > 80
    for template in templates:
        assert not OTHER_PATH_STYLES.search(template), template
    for where, text, found in _everything():
        for d in found:
            assert not OTHER_PATH_STYLES.search(d.message), f"{where}: {d.code}: {d.message}"
    assert OTHER_PATH_STYLES.search("at /messages/0/content") and OTHER_PATH_STYLES.search("tools.0.type")
    assert not OTHER_PATH_STYLES.search("`messages[0].content` (POST /v1/responses; gpt-4.1; `#/$defs/a`)")


@pytest.mark.parametrize("file, text, code, where", [
    ("a.response.yaml", "model: gpt-4o\ninput: Hi\ntools:\n  type: web_search\n", "RL103", (3, 1, 3, 6)),
    ("a.chat.yaml", "model: gpt-4o\nmessages: [{role: user, content: Hi}]\nstop:\n  - a\n  - b\n  - c\n  - d\n  - e\n",
     "RL106", (3, 1, 3, 5)),
    ("a.chat.yaml", "model: gpt-4o\nmessages:\n  - role: user\n    content:\n      a: 1\n", "RL103", (4, 5, 4, 12)),
    ("a.chat.yaml", "model: gpt-4o\nmessages:\n  - role: usr\n    content: hi\n", "RL104", (3, 11, 3, 14)),
])
def test_a_schema_finding_on_a_mapping_or_list_points_at_its_key(lint, file, text, code, where):
    """A wrong type or size of a mapping or list: its key, not all its lines; a bad word: the word."""
    [found] = [d for d in lint(text, file) if d.code == code]
    r = found.range
    assert (r.line + 1, r.column + 1, r.end_line + 1, r.end_column + 1) == where


@pytest.mark.parametrize("file, text, code", [
    ("a.response.yaml", "model: gpt-4o\ninput: Hi\n{k}: 1\n{k}: 2\n", "RL002"),
    ("a.response.json", '{{"model": "gpt-4o", "input": "Hi", "{k}": 1, "{k}": 2}}', "RL002"),
    ("a.response.yaml", "model: gpt-4o\ninput: !{k} Hi\n", "RL006"),
    ("a.response.yaml", "model: gpt-4o  # runlint: disable={k}\ninput: Hi\n", "RL015"),
    ("a.response.json", '{{"model": "gpt-4o", "input": "Hi", "temperature": 1{k}e999}}', "RL011"),
])
def test_a_long_value_in_a_loader_message_is_cut_with_a_mark(lint, file, text, code):
    """The loaders quote the user's keys, tags and literals through the same `shorten`: a cut is
    marked, and runlint's words after it are whole."""
    long = "k" * 100 if code != "RL011" else "1" * 100
    [found] = [d for d in lint(text.format(k=long), file) if d.code == code]
    assert long not in found.message and "…`" in found.message, found.message
    assert len(found.message) < 200
