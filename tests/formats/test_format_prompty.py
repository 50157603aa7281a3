"""Prompty files (runlint/source/formats/prompty.py): front matter and template split with the
file's own positions, v1 and v2 read as their runtimes send them, and the format's own findings."""

from __future__ import annotations


import pytest
import yaml

from runlint.diagnostic import Range
from runlint.source.formats import prompty

from helpers import ROOT
REAL = ROOT / "tests" / "formats" / "real" / "prompty"

V1 = """---
name: Basic
model:
  api: chat
  configuration:
    type: openai
    name: o3-mini
  parameters:
    max_tokens: 100
    tools: ${file:functions.json}
sample:
  firstName: Jane
---

system:
You help {{firstName}}.

user:
{{question}}
"""

V2 = """---
name: Basic
model:
  id: gpt-4.1
  provider: openai
  apiType: responses
  options:
    maxOutputTokens: 200
    seed: 4
    topK: 3
    additionalProperties:
      store: false
inputs:
  - name: question
    kind: string
---
system:
Be brief.
user:
{{question}}
"""


def built(text: str, file: str = "x.prompty"):
    front, body, problems = prompty.split(file, text)
    assert not problems
    return prompty.build(front, body), front, body


def test_claims_by_name():
    assert prompty.claims("a/chat.prompty") and not prompty.claims("chat.prompt.yml")


def test_v1_parameters_are_sent_as_written_and_the_template_is_split_at_role_lines():
    b, front, body = built(V1)
    assert b.kind == "chat-completion" and b.openai
    assert b.value == {"model": "o3-mini", "max_tokens": 100, "messages": [
        {"role": "system", "content": "You help {{firstName}}.\n"}, {"role": "user", "content": "{{question}}"}]}
    # `tools: ${file:...}` is filled in by the runtime: unknown here, left out
    (_, document, file_prefix, verbatim), = [e for e in b.entries if e[0] == ("max_tokens",)]
    assert verbatim and document.locate(file_prefix, on_key=True) == Range(8, 4, 8, 14)
    assert body.locate((1, "role")) == Range(17, 0, 17, 4) and body.locate((1, "content")).line == 18
    assert body.text_at(body.locate((0, "content"))).startswith("You help")


def test_v2_options_are_renamed_as_to_wire_renames_them_for_responses():
    b, front, body = built(V2)
    assert b.kind == "response" and b.openai
    assert b.value == {"model": "gpt-4.1", "max_output_tokens": 200, "store": False, "instructions": "Be brief.",
                       "input": [{"role": "user", "content": "{{question}}"}]}  # seed and topK: no Responses name
    entry = next(e for e in b.entries if e[0] == ("max_output_tokens",))
    assert entry[2] == ("model", "options", "maxOutputTokens") and not entry[3]


def test_v2_chat_sends_top_k_which_openai_does_not_know():
    b, _, _ = built(V2.replace("apiType: responses", "apiType: chat"))
    assert b.value["top_k"] == 3 and b.value["max_completion_tokens"] == 200 and b.value["seed"] == 4


@pytest.mark.parametrize("configuration, openai", [
    ("type: azure_openai\n    azure_deployment: gpt-4o", False),
    ("type: openai\n    name: ${env:MODEL}", False),
    ("type: openai\n    name: gpt-4o", True)])
def test_only_a_named_openai_model_gets_openai_facts(configuration, openai):
    text = f"---\nmodel:\n  configuration:\n    {configuration}\n---\nHi\n"
    assert built(text)[0].openai is openai


def test_unknown_keys_and_roles_and_variables():
    text = ("---\nname: x\npi: chat\nmodel:\n  id: gpt-4.1\n  provider: openai\n  options:\n    maxTokens: 1\n"
            "inputs:\n  - name: a\n---\nsystem:\n{{a}} {{b}} {% for x in a %}{{x}}{% endfor %}\nfunction:\nz\n")
    b, _, _ = built(text)
    found = [(f.code, f.pointer, f.range.line) for f in b.findings]
    assert found == [("RL900", "/pi", 2), ("RL900", "/model/options/maxTokens", 7), ("RL941", "/1/role", 13),
                     ("RL901", "/0/content", 12)]
    assert "`b`" in b.findings[-1].message and b.findings[-1].range == Range(12, 6, 12, 11)


