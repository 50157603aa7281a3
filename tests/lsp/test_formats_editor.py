"""The VS Code extension starts on GitHub Models prompt files and Prompty files, and sends them
to the server (a `.prompt.yml` is YAML already; a `.prompty` is the Prompty extension's language,
or plain text)."""

import json
from pathlib import Path

EXTENSION = Path(__file__).resolve().parent.parent.parent / "vscode-extension"


def test_the_extension_activates_on_prompt_files_and_prompty_files():
    events = json.loads((EXTENSION / "package.json").read_text())["activationEvents"]
    assert "onLanguage:prompty" in events and "onLanguage:yaml" in events
    contains = [e for e in events if e.startswith("workspaceContains:")]
    assert any("prompt.yml" in e and "prompt.yaml" in e and "prompty" in e for e in contains)


def test_the_client_sends_prompty_files_to_the_server():
    source = (EXTENSION / "src" / "extension.ts").read_text()
    selector = source[source.index("documentSelector"):source.index("outputChannel")]
    assert 'pattern: "**/*.prompty"' in selector and 'language: "prompty"' in selector


def _schema(name: str) -> dict:
    return json.loads((EXTENSION.parent / "schemas" / "formats" / f"{name}.schema.json").read_text())


def test_the_hover_schemas_name_the_keys_the_modules_know():
    """schemas/formats/*.schema.json describe each key for hover and completion; the format
    modules' key lists (from the tools' source) are the truth, and the schemas follow them."""
    from runlint.check import schema_nav
    from runlint.source.formats import github_models as gm, prompty

    schema = _schema("github-models")
    assert set(schema_nav.properties(schema, ())) == set(gm.TOP_KEYS)
    assert set(schema_nav.properties(schema, ("modelParameters",))) == set(gm.PARAMETER_KEYS)
    assert set(schema_nav.properties(schema, ("evaluators", 0))) == set(gm.EVALUATOR_KEYS)
    assert set(schema_nav.properties(schema, ("evaluators", 0, "string"))) == set(gm.STRING_EVALUATOR_KEYS)
    assert set(schema_nav.properties(schema, ("evaluators", 0, "llm"))) == set(gm.LLM_EVALUATOR_KEYS)
    assert schema_nav.values(schema, ("messages", 0, "role")) == list(gm.ROLES)
    assert schema_nav.values(schema, ("responseFormat",)) == list(gm.RESPONSE_FORMATS)
    schema = _schema("prompty")
    assert set(schema_nav.properties(schema, ())) == set(prompty.V1_TOP_KEYS) | set(prompty.V2_TOP_KEYS)
    assert set(schema_nav.properties(schema, ("model",))) == set(prompty.V1_MODEL_KEYS) | set(prompty.V2_MODEL_KEYS)
    assert set(schema_nav.properties(schema, ("model", "options"))) == set(prompty.V2_OPTIONS)
