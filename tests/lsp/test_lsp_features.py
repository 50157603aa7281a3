"""The language server's navigation features end to end (pytest-lsp over stdio): completion in JSON
and YAML flow style, the outline, definitions, references, rename, diagnostic tags, inlay hints.

Text with a `|` marks the cursor; `at(text)` removes it and gives the LSP position.
"""

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from helpers.lsp import open_and_wait, uri

LANGUAGE = {"json": "json", "yaml": "yaml", "jsonl": "json"}


def at(text: str) -> tuple[str, types.Position]:
    index = text.index("|")
    text = text.replace("|", "", 1)
    line = text.count("\n", 0, index)
    before = text[text.rfind("\n", 0, index) + 1:index]
    return text, types.Position(line=line, character=len(before.encode("utf-16-le")) // 2)


async def opened(client: LanguageClient, name: str, text: str):
    text, position = at(text) if "|" in text else (text, None)
    await open_and_wait(client, name, text, LANGUAGE[name.rsplit(".", 1)[1]])
    return types.TextDocumentIdentifier(uri=uri(name)), position, text


async def completions(client: LanguageClient, name: str, text: str) -> list[types.CompletionItem]:
    document, position, _ = await opened(client, name, text)
    result = await client.text_document_completion_async(types.CompletionParams(text_document=document,
                                                                                position=position))
    return result.items if result else []


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    assert start.line == end.line
    line = lines[start.line]
    lines[start.line] = line[:start.character] + edit.new_text + line[end.character:]
    return "\n".join(lines)


# -- completion ------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_json_keys_still_missing_required_first_with_descriptions(client: LanguageClient):
    items = await completions(client, "c1.chat.json", '{"model": "gpt-4o", "te|')
    labels = [i.label for i in items]
    assert "temperature" in labels and "model" not in labels
    ordered = sorted(items, key=lambda i: i.sort_text)
    assert ordered[0].label == "messages" and ordered[0].detail == "required"
    temperature = next(i for i in items if i.label == "temperature")
    assert "sampling temperature" in temperature.documentation.value
    assert temperature.text_edit.new_text == '"temperature": '
    # the edit replaces what was typed, its opening quote included
    assert temperature.text_edit.range.start.character == len('{"model": "gpt-4o", ')


@pytest.mark.asyncio
async def test_json_key_on_a_new_line_before_the_next_key_and_after_a_missing_comma(client: LanguageClient):
    items = await completions(client, "c2.chat.json", '{\n  "model": "gpt-4o",\n  "|"\n  "messages": []\n}')
    labels = [i.label for i in items]
    assert "temperature" in labels and "messages" not in labels and "model" not in labels
    items = await completions(client, "c3.chat.json", '{\n  "model": "gpt-4o"\n  "st|\n}')
    assert "stream" in [i.label for i in items] and "model" not in [i.label for i in items]


@pytest.mark.asyncio
async def test_json_values_enums_and_model_ids_with_capabilities(client: LanguageClient):
    items = await completions(client, "c4.chat.json", '{"model": "gpt-4o", "messages": [], "reasoning_effort": |}')
    assert {i.label for i in items} >= {"low", "medium", "high"}
    assert all(i.text_edit.new_text == f'"{i.label}"' for i in items)
    models = await completions(client, "c5.chat.json", '{"model": "gpt|", "messages": []}')
    gpt4o = next(i for i in models if i.label == "gpt-4o")
    assert gpt4o.detail.startswith("gpt-4o:") and "json_schema" in gpt4o.detail
    o3 = next(i for i in models if i.label == "o3-mini")
    assert "reasoning_effort low/medium/high" in o3.detail and "temperature" not in o3.detail
    written = apply('{"model": "gpt", "messages": []}', gpt4o.text_edit)
    assert written == '{"model": "gpt-4o", "messages": []}'


@pytest.mark.asyncio
async def test_yaml_flow_mapping_keys_and_values(client: LanguageClient):
    spec = ("model: gpt-4o\nmessages: []\ntools:\n  - {type: function, function: {name: get_weather}}\n"
            "  - {type: function, function: {name: lookup}}\n")
    items = await completions(client, "c6.chat.yaml", spec + "tool_choice: {type: function, function: {name: |}}\n")
    assert [i.label for i in items] == ["get_weather", "lookup"]
    keys = await completions(client, "c7.chat.yaml", spec + "tool_choice: {type: function, function: {na|}}\n")
    assert [i.label for i in keys] == ["name"]
    assert keys[0].text_edit.new_text == "name: "
    formats = await completions(client, "c8.chat.yaml", "model: gpt-4o\nmessages: []\nresponse_format: {type: |}\n")
    assert [i.label for i in formats] == ["text", "json_schema", "json_object"]
    # unclosed: the brackets are closed after the cursor to read it
    unclosed = await completions(client, "c9.chat.yaml", spec + "tool_choice: {type: function, function: {name: |\n")
    assert [i.label for i in unclosed] == ["get_weather", "lookup"]


@pytest.mark.asyncio
async def test_function_names_in_every_kinds_tool_choice(client: LanguageClient):
    run = await completions(client, "c10.run.json", '{"assistant_id": "a", "tools": [{"type": "function", '
                            '"function": {"name": "f1"}}], "tool_choice": {"type": "function", "function": {"name": "|"}}}')
    assert [i.label for i in run] == ["f1"]
    tools = '"tools": [{"type": "function", "name": "f1", "parameters": {}}, {"type": "function", "name": "f2", "parameters": {}}]'
    forced = await completions(client, "c11.response.json",
                               '{"model": "gpt-4o", "input": "hi", ' + tools + ', "tool_choice": {"type": "function", "name": |}}')
    assert [i.label for i in forced] == ["f1", "f2"]
    allowed = await completions(client, "c12.response.json", '{"model": "gpt-4o", "input": "hi", ' + tools +
                                ', "tool_choice": {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "f|"}]}}')
    assert [i.label for i in allowed] == ["f1", "f2"]
    yaml = await completions(client, "c13.response.yaml", "model: gpt-4o\ninput: hi\ntools:\n  - type: function\n"
                             "    name: f1\n    parameters: {}\ntool_choice:\n  type: function\n  name: \n|")
    labels = [i.label for i in yaml]  # the cursor is on the next line: top-level keys, no function names
    assert "temperature" in labels and "f1" not in labels and "tool_choice" not in labels
    yaml = await completions(client, "c14.response.yaml", "model: gpt-4o\ninput: hi\ntools:\n  - type: function\n"
                             "    name: f1\n    parameters: {}\ntool_choice:\n  type: function\n  name: |\n")
    assert [i.label for i in yaml] == ["f1"]


@pytest.mark.asyncio
async def test_chat_tool_call_ids_of_earlier_assistant_calls(client: LanguageClient):
    items = await completions(client, "c15.chat.yaml", "model: gpt-4o\nmessages:\n  - {role: user, content: hi}\n"
                              "  - {role: assistant, tool_calls: [{id: call_1, type: function, function: {name: f, arguments: '{}'}},"
                              " {id: call_2, type: function, function: {name: f, arguments: '{}'}}]}\n"
                              "  - {role: tool, tool_call_id: |, content: ok}\n"
                              "  - {role: assistant, tool_calls: [{id: call_3, type: function, function: {name: f, arguments: '{}'}}]}\n")
    assert [i.label for i in items] == ["call_1", "call_2"]  # not call_3: it comes later


# -- outline ---------------------------------------------------------------------------------------
def names(symbols) -> list:
    return [(s.name, names(s.children) if s.children else None) for s in symbols]


CHAT_YAML = """model: gpt-4o
messages:
  - role: system
    content: You are a weather service that answers in one short sentence.
  - {role: user, content: Weather in Paris?}
tools:
  - type: function
    function: {name: get_weather, parameters: {type: object}}
response_format:
  type: json_schema
  json_schema: {name: forecast, schema: {type: object}}
"""


@pytest.mark.asyncio
async def test_outline_of_a_yaml_and_a_json_request(client: LanguageClient):
    document, _, _ = await opened(client, "s1.chat.yaml", CHAT_YAML)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=document))
    assert names(symbols) == [("model", None), ("messages", [("system", None), ("user", None)]),
                              ("tools", [("get_weather", None)]), ("response_format", [("forecast", None)])]
    messages = symbols[1]
    assert messages.children[0].detail == "You are a weather service that answers in one s…"
    assert messages.range.start == types.Position(line=1, character=0)
    assert messages.range.end == types.Position(line=4, character=44)
    assert messages.children[1].selection_range.start == types.Position(line=4, character=4)
    assert symbols[0].detail == "gpt-4o"

    text = ('{"model": "gpt-4o", "instructions": "Be brief.", "input": [{"role": "user", "content": "Hi"},'
            ' {"type": "function_call_output", "call_id": "c1", "output": "18 C"}],'
            ' "tools": [{"type": "function", "name": "f", "parameters": {}}], "text": {"format": {"type": "json_schema",'
            ' "name": "answer", "schema": {"type": "object"}}}}')
    document, _, _ = await opened(client, "s2.response.json", text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=document))
    assert names(symbols) == [("model", None), ("instructions", None),
                              ("input", [("user", None), ("function_call_output", None)]),
                              ("tools", [("f", None)]), ("text", [("answer", None)])]
    assert symbols[2].children[1].detail == "18 C"
    start = text.index('{"type": "function_call_output"')
    assert symbols[2].children[1].range.start.character == start


