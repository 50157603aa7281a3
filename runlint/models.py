"""The model capability table (schemas/models.yaml, plus a project's `models` overrides).

`Models.find("gpt-4o-2024-08-06")` gives the family's capabilities; fine-tuned ids resolve by their
base model; an id no family matches is unknown (None), and rules say nothing about it.
`Models.lifecycle("gpt-4-0613")` gives a model id's deprecation and shutdown, when announced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from .resources import data_dir

# What a request may send: true (accepted), false (rejected), or the values accepted.
CAPABILITIES = ("reasoning", "temperature", "top_p", "reasoning_effort", "verbosity", "json_object", "json_schema",
                "parallel_tool_calls", "image_input", "audio_output", "file_search", "code_interpreter",
                "web_search_options", "developer_role", "system_role", "stop", "max_tokens",
                "max_completion_tokens",
                # Chat Completions sampling parameters that reasoning models reject
                "n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "logit_bias")
# Facts that are no yes/no: token counts, and the endpoints (API paths) that serve the model.
LIMITS = ("context_window", "max_output_tokens")
FACTS = CAPABILITIES + LIMITS + ("endpoints", "encoding")  # encoding: the tokenizer's
# What a rejected capability is called in a message ("it takes no reasoning effort at all").
LABELS = {"reasoning_effort": "reasoning effort"}
_FAMILY_KEYS = {"name", "match", "extends", "source", "sources", "ids"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ModelTableError(Exception):
    pass


@dataclass
class Family:
    name: str
    match: str  # a regular expression, compiled on first use (re caches it)
    capabilities: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # where the family (its ids) comes from
    sources: dict[str, str] = field(default_factory=dict)  # fact -> where it comes from
    ids: tuple[str, ...] = ()  # the official ids of the family

    def accepts(self, capability: str, value: Any = None) -> bool | None:
        """True, False, or None when the table does not say."""
        if capability not in self.capabilities:
            return None
        allowed = self.capabilities[capability]
        if isinstance(allowed, list):
            return value in allowed if value is not None else bool(allowed)
        return bool(allowed)

    def takes(self, capability: str) -> str:
        """What the family takes, in words, for a message: "it takes: low, medium, high"."""
        allowed = self.capabilities.get(capability)
        if isinstance(allowed, list) and len(allowed) == 1:
            return f"it takes only {allowed[0]}" + (", the default" if capability in ("temperature", "top_p") else "")
        if isinstance(allowed, list) and allowed:
            return "it takes: " + ", ".join(map(str, allowed))
        return f"it takes no {LABELS.get(capability, capability)} at all"


@dataclass(frozen=True)
class Lifecycle:
    """A model id's announced end: deprecated (announced) on one date, shut down on another."""

    model: str
    shutdown: date
    deprecated: date | None = None
    replacement: str | None = None
    source: str | None = None

    def stage(self, today: date) -> str:
        """'shut down', 'deprecated' (shutdown ahead), or '' (not yet announced on `today`)."""
        if today >= self.shutdown:
            return "shut down"
        if self.deprecated is None or today >= self.deprecated:
            return "deprecated"
        return ""


def parse_date(text: Any, what: str = "") -> date:
    """A YYYY-MM-DD date (or a date TOML already read), else ValueError (prefixed with `what`)."""
    if isinstance(text, date):
        return text
    if isinstance(text, str) and _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{what + ': ' if what else ''}{text!r} is not a date (YYYY-MM-DD)")


