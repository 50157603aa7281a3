"""The model capability table: resolution of ids, project overrides, `runlint models`."""

import json

import pytest

from runlint.models import ModelTableError, Models, table
from test_cli import run, write


@pytest.mark.parametrize("model, family", [
    ("gpt-4o", "gpt-4o"), ("gpt-4o-2024-08-06", "gpt-4o"), ("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"),
    ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"), ("ft:gpt-4o-mini-2024-07-18:acme::abc123", "gpt-4o-mini"),
    ("ft:gpt-3.5-turbo-0125:acme:custom:id", "gpt-3.5-turbo"), ("o3-mini-2025-01-31", "o3-mini"),
    ("gpt-5-nano", "gpt-5"), ("gpt-4-0613", "gpt-4"), ("gpt-4-1106-preview", "gpt-4-turbo-preview"),
    ("gpt-4.1-nano-2025-04-14", "gpt-4.1"), ("gpt-3.5-turbo-16k", "gpt-3.5-turbo-0613"),
    ("mystery-model", None), ("gpt-4o-minis", None),
])
def test_ids_resolve_to_their_family(model, family):
    found = table().find(model)
    assert (found.name if found else None) == family


def test_every_id_the_api_lists_for_assistants_is_known():
    schema = json.loads(open("schemas/create-run.schema.json").read())
    for model in schema["$defs"]["AssistantSupportedModels"]["enum"]:
        assert table().find(model) is not None, model


def test_capabilities_true_false_lists_and_unknown():
    o3 = table().find("o3-mini")
    assert o3.accepts("temperature", 0.2) is False
    assert o3.accepts("reasoning_effort", "high") is True and o3.accepts("reasoning_effort", "minimal") is False
    assert o3.accepts("parallel_tool_calls") is None  # not in the table: runlint says nothing
    assert table().find("gpt-5").accepts("temperature", 1) is True


def test_project_families_win_and_may_extend():
    models = table([{"name": "acme", "match": "^acme-router-v\\d+$", "extends": "gpt-4o", "json_schema": False},
                    {"name": "gpt-4o", "match": "^gpt-4o$", "extends": "gpt-4.1", "image_input": False}])
    assert models.find("acme-router-v2").accepts("json_schema") is False
    assert models.find("acme-router-v2").accepts("image_input") is True
    assert models.find("gpt-4o").accepts("image_input") is False  # the project's correction wins


@pytest.mark.parametrize("entry, words", [
    ({"name": "x", "match": "^x$", "vision": True}, "unknown capability vision"),
    ({"name": "x", "match": "^x$", "extends": "nothing"}, "extends 'nothing'"),
    ({"name": "x", "match": "(("}, "not a valid regular expression"),
])
def test_bad_families_are_errors(entry, words):
    with pytest.raises(ModelTableError, match=words):
        Models([entry])


def test_config_models_key_drives_the_rules(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^acme-\\\\d+$"\nextends = "o3"\n')
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\nmodel: acme-2\ntemperature: 0.3\n")
    findings = json.loads(run("check", str(spec), "--format", "json").stdout)
    assert [(f["code"], f["path"]) for f in findings] == [("RL401", "/temperature")]
    assert "acme" in run("models", str(tmp_path)).stdout.decode()


def test_config_models_errors_name_the_file(tmp_path):
    write(tmp_path, "runlint.toml", '[[models]]\nname = "acme"\nmatch = "^a$"\nvision = true\n')
    result = run("check", str(write(tmp_path, "a.run.yaml", "assistant_id: a\n")))
    assert result.returncode == 2 and "runlint.toml" in result.stderr.decode() and "vision" in result.stderr.decode()


def test_models_command_prints_the_table():
    out = run("models").stdout.decode().splitlines()
    assert out[0].split()[:3] == ["family", "reasoning", "temperature"]
    o3 = next(line for line in out if line.startswith("o3-mini "))
    assert o3.split()[1:5] == ["yes", "no", "no", "low/medium/high"]
    as_json = json.loads(run("models", "--format", "json").stdout)
    assert {"name": "gpt-4o-2024-05-13", "json_schema": False}.items() <= next(
        f for f in as_json if f["name"] == "gpt-4o-2024-05-13").items()


def test_every_built_in_family_pattern_compiles():
    from runlint.models import Models, builtin_entries

    families = Models(list(builtin_entries()), check_patterns=True).families
    assert len(families) >= 10 and all(isinstance(f.match, str) for f in families)