@pytest.mark.asyncio
async def test_outline_of_a_batch_file_is_one_symbol_per_request(client: LanguageClient):
    line = '{{"custom_id": "{}", "method": "POST", "url": "/v1/chat/completions", "body": {{"model": "gpt-4o", "messages": []}}}}'
    text = "\n".join([line.format("req-1"), line.format("req-2"), "not json", line.format("")]) + "\n"
    document, _, _ = await opened(client, "s3.jsonl", text)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=document))
    assert [s.name for s in symbols] == ["req-1", "req-2", "line 4"]
    assert [s.range.start.line for s in symbols] == [0, 1, 3]
    assert symbols[0].detail == "/v1/chat/completions gpt-4o"
    first = line.format("req-1")
    assert symbols[0].selection_range.start.character == first.index('"req-1"')
    assert names(symbols[0].children) == [("model", None), ("messages", None)]
    assert symbols[0].children[0].range.start == types.Position(line=0, character=first.index('"model"'))


# -- definition, references, rename ----------------------------------------------------------------
async def definition(client, name, text):
    document, position, text = await opened(client, name, text)
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=document,
                                                                                position=position))
    return found, text


def span(text: str, found: types.Location) -> str:
    lines = text.split("\n")
    assert found.range.start.line == found.range.end.line
    return lines[found.range.start.line][found.range.start.character:found.range.end.character]


