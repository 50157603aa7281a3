"""OpenAI fine-tuning data (runlint/source/formats/fine_tuning.py, runlint/source/formats/fine_tuning_examples.py):
which files are claimed, what each example is, the checks at their keys, the file-wide checks, the
configured target model, and the real files of tests/formats/real/fine-tuning with their judgements."""

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from runlint.source.formats import fine_tuning_examples as checks
from runlint.pipeline.linter import Linter, Settings
from runlint.source.formats import fine_tuning
from runlint.source.formats.fine_tuning import FineTuningFile, claims, fine_tuning_data
from runlint.source.request import Source

REAL = Path(__file__).parent / "real" / "fine-tuning"
LINTER = Linter(Settings(cache_dir=None))


def chat(*messages, **extra) -> dict:
    return {"messages": list(messages), **extra}


USER = {"role": "user", "content": "Hi"}
ASSISTANT = {"role": "assistant", "content": "Hello!"}
GOOD = json.dumps(chat(USER, ASSISTANT))


def lint(lines: list, file: str = "train.jsonl", linter: Linter = LINTER, **data):
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    limits = dataclasses.replace(fine_tuning_data(), **data) if data else None
    return linter.lint(Source(file, data=text.encode(), limits=limits, format=fine_tuning))


def found(lines, **kwargs) -> list[tuple[str, int, str]]:
    return [(d.code, d.range.line + 1, d.pointer) for d in lint(lines, **kwargs)]


def codes_of(value, kind=None, supervised=True) -> list[tuple[str, tuple]]:
    kind = kind or checks.example_kind(value)
    return [(f.code, f.path) for f in checks.check_example(value, kind, supervised)]


# -- claiming and telling kinds ----------------------------------------------------------------------

@pytest.mark.parametrize(("head", "claimed"), [
    (GOOD.encode(), True),
    (json.dumps({"input": {"messages": [USER]}, "preferred_output": [ASSISTANT]}).encode(), True),
    (b'{"prompt": "a", "completion": "b"}', True),
    (b'{"prompt": "a", "answer": "b"}', False),  # a lone prompt is other tools' JSONL
    (b'{"model": "text-embedding-3-small", "input": "a"}', False),  # an embeddings request's `input`
    (b'{"item": {"q": 1}}', False),  # evals data
    (GOOD.encode() + b'\n{"custom_id": "a", "method": "POST", "url": "/v1/responses", "body": {}}', False),
    (b"{broken\n" + GOOD.encode(), True),  # a broken first line does not hide the rest
])
def test_a_file_is_claimed_by_its_first_lines(head, claimed):
    assert claims("data/train.jsonl", head) is claimed
    assert not claims("train.json", head)  # JSONL only


@pytest.mark.parametrize(("value", "kind"), [
    (chat(USER, ASSISTANT), checks.CHAT),
    (chat(USER, ASSISTANT, tools=[], parallel_tool_calls=False), checks.CHAT),
    (chat(USER, reference_answer="4"), checks.REINFORCEMENT),
    (chat(USER, input="3 5 7", target=24), checks.REINFORCEMENT),  # a reference field named `input`
    ({"input": {"messages": [USER]}}, checks.PREFERENCE),  # a preference example without its outputs
    (chat(USER, ASSISTANT, tool=[]), checks.CHAT),  # `tool` misspells `tools`: no reference field
    ({"input": {"messages": [USER]}, "preferred_completion": [ASSISTANT]}, checks.PREFERENCE),
    ({"prompt": "a", "completion": "b"}, checks.COMPLETION),
    ({"text": "a"}, None),
    ([1], None),
])
def test_each_line_is_told_by_its_keys(value, kind):
    assert checks.example_kind(value) == kind


@pytest.mark.parametrize(("head", "method"), [
    ([GOOD], (True, False)),
    ([json.dumps(chat(USER, reference_answer="4")), GOOD], (False, True)),
    ([json.dumps(chat(USER))], (False, False)),  # messages alone: reinforcement without references, or broken
    ([b"{broken", GOOD], (True, False)),
])
def test_the_first_lines_tell_the_method(head, method):
    state = FineTuningFile("train.jsonl")
    state.start([h.encode() if isinstance(h, str) else h for h in head])
    assert (state.supervised, state.reinforcement) == method


