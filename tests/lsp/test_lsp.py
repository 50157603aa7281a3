"""The language server end to end: a real LSP client (pytest-lsp) talking to `runlint lsp` over stdio."""

import os
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient
from helpers.lsp import SERVER, WORKSPACE, change, open_and_wait, uri, wait_for


@pytest.mark.asyncio
async def test_diagnostics_on_open_then_cleared_when_fixed(client: LanguageClient):
    [diagnostic] = await open_and_wait(client, "a.run.yaml", "assistant_id: asst_1\ntemprature: 0.5\n")
    assert diagnostic.code == "RL101" and diagnostic.source == "runlint"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range == types.Range(start=types.Position(line=1, character=0),
                                           end=types.Position(line=1, character=10))
    assert diagnostic.code_description.href.endswith("#rl101")
    assert diagnostic.message == "unknown field `temprature`; did you mean `temperature`?"

    change(client, "a.run.yaml", 2, "assistant_id: asst_1\ntemperature: 0.5\n")
    assert await wait_for(client, uri("a.run.yaml"), version=2) == []


@pytest.mark.asyncio
async def test_positions_are_utf16_after_non_ascii_text(client: LanguageClient):
    text = '{"instructions": "😀 café", "temprature": 1, "assistant_id": "a"}'
    [diagnostic] = await open_and_wait(client, "b.run.json", text, "json")
    start = text.index('"temprature"')
    utf16 = len(text[:start].encode("utf-16-le")) // 2
    assert utf16 == start + 1  # the emoji is two UTF-16 units
    assert diagnostic.range.start == types.Position(line=0, character=utf16)
    assert diagnostic.range.end == types.Position(line=0, character=utf16 + len('"temprature"'))


@pytest.mark.asyncio
async def test_only_included_files_are_linted_and_close_clears(client: LanguageClient):
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri("notes.yaml"), language_id="yaml", version=1, text="not: [valid\n")))
    assert len(await open_and_wait(client, "c.run.yaml", "assistant_id: a\ntop_p: 1\ntemperature: 1\n")) == 1
    assert uri("notes.yaml") not in client.diagnostics
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri("c.run.yaml"))))
    assert await wait_for(client, uri("c.run.yaml")) == []


@pytest.mark.asyncio
async def test_settings_from_the_client_apply(client: LanguageClient):
    found = await open_and_wait(client, "d.run.yaml", "assistant_id: a\nparallel_tool_calls: yes\n")
    assert [d.code for d in found] == ["RL103"]  # RL013 is ignored by the client's settings


@pytest.mark.asyncio
async def test_rapid_changes_publish_only_the_latest(client: LanguageClient):
    await open_and_wait(client, "e.run.yaml", "assistant_id: a\n")
    for version in range(2, 12):
        change(client, "e.run.yaml", version, f"assistant_id: a\nfield{version}: 1\n")
    final = await wait_for(client, uri("e.run.yaml"), version=11)
    assert [d.message for d in final] == ["unknown field `field11`"]


@pytest.mark.asyncio
async def test_hover_on_a_key_and_on_a_diagnostic(client: LanguageClient):
    text = "assistant_id: a\ntemperature: 0.2\ntop_p: 0.5\n"
    await open_and_wait(client, "f.run.yaml", text)
    key = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri("f.run.yaml")), position=types.Position(line=1, character=3)))
    assert "What sampling temperature to use, between 0 and 2" in key.contents.value
    finding = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri("f.run.yaml")), position=types.Position(line=2, character=1)))
    assert "RL202" in finding.contents.value and "recommends altering one" in finding.contents.value
    # the finding first, then the field's description
    first, described = finding.contents.value.split("\n\n---\n\n")
    assert first.startswith("**RL202**") and described.startswith("**top_p**")


async def complete(client, name, text, line, character):
    await open_and_wait(client, name, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(name)), position=types.Position(line=line, character=character)))
    return [item.label for item in result.items]


@pytest.mark.asyncio
async def test_completion_of_fields_not_yet_present(client: LanguageClient):
    labels = await complete(client, "g.run.yaml", "assistant_id: a\nmodel: gpt-4o\nte\n", 2, 2)
    assert "temperature" in labels and "tools" in labels
    assert "assistant_id" not in labels and "model" not in labels
    nested = await complete(client, "h.run.yaml", "assistant_id: a\ntruncation_strategy:\n  \n", 2, 2)
    assert sorted(nested) == ["last_messages", "type"]