class Models:
    def __init__(self, entries: list[dict], check_patterns: bool = True, lifecycle: list[dict] | None = None,
                 unresolved: list[dict] | None = None, checked: date | None = None):
        self.checked = checked  # the day the built-in facts were last checked (None: a project's table)
        self.families: list[Family] = []
        self._found: dict[str, Family | None] = {}  # every rule asks about the same few models
        by_name: dict[str, dict] = {}
        for entry in entries:
            name = entry.get("name")
            if not isinstance(name, str) or not isinstance(entry.get("match"), str):
                raise ModelTableError(f"a model family needs a `name` and a `match` pattern: {entry!r}")
            unknown = set(entry) - _FAMILY_KEYS - set(FACTS)
            if unknown:
                raise ModelTableError(f"model family {name}: unknown capability {', '.join(sorted(unknown))} "
                                      f"(known: {', '.join(FACTS)})")
            capabilities = {}
            if "extends" in entry:
                if entry["extends"] not in by_name:
                    raise ModelTableError(f"model family {name} extends {entry['extends']!r}, which is not "
                                          "defined before it")
                capabilities.update(by_name[entry["extends"]])
            capabilities.update({k: v for k, v in entry.items() if k in FACTS})
            capabilities = {k: v for k, v in capabilities.items() if v is not None}  # null: unknown again
            by_name[name] = capabilities
            if check_patterns:
                try:
                    re.compile(entry["match"])
                except re.error as error:
                    raise ModelTableError(f"model family {name}: `match` is not a valid regular expression: "
                                          f"{error}") from None
            sources = dict(entry.get("sources") or {})
            if entry.get("extends"):  # an inherited fact keeps the source it had
                parent = next(f for f in reversed(self.families) if f.name == entry["extends"])
                sources = {**{k: v for k, v in parent.sources.items() if k not in entry}, **sources}
            sources = {k: v for k, v in sources.items() if k in capabilities}
            self.families.append(Family(name, entry["match"], capabilities, entry.get("source"), sources,
                                        tuple(entry.get("ids") or ())))
        self.lifecycles: dict[str, Lifecycle] = {}
        for item in lifecycle or ():
            try:
                stages = (parse_date(item["shutdown"], "shutdown"),
                          parse_date(item["deprecated"], "deprecated") if item.get("deprecated") else None)
            except (KeyError, ValueError) as error:
                raise ModelTableError(f"lifecycle of {item.get('ids')}: {error}") from None
            for model in item["ids"]:
                self.lifecycles[model] = Lifecycle(model, *stages, item.get("replacement"), item.get("source"))
        self.unresolved: dict[str, str] = {u["id"]: u["reason"] for u in unresolved or ()}
        # an official id finds its family without a regex (each compiled costs a cold start);
        # tests check that each listed id resolves to its own family by the patterns too
        self._listed = {model: family for family in self.families for model in family.ids}

    def put_first(self, families: list[Family]) -> None:
        """A project's families, which win: an official id they match no longer finds ours."""
        self.families[:0] = families
        self._listed = {m: f for m, f in self._listed.items()
                        if not any(re.search(p.match, m) for p in families)}
        self._found.clear()

    def find(self, model: Any) -> Family | None:
        if not isinstance(model, str):
            return None
        if model not in self._found:
            base = model.split(":")[1] if model.startswith("ft:") else model
            self._found[model] = self._listed.get(base) or next(
                (f for f in self.families if re.search(f.match, base)), None)
        return self._found[model]

    def lifecycle(self, model: Any) -> Lifecycle | None:
        """The announced end of this exact id (a fine-tune's own end is not OpenAI's table's)."""
        return self.lifecycles.get(model) if isinstance(model, str) else None

    def known_ids(self) -> list[str]:
        """Every official id the table lists, for "did you mean"."""
        return [model for family in self.families for model in family.ids]


@lru_cache(maxsize=1)
def builtin_data() -> dict:
    # libyaml's own loader: every check naming a model pays this, and it is several times faster
    # than runlint's positional one; the table is ours, and a test checks both read it alike.
    import yaml

    path = data_dir("schemas") / "models.yaml"
    return yaml.load(path.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe: no tags


def builtin_entries() -> tuple:
    return tuple(builtin_data()["families"])


@lru_cache(maxsize=16)
def _table(overrides_json: str) -> Models:
    # A project's entries come first, so they win over the built-in ones; they may extend them.
    data = builtin_data()
    builtin = list(data["families"])
    models = Models(builtin, check_patterns=False, lifecycle=data.get("lifecycle"),
                    unresolved=data.get("unresolved"),
                    checked=parse_date(data["checked"], "checked"))  # the built-in table is tested
    project = json.loads(overrides_json)
    if project:
        models.put_first(Models(builtin + project).families[len(builtin):])
    return models


def table(overrides: list[dict] | None = None) -> Models:
    return _table(json.dumps(overrides or [], sort_keys=True))
