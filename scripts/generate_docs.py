#!/usr/bin/env python3
"""Write docs/rules.md (the rule index, then every rule), the rule coverage table in docs/checks.md
and the rule language's table in docs/rule-files.md (each between its markers) from the rule files
(they are the truth).

    python scripts/generate_docs.py          # write
    python scripts/generate_docs.py --check  # exit 1 if either is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runlint.resources import data_dir  # noqa: E402
from runlint.cli.rule_doc import example_file, example_text, fixed_text, holds_escapes, ordered, synced_note  # noqa: E402
from runlint.check.rules import load_catalog  # noqa: E402

from coverage_table import coverage, coverage_table  # noqa: E402
import rule_language  # noqa: E402

COVERAGE_START, COVERAGE_END = "<!-- coverage:start -->", "<!-- coverage:end -->"
LANGUAGE_START, LANGUAGE_END = "<!-- language:start -->", "<!-- language:end -->"
RULE_FILES = ROOT / "docs" / "rule-files.md"


def rules():
    return sorted(load_catalog([data_dir("rules")], cache_dir=None).rules.values(), key=lambda r: r.code)


def table() -> str:
    lines = ["| code | name | severity | what it finds |", "|---|---|---|---|"]
    for rule in rules():
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.code}](#{rule.code.lower()}) | `{rule.name}` | {rule.severity} | "
                     f"{summary} |")
    return "\n".join(lines)


def rules_page() -> str:
    out = ["# runlint rules", "", "Generated from `rules/*.yaml` by `scripts/generate_docs.py`; "
           "`runlint rule CODE` prints the same. Which rule checks which request kind: "
           "[checks.md](checks.md#request-kinds).", "", table(), ""]
    covered = coverage()
    for rule in rules():
        out += [f"## {rule.code}", "", f"`{rule.name}` ({rule.severity}): {rule.summary}", "",
                rule.explanation.strip(), "", rule.fix_sentence(), ""]
        if rule.code in covered:
            kinds = covered[rule.code]
            out += ["Checked in: " + (", ".join(f"`{k}`" for k, c in kinds.items() if c.covered) or "none") + ".", ""]
            out += [f"- not in `{k}`: {c.reason}" for k, c in kinds.items() if c.reason] + [""] * any(
                c.reason for c in kinds.values())
        for label, key in (("Flagged", "invalid"), ("Fine", "valid")):
            examples = ordered(rule.examples.get(key) or [])
            if examples:
                out += [f"{label}:", ""]
                for example in examples:
                    fence = "```" + ("json" if example_file(example).endswith((".json", ".jsonl")) else "yaml")
                    out += [f"`{example_file(example)}`" + (f", checked for {example['as_of']}" if example.get("as_of")
                                                           else "") + ":", "", fence, example_text(example), "```", ""]
                    if example.get("synced") is not None:
                        out += [synced_note(example["synced"]), ""]
                    fixed = fixed_text(example)
                    if fixed is not None:
                        out += ["Fixed:", "", fence, fixed, "```", ""]
                    if holds_escapes(example):
                        out += ["(`\\uXXXX` stands for the one character the example holds there: a page cannot "
                                "show it.)", ""]
    return "\n".join(out)


def between(current: str, start: str, end: str, text: str, page: str) -> str:
    """`current` with what stands between the markers `start` and `end` replaced by `text`."""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(current):
        raise SystemExit(f"{page} has no {start} ... {end} markers")
    return pattern.sub(lambda _m: f"{start}\n{text}\n{end}", current)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    targets = {ROOT / "docs" / "rules.md": rules_page(),
               ROOT / "docs" / "checks.md": between((ROOT / "docs" / "checks.md").read_text(encoding="utf-8"),
                                                    COVERAGE_START, COVERAGE_END, coverage_table(), "docs/checks.md"),
               RULE_FILES: between(RULE_FILES.read_text(encoding="utf-8"), LANGUAGE_START, LANGUAGE_END,
                                   rule_language.table(), "docs/rule-files.md")}
    stale = [str(p) for p, text in targets.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        if stale:
            print("stale (run scripts/generate_docs.py): " + ", ".join(stale), file=sys.stderr)
        return 1 if stale else 0
    for path, text in targets.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
