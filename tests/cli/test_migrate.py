"""`runlint migrate`: the mapping, round trips that keep comments and layout, placeholders reported
where they come from, and every create-run and thread-and-run example migrated and then checked as a
response."""

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from runlint.pipeline.linter import Linter, Settings
from runlint.migrate import migrate_text
from runlint.migrate.command import target_name
from runlint.resources import data_dir
from runlint.check.rules import load_catalog
from helpers.cli import run, write
from helpers.rule_examples import oracle_lines, variants

CATALOG = load_catalog([data_dir("rules")], cache_dir=None)
LINTER = Linter(Settings(cache_dir=None, ignore=("RL600",)), CATALOG)
MIGRATOR = Linter(Settings(cache_dir=None), CATALOG)  # what `runlint migrate` uses
MIGRATED_EXAMPLES = sorted(p for pattern in ("*.run.*", "*.thread-run.*") for p in (ROOT / "examples").rglob(pattern))
# What `check` says about a migrated file because of a step `migrate` reported (the same thing twice).
ANNOUNCED = {"RL803": {"RL201"}, "RL800": {"RL400"}}


def migrate(text: str, file: str = "spec.run.yaml"):
    return migrate_text(text, file, MIGRATOR)


def codes(diagnostics) -> Counter:
    return Counter(d.code for d in diagnostics)


# -- the rules' examples are their tests ----------------------------------------------------------------

def _migrate_examples(kind):
    for rule in sorted(CATALOG.rules.values(), key=lambda r: r.code):
        if rule.source != "migrate":
            continue
        for number, example in enumerate(rule.examples.get(kind, [])):
            for file, text in variants(example):
                yield pytest.param(rule, example, file, text, id=f"{rule.code}-{kind}{number}-{file}")


@pytest.mark.parametrize("rule, example, file, text", list(_migrate_examples("invalid")))
def test_invalid_example_is_reported_by_migrate_at_its_pointer(rule, example, file, text):
    migration = migrate(text, file)
    assert migration.text is not None
    at = [d for d in migration.diagnostics if d.code == rule.code and d.pointer == example["at"]]
    assert at, f"{rule.code} not at {example['at']}: {[(d.code, d.pointer) for d in migration.diagnostics]}"
    assert at[0].range.line in oracle_lines(text, example["at"])
    assert str(at[0].severity) == str(rule.severity) and at[0].name == rule.name


@pytest.mark.parametrize("rule, example, file, text", list(_migrate_examples("valid")))
def test_valid_example_is_not_reported_by_migrate(rule, example, file, text):
    migration = migrate(text, file)
    assert migration.text is not None
    assert not [d.message for d in migration.diagnostics if d.code == rule.code]


def test_migrate_rules_are_not_run_by_check():
    spec = "assistant_id: asst_1\nmax_prompt_tokens: 100\ntools: [{type: file_search}]\n"
    assert not {"RL800", "RL801", "RL802", "RL803"} & set(codes(LINTER.lint_text(spec, "a.run.yaml")))


# -- the mapping ----------------------------------------------------------------------------------------

FULL = {
    "assistant_id": "asst_1",
    "model": "o3",
    "instructions": "You are terse.",
    "additional_instructions": "Answer in French.",
    "additional_messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "What is in these?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
            {"type": "image_file", "image_file": {"file_id": "file_1"}},
        ]},
        {"role": "assistant", "content": "Two cats."},
    ],
    "tools": [
        {"type": "function", "function": {"name": "lookup", "description": "Find it.",
                                          "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
                                          "strict": True}},
        {"type": "function", "function": {"name": "ping"}},
        {"type": "file_search", "file_search": {"max_num_results": 5}},
        {"type": "code_interpreter"},
    ],
    "tool_choice": {"type": "function", "function": {"name": "lookup"}},
    "response_format": {"type": "json_schema", "json_schema": {
        "name": "answer", "description": "The answer.", "strict": True,
        "schema": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                   "additionalProperties": False}}},
    "max_completion_tokens": 300,
    "max_prompt_tokens": 2000,
    "truncation_strategy": {"type": "auto"},
    "reasoning_effort": "low",
    "parallel_tool_calls": False,
    "metadata": {"team": "a"},
    "stream": False,
}

