"""The language server keeps serving whatever is in the buffer: hostile documents give the same
diagnostics as in the CLI, a storm of random edits leaves it answering with the last version's
findings, and a rule that raises costs only its own findings."""

import asyncio
import os
import random
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from helpers.hostile import CASES
from helpers.lsp import SERVER, WORKSPACE, uri, wait_for

PEAK_MIB = 300


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=WORKSPACE.as_uri(),
        initialization_options={"settings": {"ignore": ["RL600"]}}))
    yield
    await lsp_client.shutdown_session()


def peak_mib(client: LanguageClient) -> float:
    """The server process's peak resident memory (VmHWM), from /proc."""
    for line in Path(f"/proc/{client._server.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def open_document(client, name: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(name), language_id="json" if name.endswith(".json") else "yaml", version=version, text=text)))


@pytest.mark.asyncio
async def test_hostile_documents_give_the_cli_diagnostics(client: LanguageClient):
    for case in [c for c in CASES if c.text_only]:
        data = case.make()
        open_document(client, case.file, data.decode("utf-8"))
        found = await wait_for(client, uri(case.file))
        line, column = case.position(data)  # ASCII before each finding: UTF-16 columns are the same
        assert (case.code, line - 1, column - 1) in [(d.code, d.range.start.line, d.range.start.character)
                                                      for d in found], (case.name, found[:3])
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri(case.file))))
        assert await wait_for(client, uri(case.file)) == []
    assert peak_mib(client) < PEAK_MIB


@pytest.mark.asyncio
async def test_the_server_publishes_the_capped_list(client: LanguageClient):
    text = "assistant_id: asst_1\n" + "".join(f"x{i}: 1\n" for i in range(1_500))
    open_document(client, "many.run.yaml", text)
    found = await wait_for(client, uri("many.run.yaml"))
    assert len(found) == 1_001 and [d.code for d in found].count("RL101") == 1_000
    [summary] = [d for d in found if d.code == "RL019"]
    assert (summary.range.start.line, summary.range.start.character) == (1_001, 0)
    assert summary.message.startswith("... and 500 more findings of RL101 in this file")


def _random_position(rng: random.Random, lines: list[str]) -> types.Position:
    line = rng.randint(0, len(lines) + 2)  # past the end at times
    width = len(lines[line]) if line < len(lines) else 0
    return types.Position(line=line, character=rng.randint(0, width + 3))


@pytest.mark.asyncio
async def test_a_storm_of_random_edits_leaves_the_server_answering(client: LanguageClient):
    rng = random.Random(20261129)
    names = ["storm-a.run.yaml", "storm-b.run.json", "storm-c.run.yaml"]
    texts = {"storm-a.run.yaml": "assistant_id: asst_1\nmodel: gpt-4o\n# é 🙂 ünïcode\ntemperature: 0.5\n",
             "storm-b.run.json": '{\n  "assistant_id": "asst_1",\n  "metadata": {"a": "🙂"}\n}\n',
             "storm-c.run.yaml": "assistant_id: asst_1\n"}
    versions = dict.fromkeys(names, 1)
    for name in names:
        open_document(client, name, texts[name])
    pending = []
    pieces = ["", "x", "\n", "🙂", "é", "temperature: 9\n", "{", "]", ": ", "\"", "- ", "\t", "\x00", "&a *a"]
    for step in range(1000):
        name = rng.choice(names)
        roll = rng.random()
        if roll < 0.75:  # an incremental change, at times at positions that do not exist
            lines = texts[name].split("\n")
            start, end = sorted([_random_position(rng, lines), _random_position(rng, lines)],
                                key=lambda p: (p.line, p.character))
            versions[name] += 1
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(name), version=versions[name]),
                content_changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=start, end=end), text=rng.choice(pieces))]))
        elif roll < 0.80:  # an edit to a document that is not open
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri("closed.run.yaml"), version=step),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="x: 1\n")]))
        elif roll < 0.90:  # requests, for open documents and unknown ones
            target = rng.choice([*names, "unknown.run.yaml"])
            position = types.Position(line=rng.randint(0, 5), character=rng.randint(0, 40))
            document = types.TextDocumentIdentifier(uri=uri(target))
            pending.append(client.text_document_hover_async(types.HoverParams(document, position)))
            pending.append(client.text_document_completion_async(types.CompletionParams(document, position)))
        else:  # the whole document at once
            versions[name] += 1
            texts[name] = rng.choice(["assistant_id: a\n", "temperature: [\n", "", "🙂" * 50, "- - - x\n"])
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(name), version=versions[name]),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=texts[name])]))
    # A 5 MB paste, then a last known text for each document.
    versions["storm-c.run.yaml"] += 1
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri("storm-c.run.yaml"),
                                                            version=versions["storm-c.run.yaml"]),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=0)),
            text="instructions: " + "y" * 5_000_000 + "\n")]))
    answers = await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 60)
    assert len(answers) == len(pending) and not [a for a in answers if isinstance(a, Exception)]
    final = {"storm-a.run.yaml": "assistant_id: asst_1\ntemprature: 1\n",
             "storm-b.run.json": '{"assistant_id": "asst_1", "top_p": 2}',
             "storm-c.run.yaml": None}  # keeps the paste
    for name, text in final.items():
        if text is None:
            continue
        versions[name] += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(name), version=versions[name]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    # The last version's findings (only the final texts give these) arrive, whatever came before.
    expected = {uri("storm-a.run.yaml"): ["RL101"], uri("storm-b.run.json"): ["RL105"]}
    for _ in range(600):
        if all([d.code for d in client.diagnostics.get(u, [])] == codes for u, codes in expected.items()):
            break
        await asyncio.sleep(0.05)
    assert {u: [d.code for d in client.diagnostics.get(u, [])] for u in expected} == expected
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri=uri("storm-a.run.yaml")), types.Position(line=0, character=3)))
    assert hover is not None and "assistant" in hover.contents.value.lower()
    assert peak_mib(client) < PEAK_MIB


CRASHING = ClientServerConfig(
    server_command=[sys.executable, str(Path(__file__).parent / "crashing_server.py")],
    server_env={**os.environ, "RUNLINT_NO_CACHE": "1"})


@pytest_lsp.fixture(config=CRASHING)
async def crashing(lsp_client: LanguageClient, tmp_path_factory):
    folder = tmp_path_factory.mktemp("crashing")
    (folder / "rules").mkdir()
    (folder / "rules" / "ACME001-explodes.yaml").write_text(
        "code: ACME001\nname: explodes\nseverity: error\nsummary: s\nexplanation: e\n"
        "check: {function: explodes}\nmessage: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n")
    (folder / "runlint.toml").write_text('rules = ["rules"]\nignore = ["RL600"]\n')
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=folder.as_uri()))
    lsp_client.folder = folder
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_rule_that_raises_costs_only_its_own_findings(crashing: LanguageClient):
    target = (crashing.folder / "a.run.yaml").as_uri()
    crashing.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=target, language_id="yaml", version=1, text="assistant_id: a\ntemprature: 1\n")))
    found = await wait_for(crashing, target)
    assert sorted(d.code for d in found) == ["RL014", "RL101"]
    [internal] = [d for d in found if d.code == "RL014"]
    assert "rule ACME001 (explodes)" in internal.message and "RuntimeError: boom" in internal.message
    assert "Traceback" not in internal.message
    assert not [m for m in crashing.log_messages if "Traceback" in m.message]  # the editor is spared