RUN = ('{"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "get_weather"}},'
       ' {"type": "function", "function": {"name": "lookup"}}],'
       ' "tool_choice": {"type": "function", "function": {"name": "look|up"}}}')


@pytest.mark.asyncio
async def test_definition_of_a_forced_function_in_json_and_yaml(client: LanguageClient):
    [found], text = await definition(client, "d1.run.json", RUN)
    assert span(text, found) == '"lookup"' and found.range.start.character == text.index('"lookup"')
    [found], text = await definition(client, "d2.response.yaml", "model: gpt-4o\ninput: hi\ntools:\n"
                                     "  - {type: function, name: f1, parameters: {}}\n  - {type: function, name: f2, parameters: {}}\n"
                                     "tool_choice: {type: allowed_tools, mode: auto, tools: [{type: function, name: f|2}]}\n")
    assert found.range.start.line == 4 and span(text, found) == "f2"
    nothing, _ = await definition(client, "d3.run.json", RUN.replace("look|up", "lookup").replace('"a"', '"|a"'))
    assert not nothing


@pytest.mark.asyncio
async def test_definition_of_a_tool_call_answer_and_of_a_ref(client: LanguageClient):
    chat = ("model: gpt-4o\nmessages:\n  - role: assistant\n    tool_calls:\n"
            "      - {id: call_1, type: function, function: {name: f, arguments: '{}'}}\n"
            "  - {role: tool, tool_call_id: call|_1, content: ok}\n")
    [found], text = await definition(client, "d4.chat.yaml", chat)
    assert found.range.start.line == 4 and span(text, found) == "call_1"
    responses = ('{"model": "gpt-4o", "input": [{"type": "function_call", "call_id": "c9", "name": "f", "arguments": "{}"},'
                 ' {"type": "function_call_output", "call_id": "|c9", "output": "x"}]}')
    [found], text = await definition(client, "d5.response.json", responses)
    assert found.range.start.character == text.index('"c9"')
    schema = ("model: gpt-4o\nmessages: []\nresponse_format:\n  type: json_schema\n  json_schema:\n    name: a\n"
              "    schema:\n      type: object\n      properties:\n        home: {$ref: '#/$defs/ad|dress'}\n"
              "      $defs:\n        address: {type: object}\n")
    [found], text = await definition(client, "d6.chat.yaml", schema)
    assert found.range.start.line == 11 and span(text, found) == "address"


@pytest.mark.asyncio
async def test_references_of_a_function_everywhere_in_the_request(client: LanguageClient):
    text = ("model: gpt-4o\nmessages:\n  - role: assistant\n    tool_calls:\n"
            "      - {id: c1, type: function, function: {name: get_weather, arguments: '{}'}}\n"
            "tools:\n  - type: function\n    function: {name: get_wea|ther}\n"
            "tool_choice: {type: function, function: {name: get_weather}}\n")
    document, position, text = await opened(client, "r1.chat.yaml", text)
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=position, context=types.ReferenceContext(include_declaration=True)))
    assert sorted(f.range.start.line for f in found) == [4, 7, 8]
    assert {span(text, f) for f in found} == {"get_weather"}
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=position, context=types.ReferenceContext(include_declaration=False)))
    assert sorted(f.range.start.line for f in found) == [4, 8]


@pytest.mark.asyncio
async def test_rename_a_function_everywhere_keeping_quotes(client: LanguageClient):
    text = ('{"model": "gpt-4o", "input": [{"type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}"}],'
            ' "tools": [{"type": "function", "name": "lookup", "parameters": {}}, {"type": "function", "name": "other", "parameters": {}}],'
            ' "tool_choice": {"type": "function", "name": "look|up"}}')
    document, position, text = await opened(client, "n1.response.json", text)
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=document, position=position))
    assert prepared.placeholder == "lookup" and span(text, types.Location(uri="", range=prepared.range)) == "lookup"
    edit = await client.text_document_rename_async(types.RenameParams(text_document=document, position=position,
                                                                      new_name="find_place"))
    edits = sorted(edit.changes[document.uri], key=lambda e: e.range.start.character, reverse=True)
    assert len(edits) == 3
    for change in edits:
        text = apply(text, change)
    assert text.count('"find_place"') == 3 and "lookup" not in text and '"other"' in text
    with pytest.raises(Exception, match="not a function name"):
        await client.text_document_rename_async(types.RenameParams(text_document=document, position=position,
                                                                   new_name="has space"))
    # not a function name: nothing to rename
    document, position, _ = await opened(client, "n2.response.json", '{"model": "gpt|-4o", "input": "hi"}')
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=document, position=position)) is None


