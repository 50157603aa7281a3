"""The model capability table (schemas/models.yaml, plus a project's `models` overrides).

`Models.find("gpt-4o-2024-08-06")` gives the family's capabilities; fine-tuned ids resolve by their
base model; an id no family matches is unknown (None), and rules say nothing about it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .resources import data_dir

CAPABILITIES = ("reasoning", "temperature", "top_p", "reasoning_effort", "json_object", "json_schema",
                "parallel_tool_calls", "image_input", "file_search", "code_interpreter",
                # Chat Completions sampling parameters that reasoning models reject
                "n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "logit_bias")


class ModelTableError(Exception):
    pass


@dataclass
class Family:
    name: str
    match: str  # a regular expression, compiled on first use (re caches it)
    capabilities: dict[str, Any] = field(default_factory=dict)

    def accepts(self, capability: str, value: Any = None) -> bool | None:
        """True, False, or None when the table does not say."""
        if capability not in self.capabilities:
            return None
        allowed = self.capabilities[capability]
        if isinstance(allowed, list):
            return value in allowed if value is not None else bool(allowed)
        return bool(allowed)


class Models:
    def __init__(self, entries: list[dict], check_patterns: bool = True):
        self.families: list[Family] = []
        self._found: dict[str, Family | None] = {}  # every rule asks about the same few models
        by_name: dict[str, dict] = {}
        for entry in entries:
            name = entry.get("name")
            if not isinstance(name, str) or not isinstance(entry.get("match"), str):
                raise ModelTableError(f"a model family needs a `name` and a `match` pattern: {entry!r}")
            unknown = set(entry) - {"name", "match", "extends", *CAPABILITIES}
            if unknown:
                raise ModelTableError(f"model family {name}: unknown capability {', '.join(sorted(unknown))} "
                                      f"(known: {', '.join(CAPABILITIES)})")
            capabilities = {}
            if "extends" in entry:
                if entry["extends"] not in by_name:
                    raise ModelTableError(f"model family {name} extends {entry['extends']!r}, which is not "
                                          "defined before it")
                capabilities.update(by_name[entry["extends"]])
            capabilities.update({k: v for k, v in entry.items() if k in CAPABILITIES})
            by_name[name] = capabilities
            if check_patterns:
                try:
                    re.compile(entry["match"])
                except re.error as error:
                    raise ModelTableError(f"model family {name}: `match` is not a valid regular expression: "
                                          f"{error}") from None
            self.families.append(Family(name, entry["match"], capabilities))

    def find(self, model: Any) -> Family | None:
        if not isinstance(model, str):
            return None
        if model not in self._found:
            base = model.split(":")[1] if model.startswith("ft:") else model
            self._found[model] = next((f for f in self.families if re.search(f.match, base)), None)
        return self._found[model]


@lru_cache(maxsize=1)
def builtin_entries() -> tuple:
    from .document import load_bytes

    path = data_dir("schemas") / "models.yaml"
    source = load_bytes(str(path), path.read_bytes(), "yaml")
    return tuple(source.documents[0].value["families"])


@lru_cache(maxsize=16)
def _table(overrides_json: str) -> Models:
    # A project's entries come first, so they win over the built-in ones; they may extend them.
    builtin = list(builtin_entries())
    models = Models(builtin, check_patterns=False)  # the built-in patterns are tested
    project = json.loads(overrides_json)
    if project:
        models.families[:0] = Models(builtin + project).families[len(builtin):]
    return models


def table(overrides: list[dict] | None = None) -> Models:
    return _table(json.dumps(overrides or [], sort_keys=True))
