"""A real LSP client (pytest-lsp) talking to `runlint lsp` over stdio: the server's settings, the
workspace, and waiting for diagnostics. `client` is a fixture (tests/conftest.py makes it available)."""

import asyncio
import os
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

WORKSPACE = Path(__file__).resolve().parent.parent / "lsp" / "workspace"


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "runlint", "lsp"],
                            server_env=dict(os.environ))  # the session's own cache (tests/conftest.py)


def uri(name: str) -> str:
    return (WORKSPACE / name).as_uri()


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=WORKSPACE.as_uri(),
        initialization_options={"settings": {"ignore": ["RL013", "RL600"]}}))
    yield
    await lsp_client.shutdown_session()


async def open_and_wait(client: LanguageClient, name: str, text: str, language: str = "yaml"):
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(name), language_id=language, version=1, text=text)))
    return await wait_for(client, uri(name))


async def wait_for(client: LanguageClient, target: str, version: int | None = None):
    for _ in range(200):
        params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
        if params.uri == target and (version is None or params.version == version):
            return list(params.diagnostics)
    raise AssertionError("no diagnostics")


def change(client, name, version, text):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(name), version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
