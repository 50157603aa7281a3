"""Every rule's examples are its tests: invalid ones must raise the rule at the stated pointer
(and at the position of that node in the file), valid ones must not raise it. Specs given as data
are checked twice, written as YAML and as JSON."""

import dataclasses
import importlib.util
import io
import atexit
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from runlint.source.batch import batch_data, lint_stream
from runlint.check.conditions import parse_pointer
from runlint.fix.apply import fix_bytes
from runlint.pipeline.linter import Linter, Settings
from runlint.resources import data_dir
from runlint.check.rules import load_catalog
from runlint.check.synced import FILE_NAME, FORMAT

CATALOG = load_catalog([data_dir("rules")], cache_dir=None)
# Findings that depend on the date (shutdowns) are checked for a fixed one, never the real today;
# an example may name its own (`as_of`).
EXAMPLES_DATE = date(2026, 12, 1)
LINTERS = {}


def _linter(example) -> Linter:
    as_of = date.fromisoformat(example["as_of"]) if example.get("as_of") else EXAMPLES_DATE
    models = example.get("models") or []
    synced = example.get("synced")
    key = (as_of, json.dumps(models, sort_keys=True), json.dumps(synced, sort_keys=True))
    if key not in LINTERS:
        LINTERS[key] = Linter(Settings(cache_dir=None, as_of=as_of, models=models,
                                       synced_models=_synced_file(synced)), CATALOG)
    return LINTERS[key]


def _synced_file(synced):
    """An example's synced model list (`synced`), written as `runlint models sync` writes it."""
    if synced is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="runlint-example-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    models = [m if isinstance(m, dict) else {"id": m} for m in synced.get("models", [])]
    path = folder / FILE_NAME
    path.write_text(json.dumps({"format": FORMAT, "synced_at": synced.get("synced_at", "2026-11-30T00:00:00Z"),
                                "base_url": "https://api.openai.com/v1", "models": models}), encoding="utf-8")
    return path


def _variants(example):
    """(file name, text) for each way the example is written down."""
    if example.get("text") is not None:
        syntax = example.get("syntax", "yaml")
        yield example.get("file") or f"example.run.{syntax}", example["text"]
        return
    spec = example["spec"]
    base = example.get("file") or "example.run"
    base = base.removesuffix(".yaml").removesuffix(".json")  # written both ways: `example.chat` or `.chat.yaml`
    yield base + ".yaml", yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=1000)
    yield base + ".json", json.dumps(spec, indent=2, ensure_ascii=False)


# The declared formats' findings come through the format layer (FORMATS-INTERFACE.md); until it
# is merged their examples are run against each format module by tests/test_format_<format>.py.
_FORMAT_LAYER = importlib.util.find_spec("runlint.source.request") is not None


def _cases(kind):
    return list(_iter_cases(kind))


def _iter_cases(kind):
    for rule in sorted(CATALOG.rules.values(), key=lambda r: r.code):
        if rule.source == "migrate":
            continue  # `runlint migrate` reports these: tests/test_migrate.py runs their examples
        if rule.source == "format" and not _FORMAT_LAYER:
            continue  # the declared formats need the format layer (tests/test_format_*.py run them meanwhile)
        for number, example in enumerate(rule.examples.get(kind, [])):
            for file, text in _variants(example):
                yield pytest.param(rule, example, file, text, id=f"{rule.code}-{kind}{number}-{file}")


def _oracle_lines(text: str, pointer: str) -> set[int]:
    """Lines (0-based) where the node at `pointer` or its key stands, found by PyYAML's composer,
    an implementation independent of runlint's (JSON from json.dumps is YAML too)."""
    node = yaml.compose(text.lstrip("\ufeff"), Loader=yaml.SafeLoader)
    if node is None:
        return {0}
    lines = {node.start_mark.line}
    for part in parse_pointer(pointer):
        if isinstance(node, yaml.MappingNode):
            matches = [(k, v) for k, v in node.value if k.value == part]
            if not matches:
                return lines  # pointer beyond what exists: the nearest ancestor
            key, node = matches[-1]  # the last of duplicate keys, as the API reads it
            lines = {key.start_mark.line, node.start_mark.line}
        elif isinstance(node, yaml.SequenceNode):
            node = node.value[int(part)]
            lines = {node.start_mark.line}
    return lines


def _lint(example, file: str, text: str):
    """The real engine on the example; a batch example may bring its own (small) limits."""
    if example.get("limits") is None:
        return _linter(example).lint_bytes(text.encode("utf-8"), file)
    limits = dataclasses.replace(batch_data(), **example["limits"])
    return lint_stream(_linter(example), file, io.BytesIO(text.encode("utf-8")), data=limits)[0]


