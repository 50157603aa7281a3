"""Request kinds: which API request a document is, and the schema that describes it.

How a kind is told, first match wins (docs/checks.md, "Request kinds"):
1. `--kind` on the command line;
2. a `# runlint: kind=NAME` comment above the document;
3. the file name (`name.run.yaml`, `name.response.json`, ...);
4. the configuration's `kinds` globs (`{"requests/*.yaml" = "response"}`);
5. the fields of the document (`assistant_id` and no `thread`: create-run; `input`: response; ...);
6. the configuration's `default-kind`.
Otherwise the kind is unknown (an info, RL012) and nothing is checked.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    suffix: str  # file names end in .<suffix>.yaml, .<suffix>.yml or .<suffix>.json
    # Places where the request carries a JSON Schema of its own (checked against the metaschema).
    embedded_schemas: tuple[tuple, ...] = ()
    legacy: bool = False  # an Assistants API request: OpenAI shut that API down on 2026-08-26

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def file_patterns(self) -> tuple[str, ...]:
        return tuple(f"*.{self.suffix}.{extension}" for extension in ("yaml", "yml", "json"))


_ASSISTANTS_SCHEMAS = (("tools", "*", "function", "parameters"), ("response_format", "json_schema", "schema"))

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("create-run", "Assistants API create run (POST /v1/threads/{thread_id}/runs)", "run",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("thread-and-run", "Assistants API create thread and run (POST /v1/threads/runs)", "thread-run",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("assistant", "Assistants API create assistant (POST /v1/assistants)", "assistant",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("chat-completion", "Chat Completions (POST /v1/chat/completions)", "chat",
         (*_ASSISTANTS_SCHEMAS, ("functions", "*", "parameters"))),
    Kind("response", "Responses (POST /v1/responses)", "response",
         (("tools", "*", "parameters"), ("text", "format", "schema"))),
)}

# Batch API input files: one request a line, each checked as the kind its url names (batch.py).
BATCH_PATTERNS = ("*.jsonl",)

DEFAULT_INCLUDE = tuple(p for kind in KINDS.values() for p in kind.file_patterns) + BATCH_PATTERNS

_DECLARED = re.compile(r"#\s*runlint:\s*kind\s*=\s*([\w-]+)")


def by_file_name(file: str) -> Kind | None:
    base = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for kind in KINDS.values():
        if any(fnmatch.fnmatchcase(base, pattern) for pattern in kind.file_patterns):
            return kind
    return None


def by_content(value: Any) -> Kind | None:
    if not isinstance(value, dict):
        return None
    if "assistant_id" in value:
        return KINDS["thread-and-run" if "thread" in value else "create-run"]
    if "input" in value or "previous_response_id" in value or "conversation" in value:
        return KINDS["response"]
    if "messages" in value:
        return KINDS["chat-completion"]
    return None


def declared(lines: list[str], first_line: int) -> str | None:
    """The kind a `# runlint: kind=NAME` comment names in the comment lines above a document."""
    for number in range(first_line, -1, -1):
        text = lines[number].strip() if number < len(lines) else ""
        if number < first_line and text and not text.startswith("#"):
            break  # past the document's own leading comments
        match = _DECLARED.search(text)
        if match:
            return match.group(1)
    return None


def detect(file: str, value: Any, explicit: str | None = None, default: str | None = None,
           said: str | None = None, by_glob: str | None = None) -> Kind | None:
    """The document's kind, or None. `said`: the kind a comment names; `by_glob`: the kind the
    configuration's `kinds` globs give the file (both checked by the caller)."""
    if explicit:
        return KINDS[explicit]
    if said in KINDS:
        return KINDS[said]
    named = by_file_name(file)
    if named:
        return named
    if by_glob in KINDS:
        return KINDS[by_glob]
    return by_content(value) or (KINDS[default] if default else None)