def test_a_first_example_longer_than_the_head_is_claimed_by_its_words():
    long = json.dumps(chat(USER, {"role": "assistant", "content": "x" * 5000})).encode()
    assert claims("train.jsonl", long[:4096])
    batch = json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
                        "body": {"messages": [{"role": "user", "content": "x" * 5000}]}}).encode()
    assert not claims("batch.jsonl", batch[:4096])
    evals = json.dumps({"item": {"messages": [{"role": "user", "content": "x" * 5000}]}}).encode()
    assert not claims("evals.jsonl", evals[:4096])


# -- one example -------------------------------------------------------------------------------------

def test_a_good_chat_example_has_no_finding():
    call = {"id": "call_1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Oslo"}'}}
    value = chat({"role": "system", "content": "Be brief.", "name": "sys"}, USER,
                 {"role": "assistant", "content": None, "tool_calls": [call], "weight": 1},
                 {"role": "tool", "tool_call_id": "call_1", "content": "12 C"},
                 {"role": "assistant", "content": [{"type": "text", "text": "12 C."}], "weight": 0},
                 tools=[{"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}],
                 parallel_tool_calls=False)
    assert codes_of(value) == []


@pytest.mark.parametrize(("message", "expected"), [
    ({"content": "Hi"}, [("RL711", ("messages", 0))]),
    ({"role": "human", "content": "Hi"}, [("RL711", ("messages", 0, "role"))]),
    ({"role": "user"}, [("RL712", ("messages", 0))]),
    ({"role": "user", "content": None}, [("RL712", ("messages", 0, "content"))]),
    ({"role": "user", "content": 3}, [("RL712", ("messages", 0, "content"))]),
    ({"role": "user", "content": []}, [("RL712", ("messages", 0, "content"))]),
    ({"role": "user", "content": [{"text": "a"}]}, [("RL712", ("messages", 0, "content", 0))]),
    ({"role": "user", "content": "Hi", "weight": 1}, [("RL715", ("messages", 0, "weight"))]),
    ({"role": "user", "content": "Hi", "contnet": "Hi"}, [("RL715", ("messages", 0, "contnet"))]),
    ({"role": "tool", "content": "12 C"}, [("RL716", ("messages", 0))]),
    ("Hi", [("RL710", ("messages", 0))]),
    ({"role": "function", "name": "f", "content": None}, []),  # the legacy function result may be null
    ({"role": "function", "name": "f"}, [("RL712", ("messages", 0))]),
])
def test_each_message_problem_is_one_finding_at_its_node(message, expected):
    assert codes_of(chat(message, ASSISTANT)) == expected


@pytest.mark.parametrize(("weight", "code"), [(0, None), (1, None), (0.5, "RL713"), (True, "RL713"), ("1", "RL713"),
                                              (2, "RL713")])
def test_weight_is_the_integer_0_or_1(weight, code):
    result = codes_of(chat(USER, {**ASSISTANT, "weight": weight}))
    assert result == ([] if code is None else [(code, ("messages", 1, "weight"))])


def test_an_assistant_message_needs_content_or_a_call():
    assert codes_of(chat(USER, {"role": "assistant"})) == [("RL712", ("messages", 1))]
    assert codes_of(chat(USER, {"role": "assistant", "content": None, "refusal": "No."})) == []


@pytest.mark.parametrize(("call", "expected"), [
    ({"id": "c", "type": "function", "function": {"name": "f", "arguments": {"a": 1}}},
     [("RL716", ("messages", 1, "tool_calls", 0, "function", "arguments"))]),
    ({"id": "c", "type": "function", "function": {"name": "f", "arguments": "{oops"}},
     [("RL717", ("messages", 1, "tool_calls", 0, "function", "arguments"))]),
    ({"id": "c", "type": "function", "function": {"name": "f", "arguments": json.dumps('{"a": 1}')}},
     [("RL717", ("messages", 1, "tool_calls", 0, "function", "arguments"))]),
    ({"type": "function", "function": {"name": "f", "arguments": "{}"}}, [("RL716", ("messages", 1, "tool_calls", 0))]),
    ({"id": "c", "type": "retrieval", "function": {"name": "f", "arguments": "{}"}},
     [("RL716", ("messages", 1, "tool_calls", 0, "type"))]),
    ({"id": "c", "type": "function", "function": {"name": "g", "arguments": "{}"}},
     [("RL718", ("messages", 1, "tool_calls", 0, "function", "name"))]),
])
def test_tool_calls(call, expected):
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    assert codes_of(chat(USER, {"role": "assistant", "tool_calls": [call]}, tools=tools)) == expected


def test_a_call_without_tools_in_the_example_is_left_alone():
    call = {"id": "c", "type": "function", "function": {"name": "g", "arguments": "{}"}}
    assert codes_of(chat(USER, {"role": "assistant", "tool_calls": [call]})) == []


def test_legacy_function_calls_are_checked_against_functions():
    value = chat(USER, {"role": "assistant", "function_call": {"name": "g", "arguments": "{}"}},
                 functions=[{"name": "f", "parameters": {"type": "object"}}])
    assert codes_of(value) == [("RL718", ("messages", 1, "function_call", "name"))]


@pytest.mark.parametrize(("tools", "expected"), [
    ("f", [("RL719", ("tools",))]),
    ([{"type": "function", "name": "f"}], [("RL719", ("tools", 0))]),  # the Responses shape
    ([{"type": "code_interpreter", "function": {"name": "f"}}], [("RL719", ("tools", 0, "type"))]),
    ([{"type": "function", "function": {"name": "a b"}}], [("RL719", ("tools", 0, "function", "name"))]),
    ([{"type": "function", "function": {"name": "f", "parameters": []}}],
     [("RL719", ("tools", 0, "function", "parameters"))]),
])
def test_tool_definitions(tools, expected):
    assert codes_of(chat(USER, ASSISTANT, tools=tools)) == expected


def test_supervised_examples_need_an_assistant_message_and_no_other_keys():
    assert codes_of(chat(USER)) == [("RL714", ("messages",))]
    assert codes_of(chat(USER), supervised=False) == []  # a reinforcement prompt
    assert codes_of(chat({"role": "asistant", "content": "x"})) == [("RL711", ("messages", 0, "role"))]  # one finding
    assert codes_of(chat(USER, ASSISTANT, answer="4"), kind=checks.REINFORCEMENT) == [("RL715", ("answer",))]
    assert codes_of(chat(USER, answer="4"), supervised=False) == []  # the grader's `{{ item.answer }}`
    assert codes_of(chat(USER, tool=[]), supervised=False) == [("RL715", ("tool",))]  # a near-miss anywhere


def test_a_reinforcement_example_takes_any_role_of_a_chat():
    value = chat({"role": "system", "content": "x"}, {"role": "developer", "content": "y"}, USER, reference="z")
    assert codes_of(value, supervised=False) == []


def test_preference_examples():
    good = {"input": {"messages": [USER], "tools": [], "parallel_tool_calls": True},
            "preferred_output": [ASSISTANT], "non_preferred_output": [{"role": "assistant", "content": "What?"}]}
    assert codes_of(good) == []
    renamed = {"input": {"messages": [USER]}, "preferred_completion": [ASSISTANT], "non_preferred_completion": [ASSISTANT]}
    assert codes_of(renamed) == []  # the API description's names are read too
    assert codes_of({**good, "input": [USER]}) == [("RL710", ("input",))]
    assert codes_of({**good, "input": {"messages": [USER], "temperature": 1}}) == [("RL715", ("input", "temperature"))]
    assert codes_of({k: v for k, v in good.items() if k != "non_preferred_output"}) == [("RL710", ())]
    assert codes_of({**good, "preferred_output": ASSISTANT}) == [("RL710", ("preferred_output",))]
    assert codes_of({**good, "preferred_output": [USER]}) == [("RL711", ("preferred_output", 0, "role"))]
    assert codes_of({**good, "preferred_output": [{"role": "tool", "tool_call_id": "c", "content": "x"}]}) == [
        ("RL714", ("preferred_output",))]
    assert codes_of({**good, "chosen": "x"}) == [("RL715", ("chosen",))]


def test_legacy_examples():
    assert codes_of({"prompt": "a", "completion": "b"}) == []
    assert codes_of({"prompt": "a", "completion": 4}) == [("RL710", ("completion",))]
    assert codes_of({"prompt": "a", "completion": "b", "label": 1}) == [("RL715", ("label",))]


def test_a_line_that_is_no_example():
    assert codes_of([1], kind=None) == [("RL710", ())]
    [finding] = checks.check_example({"message": []}, None)
    assert "did you mean `messages`?" in finding.message


# -- the file -------------------------------------------------------------------------------------------

def test_findings_are_at_the_users_keys_on_their_lines():
    bad = chat(USER, {"role": "assistant", "content": "x", "weight": 0.5})
    [finding] = lint([GOOD] * 10 + [bad])
    assert (finding.code, finding.range.line, finding.pointer) == ("RL713", 10, "/messages/1/weight")
    line = json.dumps(bad)
    assert line[finding.range.column:finding.range.end_column] == "0.5"


def test_mixed_kinds_are_reported_on_each_line_of_another_kind():
    lines = [GOOD] * 10 + [{"prompt": "a", "completion": "b"}, GOOD, {"prompt": "c", "completion": "d"}]
    assert found(lines) == [("RL722", 11, "/prompt"), ("RL722", 13, "/prompt")]
    [first] = [d for d in lint(lines) if d.range.line == 10]
    assert "line 1" in first.message


def test_chat_and_reinforcement_lines_share_a_file():
    assert found([GOOD] * 5 + [chat(USER, reference_answer="4")] * 5) == []


def test_too_few_examples_unless_the_name_says_held_out():
    assert found([GOOD] * 9) == [("RL721", 1, "")]
    assert found([GOOD] * 10) == []
    for name in ("validation.jsonl", "data/eval.jsonl", "ft_test.jsonl", "valid_data.jsonl"):
        assert found([GOOD] * 2, file=name) == []
    assert found(["", GOOD, GOOD], file="x.jsonl") == [("RL721", 2, "")]  # on the first example's line


def test_a_reinforcement_file_past_its_limit(tmp_path):
    line = chat(USER, reference_answer="4")
    assert found([line] * 13, max_reinforcement_examples=12) == [("RL721", 13, "")]
    assert found([GOOD] * 13, max_reinforcement_examples=12) == []  # a supervised file has no such limit


def test_syntax_errors_and_encoding_are_reported_per_line():
    result = found([GOOD] * 10 + ["{broken"])
    assert [c for c, line, _ in result if line == 11] == ["RL001"]
    data = ("\ufeff" + GOOD + "\n").encode() + (GOOD + "\n").encode() * 9 + b'{"messages": "\xff"}\n'
    codes = [(d.code, d.range.line) for d in LINTER.lint(Source("train.jsonl", data=data, format=fine_tuning))]
    assert ("RL007", 0) in codes and ("RL005", 10) in codes


def test_an_empty_file_of_blank_lines():
    assert [d.code for d in LINTER.lint(Source("train.jsonl", data=b"\n\n", format=fine_tuning))] == ["RL004"]


# -- length ----------------------------------------------------------------------------------------------

def test_length_with_no_target_is_the_cookbooks_limit_as_info():
    long = chat(USER, {"role": "assistant", "content": "word " * 60})
    [finding] = lint([GOOD] * 9 + [long], default_context=50)
    assert (finding.code, str(finding.severity), finding.pointer, finding.range.line) == ("RL720", "info", "/messages", 9)
    assert "cl100k_base" in finding.message and "fine-tuning-model" in finding.message
    assert lint([GOOD] * 9 + [long], default_context=80) == []  # 60 words and the message tokens fit


def test_length_against_the_configured_model(tmp_path):
    long = chat(USER, {"role": "assistant", "content": "word " * 60})
    contexts = {**fine_tuning_data().contexts, "gpt-4o-mini-2024-07-18": (50, "o200k_base")}
    for model in ("gpt-4o-mini", "gpt-4o-mini-2024-07-18", "ft:gpt-4o-mini-2024-07-18:acme::abc123"):
        linter = Linter(Settings(cache_dir=None, fine_tuning_model=model))
        [finding] = lint([GOOD] * 9 + [long], linter=linter, contexts=contexts)
        assert str(finding.severity) == "warning" and f"{model}'s training context" in finding.message
        assert "o200k_base" in finding.message
    unknown = Linter(Settings(cache_dir=None, fine_tuning_model="my-own-model"))
    assert lint([GOOD] * 9 + [long], linter=unknown, default_context=10) == []  # a limit runlint does not know


def test_a_preference_example_counts_its_longer_output():
    value = {"input": {"messages": [USER]}, "preferred_output": [ASSISTANT],
             "non_preferred_output": [{"role": "assistant", "content": "much longer " * 20}]}
    texts, fixed = checks.length_parts(value, checks.PREFERENCE)
    assert "much longer " * 20 in texts and ASSISTANT["content"] not in texts and fixed == 3 + 3 * 2


def test_the_cookbook_count_of_its_own_toy_file():
    """The notebook reports the toy file's longest example at 8,032 tokens; so does runlint."""
    [finding] = [d for d in LINTER.lint(Source("toy.jsonl", data=(REAL / "cookbook-toy_chat_fine_tuning.jsonl").read_bytes()))
                 if d.code == "RL720"]
    assert "8,032 tokens" in finding.message and finding.range.line == 4


def test_the_configuration_names_the_model(tmp_path):
    from runlint.config import load_config, settings_for

    (tmp_path / "runlint.toml").write_text('fine-tuning-model = "gpt-4.1-mini"\n')
    assert settings_for(load_config(tmp_path / "runlint.toml")).fine_tuning_model == "gpt-4.1-mini"
    assert fine_tuning_data().context("gpt-4.1-mini")[0] == 65536


# -- real files ---------------------------------------------------------------------------------------------

JUDGEMENTS = yaml.safe_load((REAL / "JUDGEMENTS.yaml").read_text())
SOURCES = yaml.safe_load((REAL / "SOURCES.yaml").read_text())


def test_every_real_file_has_its_source():
    assert {p.name for p in REAL.glob("*.jsonl")} == set(SOURCES["files"])


@pytest.mark.parametrize("path", sorted(REAL.glob("*.jsonl")), ids=lambda p: p.name)
def test_real_files_give_exactly_the_judged_findings_and_no_false_error(path):
    result = LINTER.lint_bytes(path.read_bytes(), path.name)  # claimed as the CLI claims it
    judged = [j for j in JUDGEMENTS["findings"] if j["file"] == path.name]
    assert sorted((d.code, d.range.line + 1) for d in result) == sorted((j["code"], j["line"]) for j in judged)
    assert not [j for j in judged if not j["verdict"] and j["severity"] == "error"]
    for finding in result:
        assert str(finding.severity) == next(j["severity"] for j in judged if (j["code"], j["line"]) ==
                                             (finding.code, finding.range.line + 1))


# -- the language server ---------------------------------------------------------------------------------

from lsprotocol import types  # noqa: E402

from helpers.lsp import open_and_wait, uri  # noqa: E402 - `client` is the fixture (tests/conftest.py)


async def opened(client, name: str, text: str):  # noqa: F811
    """The buffer opened (as JSON Lines), and the position of the `|` in `text` (then removed)."""
    position = None
    if "|" in text:
        index = text.index("|")
        text = text.replace("|", "", 1)
        line = text.count("\n", 0, index)
        position = types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))
    await open_and_wait(client, name, text, "json")
    return types.TextDocumentIdentifier(uri=uri(name)), position, text


