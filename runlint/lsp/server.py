"""The language server: the CLI's pipeline on editor buffers, plus hover, completion and fixes.

Diagnostics are published on open and save at once, and on change after a short pause in typing
(each change cancels the pending run: only the latest text is linted, and a result is dropped if
the document changed while it was computed).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import ConfigError, Overrides, Resolver
from ..diagnostic import Diagnostic, Severity
from ..source.document import lone_cr_as_lf
from ..source.files import DEFAULT_INCLUDE, matches_glob
from ..source.request import Source
from ..check.rules import RuleError
from ..check.synced import FILE_NAME as SYNCED_FILE, SyncedFileError
from . import features, navigation, outline, parsed, related, stale
from .related import Related
from .positions import lsp_range
from .protocol import RunlintProtocol

log = logging.getLogger("runlint.lsp")

DEBOUNCE_SECONDS = 0.02
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}
DOCS = features.hovers.DOCS  # the rule's page, which the hover links to as well


class RunlintServer(LanguageServer):
    def __init__(self):
        super().__init__("runlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=RunlintProtocol)
        self.settings: dict = {}
        self.resolver = resolver()
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, list[Diagnostic]] = {}  # what the editor shows, for hover and fixes
        self.shown_errors: set[str] = set()
        self.last_valid: dict[str, tuple[list[str], list[Diagnostic]]] = {}  # lines and findings

    # -- settings ------------------------------------------------------------------------------
    def apply_settings(self, settings: dict | None) -> None:
        self.settings = dict(settings or {})
        overrides = Overrides(select=_codes(self.settings.get("select")), ignore=_codes(self.settings.get("ignore")),
                              origin="the editor setting runlint.{}")
        self.resolver = resolver(overrides)

    def refresh_hints(self) -> None:
        """Ask the client to fetch inlay hints again (they follow the settings)."""
        workspace = self.client_capabilities.workspace
        if workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)

    def creates_files(self) -> bool:
        """Whether the client applies a WorkspaceEdit that creates a file (`migrate`'s code action)."""
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes and types.ResourceOperationKind.Create
                    in (edit.resource_operations or ()))

    def include(self) -> tuple[str, ...]:
        return tuple(self.settings.get("include") or DEFAULT_INCLUDE)

    def wants(self, uri: str) -> bool:
        if self.settings.get("enable") is False or not uri.startswith("file:"):
            return False
        if uri not in self.workspace.text_documents:
            return False  # only open documents: a request about any other is answered with nothing
        path = self.workspace.get_text_document(uri).path
        return matches_glob(Path(path).name, self.include()) or matches_glob(path, self.include())

    def linter_for(self, path: str):
        try:
            linter = self.resolver.linter_for(path)
        except (ConfigError, RuleError) as error:
            what = "bad rule file" if isinstance(error, RuleError) else "bad configuration"
            self.show_error(f"runlint: {what}, using the defaults: {error}")
            linter = resolver(self.resolver.overrides, isolated=True).linter_for(path)
        for problem in linter.selector_problems:  # left out by the linter: linting goes on without them
            self.show_error(f"runlint: {problem.message} (left out; the others apply)")
        return linter

    def show_error(self, message: str) -> None:
        """An error message in the editor, once a session (a bad setting is not said at each edit)."""
        if message not in self.shown_errors:
            self.shown_errors.add(message)
            log.warning(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))


    def models_for(self, path: str):
        from ..check.model_table import table

        return table(self.linter_for(path).settings.models)

    # -- diagnostics ------------------------------------------------------------------------------
    def lint_now(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        version = document.version
        try:
            found = self.lint_text(uri, document.path, document.source)
        except Exception as error:  # noqa: BLE001 - the server outlives any document
            log.exception("linting %s failed", uri)
            found = [Diagnostic("RL014", "internal-error", Severity.ERROR,
                                f"runlint itself failed on this document: {type(error).__name__}: {error}",
                                features.whole_first_line(document.source))]
        if self.workspace.get_text_document(uri).version != version:
            return  # a newer text is on its way: never publish stale results over it
        text = lone_cr_as_lf(document.source)
        lines = text.split("\n")
        if stale.parses(found):
            self.last_valid[uri] = (lines, found)
        elif uri in self.last_valid:
            old_lines, old = self.last_valid[uri]
            found = found + stale.carried(old_lines, old, lines, found)
        self.published[uri] = found
        others = Related(uri, document.path, text, lines)
        try:  # the rules' tags (deprecated, unnecessary): the linter that found them knows them
            rules = self.linter_for(document.path).catalog.rules
        except Exception:  # noqa: BLE001 - a tag is never worth a lost diagnostic
            rules = {}
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=[self.to_lsp(d, lines, others, rules.get(d.code)) for d in found]))

    def lint_text(self, uri: str, path: str, text: str) -> list[Diagnostic]:
        """The CLI's pipeline on the buffer. A file whose last text had findings will need
        positions again: it is read once with them instead of twice (runlint/lsp/parsed.py)."""
        linter = self.linter_for(path)
        try:
            if self.published.get(uri) and not text.startswith("\ufeff"):
                source = parsed.plain(path, text)
                if source is not None:
                    return linter.lint(Source(path, loaded=source))
            return linter.lint(Source(path, text=text))
        except SyncedFileError as error:  # the project's runlint.models.json is unusable: lint without it
            import dataclasses

            from ..pipeline.linter import Linter

            self.show_error(f"runlint: bad configuration, the synced model list is left out: {error}")
            return Linter(dataclasses.replace(linter.settings, synced_models=None), linter.catalog).lint(
                Source(path, text=text))

    def to_lsp(self, diagnostic: Diagnostic, lines: list[str], others: Related | None = None,
               rule=None) -> types.Diagnostic:
        return types.Diagnostic(
            range=lsp_range(lines, diagnostic.range), message=diagnostic.message,
            severity=_SEVERITY[diagnostic.severity], code=diagnostic.code, source="runlint",
            code_description=types.CodeDescription(href=DOCS + diagnostic.code.lower()),
            tags=related.tags(rule), related_information=others.info(diagnostic) if others else None,
            data={"name": diagnostic.name, "pointer": diagnostic.pointer})

    def schedule(self, uri: str, delay: float) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def run() -> None:
            await asyncio.sleep(delay)
            self.pending.pop(uri, None)
            if uri in self.workspace.text_documents:
                self.lint_now(uri)

        self.pending[uri] = asyncio.ensure_future(run())

    def clear(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.published.pop(uri, None)
        self.last_valid.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            if self.wants(uri):
                self.lint_now(uri)
            elif uri in self.published:
                self.clear(uri)


def resolver(overrides: Overrides | None = None, isolated: bool = False) -> Resolver:
    """The server's resolver: a rule code or name that names no rule (in a setting or a configuration
    file) is said once and left out, and linting goes on with the rest (the CLI stops instead)."""
    return Resolver(isolated=isolated, overrides=overrides, strict=False)


def _codes(value) -> tuple[str, ...]:
    """A `runlint.select`/`runlint.ignore` setting: a list of codes, or one comma-separated string."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(item).strip() for item in value if str(item).strip())


server = RunlintServer()


@server.feature(types.INITIALIZE)
def initialize(ls: RunlintServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    ls.apply_settings(options.get("settings", options) if isinstance(options, dict) else {})


@server.feature(types.INITIALIZED)
async def initialized(ls: RunlintServer, params: types.InitializedParams) -> None:
    await _pull_configuration(ls)


async def _pull_configuration(ls: RunlintServer) -> None:
    capabilities = ls.client_capabilities.workspace
    if not (capabilities and capabilities.configuration):
        return
    try:
        [settings] = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="runlint")]))
    except Exception:  # noqa: BLE001 - a client that cannot answer keeps the current settings
        log.info("the client did not answer workspace/configuration")
        return
    if isinstance(settings, dict):
        ls.apply_settings({**ls.settings, **settings})
        ls.relint_all()
        ls.refresh_hints()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: RunlintServer, params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings.get("runlint") if isinstance(params.settings, dict) else None
    if isinstance(settings, dict):
        ls.apply_settings(settings)
        ls.relint_all()
        ls.refresh_hints()
    else:
        await _pull_configuration(ls)
        ls.resolver = resolver(ls.resolver.overrides)  # configuration files may have changed too
        ls.relint_all()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: RunlintServer, params: types.DidOpenTextDocumentParams) -> None:
    if ls.wants(params.text_document.uri):
        ls.lint_now(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: RunlintServer, params: types.DidChangeTextDocumentParams) -> None:
    if ls.wants(params.text_document.uri):
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: RunlintServer, params: types.DidSaveTextDocumentParams) -> None:
    if Path(ls.workspace.get_text_document(params.text_document.uri).path).name in (
            "pyproject.toml", "runlint.toml", ".runlint.yaml", ".runlint.yml", SYNCED_FILE):
        ls.resolver = resolver(ls.resolver.overrides)
        from .. import config

        config.load_config.cache_clear()
        ls.relint_all()
    elif ls.wants(params.text_document.uri):
        ls.lint_now(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: RunlintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.clear(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: RunlintServer, params: types.HoverParams) -> types.Hover | None:
    if not ls.wants(params.text_document.uri):
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    return features.hover(document, params.position, ls.published.get(params.text_document.uri, []),
                          ls.linter_for(document.path), ls.models_for(document.path))


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[":", " ", "-", '"', "{", ","]))
def completion(ls: RunlintServer, params: types.CompletionParams) -> types.CompletionList | None:
    if not ls.wants(params.text_document.uri):
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    return features.completion(document, params.position, ls.models_for(document.path))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, features.FIX_ALL,
                                                           types.CodeActionKind.RefactorRewrite]))
def code_action(ls: RunlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    if not ls.wants(params.text_document.uri):
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    return features.code_actions(document, params, ls.published.get(params.text_document.uri, []),
                                 ls.linter_for(document.path), open_uris=set(ls.workspace.text_documents),
                                 creates_files=ls.creates_files())


def _document(ls: RunlintServer, uri: str):
    return ls.workspace.get_text_document(uri) if ls.wants(uri) else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: RunlintServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
    document = _document(ls, params.text_document.uri)
    return outline.symbols(document) if document else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: RunlintServer, params: types.DefinitionParams) -> list[types.Location] | None:
    document = _document(ls, params.text_document.uri)
    return navigation.definition(document, params.position) if document else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: RunlintServer, params: types.ReferenceParams) -> list[types.Location] | None:
    document = _document(ls, params.text_document.uri)
    return navigation.references(document, params.position, params.context.include_declaration) if document else None


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: RunlintServer, params: types.PrepareRenameParams):
    document = _document(ls, params.text_document.uri)
    return navigation.prepare_rename(document, params.position) if document else None


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: RunlintServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    document = _document(ls, params.text_document.uri)
    return navigation.rename(document, params.position, params.new_name) if document else None


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
def inlay_hint(ls: RunlintServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    if ls.settings.get("inlayHints") is False:
        return None
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None
    from . import inlay_hints  # the tokenizer is loaded on the first hint, not at start-up

    return inlay_hints.hints(document, params.range, ls.models_for(document.path))


def _collect_less() -> None:
    """Reading a 5,000-line spec makes some 100,000 objects, which set off the cyclic collector's
    full passes over everything the server holds (schemas, rules, the last texts read): 50 ms
    pauses, at random edits. Nothing the server makes per edit forms cycles that need collecting
    soon, so collect the young generation less often, and the old one rarely; what is loaded at
    start-up is moved out of the collector's sight."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 1_000)


def main(tcp: str | None = None) -> None:
    _collect_less()
    logging.basicConfig(level=logging.INFO, format="runlint-lsp %(levelname)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message at INFO
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.protocol.over_tcp = True
        server.start_tcp(host or "127.0.0.1", int(port))
        sys.exit(server.protocol.exit_code or 0)  # a session that ended without `exit`: a clean stop
    else:
        server.start_io()
