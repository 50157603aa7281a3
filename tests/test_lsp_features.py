"""The language server's navigation features end to end (pytest-lsp over stdio): completion in JSON
and YAML flow style, the outline, definitions, references, rename, diagnostic tags, inlay hints.

Text with a `|` marks the cursor; `at(text)` removes it and gives the LSP position.
"""

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_lsp import client, open_and_wait, uri  # noqa: F401 - the fixture

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