async def completions(client, name: str, text: str):  # noqa: F811
    document, position, _ = await opened(client, name, text)
    result = await client.text_document_completion_async(types.CompletionParams(text_document=document,
                                                                                position=position))
    return result.items if result else []


async def hover_at(client, name: str, text: str):  # noqa: F811
    document, position, _ = await opened(client, name, text)
    return await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))


async def inlay(client, document):  # noqa: F811
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=200, character=0))
    return await client.text_document_inlay_hint_async(types.InlayHintParams(text_document=document, range=whole))


@pytest.mark.asyncio
async def test_completion_and_hover_of_an_examples_keys(client):  # noqa: F811
    roles = await completions(client, "ft1.jsonl", GOOD + '\n{"messages": [{"role": "|"}]}')
    assert {"system", "user", "assistant", "tool"} <= {i.label for i in roles}
    keys = await completions(client, "ft2.jsonl", GOOD + '\n{"messages": [], "|')
    assert {"tools", "parallel_tool_calls"} <= {i.label for i in keys} and "custom_id" not in {i.label for i in keys}
    hover = await hover_at(client, "ft3.jsonl", GOOD + '\n{"messages": [{"role": "assistant", "content": "x", "we|ight": 1}]}')
    assert "trained against" in hover.contents.value


@pytest.mark.asyncio
async def test_each_example_gets_its_token_count(client):  # noqa: F811
    """A fine-tuning line's hint counts its messages (it said `0 tokens`: it was read as a batch
    line without a body)."""
    long = json.dumps(chat(USER, {"role": "assistant", "content": "word " * 200}))
    document, _, _ = await opened(client, "ft4.jsonl", GOOD + "\n" + long + "\n")
    labels = {hint.position.line: hint.label for hint in await inlay(client, document)}
    assert labels[1].startswith("20") and labels[1].endswith(" tokens") and labels[0] != "0 tokens"


