"""Rule examples as tests: the catalog, a linter per example's date and models, the ways an example
is written down, and an oracle for positions (PyYAML's composer, independent of runlint's)."""


import dataclasses
import io
import atexit
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml

from runlint.source.formats.batch import batch_data
from runlint.source.request import Source
from runlint.check.conditions import parse_pointer
from runlint.pipeline.linter import Linter, Settings
from runlint.resources import data_dir
from runlint.check.rules import load_catalog
from runlint.check.synced import FILE_NAME, FORMAT

CATALOG = load_catalog([data_dir("rules")], cache_dir=None)
# Findings that depend on the date (shutdowns) are checked for a fixed one, never the real today;
# an example may name its own (`as_of`).
EXAMPLES_DATE = date(2026, 12, 1)
LINTERS = {}


def linter_for(example) -> Linter:
    as_of = date.fromisoformat(example["as_of"]) if example.get("as_of") else EXAMPLES_DATE
    models = example.get("models") or []
    synced = example.get("synced")
    key = (as_of, json.dumps(models, sort_keys=True), json.dumps(synced, sort_keys=True))
    if key not in LINTERS:
        LINTERS[key] = Linter(Settings(cache_dir=None, as_of=as_of, models=models,
                                       synced_models=synced_file(synced)), CATALOG)
    return LINTERS[key]


def synced_file(synced):
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


def variants(example):
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


def cases(kind):
    return list(iter_cases(kind))


def iter_cases(kind):
    for rule in sorted(CATALOG.rules.values(), key=lambda r: r.code):
        if rule.source == "migrate":
            continue  # `runlint migrate` reports these: tests/cli/test_migrate.py runs their examples
        for number, example in enumerate(rule.examples.get(kind, [])):
            for file, text in variants(example):
                yield pytest.param(rule, example, file, text, id=f"{rule.code}-{kind}{number}-{file}")


def oracle_lines(text: str, pointer: str) -> set[int]:
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


def lint_example(example, file: str, text: str):
    """The real engine on the example; a batch example may bring its own (small) limits."""
    if example.get("limits") is None:
        return linter_for(example).lint_bytes(text.encode("utf-8"), file)
    limits = dataclasses.replace(batch_data(), **example["limits"])
    return linter_for(example).lint(Source(file, handle=io.BytesIO(text.encode("utf-8")), limits=limits))


def oracle_columns(line: str, pointer: str) -> set[int]:
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
