"""OpenAI's own request examples (the API reference's, extracted by scripts/extract_openapi.py into
tests/fixtures/openai-examples/) lint without an error and with every model known: a linter that
fails a CI step on the reference's own example is wrong, not the example."""

import datetime
import functools
import importlib.util
import json

import pytest

from helpers import ROOT
from runlint.diagnostic import Severity

@functools.cache
def _linter(as_of: str):
    from runlint.pipeline.linter import Linter, Settings

    return Linter(Settings(cache_dir=None, ignore=("RL600",), as_of=datetime.date.fromisoformat(as_of)))


FIXTURES = sorted((ROOT / "tests" / "fixtures" / "openai-examples").glob("*.json"))
# The file name that tells each url's request kind; a url without one is checked as a batch line.
NAMES = {"/v1/responses": "example.response.json", "/v1/chat/completions": "example.chat.json",
         "/v1/threads/{thread_id}/runs": "example.run.json", "/v1/threads/runs": "example.thread-run.json",
         "/v1/assistants": "example.assistant.json"}

spec = importlib.util.spec_from_file_location("extract_openapi", ROOT / "scripts" / "extract_openapi.py")
extractor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(extractor)


def _cases():
    for fixture in FIXTURES:
        record = json.loads(fixture.read_text())
        for example in record["examples"]:
            yield pytest.param(record["url"], example["body"], record["date"],
                               id=f"{fixture.stem}: {example['title']}")


def test_every_operation_runlint_checks_has_examples():
    urls = {json.loads(f.read_text())["url"] for f in FIXTURES}
    assert set(NAMES) <= urls
    assert {"/v1/embeddings", "/v1/moderations"} <= urls  # batchable endpoints without a kind
    assert sum(len(json.loads(f.read_text())["examples"]) for f in FIXTURES) >= 25


# Official examples the API itself rejects, with the error runlint owes them (and why).
WRONG = {
    # gpt-5.4 is a reasoning model (its model page: "Reasoning token support") and reasoning models
    # reject max_tokens in Chat Completions; shared/real-requests labels the same body (090) bad there
    "createChatCompletion: Image input": ["RL220 /max_tokens"],
}


@pytest.mark.parametrize("url, body, published", list(_cases()))
def test_official_example_is_clean(url, body, published, request):
    # As of the day the reference was published: its "Reasoning" example names o3-mini, which OpenAI
    # shut down on 2026-10-23, and today RL601 rightly says so.
    linter = _linter(published)
    if url in NAMES:
        found = linter.lint_bytes(json.dumps(body, indent=2).encode(), NAMES[url])
    else:
        line = {"custom_id": "example", "method": "POST", "url": url, "body": body}
        found = linter.lint_bytes(json.dumps(line).encode() + b"\n", "examples.jsonl")
    wrong = [d for d in found if d.severity == Severity.ERROR or d.code == "RL400"]
    expected = WRONG.get(request.node.callspec.id, [])
    assert [f"{d.code} {d.pointer}" for d in wrong] == expected, [d.message for d in wrong]


# The extractor, on a small description of its own.
OPENAPI = """
openapi: 3.1.0
paths:
  /things:
    post:
      operationId: createThing
      x-oaiMeta:
        examples:
          - title: Plain
            request:
              curl: |
                curl https://api.openai.com/v1/things \\
                  -H "Content-Type: application/json" \\
                  -d '{"model": "VAR_chat_model_id", "when": "2024-08-06"}'
          - title: Multipart, no JSON body
            request:
              curl: curl https://api.openai.com/v1/things -F file=@x.png
components:
  schemas:
    Root:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
        a: {$ref: '#/components/schemas/A'}
    A: {type: string, default: 2024-08-06}
    B: {type: object, properties: {again: {$ref: '#/components/schemas/A'}, c: {$ref: '#/components/schemas/C'}}}
    C: {type: integer}
    Unused: {type: string}
"""


def test_extract_takes_what_the_root_reaches_in_first_reached_order():
    openapi = extractor.load_openapi(OPENAPI)
    extract = extractor.extract(openapi, "Root")
    assert extract["root"] == "Root"
    assert list(extract["components"]["schemas"]) == ["Root", "B", "A", "C"]
    assert extract["components"]["schemas"]["A"]["default"] == "2024-08-06"  # a string, as written


def test_examples_are_the_json_bodies_of_the_curl_calls():
    found = extractor.examples(extractor.load_openapi(OPENAPI), "post", "/things")
    assert found == [{"title": "Plain", "body": {"model": extractor.EXAMPLE_VARIABLES["VAR_chat_model_id"],
                                                  "when": "2024-08-06"}}]


def test_committed_extracts_name_their_commit():
    source = (ROOT / "schemas" / "source" / "openapi-extract" / "SOURCE.md").read_text()
    assert "commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3" in source
    for file in extractor.EXTRACTS:
        assert f"| {file} |" in source
