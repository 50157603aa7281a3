"""The VS Code extension starts on GitHub Models prompt files and Prompty files, and sends them
to the server (a `.prompt.yml` is YAML already; a `.prompty` is the Prompty extension's language,
or plain text)."""

import json
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent / "vscode-extension"


def test_the_extension_activates_on_prompt_files_and_prompty_files():
    events = json.loads((EXTENSION / "package.json").read_text())["activationEvents"]
    assert "onLanguage:prompty" in events and "onLanguage:yaml" in events
    contains = [e for e in events if e.startswith("workspaceContains:")]
    assert any("prompt.yml" in e and "prompt.yaml" in e and "prompty" in e for e in contains)


def test_the_client_sends_prompty_files_to_the_server():
    source = (EXTENSION / "src" / "extension.ts").read_text()
    selector = source[source.index("documentSelector"):source.index("outputChannel")]
    assert 'pattern: "**/*.prompty"' in selector and 'language: "prompty"' in selector
