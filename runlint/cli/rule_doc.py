"""A rule explained to a person: `runlint rule CODE` and docs/rules.md show its examples through
these helpers, so both order them the same way and neither prints a byte a terminal or a web
page cannot show.

Only `runlint rule` and scripts/generate_docs.py import this (never `runlint check`).
"""

from __future__ import annotations

import re
import textwrap

from ..kinds import by_file_name

# Examples of the current APIs come first: Responses, then Chat Completions, then files of other
# kinds (a batch), and the Assistants API (shut down by OpenAI on 2026-08-26) last.
_KIND_ORDER = {"response": 0, "chat-completion": 1, "create-run": 3, "thread-and-run": 3, "assistant": 3}

# What no terminal or web page shows as itself: control characters but tab and newline, a byte
# order mark, half of a surrogate pair, and the line and paragraph separators.
_NOT_SHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]")


def example_file(example: dict) -> str:
    """The file name an example is written as (a spec given as data: its YAML spelling)."""
    file = example.get("file") or f"example.run.{example.get('syntax', 'yaml')}"
    if example.get("text") is None and not file.endswith((".yaml", ".yml", ".json", ".jsonl")):
        file += ".yaml"
    return file


def example_kind(example: dict) -> str:
    """The request kind an example is for ("batch" for a JSONL file, "" when its name says none)."""
    file = example_file(example)
    if file.endswith(".jsonl"):
        return "batch"
    kind = by_file_name(file)
    return kind.name if kind is not None else ""


def ordered(examples: list[dict]) -> list[dict]:
    """The examples, current APIs first (stable: a rule file's own order within a kind)."""
    return sorted(examples, key=lambda example: _KIND_ORDER.get(example_kind(example), 2))


def escaped(text: str) -> str:
    """The text with every character no terminal or page shows as itself written as `\\uXXXX`
    (RL005's NUL byte, RL007's byte order mark): a page with a NUL is binary to git and GitHub."""
    return _NOT_SHOWN.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def example_text(example: dict) -> str:
    """What an example holds, as a person reads it: its text (escaped where it must be), or its
    spec written as YAML, block style."""
    if example.get("text") is not None:
        return escaped(example["text"].rstrip("\n"))
    return _as_yaml(example["spec"])


def fixed_text(example: dict) -> str | None:
    if example.get("fixed") is not None:
        return escaped(example["fixed"].rstrip("\n"))
    if example.get("fixed_spec") is not None:
        return _as_yaml(example["fixed_spec"])
    return None


def holds_escapes(example: dict) -> bool:
    return any(_NOT_SHOWN.search(example.get(key) or "") for key in ("text", "fixed"))


def _as_yaml(value) -> str:
    import yaml

    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=88)
    return escaped(text.rstrip("\n"))


def wrap(text: str, width: int, indent: str = "") -> str:
    """Prose re-wrapped to `width` columns, paragraph by paragraph; a list, a quote block or an
    indented line keeps its lines as written."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = paragraph.split("\n")
        if any(line.startswith((" ", "-", "*", ">", "|")) or re.match(r"\d+\. ", line) for line in lines):
            paragraphs.append("\n".join(indent + line for line in lines))
        else:
            paragraphs.append(textwrap.fill(" ".join(lines), width, initial_indent=indent, subsequent_indent=indent,
                                            break_long_words=False, break_on_hyphens=False))
    return "\n\n".join(paragraphs)


def as_json(rule) -> dict:
    """`runlint rule CODE --format json`: the rule's fields, examples in the order the text shows."""
    return {"code": rule.code, "name": rule.name, "severity": str(rule.severity), "summary": rule.summary,
            "explanation": rule.explanation.strip(), "kinds": list(rule.kinds) if rule.kinds else None,
            "fix": rule.fix_applicability, "fix_sentence": rule.fix_sentence(),
            "examples": {key: [dict(example, file=example_file(example)) for example in
                               ordered(rule.examples.get(key) or [])] for key in ("invalid", "valid")}}


def synced_note(synced: dict) -> str:
    """The synced model list an example is checked with (RL420, RL421), in words."""
    ids = [m["id"] if isinstance(m, dict) else m for m in synced.get("models", [])]
    when = f", synced {str(synced['synced_at'])[:10]}" if synced.get("synced_at") else ""
    return f"With `runlint.models.json` listing {', '.join(f'`{i}`' for i in ids)}{when}."


def as_text(rule, width: int = 100, every_example: bool = False, shown: int = 2) -> str:
    """The rule as `runlint rule` prints it, in the sections of ruff's `rule` command: a title
    line, then what it checks, why, how to fix, and examples (flagged, then fine, each labelled
    with the file it is written as), current APIs first. `shown` examples of each, or all."""
    width = max(40, min(width, 100))
    body = "  "
    out = [f"{rule.code} {rule.name} ({rule.severity})", "", "What it checks", wrap(rule.summary, width, body)]
    if rule.kinds:
        kinds = sorted(rule.kinds, key=lambda kind: _KIND_ORDER.get(kind, 2))
        out.append(wrap("Checked in: " + ", ".join(kinds) + ".", width, body))
    out += ["", "Why", wrap(rule.explanation, width, body), "", "How to fix",
            wrap(rule.fix_sentence(), width, body)]
    left_out = []
    if rule.examples.get("invalid") or rule.examples.get("valid"):
        out += ["", "Example"]
    for label, key in (("Flagged", "invalid"), ("Fine", "valid")):
        examples = ordered(rule.examples.get(key) or [])
        if not examples:
            continue
        if key == "valid" and rule.examples.get("invalid"):
            out.append("")
        for example in examples if every_example else examples[:shown]:
            when = f", checked for {example['as_of']}" if example.get("as_of") else ""
            out += [f"  {label} ({example_file(example)}{when}):", textwrap.indent(example_text(example), "    ")]
            if example.get("synced") is not None:
                out.append("  " + synced_note(example["synced"]))
            fixed = fixed_text(example)
            if fixed is not None:
                out += ["  Fixed:", textwrap.indent(fixed, "    ")]
            if holds_escapes(example):
                out.append("  (\\uXXXX stands for the one character the example holds there)")
        if not every_example and len(examples) > shown:
            left_out.append(f"{len(examples) - shown} more {label.lower()}")
    if left_out:
        out += ["", f"({' and '.join(left_out)}: `runlint rule {rule.code} --all`, or docs/rules.md)"]
    return "\n".join(out)