@pytest.mark.asyncio
async def test_completion_of_values(client: LanguageClient):
    assert await complete(client, "i.run.yaml", "assistant_id: a\ntool_choice: \n", 1, 13) == ["none", "auto", "required"]
    formats = await complete(client, "j.run.yaml", "assistant_id: a\nresponse_format:\n  type: \n", 2, 8)
    assert formats == ["text", "json_object", "json_schema"]
    roles = await complete(client, "k.run.yaml", "assistant_id: a\nadditional_messages:\n  - role: \n", 2, 10)
    assert roles == ["user", "assistant"]
    models = await complete(client, "l.run.yaml", "assistant_id: a\nmodel: \n", 1, 7)
    assert "gpt-4o" in models and "o3-mini" in models
    functions = await complete(client, "m.run.yaml", "assistant_id: a\ntools:\n  - type: function\n"
                               "    function: {name: get_weather}\n  - type: function\n    function: {name: lookup}\n"
                               "tool_choice:\n  type: function\n  function:\n    name: \n", 9, 10)
    assert functions == ["get_weather", "lookup"]


@pytest.mark.asyncio
async def test_code_actions_fix_and_ignore(client: LanguageClient):
    [diagnostic] = await open_and_wait(client, "n.run.yaml", "assistant_id: a\ntemprature: 0.5\n")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri("n.run.yaml")), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    titles = [a.title for a in actions]
    assert titles == ["Rename to `temperature`", "Ignore RL101 (unknown-field) on this line"]
    [rename] = actions[0].edit.changes[uri("n.run.yaml")]
    assert rename.new_text == "temperature" and rename.range == diagnostic.range
    [ignore] = actions[1].edit.changes[uri("n.run.yaml")]
    assert ignore.new_text == "  # runlint: disable=RL101"
    assert ignore.range.start == types.Position(line=1, character=15)


async def open_file(client: LanguageClient, path, text: str):
    """Open a file of the workspace in the server; its published findings."""
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="yaml", version=1, text=text)))
    return await wait_for(client, path.as_uri())


def _applied(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")  # ASCII texts: UTF-16 columns are code points
    start = sum(len(l) + 1 for l in lines[:edit.range.start.line]) + edit.range.start.character
    end = sum(len(l) + 1 for l in lines[:edit.range.end.line]) + edit.range.end.character
    return text[:start] + edit.new_text + text[end:]


FIXABLE = ("# the run\nassistant_id: a   # kept\nmodel: o4-mini\ntemprature: 0.5\ntool_choice: requried\n"
           "top_p: 0.5\nmetadata: {a: b}  # runlint: disable=RL202\n")


@pytest.mark.asyncio
async def test_safe_quick_fixes_are_preferred_and_unsafe_ones_say_so(client: LanguageClient):
    found = await open_and_wait(client, "q.run.yaml", FIXABLE)
    by_code = {d.code: d for d in found}
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri("q.run.yaml")), range=by_code["RL401"].range,
        context=types.CodeActionContext(diagnostics=[by_code["RL401"], by_code["RL104"]])))
    fixes = {a.title: a for a in actions if not a.title.startswith("Ignore")}
    assert set(fixes) == {'Change to "required"', "Remove `top_p` (unsafe: check the result)"}
    assert fixes['Change to "required"'].is_preferred and not fixes["Remove `top_p` (unsafe: check the result)"].is_preferred


@pytest.mark.asyncio
@pytest.mark.parametrize("only", [["source.fixAll"], ["source.fixAll.runlint"], ["source"]])
async def test_fix_all_applies_every_safe_fix_in_one_edit(client: LanguageClient, only):
    name = f"fixall-{only[0]}.run.yaml"
    await open_and_wait(client, name, FIXABLE)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(name)),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=only)))
    [action] = actions  # no quick fix when only a source action is asked for
    assert action.kind == "source.fixAll.runlint"
    [edit] = action.edit.changes[uri(name)]
    # RL101's rename would add an error (o4-mini takes only temperature 1): not made; top_p's removal is unsafe
    assert _applied(FIXABLE, edit) == FIXABLE.replace("requried", "required").replace("  # runlint: disable=RL202", "")


@pytest.mark.asyncio
async def test_no_fix_all_when_nothing_is_fixable_nor_when_quick_fixes_are_asked(client: LanguageClient):
    await open_and_wait(client, "clean.run.yaml", "assistant_id: a\n")
    asked = lambda only: client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri("clean.run.yaml")),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=only)))
    assert not await asked(["source.fixAll"])
    assert not await asked(["quickfix"])


