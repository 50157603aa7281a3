"""The format layer: a format yields Requests with a PathMap, and every finding lands where the user
wrote the node, in the user's own words; a fix never writes the API's words into them.

The format here is a test's own: a YAML file that writes `max_tokens` as `params.maxTokens`.
"""

import pytest

from runlint.diagnostic import Diagnostic, Edit, Fix, Range
from runlint.kinds import KINDS
from runlint.source import formats
from runlint.source.request import PathMap, Request, Source

TEXT = """\
model: gpt-4o
messages:
  - role: user
    content: Hi
params:
  maxTokens: 5
"""
MAX_TOKENS_LINE = 5  # 0-based: `  maxTokens: 5`


class ParamsFormat:
    """A test format: `params.maxTokens` in the file is the request's `max_tokens`."""

    NAME = "params"
    PATTERNS = ("*.params.yaml",)
    SYNTAX = "yaml"

    @staticmethod
    def claims(file: str, head: bytes) -> bool:
        return file.endswith(".params.yaml")

    @staticmethod
    def requests(source):
        for document in source.documents:
            value = {k: v for k, v in document.value.items() if k != "params"}
            value["max_tokens"] = document.value["params"]["maxTokens"]
            yield Request("chat-completion", value, PathMap([
                ((), document, (), True),
                (("max_tokens",), document, ("params", "maxTokens"), False)]))


def _rl220(found):
    return [d for d in found if d.code == "RL220"]


def test_a_finding_on_a_renamed_node_lands_on_the_users_key_names_it_and_has_no_fix(linter):
    # the same request written plainly: RL220 on `max_tokens`, with its rename fix
    plain = TEXT.replace("params:\n  maxTokens: 5\n", "max_tokens: 5\n")
    [said] = _rl220(linter.lint(Source("a.chat.yaml", text=plain)))
    assert said.fix is not None and "(written" not in said.message

    [found] = _rl220(linter.lint(Source("a.params.yaml", text=TEXT, format=ParamsFormat)))
    assert found.range == Range(MAX_TOKENS_LINE, 2, MAX_TOKENS_LINE, 11)  # the key `maxTokens`
    assert found.message == said.message + " (written `params.maxTokens`)"
    assert found.fix is None
    assert found.pointer == "/max_tokens"  # the request's path: what the API would name


def test_a_format_in_the_list_is_found_by_its_name(linter, monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", (ParamsFormat, *formats.FORMATS))
    assert formats.claim("a.params.yaml") is ParamsFormat
    assert "*.params.yaml" in formats.patterns()
    [found] = _rl220(linter.lint(Source("a.params.yaml", text=TEXT)))
    assert found.range.line == MAX_TOKENS_LINE and found.fix is None


def test_a_fix_with_an_edit_inside_a_node_written_in_the_users_words_is_dropped():
    from runlint.pipeline.linter import _through_map
    from runlint.source.document import load

    [document] = load("a.params.yaml", TEXT).documents
    [request] = ParamsFormat.requests(type("Read", (), {"documents": [document]}))
    inside = Fix("edit maxTokens", (Edit(Range(MAX_TOKENS_LINE, 13, MAX_TOKENS_LINE, 14), "6"),))
    elsewhere = Fix("edit model", (Edit(Range(0, 7, 0, 13), "gpt-4.1"),))
    touching = Diagnostic("RL999", "", None, "m", Range(0, 7, 0, 13), "/model", fix=inside)
    apart = Diagnostic("RL999", "", None, "m", Range(0, 7, 0, 13), "/model", fix=elsewhere)
    _through_map(request, [touching, apart])
    assert touching.fix is None and apart.fix is elsewhere
    assert touching.message == apart.message == "m"  # `model` is written verbatim


def test_the_map_translates_paths_and_falls_back_to_the_nearest_written_node():
    from runlint.source.document import load

    [document] = load("a.params.yaml", TEXT).documents
    where = PathMap([((), document, (), True), (("max_tokens",), document, ("params", "maxTokens"), False)])
    assert where.locate(("max_tokens",)) == Range(MAX_TOKENS_LINE, 13, MAX_TOKENS_LINE, 14)
    assert where.locate(("messages", 0, "content")) == document.locate(("messages", 0, "content"))
    assert where.locate(("messages", 7)) == document.locate(("messages",))  # absent: its parent
    assert where.written(("max_tokens",)) == "params.maxTokens"
    assert where.written(("messages", 0)) is None  # verbatim
    identity = PathMap.of(document)
    assert identity.identity and identity.written(("model",)) is None


@pytest.mark.parametrize("file,name", [("a.chat.yaml", "request file"), ("a.chat.json", "request file"),
                                       ("b.jsonl", "batch")])
def test_the_first_two_formats_claim_their_files(file, name):
    assert formats.claim(file, b"").NAME == name


def test_discovery_includes_every_formats_names():
    from runlint.source.files import DEFAULT_INCLUDE

    assert DEFAULT_INCLUDE == formats.patterns()
    assert DEFAULT_INCLUDE[:15] == tuple(f"*.{k.suffix}.{e}" for k in KINDS.values() for e in ("yaml", "yml", "json"))


def test_a_batch_body_is_a_request_mapped_into_its_line():
    from runlint.source.formats.batch import BatchFile

    raw = b'{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o"}}'
    items, facts = BatchFile("b.jsonl").read(3, raw, len(raw) + 1)
    envelope, body = items
    assert envelope.kind == "batch-request" and envelope.rules == ()
    assert body.kind == "chat-completion" and body.value == {"model": "gpt-4o"}
    assert body.locate(("model",)) == Range(0, raw.decode().index('"gpt-4o"'), 0, raw.decode().index('"gpt-4o"') + 8)
    assert facts == ("a", "/v1/chat/completions", "gpt-4o", 0)


def test_the_one_entry_reads_a_path(linter, tmp_path):
    path = tmp_path / "a.chat.yaml"
    path.write_text("model: gpt-4o\nmessages: []\nmax_tokens: 5\n")
    assert [d.code for d in linter.lint(str(path))] == [d.code for d in linter.lint(Source(str(path),
                                                                                            text=path.read_text()))]
    assert "RL220" in [d.code for d in linter.lint(path)]


def test_the_language_servers_one_pass_reading_is_for_plain_request_files_only(monkeypatch):
    """A buffer another format claims goes through the one entry, read by its format."""
    from runlint.lsp.parsed import yaml_source

    assert yaml_source("a.params.yaml", TEXT) is not None  # no format claims it: a plain request file
    monkeypatch.setattr(formats, "FORMATS", (ParamsFormat, *formats.FORMATS))
    assert yaml_source("a.params.yaml", TEXT) is None