def test_fixes_are_offered_only_where_one_to_one():
    def replacement(value):
        return [(f.code, f.replacement) for f in checks.check_example(value, checks.example_kind(value), True)]

    assert replacement(chat(USER, {**ASSISTANT, "weight": True})) == [("RL713", "1")]
    assert replacement(chat(USER, {**ASSISTANT, "weight": "0"})) == [("RL713", "0")]
    assert replacement(chat(USER, {**ASSISTANT, "weight": 0.5})) == [("RL713", None)]
    assert replacement(chat(USER, {"role": "asistant", "content": "x"})) == [("RL711", '"assistant"')]
    assert replacement(chat(USER, {"role": "bot", "content": "x"})) == [("RL711", None)]  # no close role
    assert replacement(chat({"role": "user", "contnet": "Hi"}, ASSISTANT)) == [("RL715", '"content"'), ("RL712", None)]
    assert replacement(chat({**USER, "contnet": "Hi"}, ASSISTANT)) == [("RL715", None)]  # `content` is there


def test_a_fix_on_a_later_line_edits_that_line():
    from runlint.fix.apply import fix_bytes

    text = "\n".join([GOOD] * 10 + [json.dumps(chat(USER, {**ASSISTANT, "weight": True}))]) + "\n"
    fixed = fix_bytes(LINTER, text.encode(), "train.jsonl")
    assert fixed.data.decode().splitlines()[10] == json.dumps(chat(USER, {**ASSISTANT, "weight": 1}))