# -- diagnostic tags and related places ------------------------------------------------------------
def by_code(found) -> dict:
    return {d.code: d for d in found}


@pytest.mark.asyncio
async def test_deprecated_and_unnecessary_tags(client: LanguageClient):
    found = by_code(await open_and_wait(client, "t1.chat.yaml", "model: gpt-4o\nmessages: [{role: user, content: Hi}]\n"
                                        "max_tokens: 100\nfunctions: [{name: f, parameters: {type: object}}]\n"))
    assert list(found["RL220"].tags) == [types.DiagnosticTag.Deprecated]
    assert list(found["RL221"].tags) == [types.DiagnosticTag.Deprecated]
    found = by_code(await open_and_wait(client, "t2.run.json", '{"assistant_id": "a", "tools": [{"type": "code_interpreter"}],'
                                        ' "parallel_tool_calls": false, "truncation_strategy": {"type": "auto", "last_messages": 10}}', "json"))
    assert list(found["RL206"].tags) == [types.DiagnosticTag.Unnecessary]
    assert list(found["RL207"].tags) == [types.DiagnosticTag.Unnecessary]
    assert found["RL206"].related_information is None


@pytest.mark.asyncio
async def test_related_places_of_a_duplicate_function_and_an_unanswered_tool_message(client: LanguageClient):
    found = by_code(await open_and_wait(client, "t3.response.yaml", "model: gpt-4o\ninput: hi\ntools:\n"
                                        "  - {type: function, name: f, parameters: {type: object}, strict: false}\n"
                                        "  - {type: function, name: f, parameters: {type: object}, strict: false}\n"))
    [other] = found["RL204"].related_information
    assert found["RL204"].range.start.line == 4
    assert other.location.range.start == types.Position(line=3, character=27) and "also defined" in other.message
    found = by_code(await open_and_wait(client, "t4.chat.yaml", "model: gpt-4o\nmessages:\n"
                                        "  - {role: assistant, tool_calls: [{id: call_1, type: function, function: {name: f, arguments: '{}'}}]}\n"
                                        "  - {role: tool, tool_call_id: call_2, content: ok}\n"))
    [call] = found["RL222"].related_information
    assert call.location.range.start.line == 2 and "call_1" in call.message


@pytest.mark.asyncio
async def test_related_first_use_of_a_reused_custom_id(client: LanguageClient):
    line = '{{"custom_id": "{}", "method": "POST", "url": "/v1/chat/completions", "body": {{"model": "gpt-4o", "messages": [{{"role": "user", "content": "Hi"}}]}}}}'
    text = "\n".join(line.format(i) for i in ("a", "b", "c", "b")) + "\n"
    found = by_code(await open_and_wait(client, "t5.jsonl", text, "json"))
    assert found["RL700"].range.start.line == 3
    [first] = found["RL700"].related_information
    assert first.location.range.start == types.Position(line=1, character=line.index("{}") - 2)
    assert first.location.range.end.character == first.location.range.start.character + 3
    assert first.message == "first used on line 2"


# -- findings kept while a syntax error is typed ---------------------------------------------------
@pytest.mark.asyncio
async def test_findings_of_unchanged_lines_stay_while_the_text_does_not_parse(client: LanguageClient):
    from helpers.lsp import change, wait_for

    middle = [f"  - {{type: function, function: {{name: tool_{i}}}}}" for i in range(15)]
    lines = ["assistant_id: a", "temprature: 1", "tools:", *middle, "metadta: {team: a}"]
    found = await open_and_wait(client, "k1.run.yaml", "\n".join(lines) + "\n")
    assert sorted((d.range.start.line, d.message) for d in found) == [
        (1, "unknown field `temprature`; did you mean `temperature`?"),
        (18, "unknown field `metadta`; did you mean `metadata`?")]
    # line 10 becomes a broken flow mapping, and a line is added before the end
    broken = lines[:10] + ["  - {type: function, function: {name: x", "  - {type: function, function: {name: y}}"] + lines[11:]
    change(client, "k1.run.yaml", 2, "\n".join(broken) + "\n")
    found = await wait_for(client, uri("k1.run.yaml"), version=2)
    codes = sorted((d.code, d.range.start.line) for d in found)
    assert ("RL101", 1) in codes and ("RL101", 19) in codes  # the one after the change moved down a line
    assert any(code == "RL001" for code, _ in codes)
    carried = [d for d in found if d.code == "RL101"]
    assert all(d.message.endswith("(from the last valid text)") for d in carried)
    # a finding inside the changed lines is not carried: it may be gone
    edited = lines[:1] + ["temprature: [1"] + lines[2:]
    change(client, "k1.run.yaml", 3, "\n".join(edited) + "\n")
    found = await wait_for(client, uri("k1.run.yaml"), version=3)
    assert [d.range.start.line for d in found if d.code == "RL101"] == [18]
    # parsing again: fresh findings only
    change(client, "k1.run.yaml", 4, "\n".join(lines[:1] + lines[2:]) + "\n")
    found = await wait_for(client, uri("k1.run.yaml"), version=4)
    assert [(d.range.start.line, d.message) for d in found] == [(17, "unknown field `metadta`; did you mean `metadata`?")]


