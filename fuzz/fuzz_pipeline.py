#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris, libFuzzer) of the loader and the whole lint pipeline.

    pip install atheris
    python fuzz/fuzz_pipeline.py -max_total_time=600      # seeds fuzz/corpus from examples/ and rules/

Each input is a spec's bytes, read as YAML or JSON (its first byte decides). A crash is an
exception, a rule failing (RL014), or a diagnostic whose position is outside the file; libFuzzer
writes the input that did it as crash-*. Turn every crash into a regression test in tests/ with
the smallest input that reproduces it (libFuzzer's -minimize_crash=1 finds it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["runlint"]):
    from runlint.source.document import lone_cr_as_lf
    from runlint.pipeline.linter import Linter, Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
LINTER = Linter(Settings(cache_dir=None))


def seed_corpus() -> None:
    """The bundled examples and every rule's example texts, as the fuzzer's starting points."""
    import json

    from runlint.source.document import load_bytes

    CORPUS.mkdir(parents=True, exist_ok=True)
    seeds = [p.read_bytes() for p in sorted((ROOT / "examples").rglob("*.run.*"))]
    for rule_file in sorted((ROOT / "rules").glob("*.yaml")):
        rule = load_bytes(str(rule_file), rule_file.read_bytes(), "yaml").documents[0].value
        for example in [*rule.get("examples", {}).get("invalid", []), *rule.get("examples", {}).get("valid", [])]:
            example = example if "spec" in example or "text" in example else {"spec": example}
            if example.get("text") is not None:
                seeds.append(example["text"].encode("utf-8"))
            else:
                seeds.append(json.dumps(example["spec"]).encode("utf-8"))
    for number, seed in enumerate(seeds):
        (CORPUS / f"seed-{number:04d}").write_bytes(seed)


def test_one_input(data: bytes) -> None:
    syntax = "json" if data[:1] in (b"{", b"[", b" ") else "yaml"
    found = LINTER.lint_bytes(data, f"fuzz.run.{syntax}")
    lines = lone_cr_as_lf(data.decode("utf-8", "replace")).split("\n")  # lines as editors count them
    for d in found:
        if d.code == "RL014":
            raise RuntimeError(f"a check crashed: {d.message}")
        r = d.range
        if not (0 <= r.line <= r.end_line <= len(lines) and r.column >= 0 and r.end_column >= 0):
            raise RuntimeError(f"{d.code} at an impossible position {r}")


def main() -> None:
    if not any(not arg.startswith("-") for arg in sys.argv[1:]):
        seed_corpus()
        sys.argv.append(str(CORPUS))
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
