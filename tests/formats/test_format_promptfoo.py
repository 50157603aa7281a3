"""The promptfoo format (runlint/source/formats/promptfoo.py): the requests promptfoo 0.123.1 builds
for its OpenAI providers, and the format's own findings, at the user's own keys."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from runlint.pipeline.linter import Linter, Settings
from runlint.source.formats import promptfoo
from runlint.source.request import Source

REAL = Path(__file__).parent / "real" / "promptfoo"
ROOT = Path(__file__).resolve().parents[2]
LINTER = Linter(Settings())


@dataclass
class Finding:
    code: str
    severity: str
    line: int  # 1-based
    column: int
    message: str
    diagnostic: object


def lint(file: str, text: str) -> list[Finding]:
    return [Finding(d.code, str(d.severity), d.range.line + 1, d.range.column + 1, d.message, d)
            for d in LINTER.lint(Source(file, text=text))]


def read(text: str):
    return promptfoo.read(yaml.safe_load(textwrap.dedent(text)))


def codes(text: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in lint("promptfooconfig.yaml", textwrap.dedent(text))]


# --- which API a provider id reaches ----------------------------------------------------------------
@pytest.mark.parametrize("provider, kind, model", [
    ("openai:chat:gpt-4.1", "chat-completion", "gpt-4.1"),
    ("openai:responses:o3", "response", "o3"),
    ("openai:gpt-4o-mini", "chat-completion", "gpt-4o-mini"),   # in promptfoo's chat list
    ("openai:o1-pro", "response", "o1-pro"),                    # only in its Responses list
    ("openai:gpt-5.6-sol", "response", "gpt-5.6-sol"),          # gpt-N.M from 5.6 on
    ("openai:gpt-6-sol", "response", "gpt-6-sol"),
    ("openai:my-model", "chat-completion", "my-model"),         # unknown: Chat, with promptfoo's warning
    ("openai:chat", "chat-completion", "gpt-5.6-terra"),        # promptfoo's default chat model
])
def test_an_openai_id_reaches_the_api_promptfoo_picks(provider, kind, model):
    built, _ = read(f"providers: [{provider}]\nprompts: [hi]\n")
    assert [(b.kind, b.value["model"]) for b in built] == [(kind, model)]


@pytest.mark.parametrize("provider", ["openai:gpt-3.5-turbo-instruct", "openai:completion:davinci-002",
                                      "openai:embedding:text-embedding-3-small", "openai:gpt-realtime",
                                      "anthropic:messages:claude-sonnet-4-5", "ollama:chat:llama3", "http",
                                      "file://provider.py", "azure:chat:my-deployment", "openrouter:openai/gpt-4o"])
def test_other_providers_make_no_openai_request(provider):
    built, _ = read(f"providers: ['{provider}']\nprompts: [hi]\n")
    assert built == []


def test_the_provider_record_form_and_targets_are_read():
    built, _ = read("""
        targets:
          - openai:chat:gpt-4o:
              config: {temperature: 0.5}
        prompts: [hi]
    """)
    assert built[0].value["temperature"] == 0.5
    assert built[0].provider == ("targets", 0, "openai:chat:gpt-4o")


# --- the body promptfoo sends ---------------------------------------------------------------------
def test_promptfoo_adds_its_defaults_for_a_model_it_does_not_treat_as_reasoning():
    built, _ = read("providers: [openai:chat:gpt-4o]\nprompts: [hi]\n")
    body = built[0].value
    assert body["max_tokens"] == 1024 and body["temperature"] == 0
    default = promptfoo.on_default(built[0].entries, ("temperature",))
    assert default is not None and default.file == ("providers", 0)


def test_omit_defaults_leaves_them_out():
    built, _ = read("providers: [{id: 'openai:chat:gpt-4o', config: {omitDefaults: true}}]\nprompts: [hi]\n")
    assert "max_tokens" not in built[0].value and "temperature" not in built[0].value


def test_a_reasoning_model_gets_max_completion_tokens_and_no_temperature():
    built, notes = read("""
        providers:
          - id: openai:chat:o3-mini
            config: {max_tokens: 100, max_completion_tokens: 200, temperature: 0.2, reasoning_effort: low}
        prompts: [hi]
    """)
    body = built[0].value
    assert body.get("max_completion_tokens") == 200 and body.get("reasoning_effort") == "low"
    assert "max_tokens" not in body and "temperature" not in body
    assert {(n.code, n.path[-1]) for n in notes} == {("RL902", "max_tokens"), ("RL902", "temperature")}


def test_reasoning_effort_on_gpt_4_1_is_reported_at_the_key_as_dropped_and_rejected():
    found = lint("promptfooconfig.yaml", textwrap.dedent("""\
        prompts: [hi]
        providers:
          - id: openai:chat:gpt-4.1
            config:
              reasoning_effort: high
    """))
    [finding] = found
    assert (finding.code, finding.line, finding.column) == ("RL902", 5, 7)
    assert "gpt-4.1 would reject it" in finding.message and "does not send `reasoning_effort`" in finding.message


def test_responses_gets_response_format_as_a_strict_text_format():
    built, _ = read("""
        providers:
          - id: openai:responses:gpt-4o
            config:
              response_format: {type: json_schema, json_schema: {name: out, schema: {type: object}}}
              reasoning_effort: high
        prompts: [hi]
    """)
    body = built[0].value
    assert body["text"] == {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"},
                                       "strict": True}}
    assert "reasoning" not in body
    schema = [e for e in built[0].entries if e.request == ("text", "format", "schema")]
    assert schema[0].file == ("providers", 0, "config", "response_format", "json_schema", "schema")


def test_responses_flattens_a_chat_shaped_function_tool():
    built, _ = read("""
        providers:
          - id: openai:responses:gpt-4.1
            config:
              tools: [{type: function, function: {name: f, parameters: {type: object}}}]
              tool_choice: {type: function, function: {name: f}}
        prompts: [hi]
    """)
    body = built[0].value
    assert body["tools"] == [{"type": "function", "name": "f", "parameters": {"type": "object"}}]
    assert body["tool_choice"] == {"type": "function", "name": "f"}


def test_passthrough_is_spread_as_written_and_a_file_or_template_is_not_sent():
    built, _ = read("""
        providers:
          - id: openai:chat:gpt-4o
            config:
              tools: file://tools.yaml
              tool_choice: required
              temperature: '{{ temp }}'
              passthrough: {logprobs: true}
        prompts: [hi]
    """)
    body = built[0].value
    assert "tools" not in body and "tool_choice" not in body and "temperature" not in body
    assert body["logprobs"] is True
    assert [e.verbatim for e in built[0].entries if e.request == ("logprobs",)] == [True]


def test_a_local_server_with_a_model_runlint_does_not_know_is_not_openai():
    built, _ = read("""
        providers:
          - {id: 'openai:chat:llama3', config: {apiBaseUrl: 'http://localhost:1234/v1'}}
          - {id: 'openai:chat:gpt-4o-mini', config: {apiBaseUrl: 'https://aipipe.org/openai/v1'}}
        prompts: [hi]
    """)
    assert [b.openai for b in built] == [False, True]


def test_chat_prompts_become_the_messages_each_mapped_to_its_prompt():
    built, _ = read("""
        providers: [openai:chat:gpt-4o]
        prompts:
          - '[{"role": "system", "content": "Be brief"}, {"role": "user", "content": "{{q}}"}]'
          - file://prompt.txt
    """)
    messages = built[0].value["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "user"]
    assert "runlint does not read it" in messages[2]["content"]
    assert [e.file for e in built[0].entries if e.request == ("messages", 2)] == [("prompts", 1)]


def test_a_default_the_api_rejects_is_reported_at_the_provider():
    # promptfoo 0.123.1 does not know gpt-6-sol as a reasoning model: it sends temperature 0
    found = codes("""\
        prompts: [hi]
        providers:
          - openai:chat:gpt-6-sol
    """)
    assert ("RL401", 3) in found


def test_advice_a_promptfoo_user_cannot_follow_is_not_given():
    # RL220 (use max_completion_tokens) on the max_tokens promptfoo sends to gpt-4o: promptfoo
    # drops max_completion_tokens for gpt-4o
    assert codes("prompts: [hi]\nproviders:\n  - {id: 'openai:chat:gpt-4o', config: {max_tokens: 50}}\n") == []


# --- the format's own findings --------------------------------------------------------------------
def test_unknown_keys_with_did_you_mean():
    _, notes = read("""
        promts: [hi]
        providers:
          - id: openai:chat:gpt-4o
            lable: mine
            config: {max_token: 10, max_output_tokens: 5, apiKey: x}
        tests:
          - vars: {}
            asert: []
    """)
    messages = {n.path: n.message for n in notes if n.code == "RL900"}
    assert "did you mean `prompts`?" in messages[("promts",)]
    assert "did you mean `label`?" in messages[("providers", 0, "lable")]
    assert "did you mean `max_tokens`?" in messages[("providers", 0, "config", "max_token")]
    assert "reads it only for openai:responses" in messages[("providers", 0, "config", "max_output_tokens")]
    assert "did you mean `assert`?" in messages[("tests", 0, "asert")]
    assert ("providers", 0, "config", "apiKey") not in messages


def test_unknown_assertion_types():
    _, notes = read("""
        prompts: [hi]
        providers: [echo]
        tests:
          - assert:
              - type: contain
              - type: not-icontain
              - type: not-contains
              - type: promptfoo:redteam:harmful
              - type: assert-set
                assert: [{type: llm-rubrik}]
    """)
    found = {n.path: n.message for n in notes if n.code == "RL920"}
    assert set(found) == {("tests", 0, "assert", 0, "type"), ("tests", 0, "assert", 1, "type"),
                          ("tests", 0, "assert", 4, "assert", 0, "type")}
    assert "did you mean `not-icontains`?" in found[("tests", 0, "assert", 1, "type")]


def test_template_names():
    used, defined = promptfoo.template_names(
        "{{ a }} {{ b.c | upper }} {% for x in items %}{{ x.y }}{% endfor %} {% set z = d %}{{ z }}"
        " {{ f(k=1) }} {{ 'lit' }} {# {{ gone }} #} {% if e and not g %}{% endif %} {{ env.HOME }}")
    assert sorted(used) == ["a", "b", "d", "e", "g", "items", "x", "z"]  # no f, k, lit, gone, upper, env
    assert {"x", "z"} <= defined


def test_an_undefined_variable_is_reported_at_its_place_in_the_prompt():
    found = lint("promptfooconfig.yaml", textwrap.dedent("""\
        prompts:
          - "Translate {{ text }} into {{language}}"
        providers: [echo]
        defaultTest:
          vars: {language: French}
        tests:
          - vars: {text: a}
          - vars: {txt: b}
    """))
    [finding] = found
    assert finding.code == "RL901" and finding.line == 2
    assert "tests[1] does not provide it" in finding.message


@pytest.mark.parametrize("tests", ["tests: file://tests.csv", "tests: [{vars: file://v.yaml}]",
                                   "tests: [{path: 'file://gen.py:make'}]", "scenarios: [{config: [], tests: []}]",
                                   ""])
def test_variables_are_not_checked_when_the_test_data_is_elsewhere(tests):
    _, notes = read(f"prompts: ['{{{{x}}}}']\nproviders: [echo]\n{tests}\n")
    assert [n for n in notes if n.code == "RL901"] == []


def test_claims_by_name_and_by_content():
    assert promptfoo.claims("evals/promptfooconfig.yaml", b"")
    assert promptfoo.claims("promptfooconfig.review.yml", b"")
    assert promptfoo.claims("evals/suite.yaml", b"providers:\n  - openai:gpt-4o\nprompts: [hi]\n")
    assert promptfoo.claims("x.yaml", b"# yaml-language-server: $schema=https://promptfoo.dev/config-schema.json\n")
    assert not promptfoo.claims("request.chat.yaml", b"model: gpt-4o\nmessages: []\n")
    assert not promptfoo.claims("ci.yaml", b"providers:\n  - aws\n")


# --- the real files ---------------------------------------------------------------------------------
def _judgements() -> list[dict]:
    return yaml.safe_load((REAL / "JUDGEMENTS.yaml").read_text(encoding="utf-8"))["findings"]


def test_every_real_file_is_named_in_sources_and_judged():
    sources = yaml.safe_load((REAL / "SOURCES.yaml").read_text(encoding="utf-8"))["files"]
    files = sorted(p.name for p in REAL.glob("*.y*ml") if p.name not in ("SOURCES.yaml", "JUDGEMENTS.yaml"))
    assert sorted(s["file"] for s in sources) == files
    found = sorted((name, f.code, f.line) for name in files
                   for f in lint(name, (REAL / name).read_text(encoding="utf-8")))
    judged = sorted((j["file"], j["code"], j["line"]) for j in _judgements())
    assert found == judged


def test_no_false_error_on_a_real_file():
    errors = [j for j in _judgements() if j["severity"] == "error" and not j["verdict"]]
    assert errors == []


def test_scenario_tests_are_checked_like_tests():
    _, notes = read("""
        prompts: ["{{x}}"]
        providers: [echo]
        scenarios:
          - config: [{vars: {x: 1}}]
            tests: [{assert: [{type: equal}], varz: {}}]
    """)
    assert {(n.code, n.path) for n in notes} == {("RL920", ("scenarios", 0, "tests", 0, "assert", 0, "type")),
                                                 ("RL900", ("scenarios", 0, "tests", 0, "varz"))}


def test_the_editor_schema_completes_and_describes_the_keys():
    from runlint.check import schema_nav

    import json

    schema = json.loads((ROOT / "schemas" / "formats" / "promptfoo.schema.json").read_text())
    assert set(schema_nav.properties(schema, ())) == set(promptfoo.TOP_LEVEL_KEYS)
    assert set(schema_nav.properties(schema, ("providers", 0))) == set(promptfoo.PROVIDER_KEYS)
    assert set(schema_nav.properties(schema, ("providers", 0, "config"))) == \
        {*promptfoo.SHARED_CONFIG_KEYS, *promptfoo.CHAT_CONFIG_KEYS, *promptfoo.RESPONSES_CONFIG_KEYS}
    assert set(schema_nav.properties(schema, ("tests", 0))) == set(promptfoo.TEST_KEYS)
    assert set(schema_nav.properties(schema, ("tests", 0, "assert", 0))) == set(promptfoo.ASSERTION_KEYS)
    assert schema_nav.values(schema, ("tests", 0, "assert", 0, "type")) == \
        [*promptfoo.ASSERTION_TYPES, *promptfoo.SPECIAL_ASSERTION_TYPES]
    assert {"providers", "prompts", "tests", "defaultTest"} <= set(schema_nav.properties(schema, ()))
    assert "max_completion_tokens" in schema_nav.properties(schema, ("providers", 0, "config"))
    assert "reasoning models only" in schema_nav.description(schema, ("providers", 0, "config", "max_completion_tokens"))
    assert "llm-rubric" in schema_nav.values(schema, ("tests", 0, "assert", 0, "type"))
    assert promptfoo.model_of("openai:chat:gpt-4.1") == "gpt-4.1" and promptfoo.model_of("ollama:llama3") is None


def test_a_key_written_in_the_configuration_is_a_secret():
    found = lint("promptfooconfig.yaml", textwrap.dedent("""\
        prompts: [hi]
        env: {GEMINI_API_KEY: AIzaSyA0123456789abcdefghijklmnopqrstuv}
        providers:
          - id: mistral:pixtral-12b
            config: {apiKey: sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z}
          - id: openai:chat:gpt-4o
            config: {metadata: {k: sk-proj-Zb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z}}
    """))
    secrets = [f for f in found if f.code == "RL501"]
    assert sorted(f.diagnostic.pointer for f in secrets) == [  # once each: the metadata by its request
        "/env/GEMINI_API_KEY", "/metadata/k", "/providers/0/config/apiKey"]
    assert all(f.diagnostic.redact and "AIzaSyA0" not in f.message and "Ab3dEf" not in f.message for f in secrets)


def test_an_undefined_variable_is_pointed_at_inside_a_block_prompt():
    text = textwrap.dedent("""\
        prompts:
          - |
            You are a tutor.
            Explain {{ topic }} to a {{level}} student.
        providers: [echo]
        tests:
          - vars: {topic: fractions}
    """)
    [finding] = lint("promptfooconfig.yaml", text)
    assert (finding.code, finding.line, finding.column) == ("RL901", 4, 32)  # 1-based: `level`


def test_a_model_named_by_a_template_is_not_checked():
    built, _ = read("providers: ['openai:chat:{{ env.MODEL }}']\nprompts: [hi]\n")
    assert built == []


# --- everything else works on them: discovery, suppression, --fix, reports, the editor ------------
def test_discovered_suppressed_fixed_and_reported(tmp_path):
    import json
    import subprocess
    import sys

    config = tmp_path / "evals" / "promptfooconfig.yaml"
    config.parent.mkdir()
    config.write_text(textwrap.dedent("""\
        prompts: ["Describe {{hotel}}"]
        providers:
          - id: openai:chat:gpt-4.1
            config:
              reasoning_effort: high  # runlint: disable=RL902
              maxTokens: 10
          - id: openai:responses:gpt-4o
            config:
              response_format:
                type: json_schema
                json_schema:
                  name: h
                  schema:
                    type: object
                    properties: {a: {type: string}}
                    required: [a]
        tests:
          - vars: {hotel: x}
            assert:
              - type: containsAny
                value: [a]
    """))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "runlint", "check", str(tmp_path), *args],
                              capture_output=True, text=True, timeout=120)

    found = json.loads(run("--format", "json").stdout)
    assert sorted((f["code"], f["line"]) for f in found) == [("RL210", 13), ("RL900", 6), ("RL920", 20)]
    assert "strict: true" in next(f["message"] for f in found if f["code"] == "RL210")
    for report in ("sarif", "github", "junit", "gitlab"):
        assert "RL920" in run("--format", report).stdout, report
    run("--fix", "--unsafe-fixes")
    fixed = config.read_text()
    assert "type: contains-any" in fixed and "additionalProperties: false" in fixed
    assert "maxTokens: 10" in fixed  # a did-you-mean is for the author to choose


def test_the_extension_activates_on_promptfoo_configurations_and_includes_them():
    import json

    manifest = json.loads((ROOT / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    assert "workspaceContains:**/promptfooconfig*.{yaml,yml}" in manifest["activationEvents"]
    include = manifest["contributes"]["configuration"]["properties"]["runlint.include"]["default"]
    assert set(promptfoo.PATTERNS) <= set(include)
