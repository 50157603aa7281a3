"""GitHub Models prompt files (runlint/source/formats/github_models.py): the request gh-models
builds, where each part of it is written, and the format's own findings."""

from __future__ import annotations


import pytest
import yaml

from runlint.diagnostic import Range
from runlint.source.document import load
from runlint.source.embedded import embedded
from runlint.source.formats import github_models as gm

from helpers import ROOT
REAL = ROOT / "tests" / "formats" / "real" / "github-models"


def built(text: str, file: str = "x.prompt.yml") -> gm.BuiltPrompt:
    return gm.build(load(file, text).documents[0])


def entry(b: gm.BuiltPrompt, prefix: tuple):
    return next(e for e in b.entries if e[0] == prefix)


def test_claims_by_name():
    assert gm.claims("a/b/triage.prompt.yml") and gm.claims("X.PROMPT.YAML")
    assert not gm.claims("prompt.yml") and not gm.claims("a.chat.yaml")


def test_the_request_is_what_gh_models_sends():
    b = built("model: openai/o3-mini\nmodelParameters:\n  maxTokens: 100\n  temperature: 0.2\n  topP: 0.9\n"
              "messages:\n  - role: System\n    content: Hi {{name}}\n  - role: user\n")
    assert b.value == {"model": "o3-mini", "max_tokens": 100, "temperature": 0.2, "top_p": 0.9, "stream": True,
                       "messages": [{"role": "system", "content": "Hi {{name}}"}, {"role": "user", "content": ""}]}
    assert b.openai
    prefix, document, file_prefix, verbatim = entry(b, ("max_tokens",))
    assert file_prefix == ("modelParameters", "maxTokens") and not verbatim
    assert document.locate(file_prefix, on_key=True) == Range(2, 2, 2, 11)


@pytest.mark.parametrize("model, sent, openai", [
    ("openai/gpt-4.1", "gpt-4.1", True), ("microsoft/phi-4", "microsoft/phi-4", False),
    ("gpt-4o-mini", "gpt-4o-mini", True), ("Phi-4", "Phi-4", False), (None, None, False)])
def test_only_openai_models_get_openai_facts(model, sent, openai):
    assert gm.model_id(model) == (sent, openai)


def test_a_json_schema_string_is_positioned_inside_its_block():
    text = ('model: openai/gpt-4.1\nresponseFormat: json_schema\njsonSchema: |-\n  {\n    "name": "x",\n'
            '    "schema": {"type": "object", "properties": {"a": {"type": "string"}}}\n  }\nmessages: []\n')
    b = built(text)
    _, inner, file_prefix, verbatim = entry(b, ("response_format", "json_schema"))
    assert verbatim and file_prefix == () and inner.syntax == "json"
    assert b.value["response_format"]["json_schema"]["name"] == "x"
    where = inner.locate(("schema", "properties", "a"), on_key=True)
    assert inner.text_at(where) == '"a"' and where == Range(5, 48, 5, 51)


def test_a_one_line_json_string_is_positioned_too():
    document = load("x.prompt.yml", "jsonSchema: '{\"name\": \"x\"}'\n").documents[0]
    inner = embedded(document, ("jsonSchema",))
    assert inner.text_at(inner.locate(("name",))) == '"x"'


def test_a_folded_json_string_is_not_positioned():
    document = load("x.prompt.yml", "jsonSchema: >\n  {\"name\":\n  \"x\"}\n").documents[0]
    assert embedded(document, ("jsonSchema",)) is None


def findings(text: str, file: str = "x.prompt.yml"):
    return [(f.code, f.pointer, str(f.severity) if f.severity else None) for f in built(text, file).findings]


def test_unknown_model_parameters_are_reported_at_their_key_with_a_suggestion():
    b = built("model: openai/gpt-4.1\nmodelParameters:\n  topp: 1\n  maxCompletionTokens: 5\nmessages: []\n")
    topp, completion = b.findings
    assert (topp.code, topp.range) == ("RL900", Range(2, 2, 2, 6)) and "did you mean `topP`" in topp.message
    assert "never sent" in completion.message