def test_no_variable_check_without_declared_inputs():
    assert built("---\nmodel:\n  api: chat\n---\nuser:\n{{anything}}\n")[0].findings == []


def rule_examples():
    for path in sorted((ROOT / "rules").glob("RL9*.yaml")):
        rule = yaml.safe_load(path.read_text())
        for kind in ("invalid", "valid"):
            for number, example in enumerate(rule["examples"].get(kind, [])):
                if prompty.claims(example.get("file") or ""):
                    yield pytest.param(rule, kind, example, id=f"{rule['code']}-{kind}{number}")


@pytest.mark.parametrize("rule, kind, example", list(rule_examples()))
def test_rule_examples_of_this_format(rule, kind, example):
    b, _, _ = built(example["text"], example["file"])
    found = [f for f in b.findings if f.code == rule["code"]]
    if kind == "valid":
        assert not found
        return
    hit = next((f for f in found if f.pointer == example["at"]), None)
    assert hit is not None, [f.pointer for f in found]
    assert example.get("message", "") in hit.message


def test_every_real_file_is_kept_with_its_source_and_every_finding_judged():
    sources = yaml.safe_load((REAL / "SOURCES.yaml").read_text())
    files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*.prompty")}
    assert len(files) >= 30 and files == {s["file"] for s in sources}
    judged = {(j["file"], j["code"], j["line"]) for j in yaml.safe_load((REAL / "JUDGEMENTS.yaml").read_text())}
    found = set()
    for file in files:
        b, _, _ = built((REAL / file).read_text(), file)
        found |= {(file, f.code, f.range.line + 1) for f in b.findings}
    assert found <= judged


def test_regression_contoso_chat_azure_deployment_is_no_model():
    """Azure-Samples/contoso-chat: an Azure deployment name says nothing of the model behind it."""
    file = "Azure-Samples+contoso-chat/docs__workshop__src__1-build__chat-3.prompty"
    b, _, _ = built((REAL / file).read_text(), file)
    assert not b.openai and b.value["max_tokens"] == 3000
    assert [m["role"] for m in b.value["messages"]] == ["system"]


@pytest.mark.parametrize("text", ["", "---\n---\n", "---\n- a\n---\nuser:\nhi", "no front matter\nuser:\nx",
                                  "---\nmodel: 5\ninputs: 3\nsample: [1]\n---\n{{x}}",
                                  "---\nmodel:\n  options: [1]\n  parameters: 4\n  configuration: x\n---\n",
                                  "---\nbad: [\n---\nuser:\n",
                                  "---\nmodel:\n  id: {a: 1}\n  options: {additionalProperties: 3, stopSequences: []}\n---\n"])
def test_odd_files_give_findings_never_a_crash(text):
    front, body, problems = prompty.split("x.prompty", text)
    built = prompty.build(front, body)
    assert isinstance(built.value["messages" if built.kind != "response" else "input"], list)


def test_the_map_has_no_root_entry_and_its_home_is_the_front_matter():
    """A non-verbatim root would hold every node, and the pipeline drops a fix with an edit inside
    a non-verbatim node: v1 parameters (verbatim) keep their fixes only without one."""
    b, front, body = built(V1)
    assert all(prefix != () for prefix, *_ in b.entries)
    shortest = min(len(e[0]) for e in b.entries)
    assert [e for e in b.entries if len(e[0]) == shortest][-1][1] is front


def test_the_loader_reads_a_prompty_file_as_front_matter_and_template():
    from runlint.source.document import load, syntax_of

    assert syntax_of("a/chat.prompty") == "prompty"
    source = load("chat.prompty", V1)
    front, body = source.documents
    assert front.value["model"]["api"] == "chat" and body.value[1]["role"] == "user"
    assert front.text == V1 and front.locate(("sample", "firstName")).line == 11
    broken = load("chat.prompty", "---\nbad: [\n---\nuser:\nhi\n")
    assert [p.code for p in broken.problems] == ["RL001"] and len(broken.documents) == 1