def _oracle_columns(line: str, pointer: str) -> set[int]:
    """Columns where the node at `pointer` or its key starts in one JSONL line (PyYAML again)."""
    node = yaml.compose(line, Loader=yaml.SafeLoader)
    columns = {node.start_mark.column}
    for part in parse_pointer(pointer):
        matches = [(k, v) for k, v in node.value if k.value == part] if isinstance(node, yaml.MappingNode) else []
        if not matches:
            return columns
        key, node = matches[-1]
        columns = {key.start_mark.column, node.start_mark.column}
    return columns


@pytest.mark.parametrize("rule, example, file, text", _cases("invalid"))
def test_invalid_example_raises_the_rule_at_its_pointer(rule, example, file, text):
    everything = _lint(example, file, text)
    assert not [d.message for d in everything if d.code == "RL014"]  # no check crashed on it
    found = [d for d in everything if d.code == rule.code]
    assert found, f"{rule.code} did not fire on {text!r}"
    at = [d for d in found if d.pointer == example["at"]]
    assert at, f"{rule.code} fired at {[d.pointer for d in found]}, expected {example['at']!r}"
    expected_severity = example.get("severity") or str(rule.severity)
    assert str(at[0].severity) == expected_severity
    assert at[0].name == rule.name and at[0].file == file and at[0].message
    if example.get("message") is not None:
        assert example["message"] in at[0].message
    if example.get("line") is not None:
        assert at[0].range.line + 1 == example["line"]
        if file.endswith(".jsonl"):  # `at` is a pointer inside that line: check the column too
            line = text.split("\n")[example["line"] - 1]
            if line.strip():
                assert at[0].range.column in _oracle_columns(line, example["at"]), at[0].range
        return
    assert not file.endswith(".jsonl"), "a batch example says on which `line` it is reported"
    if "&" in text:
        return  # PyYAML's composer places an alias at its anchor; test_loader checks alias positions
    try:
        lines = _oracle_lines(text, example["at"])
    except yaml.YAMLError:
        return  # the example is deliberately unparseable; RL001's own tests check its position
    assert at[0].range.line in lines, f"reported on line {at[0].range.line}, the node is on {lines}"


def _fix_cases():
    for param in _cases("invalid"):
        rule, example, file, text = param.values
        if example.get("fixed") is not None or example.get("fixed_spec") is not None:
            yield param


@pytest.mark.parametrize("rule, example, file, text", list(_fix_cases()))
def test_invalid_example_is_fixed_as_its_rule_file_shows(rule, example, file, text):
    """The rule's own fix (safe or unsafe), applied by the engine `--fix` uses, turns the example
    into what the rule file says, and the finding is gone."""
    data = text.encode("utf-8")
    fixed = fix_bytes(_linter(example), data, file, unsafe=True, codes=frozenset({rule.code}))
    assert not fixed.dropped, [(d.diagnostic.message, d.reason) for d in fixed.dropped]
    assert [d.code for d in fixed.applied if d.code == rule.code], f"no {rule.code} fix was applied"
    assert all(d.fix.applicability == rule.fix_for(d.message)["applicability"] for d in fixed.applied)
    assert not [d for d in fixed.diagnostics if d.code == rule.code and d.pointer == example["at"]]
    if example.get("fixed") is not None:
        assert fixed.data.decode("utf-8") == example["fixed"]
    else:
        after = fixed.data.decode("utf-8")
        assert (json.loads(after) if file.endswith(".json") else yaml.safe_load(after)) == example["fixed_spec"]


def test_a_rule_with_a_fix_says_how_safe_it_is_and_one_without_none_is_offered():
    offering = {code for code, rule in CATALOG.rules.items() if rule.fix_applicability}
    assert {"RL007", "RL013", "RL015", "RL018", "RL101", "RL104", "RL220", "RL401", "RL402", "RL407",
            "RL705"} <= offering
    assert CATALOG.rules["RL501"].fix["applicability"] == "never" and CATALOG.rules["RL501"].fix["reason"]
    assert CATALOG.rules["RL203"].fix["applicability"] == "never"
    for rule in CATALOG.rules.values():  # no rule without a declared fix has one on its examples
        if rule.fix_applicability is None:
            for example in rule.examples.get("invalid", []):
                for file, text in _variants(example):
                    assert not [d for d in _lint(example, file, text) if d.code == rule.code and d.fix], rule.code


@pytest.mark.parametrize("rule, example, file, text", _cases("valid"))
def test_valid_example_does_not_raise_the_rule(rule, example, file, text):
    everything = _lint(example, file, text)
    assert not [d.message for d in everything if d.code == "RL014"]  # no check crashed on it
    found = [d for d in everything if d.code == rule.code]
    assert not found, f"{rule.code} fired on a valid example: {[d.message for d in found]}"


def test_every_rule_has_examples_unless_internal():
    for rule in CATALOG.rules.values():
        if rule.source != "internal":
            assert rule.examples.get("invalid"), rule.code
