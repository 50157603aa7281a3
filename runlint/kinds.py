"""Request kinds: which API request a document is, and the schema that describes it.

How a kind is told, first match wins: an explicit choice (`--kind`, config), the file name
(`name.run.yaml`), the fields of the document (`assistant_id` without `thread` is a create-run).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    file_patterns: tuple[str, ...]
    # Places where the request carries a JSON Schema of its own (checked against the metaschema).
    embedded_schemas: tuple[tuple, ...] = ()

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


CREATE_RUN = Kind(
    "create-run",
    "Assistants API create run (POST /v1/threads/{thread_id}/runs)",
    ("*.run.yaml", "*.run.yml", "*.run.json"),
    embedded_schemas=(("tools", "*", "function", "parameters"), ("response_format", "json_schema", "schema")),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (CREATE_RUN,)}

DEFAULT_INCLUDE = tuple(p for kind in KINDS.values() for p in kind.file_patterns)


def by_file_name(file: str) -> Kind | None:
    base = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for kind in KINDS.values():
        if any(fnmatch.fnmatchcase(base, pattern) for pattern in kind.file_patterns):
            return kind
    return None


def by_content(value: Any) -> Kind | None:
    if isinstance(value, dict) and "assistant_id" in value and "thread" not in value:
        return CREATE_RUN
    return None


def detect(file: str, value: Any, explicit: str | None = None, default: str | None = None) -> Kind | None:
    if explicit:
        return KINDS[explicit]
    return by_file_name(file) or by_content(value) or (KINDS[default] if default else None)
