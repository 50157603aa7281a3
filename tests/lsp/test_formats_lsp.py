"""The language server on GitHub Models prompt files and Prompty files: diagnostics at the user's
keys, hover on the format's keys and model ids, completion of its keys and model ids."""

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from helpers.lsp import open_and_wait, uri

PROMPT = "model: openai/o3-mini\nmodelParameters:\n  maxTokens: 100\nmessages:\n  - role: user\n    content: Hi\n"
PROMPTY = "---\nname: x\nmodel:\n  id: gpt-4.1\n  provider: openai\n  options:\n    topK: 3\n---\nuser:\nHi\n"


def at(text: str) -> tuple[str, types.Position]:
    index = text.index("|")
    text = text.replace("|", "", 1)
    line = text.count("\n", 0, index)
    return text, types.Position(line=line, character=index - text.rfind("\n", 0, index) - 1)


async def hover(client, name, text, language):
    text, position = at(text)
    await open_and_wait(client, name, text, language)
    found = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(name)), position=position))
    return found.contents.value if found else ""


async def completions(client, name, text, language) -> list[str]:
    text, position = at(text)
    await open_and_wait(client, name, text, language)
    found = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(name)), position=position))
    return [item.label for item in found.items] if found else []


@pytest.mark.asyncio
async def test_diagnostics_land_on_the_users_keys(client: LanguageClient):
    found = await open_and_wait(client, "d1.prompt.yml", PROMPT)
    [rl220] = [d for d in found if d.code == "RL220"]
    assert (rl220.range.start.line, rl220.range.start.character) == (2, 2)
    assert "modelParameters.maxTokens" in rl220.message
    found = await open_and_wait(client, "d2.prompty", PROMPTY, "prompty")
    [rl101] = [d for d in found if d.code == "RL101"]
    assert rl101.range.start.line == 6


@pytest.mark.asyncio
async def test_hover_on_a_format_key_says_how_it_is_sent(client: LanguageClient):
    text = await hover(client, "h1.prompt.yml", PROMPT.replace("maxTokens", "max|Tokens"), "yaml")
    assert "Sent as `max_tokens`" in text
    text = await hover(client, "h2.prompty", PROMPTY.replace("topK", "to|pK"), "prompty")
    assert "**model.options.topK**" in text and "Sent as `top_k`" in text and "OpenAI does not know" in text


@pytest.mark.asyncio
async def test_hover_on_a_model_id_reads_the_openai_model_behind_the_prefix(client: LanguageClient):
    text = await hover(client, "h3.prompt.yml", PROMPT.replace("openai/o3-mini", "openai/o3-m|ini"), "yaml")
    assert "o3-mini" in text
    text = await hover(client, "h4.prompt.yml", PROMPT.replace("openai/o3-mini", "microsoft/ph|i-4"), "yaml")
    assert "another provider" in text


@pytest.mark.asyncio
async def test_completion_of_the_format_keys_and_model_ids(client: LanguageClient):
    labels = await completions(client, "c1.prompt.yml", PROMPT.replace("  maxTokens: 100\n", "  maxTokens: 100\n  |\n"), "yaml")
    assert set(labels) == {"temperature", "topP"}
    labels = await completions(client, "c2.prompt.yml", PROMPT.replace("openai/o3-mini", "openai/gpt-4|"), "yaml")
    assert "openai/gpt-4.1" in labels and all(label.startswith("openai/") for label in labels)
    labels = await completions(client, "c3.prompty", PROMPTY.replace("    topK: 3\n", "    topK: 3\n    |\n"), "prompty")
    assert "maxOutputTokens" in labels and "topK" not in labels
