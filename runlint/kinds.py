"""Request kinds: which API request a document is, and the schema that describes it.

How a kind is told, first match wins (docs/checks.md, "Request kinds"):
1. `--kind` on the command line;
2. a `# runlint: kind=NAME` comment above the document;
3. the file name (`name.run.yaml`, `name.response.json`, ...);
4. the configuration's `kinds` globs (`{"requests/*.yaml" = "response"}`);
5. the fields of the document (`assistant_id` and no `thread`: create-run; `input`: response; ...);
6. the configuration's `default-kind`.
Otherwise the kind is unknown (an info, RL012) and nothing is checked.

KINDS is the one registry of kinds: each kind's name, title, file suffix, schema file and endpoint.
What else names kinds is derived from it (the schema generator's titles, the coverage table's
columns, the CLI's help) or tested against it (the batch reader's urls in data/batch.yaml, the VS Code
extension's manifest: tests/engine/test_kinds_registry.py).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any


# A request file's extensions, and the language id an editor (VS Code) gives each.
LANGUAGES = {"yaml": "yaml", "yml": "yaml", "json": "json"}


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the request as people call it; schemas/<name>.schema.json is titled "<title> (<url>)"
    suffix: str  # file names end in .<suffix>.yaml, .<suffix>.yml or .<suffix>.json
    url: str = ""  # the endpoint: "POST /v1/responses" (a batch line's `url` is its path); none for a line
    # Places where the request carries a JSON Schema of its own (checked against the metaschema).
    embedded_schemas: tuple[tuple, ...] = ()
    legacy: bool = False  # an Assistants API request: OpenAI shut that API down on 2026-08-26

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def path(self) -> str:
        """The endpoint's path, "/v1/responses" (what a batch line's `url` holds)."""
        return self.url.partition(" ")[2]

    @property
    def schema_title(self) -> str:
        return f"{self.title} ({self.url})"

    @property
    def column(self) -> str:
        """The kind in a narrow table column (the coverage table): its file suffix, except for the
        retired Assistants kinds, whose suffixes (`run`, `thread-run`) read as verbs there."""
        return self.name if self.legacy else self.suffix

    @property
    def file_patterns(self) -> tuple[str, ...]:
        return tuple(f"*.{self.suffix}.{extension}" for extension in LANGUAGES)


_ASSISTANTS_SCHEMAS = (("tools", "*", "function", "parameters"), ("response_format", "json_schema", "schema"))

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("create-run", "Create run request", "run", "POST /v1/threads/{thread_id}/runs",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("thread-and-run", "Create thread and run request", "thread-run", "POST /v1/threads/runs",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("assistant", "Create assistant request", "assistant", "POST /v1/assistants",
         _ASSISTANTS_SCHEMAS, legacy=True),
    Kind("chat-completion", "Create chat completion request", "chat", "POST /v1/chat/completions",
         (*_ASSISTANTS_SCHEMAS, ("functions", "*", "parameters"))),
    Kind("response", "Create response request", "response", "POST /v1/responses",
         (("tools", "*", "parameters"), ("text", "format", "schema"))),
)}

# Batch API input files (runlint/source/formats/batch.py, which names their files): the editor's
# language id for them.
BATCH_LANGUAGE = "jsonl"

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
