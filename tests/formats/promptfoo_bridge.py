"""Lint a promptfoo configuration before the format layer is wired in (phase 1): each request
promptfoo would send is linted as a request file of its kind, and each finding's request path is
mapped back through the format's entries to the user's own node. Phase 2 replaces this with
`Linter.lint`; the real files' judgements (tests/formats/real/promptfoo/JUDGEMENTS.yaml) hold for both.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from runlint.api import lint_text
from runlint.source.document import load
from runlint.source.formats import promptfoo


@dataclass
class Finding:
    code: str
    severity: str
    line: int  # 1-based
    column: int
    message: str


def _parts(pointer: str) -> tuple:
    parts = []
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


def _map(entries, path: tuple):
    best = None
    for entry in entries:
        if path[:len(entry.request)] == entry.request and (best is None or len(entry.request) > len(best.request)):
            best = entry
    if best is None:
        return (), False
    return best.file + path[len(best.request):], best.verbatim


def lint(file: str, text: str) -> list[Finding]:
    source = load(file, text)
    if not source.documents:
        return [Finding(p.code, str(p.severity), p.range.line + 1, p.range.column + 1, p.message)
                for p in source.problems]
    document = source.documents[0]
    built, notes = promptfoo.read(document.value)
    found = []
    severities = {"RL900": "warning", "RL901": "warning", "RL902": "info", "RL920": "error", "RL501": "error"}
    for note in notes:
        where = promptfoo.variable_range(document, note.path, note.name) if note.name else \
            document.locate(note.path, on_key=note.on_key)
        found.append(Finding(note.code, severities[note.code], where.line + 1, where.column + 1, note.message))
    for request in built:
        if not request.openai:
            continue
        suffix = "chat" if request.kind == "chat-completion" else "response"
        for d in lint_text(json.dumps(request.value, indent=1), f"request.{suffix}.json"):
            if d.code in promptfoo.NOT_FOR_PROMPTFOO:
                continue
            default = promptfoo.on_default(request.entries, _parts(d.pointer))
            if default is not None and str(d.severity) != "error":
                continue
            path, verbatim = _map(request.entries, _parts(d.pointer))
            where = document.point_at(path)
            found.append(Finding(d.code, str(d.severity), where.line + 1, where.column + 1,
                                 f"{d.message} [request {d.pointer or '/'}]"))
    return sorted(found, key=lambda f: (f.line, f.column, f.code))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as handle:
            for f in lint(name, handle.read()):
                print(f"{name}:{f.line}:{f.column}: {f.code} {f.severity}: {f.message}")