# -- hover on a model id, links ----------------------------------------------------------------------
async def hover_at(client, name, text):
    document, position, _ = await opened(client, name, text)
    return await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))


def sections(hover) -> list[list[str]]:
    """A hover's sections (findings, model, field), each as its paragraphs."""
    return [section.split("\n\n") for section in hover.contents.value.split("\n\n---\n\n")]


@pytest.mark.asyncio
async def test_hover_on_a_finding_reads_message_why_fix_link(client: LanguageClient):
    found = await hover_at(client, "h6.chat.yaml", "model: gpt-4o\nmessages: []\ntemperature: 0.2\nto|p_p: 0.5\n")
    [finding, field] = sections(found)
    assert finding == [
        "**RL202** `temperature-and-top-p` (warning): both temperature and top_p are set; "
        "OpenAI recommends altering one of them, not both",
        "`temperature` and `top_p` are two ways of controlling the same thing, the randomness of sampling. "
        "The API's description of `top_p`: \"We generally recommend altering this or temperature but not both.\" "
        "Setting both makes the effect of each hard to predict and to tune. A `null` value counts as not set.",
        "**Fix:** Keep one and remove the other.",
        "[RL202 in runlint's rules](https://github.com/runlint/runlint/blob/main/docs/rules.md#rl202)"
        " · all of it in a terminal: `runlint rule RL202`"]
    assert field[0] == "**top_p**"
    # a quick fix says what it does
    found = await hover_at(client, "h7.chat.yaml", "model: gpt-4o\nmessages: []\ntemp|rature: 0.2\n")
    [[message, why, fix, link]] = sections(found)
    assert message.startswith("**RL101** `unknown-field` (error): unknown field `temprature`")
    assert fix == "**Quick fix:** Rename to `temperature` (safe: `runlint check --fix` applies it too)."
    assert link.startswith("[RL101 in runlint's rules](https://github.com/runlint/runlint/blob/main/docs/rules.md#rl101)")


@pytest.mark.asyncio
async def test_hover_on_several_findings_gives_each_its_section_most_severe_first(client: LanguageClient):
    found = await hover_at(client, "h8.chat.yaml",
                           "model: o4-mini\nmessages: [{role: user, content: hi}]\ntemperature: 0.2\nto|p_p: 0.5\n")
    parts = sections(found)
    assert [p[0].split(" ", 1)[0] for p in parts] == ["**RL401**", "**RL202**", "**top_p**"]
    for part in parts[:2]:
        assert len(part) == 4 and part[2].startswith(("**Fix:**", "**Quick fix:**")) and "runlint rule RL" in part[3]
    assert parts[0][2] == "**Quick fix:** Remove `top_p` (unsafe: it changes what the request does; check the result)."


def test_why_leaves_out_sources_advice_and_length():
    from runlint.lsp.hovers import WHY_LENGTH, advice, why, without_sources

    linter = __import__("runlint.config", fromlist=["Resolver"]).Resolver(isolated=True).linter_for("x.chat.yaml")
    explanation = linter.catalog.rules["RL408"].explanation  # cites "(quoted in diffbot/code-gpt-docs#284)"
    assert "diffbot" in explanation and "diffbot" not in why(explanation)
    assert advice(explanation) == "Lower it to the model's limit, or choose a model with a larger one."
    assert "Lower it" not in why(explanation)
    for rule in linter.catalog.rules.values():  # one paragraph each, of bounded length
        said = why(rule.explanation)
        assert said and "\n" not in said and len(said) <= WHY_LENGTH + 300, rule.code
    assert without_sources("It fails (microsoft/agent-framework#1077, which tried them all) at once "
                           "(the Structured Outputs guide), as `f(x)` (not a source).") == \
        "It fails at once, as `f(x)` (not a source)."
    # a full stop inside a quote or a code span ends no sentence: no advice is taken from the quote
    assert advice('It answers "Use \'max_completion_tokens\' instead." (an error). Rename the field.') == "Rename the field."