@pytest.mark.asyncio
async def test_bad_configuration_is_one_message_and_serving_goes_on(client: LanguageClient, tmp_path):
    (tmp_path / "runlint.toml").write_text("selekt = ['RL1']\n")
    found = await open_file(client, tmp_path / "o.run.yaml", "assistant_id: a\ntemprature: 1\n")
    assert [d.code for d in found] == ["RL101"]
    errors = [m for m in client.messages if m.type == types.MessageType.Error]
    assert len(errors) == 1 and "unknown key `selekt`; did you mean `select`?" in errors[0].message


def test_the_extensions_default_include_is_the_servers():
    """VS Code sends its `runlint.include` setting, default included, to the server: a glob missing
    there is a kind of file the editor never lints (batch files once were)."""
    import json

    from helpers import ROOT
    from runlint.source.files import DEFAULT_INCLUDE

    manifest = json.loads((ROOT / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    default = manifest["contributes"]["configuration"]["properties"]["runlint.include"]["default"]
    assert sorted(default) == sorted(DEFAULT_INCLUDE)


@pytest.mark.asyncio
async def test_the_configurations_as_of_applies(client: LanguageClient, tmp_path):
    # gpt-4-32k was deprecated on 2024-06-06 and shut down on 2025-06-06: on 2025-01-01, a warning
    (tmp_path / "runlint.toml").write_text('as-of = "2025-01-01"\n')
    found = [d for d in await open_file(client, tmp_path / "m.response.yaml", "model: gpt-4-32k\ninput: Hi\n")
             if d.code == "RL601"]
    assert [d.severity for d in found] == [types.DiagnosticSeverity.Warning]
    assert "shuts it down on 2025-06-06" in found[0].message


@pytest.mark.asyncio
async def test_the_synced_model_list_applies_and_a_new_sync_is_read_when_saved(client: LanguageClient, tmp_path):
    import json

    from runlint.check.synced import FILE_NAME, FORMAT

    def synced(*ids):
        return json.dumps({"format": FORMAT, "synced_at": "2026-12-01T00:00:00Z", "base_url": "x",
                           "models": [{"id": i, "shutdown_date": None} for i in ids]})

    (tmp_path / "runlint.toml").write_text('as-of = "2026-12-02"\n')
    listed = tmp_path / FILE_NAME
    listed.write_text(synced("gpt-4o"))
    spec = tmp_path / "s.response.yaml"
    found = await open_file(client, spec, "model: gpt-4o-mini\ninput: Hi\n")
    assert [(d.code, d.severity) for d in found] == [("RL420", types.DiagnosticSeverity.Error)]
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=listed.as_uri(), language_id="json", version=1, text=listed.read_text())))
    listed.write_text(synced("gpt-4o", "gpt-4o-mini"))  # `runlint models sync` ran again
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=listed.as_uri())))
    assert await wait_for(client, spec.as_uri()) == []


