"""Lint the real files kept under tests/formats/real/<format>/ and print every finding.

Until the format layer is on main, this stands in for it: each file is read by its format module
(`build`), the request it sends is linted as a request body, and each finding is moved back to the
user's own key through the module's map entries (the longest request prefix wins, as PathMap does).
Usage: python scripts/lint_real_formats.py github-models [--yaml]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from runlint.diagnostic import Diagnostic
from runlint.pipeline.linter import Linter
from runlint.source.document import load

ROOT = Path(__file__).resolve().parent.parent / "tests" / "formats" / "real"


def module(name: str):
    import importlib

    return importlib.import_module("runlint.source.formats." + name.replace("-", "_"))


def from_pointer(pointer: str) -> tuple:
    parts = []
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


def moved(finding: Diagnostic, entries: list) -> tuple:
    path = from_pointer(finding.pointer)
    covering = [e for e in entries if path[:len(e[0])] == e[0]]
    if covering:
        prefix, document, file_prefix, _ = max(covering, key=lambda e: len(e[0]))
    else:  # no entry covers it: the home document's root (PathMap.home)
        shortest = min(len(e[0]) for e in entries)
        prefix, document, file_prefix = path, [e for e in entries if len(e[0]) == shortest][-1][1], ()
    return document.locate(file_prefix + path[len(prefix):], on_key=finding.code in ("RL101",)), \
        ".".join(str(p) for p in file_prefix + path[len(prefix):])


def lint(fmt: str, file: Path, linter: Linter) -> list[tuple]:
    text = file.read_text(encoding="utf-8")
    built_module = module(fmt)
    if fmt == "prompty":
        front, body, problems = built_module.split(str(file), text)
        out = [(p.range.line + 1, p.code, str(p.severity or ""), p.message, "") for p in problems]
        every = [built_module.build(front, body)]
    else:
        source = load(str(file), text)
        out = [(p.range.line + 1, p.code, str(p.severity or ""), p.message, "") for p in source.problems]
        every = [built_module.build(document) for document in source.documents]
    for built in every:
        for f in built.findings:
            out.append((f.range.line + 1, f.code, str(f.severity or ""), f.message, "format"))
        if getattr(built, "kind", "chat-completion") is None or not built.openai:
            continue  # an api runlint does not check (embedding, image), or not OpenAI's (Request.openai)
        suffix = {"response": "response", "chat-completion": "chat"}[getattr(built, "kind", "chat-completion")]
        found = linter.lint_text(json.dumps(built.value), f"request.{suffix}.json")
        for f in found:
            where, written = moved(f, built.entries)
            out.append((where.line + 1, f.code, str(f.severity), f"{f.message} (at {written})", "request"))
    return sorted(out)


def main() -> None:
    fmt = sys.argv[1]
    linter = Linter()
    for file in sorted((ROOT / fmt).rglob("*")):
        if file.is_file() and file.name not in ("SOURCES.yaml", "JUDGEMENTS.yaml"):
            for line, code, severity, message, via in lint(fmt, file, linter):
                print(f"{file.relative_to(ROOT / fmt)}:{line}: {code} {severity} {message}")


if __name__ == "__main__":
    main()