@pytest.mark.asyncio
async def test_hover_on_a_model_id_shows_its_facts_grouped_each_source_once(client: LanguageClient):
    from runlint.lsp.hovers import GROUPS
    from runlint.check.model_table import table

    found = await hover_at(client, "h1.chat.yaml", "model: gpt-|5\nmessages: []\n")
    text = found.contents.value
    family = table().find("gpt-5")
    # the model's part, after the finding that it shuts down on 2026-12-11 (RL601), which it says too
    text = text[text.index("**gpt-5** · family `gpt-5`"):]
    lifecycle, ids = text.split("\n\n")[1:3]
    assert lifecycle.startswith(("⚠️ **Deprecated**", "⛔ **Shut down**")) and "2026-12-11" in lifecycle
    assert ids.startswith("ids: `gpt-5`, `gpt-5-2025-08-07` [") and "\n\n| | fact | value |" in text
    assert "('gpt-5'," not in text and "ids |" not in text  # the ids no Python tuple, no table row
    for source in {*family.sources.values(), family.source}:  # each source once, as a numbered note
        assert text.count(source) == 1, source
    assert "\n2. openai-openapi@" in text and "**Sources**" in text  # 1. is the deprecations page
    table_rows = [line for line in text.split("\n") if line.startswith("| ") and not line.startswith("| |")]
    with_effort = table_rows.index(next(r for r in table_rows if r.startswith("| with |")))
    rows, constrained = table_rows[:with_effort], table_rows[with_effort:]
    labels = [label for row in rows for label in row.split(" | ")[1].split(", ")]
    assert len(labels) == len(family.capabilities) > len(rows)  # each fact once; alike facts share a row
    # then each fact that holds with one reasoning effort (gpt-5: web_search rejected with minimal)
    assert len(constrained) == len(family.constraints) and "effort minimal" in constrained[0]
    assert rows[0].startswith("| limits | context window | 400,000 [")
    assert "| sampling | temperature | only 1 [" in text and "|  | reasoning effort | minimal, low, medium, high [" in text
    assert [r.split(" | ")[0][2:] for r in rows if not r.startswith("|  |")] == [
        g for g in GROUPS if any(n in family.capabilities for n in GROUPS[g])]
    assert "`runlint models gpt-5`" in text
    assert found.range == types.Range(start=types.Position(line=0, character=7), end=types.Position(line=0, character=12))
    unknown = await hover_at(client, "h2.chat.json", '{"model": "my-mo|del", "messages": []}')
    assert "not in runlint's model table" in unknown.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_retired_model_says_so_first(client: LanguageClient):
    found = await hover_at(client, "h9.chat.yaml", "model: gpt-4-3|2k\nmessages: []\n")
    *_findings, model = sections(found)
    assert model[0] == "**gpt-4-32k** · family `gpt-4-32k`"
    assert model[1].startswith("⛔ **Shut down** on 2025-06-06: a request naming it fails. Replacement: `gpt-4o`. [1]")


def test_a_fact_of_any_shape_reads_as_words():
    from runlint.lsp.hovers import fact_value, model
    from runlint.check.model_table import Family

    assert fact_value({"reasoning_effort": ["none"], "value": 1}) == "reasoning_effort: none; value: 1"
    assert fact_value({"when": {"reasoning_effort": "none"}}) == "when: (reasoning_effort: none)"
    assert fact_value(1047576) == "1,047,576" and fact_value([]) == "none" and fact_value(("a", "b")) == "a, b"
    family = Family("x", "^x$", {"temperature": {"reasoning_effort": ["none"]}, "new_fact": "a|b", "top_p": True},
                    sources={"temperature": "S1", "top_p": "S1", "new_fact": "S2"})
    text = model("x-1", family, None, None)
    assert "| sampling | temperature | reasoning_effort: none [1] |" in text and "|  | top p | yes [1] |" in text
    assert "| other | new fact | a\\|b [2] |" in text and text.endswith("**Sources**\n\n1. S1\n2. S2")


@pytest.mark.asyncio
async def test_hover_links_are_absolute(client: LanguageClient):
    found = await hover_at(client, "h3.chat.yaml", "model: gpt-4o\nmessages: []\nsafety_ident|ifier: x\n")
    assert "[Learn more](https://platform.openai.com/docs/guides/safety-best-practices#safety-identifiers)" in found.contents.value
    assert "](/docs/" not in found.contents.value


# -- inlay hints -------------------------------------------------------------------------------------
def tokens(text: str) -> int:
    from runlint.check.tokens import tokenizer

    return tokenizer("o200k_base").count(text)


async def inlay(client, document, lines=200):
    return await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=document, range=types.Range(start=types.Position(line=0, character=0),
                                                  end=types.Position(line=lines, character=0))))


LONG = ("You are the support desk of Example Shop. Before you answer, look up the customer's order, check its "
        "delivery status and the carrier's latest scan, and quote the order number back. Keep a friendly, short "
        "tone; never promise refunds; hand anything about payments to a human colleague.")


