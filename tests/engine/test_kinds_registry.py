"""runlint/kinds.py is the one registry of request kinds: what else names kinds is derived from it
or, where it cannot import Python (the VS Code manifest, the batch facts), tested against it here."""

import json
import re

from helpers import ROOT

from runlint.kinds import BATCH_LANGUAGE, KINDS, LANGUAGES
from runlint.source.formats.batch import PATTERNS as BATCH_PATTERNS

MANIFEST = json.loads((ROOT / "vscode-extension" / "package.json").read_text(encoding="utf-8"))


def test_each_kind_has_its_schema_titled_by_the_registry():
    for kind in KINDS.values():
        schema = json.loads((ROOT / "schemas" / kind.schema_file).read_text(encoding="utf-8"))
        assert schema["title"] == kind.schema_title
        assert kind.url.startswith("POST /v1/") and kind.path in kind.schema_title


def test_the_schema_generator_knows_exactly_the_registrys_kinds():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_schemas

    assert set(generate_schemas.KINDS) == set(KINDS)


def test_the_batch_urls_checked_are_the_registrys_endpoints():
    import yaml

    batch = yaml.safe_load((ROOT / "data" / "batch.yaml").read_text(encoding="utf-8"))
    line = json.loads((ROOT / "schemas" / "batch-request.schema.json").read_text(encoding="utf-8"))
    batchable = set(line["properties"]["url"]["enum"])
    assert batch["bodies"] == {kind.path: kind.name for kind in KINDS.values() if kind.path in batchable}


def test_the_extension_activates_on_every_kinds_files():
    [event, *formats] = [e for e in MANIFEST["activationEvents"] if e.startswith("workspaceContains:")]
    suffixes = ",".join(kind.suffix for kind in KINDS.values())
    assert event == f"workspaceContains:**/*.{{{suffixes}}}.{{{','.join(LANGUAGES)}}}"
    # the declared formats' files (GitHub Models prompt files, Prompty files, promptfoo configurations)
    from runlint.source.formats import github_models, prompty

    names = [p.removeprefix("*.") for f in (github_models, prompty) for p in f.PATTERNS]
    assert formats == [f"workspaceContains:**/*.{{{','.join(names)}}}", "workspaceContains:**/promptfooconfig*.{yaml,yml}"]


def test_the_extensions_schema_associations_are_the_registrys():
    contributes = MANIFEST["contributes"]
    for section, extensions in (("yamlValidation", ("yaml", "yml")), ("jsonValidation", ("json",))):
        expected = [{"fileMatch": [f"*.{kind.suffix}.{e}" for e in extensions], "url": f"./schemas/{kind.schema_file}"}
                    for kind in KINDS.values()]
        assert contributes[section] == expected, section
    assert set(LANGUAGES) == {"yaml", "yml", "json"}


def test_the_extension_asks_for_the_registrys_languages():
    source = (ROOT / "vscode-extension" / "src" / "extension.ts").read_text(encoding="utf-8")
    languages = set(re.findall(r'\{ scheme: "file", language: "([\w-]+)" \}', source))
    from runlint.source.formats import prompty

    assert languages == {*LANGUAGES.values(), BATCH_LANGUAGE, prompty.LANGUAGE}
    patterns = set(re.findall(r'\{ scheme: "file", pattern: "\*\*/([^"]+)" \}', source))
    assert patterns == set(BATCH_PATTERNS) | set(prompty.PATTERNS)


def test_the_cli_help_lists_every_kinds_files():
    from click.testing import CliRunner

    from runlint.cli import cli

    help_text = " ".join(CliRunner().invoke(cli, ["check", "--help"]).output.split())
    for kind in KINDS.values():
        assert f"*.{kind.suffix}.*" in help_text and kind.name in help_text


def test_the_coverage_table_has_a_column_a_kind():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import coverage_table

    header = coverage_table.coverage_table().splitlines()[0]
    assert header == "| rule | " + " | ".join(f"`{kind.column}`" for kind in KINDS.values()) + " |"
    assert "`chat`" in header and "`create-run`" in header  # the columns the README has always had
