"""The language server on a promptfoo configuration: diagnostics at the user's keys, hover on its
keys and on a provider id's model, completion of its keys, assertion types and provider ids."""

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from helpers.lsp import open_and_wait, uri

NAME = "pf/promptfooconfig.yaml"
TEXT = """\
prompts: ["Describe {{hotel}}"]
providers:
  - id: openai:chat:gpt-4.1
    config:
      reasoning_effort: high
      max_tokens: 100
  - anthropic:messages:claude-sonnet-4-5
tests:
  - vars: {hotel: Marina}
    assert:
      - type: containsAny
        value: [pool]
"""


async def hover(client, line, character):
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(NAME)), position=types.Position(line=line, character=character)))


@pytest.mark.asyncio
async def test_diagnostics_land_on_the_users_keys(client: LanguageClient):
    found = await open_and_wait(client, NAME, TEXT)
    assert sorted((d.code, d.range.start.line) for d in found) == [("RL902", 4), ("RL920", 10)]
    assert [d for d in found if d.code == "RL920"][0].range.start.character == 14


@pytest.mark.asyncio
async def test_hover_on_a_config_key_and_on_a_provider_id(client: LanguageClient):
    await open_and_wait(client, NAME, TEXT)
    key = await hover(client, 5, 8)  # max_tokens
    assert "sent as `max_tokens` (Chat Completions, not to reasoning models; default 1024)" in key.contents.value
    model = await hover(client, 2, 14)  # openai:chat:gpt-4.1
    assert "gpt-4.1" in model.contents.value and "context" in model.contents.value.lower()
    other = await hover(client, 6, 8)  # anthropic
    assert "not OpenAI's" in other.contents.value


async def complete(client, text, line, character):
    await open_and_wait(client, NAME, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(NAME)), position=types.Position(line=line, character=character)))
    return [item.label for item in result.items]


@pytest.mark.asyncio
async def test_completion_of_keys_assertion_types_and_provider_ids(client: LanguageClient):
    config = await complete(client, "prompts: [hi]\nproviders:\n  - id: openai:chat:gpt-4.1\n    config:\n      \n", 4, 6)
    assert "max_completion_tokens" in config and "reasoning_effort" in config and "apiKey" in config
    types_ = await complete(client, "prompts: [hi]\nproviders: [echo]\ntests:\n  - assert:\n      - type: \n", 4, 14)
    assert "contains-any" in types_ and "llm-rubric" in types_
    ids = await complete(client, "prompts: [hi]\nproviders:\n  - id: \n", 2, 8)
    assert "openai:chat:gpt-4.1" in ids and "openai:responses:o3" in ids