@pytest.mark.asyncio
async def test_inlay_hints_only_where_they_tell_something(client: LanguageClient):
    """The total after `model`; a message, the instructions or a tool of 50 tokens or more gets its
    own count; the short ones are read in the total."""
    from runlint.lsp.inlay_hints import PART_MINIMUM

    question = "My parcel is late. " * 12
    tool = '{"name":"get_weather","parameters":{"type":"object"}}'
    text = (f"model: gpt-4o\nmessages:\n  - role: system\n    content: {LONG}\n  - {{role: user, content: Hi}}\n"
            f"  - {{role: assistant, content: Hello. How can I help?}}\n  - role: user\n    content: {question.strip()}\n"
            "tools:\n  - {type: function, function: {name: get_weather, parameters: {type: object}}}\n")
    assert tokens(LONG) >= PART_MINIMUM and tokens(question.strip()) >= PART_MINIMUM and tokens(tool) < PART_MINIMUM
    document, _, _ = await opened(client, "i1.chat.yaml", text)
    found = await inlay(client, document)
    total = sum(tokens(t) for t in (LONG, "Hi", "Hello. How can I help?", question.strip())) + tokens(tool)
    assert [(h.position.line, h.position.character, h.label) for h in found] == [
        (2, 16, f"{tokens(LONG)} tokens"), (6, 14, f"{tokens(question.strip())} tokens"),
        (0, 13, f"{total} of 128,000 context tokens")]
    assert all(len(h.label) <= 43 for h in found)  # VS Code cuts a hint past 43 characters
    tooltip = found[-1].tooltip
    assert tooltip.startswith(f"{total} prompt tokens (o200k_base)")
    assert tooltip.endswith("Limits: 128,000 context window, 16,384 max output tokens.")
    # one long text alone: its count is the total's, said once
    text = f'{{"model": "gpt-4o", "input": "{LONG}"}}'
    document, _, _ = await opened(client, "i2.response.json", text)
    assert [h.label for h in await inlay(client, document)] == [f"{tokens(LONG)} of 128,000 context tokens"]


@pytest.mark.asyncio
async def test_inlay_hints_against_max_prompt_tokens_and_per_batch_line(client: LanguageClient):
    document, _, _ = await opened(client, "i3.run.yaml", "assistant_id: a\nmodel: gpt-4o\nmax_prompt_tokens: 500\n"
                                  f"instructions: Answer in French.\nadditional_instructions: {LONG}\n")
    [total, long] = sorted(await inlay(client, document), key=lambda h: h.position.line)
    assert (long.position.line, long.label) == (4, f"{tokens(LONG)} tokens")
    assert total.position.line == 1
    assert total.label == f"{tokens(LONG) + tokens('Answer in French.')} of 500 max_prompt_tokens"
    assert total.tooltip.endswith("Limits: 500 max_prompt_tokens, 128,000 context window, 16,384 max output tokens.")
    line = ('{{"custom_id": "r{}", "method": "POST", "url": "/v1/chat/completions", "body": {{"model": "gpt-4o",'
            ' "messages": [{{"role": "user", "content": "{}"}}]}}}}')
    texts = ["Hi", "How is the weather in Paris?"]
    document, _, _ = await opened(client, "i4.jsonl", "\n".join(line.format(i, t) for i, t in enumerate(texts)) + "\n")
    found = sorted(await inlay(client, document), key=lambda h: h.position.line)
    assert [h.label for h in found] == [f"{tokens(t)} tokens" for t in texts]
    assert found[1].position.character == len(line.format(1, texts[1]))
    # only the lines asked about
    only_second = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=document, range=types.Range(start=types.Position(line=1, character=0),
                                                  end=types.Position(line=1, character=10))))
    assert [h.position.line for h in only_second] == [1]


@pytest.mark.asyncio
async def test_inlay_hints_off_by_a_setting(client: LanguageClient):
    from helpers.lsp import wait_for

    document, _, _ = await opened(client, "i5.run.yaml", "assistant_id: a\ninstructions: Hello there.\n")
    assert await inlay(client, document)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"runlint": {"inlayHints": False, "ignore": ["RL013", "RL600"]}}))
    await wait_for(client, uri("i5.run.yaml"))  # the settings applied: everything is linted again
    assert not await inlay(client, document)