FULL_AS_RESPONSE = {
    "model": "o3",
    "instructions": "You are terse.\n\nAnswer in French.",
    "input": [
        {"role": "user", "content": [
            {"type": "input_text", "text": "What is in these?"},
            {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "low"},
            {"type": "input_image", "file_id": "file_1", "detail": "auto"},
        ]},
        {"role": "assistant", "content": "Two cats."},
    ],
    "tools": [
        {"type": "function", "name": "lookup", "description": "Find it.",
         "parameters": {"type": "object", "properties": {}, "additionalProperties": False}, "strict": True},
        {"type": "function", "name": "ping", "parameters": {"type": "object", "properties": {}}, "strict": False},
        {"type": "file_search", "vector_store_ids": ["TODO-vector-store-id"], "max_num_results": 5},
        {"type": "code_interpreter", "container": {"type": "auto"}},
    ],
    "tool_choice": {"type": "function", "name": "lookup"},
    "text": {"format": {"type": "json_schema", "name": "answer", "description": "The answer.",
                        "schema": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                                   "additionalProperties": False},
                        "strict": True}},
    "max_output_tokens": 300,
    "truncation": "auto",
    "reasoning": {"effort": "low"},
    "parallel_tool_calls": False,
    "metadata": {"team": "a"},
    "stream": False,
}


@pytest.mark.parametrize("syntax", ["yaml", "json"])
def test_every_field_maps_as_the_table_says(syntax):
    text = (yaml.safe_dump(FULL, sort_keys=False) if syntax == "yaml" else json.dumps(FULL, indent=2))
    migration = migrate(text, f"full.run.{syntax}")
    out = yaml.safe_load(migration.text) if syntax == "yaml" else json.loads(migration.text)
    assert out == FULL_AS_RESPONSE
    assert list(out) == list(FULL_AS_RESPONSE)  # key order: each field where its source stood
    assert sorted((d.code, d.pointer) for d in migration.diagnostics) == [
        ("RL801", "/max_prompt_tokens"), ("RL802", "/tools/2")]
    # The result is a valid Responses request: no schema finding, nothing but the reported steps.
    checked = LINTER.lint_text(migration.text, f"full.response.{syntax}")
    assert not [d for d in checked if d.severity >= 2], [(d.code, d.message) for d in checked]


def test_instructions_join_or_replace_as_the_run_did():
    def instructions(spec):
        return yaml.safe_load(migrate(yaml.safe_dump(spec)).text).get("instructions")

    assert instructions({"assistant_id": "a", "additional_instructions": "Extra."}) == "Extra."
    assert instructions({"assistant_id": "a", "instructions": "", "additional_instructions": "Extra."}) == "Extra."
    assert instructions({"assistant_id": "a", "instructions": "Base.\n", "additional_instructions": "Extra."}) \
        == "Base.\n\nExtra."
    assert instructions({"assistant_id": "a", "instructions": "Base.", "additional_instructions": None}) == "Base."


def test_settings_with_no_equivalent_are_dropped_and_reported():
    spec = {"assistant_id": "a", "model": "gpt-4o", "instructions": "x", "tools": [],
            "additional_messages": [{"role": "user", "content": "Hi", "attachments": [{"file_id": "f"}],
                                     "metadata": {"k": "v"}}],
            "truncation_strategy": {"type": "last_messages", "last_messages": 3}, "max_prompt_tokens": 10}
    migration = migrate(yaml.safe_dump(spec, sort_keys=False))
    out = yaml.safe_load(migration.text)
    assert out == {"model": "gpt-4o", "instructions": "x", "input": [{"role": "user", "content": "Hi"}],
                   "tools": []}
    assert sorted(d.pointer for d in migration.diagnostics) == [
        "/additional_messages/0/attachments", "/additional_messages/0/metadata", "/max_prompt_tokens",
        "/truncation_strategy"]


def test_the_assistants_stored_model_becomes_a_reported_placeholder():
    migration = migrate("# the support bot\nassistant_id: asst_9\nadditional_messages: [{role: user, content: Hi}]\n")
    assert migration.text == ("# the support bot\nmodel: TODO-the-assistant-model\n"
                              "input: [{role: user, content: Hi}]\n")
    found = {d.message for d in migration.diagnostics if d.code == "RL800"}
    assert any("model stored with assistant `asst_9`" in m for m in found)
    assert any("instructions and tools" in m for m in found)
    assert all(d.range.line == 1 and d.range.column == 0 for d in migration.diagnostics)