def test_placeholders_are_checked_against_test_data_only_when_there_is_some():
    assert findings("messages:\n  - role: user\n    content: '{{a}}'\n") == []
    found = built("messages:\n  - role: user\n    content: 'say {{a}} {{b}}'\ntestData:\n  - a: 1\n").findings
    assert [(f.code, f.range) for f in found] == [("RL901", Range(2, 24, 2, 29))]


def rule_examples():
    for path in sorted((ROOT / "rules").glob("RL9*.yaml")):
        rule = yaml.safe_load(path.read_text())
        for kind in ("invalid", "valid"):
            for number, example in enumerate(rule["examples"].get(kind, [])):
                if gm.claims(example.get("file") or ""):
                    yield pytest.param(rule, kind, example, id=f"{rule['code']}-{kind}{number}")


@pytest.mark.parametrize("rule, kind, example", list(rule_examples()))
def test_rule_examples_of_this_format(rule, kind, example):
    """The rule files' examples, run against the module until the format layer runs them."""
    found = [f for f in built(example["text"], example["file"]).findings if f.code == rule["code"]]
    if kind == "valid":
        assert not found
        return
    assert any(f.pointer == example["at"] for f in found), [f.pointer for f in found]
    hit = next(f for f in found if f.pointer == example["at"])
    assert (str(hit.severity) if hit.severity else rule["severity"]) == example.get("severity", rule["severity"])
    assert example.get("message", "") in hit.message


def test_every_real_file_is_kept_with_its_source_and_every_finding_judged():
    sources = yaml.safe_load((REAL / "SOURCES.yaml").read_text())
    files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*.prompt.y*ml")}
    assert len(files) >= 30 and files == {s["file"] for s in sources}
    assert all(len(s["commit"]) == 40 and s["repo"] and s["path"] for s in sources)
    judged = {(j["file"], j["code"], j["line"]) for j in yaml.safe_load((REAL / "JUDGEMENTS.yaml").read_text())}
    found = set()
    for file in files:
        for f in built((REAL / file).read_text(), file).findings:
            found.add((file, f.code, f.range.line + 1))
    assert found <= judged  # the format's own findings are all judged (the request's: by the script)


def test_regression_gh_models_own_strict_schema_example():
    """github/gh-models examples/json_schema_prompt.yml: strict, with `characteristics` not
    required; the request carries it, positioned at the property inside the block."""
    file = "github+gh-models/examples__json_schema_prompt.yml.prompt.yml"
    b = built((REAL / file).read_text(), file)
    schema = b.value["response_format"]["json_schema"]
    assert schema["strict"] is True and "characteristics" not in schema["schema"]["required"]
    _, inner, _, _ = entry(b, ("response_format", "json_schema"))
    assert inner.locate(("schema", "properties", "characteristics"), on_key=True).line == 24


def test_regression_labeler_max_tokens_is_an_info():
    file = "github+ai-assessment-comment-labeler/prompt_examples__bug-review.prompt.yml"
    (finding,) = built((REAL / file).read_text(), file).findings
    assert (finding.code, str(finding.severity), finding.pointer) == ("RL900", "info", "/modelParameters/max_tokens")


@pytest.mark.parametrize("text", [
    "- a\n- b\n", "42\n", "model: [1]\nmodelParameters: 3\nmessages: {a: 1}\ntestData: 5\nevaluators: [1, {string: 3, llm: [], uses: 4}]\n",
    "messages:\n  - 3\n  - {role: 5, content: [1]}\ntestData: [{a: 1}, 3]\nresponseFormat: 7\njsonSchema: [1]\n",
    "responseFormat: json_schema\njsonSchema: '[1]'\n", "evaluators:\n  - llm: {choices: [3, {choice: a, x: 1}]}\n",
    "modelParameters: {1: 2, null: 3}\n", "? [a]\n: b\n"])
def test_odd_files_give_findings_never_a_crash(text):
    for document in load("x.prompt.yml", text).documents:
        assert isinstance(gm.build(document).value, dict)


def test_the_map_has_no_root_entry_so_fixes_inside_the_json_block_survive():
    b = built("model: openai/gpt-4.1\nresponseFormat: json_schema\njsonSchema: '{\"name\": \"x\", \"schema\": {}}'\n"
              "messages: []\n")
    assert all(prefix != () for prefix, *_ in b.entries)
    assert entry(b, ("stream",))[2] == ("model",)  # a finding on `stream` is about the model