# -- the server's one-pass reading gives what the CLI's does -----------------------------------------
def yaml_texts():
    from helpers import ROOT

    for path in sorted([*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/**/*.run.yaml")]):
        yield path.name, path.read_text(encoding="utf-8")
    yield "extra.run.yaml", "assistant_id: a\nenabled: yes\n---\n---\nassistant_id: b\ntemprature: 1\n"
    yield "anchors.run.yaml", "base: &b {type: function, function: {name: f}}\nassistant_id: a\ntools: [*b, *b]\n"
    yield "merge.run.yaml", "assistant_id: a\ndefaults: &d {temperature: 1}\n<<: *d\ntop_p: 0.5\n"


@pytest.mark.parametrize("name,text", list(yaml_texts()), ids=lambda v: v if len(v) < 40 else "")
def test_one_pass_reading_gives_the_clis_findings(name, text, linter):
    from runlint.lsp.parsed import yaml_source

    source = yaml_source(name, text)
    expected = [d.to_json() for d in linter.lint_text(text, name)]
    if source is None:  # not the plain case: the server reads it as the CLI does
        return
    from runlint.source.request import Source

    assert [d.to_json() for d in linter.lint(Source(name, loaded=source))] == expected


@pytest.mark.asyncio
async def test_completion_in_a_batch_line_envelope_and_body(client: LanguageClient):
    first = '{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o", "messages": []}}\n'
    envelope = await completions(client, "b1.jsonl", first + '{"custom_id": "b", "|')
    assert sorted(i.label for i in envelope) == ["body", "method", "url"]
    urls = await completions(client, "b2.jsonl", first + '{"custom_id": "b", "method": "POST", "url": "|"}')
    assert "/v1/chat/completions" in [i.label for i in urls] and "/v1/responses" in [i.label for i in urls]
    body = await completions(client, "b3.jsonl", first + '{"custom_id": "b", "method": "POST", "url": "/v1/responses", '
                             '"body": {"model": "gpt-4o", "tools": [{"type": "function", "name": "f", "parameters": {}}], '
                             '"tool_choice": {"type": "function", "name": "|"}}}')
    assert [i.label for i in body] == ["f"]
    keys = await completions(client, "b4.jsonl", '{"custom_id": "b", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4o", "inst|')
    assert "instructions" in [i.label for i in keys] and "messages" not in [i.label for i in keys]


@pytest.mark.asyncio
async def test_hover_on_a_chosen_function_shows_its_tool(client: LanguageClient):
    text = ("model: gpt-4o\nmessages: []\ntools:\n  - type: function\n    function: {name: get_weather, "
            "description: The weather of a city., parameters: {type: object}}\n"
            "tool_choice: {type: function, function: {name: get_wea|ther}}\n")
    found = await hover_at(client, "h4.chat.yaml", text)
    assert found.contents.value == "function `get_weather`, defined at `tools.0.function`\n\nThe weather of a city."
    missing = await hover_at(client, "h5.response.json", '{"model": "gpt-4o", "input": "hi", '
                             '"tool_choice": {"type": "function", "name": "lo|okup"}}')
    *findings, last = missing.contents.value.split("\n\n---\n\n")
    assert last == "function `lookup`: no tool of the request defines it"
    assert any(f.startswith("**RL203**") for f in findings)  # after the finding that says the same


def test_the_total_is_measured_against_the_limits_the_table_has():
    """The table gains columns (context window, output limit): whatever limits a family has, in
    tokens, the total hint names them, with max_prompt_tokens first."""
    from runlint.lsp.inlay_hints import _limits

    fields = {"context_window": 128_000, "max_output_tokens": 16_384, "json_schema": True, "released": "2024-05-13"}
    assert _limits({"max_prompt_tokens": 500}, None, fields) == [
        ("max_prompt_tokens", 500), ("context window", 128_000), ("max output tokens", 16_384)]
    assert _limits({}, None, {"reasoning": True}) == []


def test_the_total_names_the_limit_that_binds_the_prompt_in_a_short_label():
    from runlint.lsp.inlay_hints import total_label

    limits = [("context window", 1_047_576), ("max output tokens", 32_768)]
    assert total_label(288, [("max_prompt_tokens", 256), *limits]) == "288 of 256 max_prompt_tokens"
    assert total_label(123_456, limits) == "123,456 of 1,047,576 context tokens"
    assert total_label(32, [("max output tokens", 32_768)]) == "32 prompt tokens"
    assert len(total_label(123_456, [("max_prompt_tokens", 100_000)])) <= 43  # VS Code cuts a hint past 43


@pytest.mark.asyncio
async def test_findings_stay_while_a_json_spec_does_not_parse(client: LanguageClient):
    from helpers.lsp import change, wait_for

    lines = ["{", '  "model": "gpt-4o",', '  "messages": [],', '  "temprature": 1,', '  "top_p": 1,', '  "metadta": {}', "}"]
    found = await open_and_wait(client, "k2.chat.json", "\n".join(lines), "json")
    assert sorted(d.range.start.line for d in found if d.code == "RL101") == [3, 5]
    broken = lines[:4] + ['  "top_p": ', *lines[5:]]
    change(client, "k2.chat.json", 2, "\n".join(broken))
    found = await wait_for(client, uri("k2.chat.json"), version=2)
    assert {d.code for d in found} >= {"RL001", "RL101"}
    assert sorted(d.range.start.line for d in found if d.code == "RL101") == [3, 5]
    assert all(d.message.endswith("(from the last valid text)") for d in found if d.code == "RL101")


@pytest.mark.asyncio
async def test_definition_and_rename_inside_one_batch_request(client: LanguageClient):
    line = ('{{"custom_id": "{0}", "method": "POST", "url": "/v1/responses", "body": {{"model": "gpt-4o", "input": "hi",'
            ' "tools": [{{"type": "function", "name": "f", "parameters": {{}}}}], "tool_choice": {{"type": "function", "name": "{1}"}}}}}}')
    text = line.format("r1", "f") + "\n" + line.format("r2", "|f") + "\n"
    document, position, text = await opened(client, "v1.jsonl", text)
    [found] = await client.text_document_definition_async(types.DefinitionParams(text_document=document, position=position))
    second = text.split("\n")[1]
    assert found.range.start == types.Position(line=1, character=second.index('"f"'))
    edit = await client.text_document_rename_async(types.RenameParams(text_document=document, position=position, new_name="g"))
    assert sorted(e.range.start.line for e in edit.changes[document.uri]) == [1, 1]  # that request only