# -- round trips: comments, order, layout ---------------------------------------------------------------

COMMENTED = """\
# runlint: kind=create-run
# The triage run.
assistant_id: asst_1   # the triage assistant
# the model pinned for this run
model: gpt-4o
instructions: |
  Sort the ticket.
max_prompt_tokens: 900  # a budget
# sampling: keep it low
temperature: 0.1
tools:
  # the only tool
  - type: function   # flattened by migrate
    function:
      name: route
      parameters: {type: object, properties: {team: {type: string}}}  # one line
max_completion_tokens: 50  # short answers
metadata:
  owner: 'support'   # quoted on purpose
"""


def test_yaml_keeps_comments_order_quoting_and_flow_style():
    out = migrate(COMMENTED, "triage.run.yaml").text
    assert out == """\
# runlint: kind=response
# The triage run.
# the model pinned for this run
model: gpt-4o
instructions: |
  Sort the ticket.
# sampling: keep it low
temperature: 0.1
tools:
  # the only tool
  - type: function   # flattened by migrate
    name: route
    parameters: {type: object, properties: {team: {type: string}}}  # one line
    strict: false
max_output_tokens: 50  # short answers
metadata:
  owner: 'support'   # quoted on purpose
"""
    # The kind comment now says response: otherwise it would make `check` read the file as create-run.
    assert LINTER.lint_text(out, "triage.response.yaml") == []


def test_yaml_indentation_of_the_file_is_kept():
    text = "assistant_id: a\nmodel: gpt-4o\ntools:\n- type: code_interpreter\nmetadata:\n    team: x\n"
    assert migrate(text).text == ("model: gpt-4o\ntools:\n- type: code_interpreter\n  container:\n"
                                  "      type: auto\nmetadata:\n    team: x\n")


@pytest.mark.parametrize("indent", ["  ", "    ", "\t"])
def test_json_keeps_its_indentation_and_one_line_containers(indent):
    text = ("{\n" + indent + '"assistant_id": "a",\n' + indent + '"model": "gpt-4o",\n' + indent
            + '"tools": [{"type": "function", "function": {"name": "f"}}],\n' + indent
            + '"response_format": {\n' + indent * 2 + '"type": "json_object"\n' + indent + "},\n" + indent
            + '"additional_messages": [{"role": "user", "content": "JSON please"}]\n}\n')
    out = migrate(text, "a.run.json").text
    assert out == ("{\n" + indent + '"model": "gpt-4o",\n' + indent
                   + '"tools": [{"type": "function", "name": "f", "parameters": {"type": "object", '
                   '"properties": {}}, "strict": false}],\n' + indent + '"text": {\n' + indent * 2
                   + '"format": {\n' + indent * 3 + '"type": "json_object"\n' + indent * 2 + "}\n" + indent
                   + "},\n" + indent + '"input": [{"role": "user", "content": "JSON please"}]\n}\n')


def test_json_on_one_line_stays_on_one_line_and_crlf_stays_crlf():
    assert migrate('{"assistant_id": "a", "model": "m", "max_completion_tokens": 5}', "a.run.json").text \
        == '{"model": "m", "max_output_tokens": 5}'
    assert migrate("assistant_id: a\r\nmodel: m\r\ntemperature: 1\r\n").text == "model: m\r\ntemperature: 1\r\n"


def test_every_document_of_a_yaml_stream_is_migrated_with_positions_in_the_file():
    text = "---\nassistant_id: a\nmodel: m\n---\nassistant_id: b\nmodel: m\nmax_prompt_tokens: 5\n"
    migration = migrate(text)
    assert migration.text == "---\nmodel: m\n---\nmodel: m\n"
    dropped = [d for d in migration.diagnostics if d.pointer == "/max_prompt_tokens"]
    assert [(d.range.line, d.range.column) for d in dropped] == [(6, 0)]


# -- every create-run and thread-and-run example, migrated and checked as a response ------------------------