@pytest_lsp.fixture(config=SERVER)
async def creating_client(lsp_client: LanguageClient):
    """A client that applies edits creating files (VS Code's, Neovim's), with RL600 on."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(
                document_changes=True, resource_operations=[types.ResourceOperationKind.Create]))),
        root_uri=WORKSPACE.as_uri(), initialization_options={"settings": {"ignore": ["RL013"]}}))
    yield
    await lsp_client.shutdown_session()


MIGRATABLE = ("# the run  # kept\nassistant_id: asst_1\nmodel: gpt-4o\ninstructions: Be brief.  # a comment\n"
              "additional_messages:\n  - role: user\n    content: Hi\n")


def _printed_by_migrate(path) -> str:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "runlint", "migrate", str(path)], capture_output=True,
                          text=True, env={**os.environ, "RUNLINT_NO_CACHE": "1"}, cwd=path.parent)
    assert done.stdout
    return done.stdout


def _migrate_actions(client, path, diagnostics, only=None):
    start = types.Position(line=0, character=0)
    return client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
        range=diagnostics[0].range if diagnostics else types.Range(start=start, end=start),
        context=types.CodeActionContext(diagnostics=diagnostics, only=only)))


@pytest.mark.asyncio
async def test_rl600_offers_the_migration_as_a_new_file(creating_client: LanguageClient, tmp_path):
    client = creating_client
    spec = tmp_path / "support.run.yaml"
    spec.write_text(MIGRATABLE)
    found = await open_file(client, spec, MIGRATABLE)
    rl600 = [d for d in found if d.code == "RL600"]
    assert rl600
    target = (tmp_path / "support.response.yaml").as_uri()
    expected = _printed_by_migrate(spec)
    for diagnostics, only, kind in ((rl600, None, "quickfix"), (rl600, ["quickfix"], "quickfix"),
                                    ([], ["refactor"], "refactor.rewrite"),
                                    ([], ["refactor.rewrite"], "refactor.rewrite")):
        actions = await _migrate_actions(client, spec, diagnostics, only)
        [move] = [a for a in actions if a.title.startswith("Move this spec to the Responses API")]
        assert move.kind == kind
        create, insert = move.edit.document_changes
        assert isinstance(create, types.CreateFile) and create.uri == target
        assert not create.options.overwrite and not create.options.ignore_if_exists
        assert insert.text_document.uri == target
        [edit] = insert.edits
        assert edit.range.start == edit.range.end == types.Position(line=0, character=0)
        assert edit.new_text == expected
    assert "# kept" in expected and "# a comment" in expected
    assert not (tmp_path / "support.response.yaml").exists()  # offered, not made: the client applies it
    # not offered for quick fixes away from RL600's finding, nor when only fix-all is asked
    assert not [a for a in await _migrate_actions(client, spec, [], ["source.fixAll"]) if a.title.startswith("Move")]


@pytest.mark.asyncio
async def test_no_migration_over_an_existing_file_nor_for_other_kinds(creating_client: LanguageClient, tmp_path):
    client = creating_client
    spec = tmp_path / "taken.run.yaml"
    (tmp_path / "taken.response.yaml").write_text("model: gpt-4o\ninput: Hi\n")
    found = await open_file(client, spec, MIGRATABLE)
    rl600 = [d for d in found if d.code == "RL600"]
    assert rl600
    for diagnostics, only in ((rl600, None), ([], ["refactor"])):
        assert not [a for a in await _migrate_actions(client, spec, diagnostics, only) if a.title.startswith("Move")]
    # an assistant spec has RL600 too, but `migrate` does not rewrite it
    assistant = tmp_path / "bot.assistant.yaml"
    found = await open_file(client, assistant, "model: gpt-4o\nname: Bot\ninstructions: Help.\n")
    rl600 = [d for d in found if d.code == "RL600"]
    assert rl600
    assert not [a for a in await _migrate_actions(client, assistant, rl600) if a.title.startswith("Move")]


@pytest.mark.asyncio
async def test_no_migration_for_a_client_that_cannot_create_files(client: LanguageClient, tmp_path):
    spec = tmp_path / "plain.run.yaml"
    await open_file(client, spec, MIGRATABLE)
    assert not [a for a in await _migrate_actions(client, spec, [], ["refactor"]) if a.title.startswith("Move")]


@pytest_lsp.fixture(config=SERVER)
async def mistyped_client(lsp_client: LanguageClient):
    """A client whose settings name a rule that does not exist (RL2O2: a letter O for a zero)."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=WORKSPACE.as_uri(),
        initialization_options={"settings": {"ignore": ["RL013", "RL600", "RL2O2"], "select": "RL1, RL2"}}))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_setting_naming_no_rule_is_one_error_and_the_rest_applies(mistyped_client: LanguageClient):
    client = mistyped_client
    found = await open_and_wait(client, "f.run.yaml", "assistant_id: a\ntemprature: 1\ntemperature: 1\ntop_p: 1\n")
    assert sorted(d.code for d in found) == ["RL101", "RL202"]  # select "RL1, RL2" (one string) and ignore RL013
    await open_and_wait(client, "g.run.yaml", "assistant_id: a\n")
    errors = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert errors == ["runlint: the editor setting runlint.ignore: unknown rule selector 'RL2O2'; did you mean "
                      "'RL202'? (left out; the others apply)"]  # once, not at each document


@pytest.mark.asyncio
async def test_a_configuration_naming_no_rule_is_one_error_and_the_rest_applies(client: LanguageClient, tmp_path):
    (tmp_path / "runlint.toml").write_text('ignore = ["RL202", "temprature-and-top-p"]\n')
    found = await open_file(client, tmp_path / "p.run.yaml", "assistant_id: a\ntemprature: 1\ntemperature: 1\n"
                            "top_p: 1\n")
    assert [d.code for d in found] == ["RL101"]  # RL202 is still ignored: the valid part of `ignore` applies
    errors = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert errors == [f"runlint: {tmp_path / 'runlint.toml'}: `ignore`: unknown rule selector 'temprature-and-top-p'; "
                      "did you mean 'temperature-and-top-p'? (left out; the others apply)"]