@pytest.mark.parametrize("report", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_every_report_format_tells_a_fine_tuning_finding(tmp_path, report):
    import os
    import subprocess
    import sys

    path = tmp_path / "train.jsonl"
    path.write_text("\n".join([GOOD] * 10 + ['{"prompt": "a", "completion": "b"}']) + "\n")
    result = subprocess.run([sys.executable, "-m", "runlint", "check", "--isolated", "--format", report, str(path)],
                            capture_output=True, text=True, env={**os.environ, "RUNLINT_NO_CACHE": "1"})
    assert result.returncode == 1, result.stderr  # RL722 is an error
    assert "RL722" in result.stdout and ("11" in result.stdout)


def test_worker_processes_find_what_one_process_finds():
    """Past the first 2,000 lines the pipeline's driver checks lines in forked workers: `read` there
    knows the method the first lines showed (set by `open`, before the fork)."""
    lines = [GOOD] * 2_500 + [json.dumps(chat(USER)), json.dumps(chat(USER, {**ASSISTANT, "weight": 2}))] * 300
    data = ("\n".join(lines) + "\n").encode()
    one = LINTER.lint(Source("train.jsonl", data=data, jobs=1))
    two = LINTER.lint(Source("train.jsonl", data=data, jobs=2))
    assert [d.to_json() for d in one] == [d.to_json() for d in two]
    assert {d.code for d in one} == {"RL713", "RL714"} and len(one) == 600