@pytest.mark.parametrize("path", MIGRATED_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_migrated_examples_pass_check_but_for_what_migrate_reported(path):
    text = path.read_text(encoding="utf-8")
    migration = migrate(text, str(path))
    source_findings = LINTER.lint_text(text, str(path))
    if migration.text is None:  # unparseable: the same syntax finding as `check`'s, nothing written
        assert {d.code for d in migration.diagnostics} <= {d.code for d in source_findings} and migration.diagnostics
        return
    target = target_name(str(path), ".response")
    checked = LINTER.lint_text(migration.text, target)
    announced = set().union(*(ANNOUNCED.get(d.code, set()) for d in migration.diagnostics))
    carried = set(codes(source_findings))  # the spec's own mistakes move with it, they are not new
    new = [(d.code, d.message) for d in checked if d.code not in announced | carried]
    assert not new, f"migrating {path.name} introduced: {new}"
    if path.parent.name == "good":  # a clean spec gives a response with no error of its own
        assert not [d for d in checked if d.severity >= 3 and d.code not in announced]


# -- the command ----------------------------------------------------------------------------------------

def test_cli_prints_the_spec_on_stdout_and_the_steps_on_stderr(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\nmodel: gpt-4o\nmax_prompt_tokens: 9\n")
    result = run("migrate", str(spec))
    assert result.returncode == 1
    assert result.stdout.decode() == "model: gpt-4o\n"
    err = result.stderr.decode()
    assert f"{spec}:3:1: RL801 [warning] max_prompt_tokens has no equivalent" in err
    assert err.rstrip().endswith("left to do; 1 file migrated.")


def test_cli_exits_0_when_nothing_is_left_to_do(tmp_path):
    spec = write(tmp_path, "a.run.json", '{"model": "gpt-4o", "instructions": "Hi", "temperature": 1}\n')
    result = run("migrate", str(spec))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"model": "gpt-4o", "instructions": "Hi", "temperature": 1}
    assert "nothing left to do" in result.stderr.decode()


def test_cli_write_creates_response_files_and_never_overwrites_unasked(tmp_path):
    write(tmp_path, "a.run.yaml", "model: gpt-4o\nmax_completion_tokens: 5\n")
    write(tmp_path, "b.run.json", '{"model": "gpt-4o"}')
    write(tmp_path, "c.response.yaml", "model: gpt-4o\ninput: Hi\n")  # not a create-run spec: not walked
    result = run("migrate", "--write", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.response.yaml").read_text() == "model: gpt-4o\nmax_output_tokens: 5\n"
    assert (tmp_path / "b.response.json").read_text() == '{"model": "gpt-4o"}'
    again = run("migrate", "--write", str(tmp_path / "a.run.yaml"))
    assert again.returncode == 2 and "exists; not replaced (give --force" in again.stderr.decode()
    forced = run("migrate", "--write", "--force", "--out-suffix", ".response", str(tmp_path / "a.run.yaml"))
    assert forced.returncode == 0


def test_cli_diff_is_a_unified_diff_from_source_to_target(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "model: gpt-4o\nmax_completion_tokens: 5\n")
    result = run("migrate", "--diff", str(spec))
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        f"--- {spec}", f"+++ {tmp_path / 'a.response.yaml'}", "@@ -1,2 +1,2 @@", " model: gpt-4o",
        "-max_completion_tokens: 5", "+max_output_tokens: 5"]


def test_cli_bad_input_is_said_in_one_line_or_a_finding(tmp_path):
    binary = tmp_path / "x.run.json"
    binary.write_bytes(b"\x00\x01\x02")
    result = run("migrate", str(binary))
    assert result.returncode == 1 and "RL005" in result.stderr.decode() and not result.stdout
    broken = write(tmp_path, "y.run.yaml", "model: [gpt-4o\n")
    result = run("migrate", str(broken))
    assert result.returncode == 1 and "RL001" in result.stderr.decode() and "1 file not migrated" in \
        result.stderr.decode()
    result = run("migrate", str(tmp_path / "missing.run.yaml"))
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()
    response = write(tmp_path, "z.response.yaml", "model: gpt-4o\ninput: Hi\n")
    result = run("migrate", str(response))
    assert result.returncode == 0 and "skipped: not a create-run or thread-and-run spec (response)" in \
        result.stderr.decode()
    result = run("migrate", str(broken), str(response))
    assert result.returncode == 2 and "give --write" in result.stderr.decode()
    result = run("migrate", "--write", "--diff", str(broken))
    assert result.returncode == 2 and "not both" in result.stderr.decode()


def test_target_names():
    assert target_name("specs/a.run.yaml", ".response") == str(Path("specs/a.response.yaml"))
    assert target_name("a.thread-run.yaml", ".response") == "a.response.yaml"
    assert target_name("a.RUN.json", ".resp") == "a.resp.json"
    assert target_name("a.yml", ".response") == "a.response.yml"


def test_comments_around_dropped_keys_stay_in_their_place():
    text = ("assistant_id: a   # gone with its key\nmodel: m\ntools:\n  - type: code_interpreter\n"
            "# about the budget\nmax_prompt_tokens: 5  # gone too\n# the end of the spec\n")
    assert migrate(text).text == ("model: m\ntools:\n  - type: code_interpreter\n    container:\n"
                                  "      type: auto\n# about the budget\n# the end of the spec\n")


def test_nulls_and_auto_are_the_defaults_and_leave_nothing_behind():
    spec = {"model": "gpt-4o", "instructions": "x", "response_format": "auto", "truncation_strategy": None,
            "reasoning_effort": None, "additional_messages": None, "max_prompt_tokens": None, "top_p": None}
    migration = migrate(json.dumps(spec), "a.run.json")
    assert json.loads(migration.text) == {"model": "gpt-4o", "instructions": "x", "top_p": None}
    assert migration.diagnostics == []


# -- thread-and-run -------------------------------------------------------------------------------------

THREAD_AND_RUN = """\
# runlint: kind=thread-and-run
assistant_id: asst_1
model: gpt-4o   # pinned
instructions: Answer from the manuals.
thread:
  messages:
    - role: user   # the question
      content: How do I reset it?
      attachments: [{file_id: file_9}]
  tool_resources:
    code_interpreter: {file_ids: [file_2]}
  metadata: {ticket: "42"}
tools:
  - type: file_search
  - type: code_interpreter
tool_resources:
  file_search: {vector_store_ids: [vs_manuals]}
temperature: 0.2
"""


def test_thread_and_run_messages_become_the_input_and_its_resources_go_to_the_tools():
    migration = migrate(THREAD_AND_RUN, "help.thread-run.yaml")
    # (ruamel.yaml keeps a comment's column; the file's indentation, two spaces before a dash, is kept)
    assert migration.text == """\
# runlint: kind=response
model: gpt-4o   # pinned
instructions: Answer from the manuals.
input:
  - role: user     # the question
    content: How do I reset it?
tools:
  - type: file_search
    vector_store_ids: [vs_manuals]
  - type: code_interpreter
    container:
      type: auto
      file_ids: [file_2]
temperature: 0.2
"""
    source = migration.source.split("\n")
    steps = sorted((d.code, d.pointer, source[d.range.line][d.range.column:d.range.end_column])
                   for d in migration.diagnostics)
    assert steps == [("RL801", "/thread/messages/0/attachments", "attachments"),
                     ("RL801", "/thread/metadata", "metadata")]  # the stores are named: no placeholder
    checked = LINTER.lint_text(migration.text, "help.response.yaml")
    assert not [d for d in checked if d.severity >= 2], [(d.code, d.message) for d in checked]


def test_thread_and_run_resources_without_their_tool_and_stores_made_with_the_run_are_reported():
    spec = {"assistant_id": "a", "model": "gpt-4o", "instructions": "x", "tools": [],
            "thread": {"messages": [{"role": "user", "content": "Hi"}]},
            "tool_resources": {"file_search": {"vector_stores": [{"file_ids": ["f"]}]},
                               "code_interpreter": {"file_ids": ["f2"]}}}
    migration = migrate(json.dumps(spec, indent=2), "a.thread-run.json")
    assert json.loads(migration.text) == {"model": "gpt-4o", "instructions": "x", "tools": [],
                                          "input": [{"role": "user", "content": "Hi"}]}
    assert sorted((d.code, d.pointer) for d in migration.diagnostics) == [
        ("RL801", "/tool_resources/code_interpreter/file_ids"),
        ("RL802", "/tool_resources/file_search/vector_stores")]


def test_a_thread_and_run_without_messages_and_stored_state_is_reported():
    migration = migrate("assistant_id: asst_2\nthread: {}\n", "b.thread-run.yaml")
    assert migration.text == "model: TODO-the-assistant-model\n"
    assert {d.code for d in migration.diagnostics} == {"RL800"}
    assert not any("thread's messages" in d.message for d in migration.diagnostics)  # it started empty
