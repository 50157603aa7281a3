"""The model capability table (data/models.yaml, plus a project's `models` overrides).

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
from pathlib import Path
from typing import Any

from ..resources import data_dir

# What a request may send: true (accepted), false (rejected), or the values accepted.
CAPABILITIES = ("reasoning", "temperature", "top_p", "reasoning_effort", "verbosity", "json_object", "json_schema",
                "parallel_tool_calls", "image_input", "audio_output", "file_search", "code_interpreter",
                "web_search_options", "developer_role", "system_role", "stop", "max_tokens",
                "max_completion_tokens",
                # Chat Completions sampling parameters that reasoning models reject
                "n", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "logit_bias")
# Facts that are no yes/no: token counts, and the endpoints (API paths) that serve the model.
LIMITS = ("context_window", "max_output_tokens")
# encoding: the tokenizer's; reasoning_effort_default: the effort a request that sets none gets
FACTS = CAPABILITIES + LIMITS + ("endpoints", "encoding", "reasoning_effort_default")
# What only a constraint rejects (a pairing of model, request and endpoint), never a fact alone.
PAIRED = ("function_tools", "web_search")
# The endpoints a constraint may name, and what a message calls them.
ENDPOINTS = {"chat-completions": "Chat Completions", "responses": "the Responses API"}
# What a rejected capability is called in a message ("it takes no reasoning effort at all").
LABELS = {"reasoning_effort": "reasoning effort", "function_tools": "function tools",
          "web_search": "web_search tool"}
_FAMILY_KEYS = {"name", "match", "extends", "source", "sources", "ids", "constraints"}
_PLURAL = {"function_tools"}  # "it takes them only with ..."
_CONSTRAINT_KEYS = {"when", "rejects", "then", "source", "note"}
_WHEN_KEYS = {"reasoning_effort", "endpoint"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ModelTableError(Exception):
    pass


@dataclass(frozen=True)
class Constraint:
    """A fact that depends on the request: while the request's reasoning effort is one of `efforts`
    (the model's default when it sets none) and, when `endpoint` is given, the request goes to that
    endpoint, the model takes each field of `facts` as that fact says (false: not at all; a list: only
    those values). A condition that cannot be known (no effort and no known default, or a rule that
    names no endpoint) does not hold: runlint stays quiet."""

    facts: tuple[tuple[str, Any], ...]  # (capability, false or the values taken), as the table's facts
    efforts: tuple[str, ...] | None = None
    endpoint: str | None = None
    source: str = ""

    @property
    def rejects(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.facts)

    def fact(self, capability: str) -> Any:
        return next(value for name, value in self.facts if name == capability)

    def when_words(self) -> str:
        """When it holds, in words: "effort minimal, low on chat-completions"."""
        said = [f"effort {', '.join(self.efforts)}"] if self.efforts else []
        return " ".join(said + ([f"on {self.endpoint}"] if self.endpoint else []))

    def to_json(self) -> dict:
        return {"when": {**({"reasoning_effort": list(self.efforts)} if self.efforts else {}),
                         **({"endpoint": self.endpoint} if self.endpoint else {})},
                "then": {name: value for name, value in self.facts}, "source": self.source}

    def holds(self, effort: str | None, endpoint: str | None) -> bool:
        if self.efforts is not None and effort not in self.efforts:
            return False
        return self.endpoint is None or self.endpoint == endpoint


def parse_constraints(family: str, items: Any) -> tuple[Constraint, ...]:
    """A family's `constraints`, checked: each a clear error naming the family and what is wrong."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ModelTableError(f"model family {family}: `constraints` is a list of {{when, rejects or then, source}}")
    parsed = []
    for number, item in enumerate(items, 1):
        where = f"model family {family}, constraint {number}"
        if not isinstance(item, dict):
            raise ModelTableError(f"{where}: a constraint is a mapping with `when`, `rejects` (or `then`) and `source`")
        unknown = set(item) - _CONSTRAINT_KEYS
        if unknown:
            raise ModelTableError(f"{where}: unknown key {', '.join(sorted(unknown))} "
                                  f"(known: {', '.join(sorted(_CONSTRAINT_KEYS))})")
        when = item.get("when")
        if not isinstance(when, dict) or not when or set(when) - _WHEN_KEYS:
            raise ModelTableError(f"{where}: `when` names the request's `reasoning_effort` (a list of values) "
                                  f"and/or an `endpoint` ({', '.join(ENDPOINTS)})")
        efforts = when.get("reasoning_effort")
        if efforts is not None and (not isinstance(efforts, list) or not efforts
                                    or not all(isinstance(e, str) for e in efforts)):
            raise ModelTableError(f"{where}: `when.reasoning_effort` is a list of effort values, e.g. [low, medium]")
        endpoint = when.get("endpoint")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ModelTableError(f"{where}: `when.endpoint` is one of {', '.join(ENDPOINTS)}, not {endpoint!r}")
        known = CAPABILITIES + PAIRED
        rejects, then = item.get("rejects", []), item.get("then", {})
        if not isinstance(rejects, list) or any(r not in known for r in rejects):
            raise ModelTableError(f"{where}: `rejects` lists what the model then rejects, from: {', '.join(known)}")
        if not isinstance(then, dict) or any(k not in known for k in then) or not all(
                v is False or (isinstance(v, list) and v) for v in then.values()):
            raise ModelTableError(f"{where}: `then` maps a fact to what the model then takes (false, or a list "
                                  f"of values), facts from: {', '.join(known)}")
        if not rejects and not then:
            raise ModelTableError(f"{where}: a constraint says what the model rejects (`rejects`) or takes "
                                  "(`then`) while it holds")
        if not isinstance(item.get("source"), str) or not item["source"].strip():
            raise ModelTableError(f"{where}: a constraint needs a `source` (where it is stated)")
        facts = tuple((name, False) for name in rejects) + tuple((k, v) for k, v in then.items() if k not in rejects)
        parsed.append(Constraint(facts, tuple(efforts) if efforts else None, endpoint, item["source"]))
    return tuple(parsed)


def request_effort(request: Any) -> str | None:
    """The reasoning effort a request sets: `reasoning_effort` (Chat Completions, runs, assistants)
    or `reasoning.effort` (Responses)."""
    if not isinstance(request, dict):
        return None
    effort = request.get("reasoning_effort")
    reasoning = request.get("reasoning")
    if effort is None and isinstance(reasoning, dict):
        effort = reasoning.get("effort")
    return effort if isinstance(effort, str) else None


@dataclass
class Family:
    name: str
    match: str  # a regular expression, compiled on first use (re caches it)
    capabilities: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # where the family (its ids) comes from
    sources: dict[str, str] = field(default_factory=dict)  # fact -> where it comes from
    ids: tuple[str, ...] = ()  # the official ids of the family
    constraints: tuple[Constraint, ...] = ()  # facts that depend on the request (reasoning effort, endpoint)

    def effort(self, request: Any) -> tuple[str | None, bool]:
        """The request's effective reasoning effort, and whether it is the model's default."""
        set_here = request_effort(request)
        if set_here is not None:
            return set_here, False
        default = self.capabilities.get("reasoning_effort_default")
        return (default, True) if isinstance(default, str) else (None, False)

    def constraint_on(self, capability: str, request: Any, endpoint: str | None = None,
                      value: Any = None) -> Constraint | None:
        """The first constraint that makes the model reject `capability` (or that value of it) in this
        request, if any."""
        effort = self.effort(request)[0]
        return next((c for c in self.constraints if capability in c.rejects and c.holds(effort, endpoint)
                     and not _takes(c.fact(capability), value)), None)

    def takes_when(self, constraint: Constraint, capability: str, request: Any) -> str:
        """What the model takes, given the constraint that rejects `capability`, in words:
        "with reasoning effort medium (its default) it takes no temperature; it takes it only with
        reasoning effort none" (the efforts it takes it with: those of `reasoning_effort` the
        constraint leaves out)."""
        label = LABELS.get(capability, capability)
        place = f" in {ENDPOINTS[constraint.endpoint]}" if constraint.endpoint else ""
        allowed = constraint.fact(capability)
        if isinstance(allowed, list):  # only some values: "it takes only 1, the default"
            default = ", the default" if capability in ("temperature", "top_p") and allowed == [1] else ""
            taken = f"it takes only {', '.join(map(str, allowed))}{default}"
            what = "other values"
        else:
            taken, what = f"it takes no {label}", "them" if capability in _PLURAL else "it"
        if constraint.efforts is None:
            return f"{taken}{place}"
        effort, default = self.effort(request)
        said = f"with reasoning effort {effort}{' (its default)' if default else ''}"
        efforts = self.capabilities.get("reasoning_effort")
        others = [e for e in efforts if e not in constraint.efforts] if isinstance(efforts, list) else []
        either = ", ".join(others[:-1]) + " or " + others[-1] if len(others) > 1 else "".join(others)
        rest = f"; it takes {what} only with reasoning effort {either}" if others else ""
        return f"{said} {taken}{place}{rest}"

    def accepts(self, capability: str, value: Any = None) -> bool | None:
        """True, False, or None when the table does not say."""
        if capability not in self.capabilities:
            return None
        return _takes(self.capabilities[capability], value)

    def takes(self, capability: str) -> str:
        """What the family takes, in words, for a message: "it takes: low, medium, high"."""
        allowed = self.capabilities.get(capability)
        if isinstance(allowed, list) and len(allowed) == 1:
            return f"it takes only {allowed[0]}" + (", the default" if capability in ("temperature", "top_p") else "")
        if isinstance(allowed, list) and allowed:
            return "it takes: " + ", ".join(map(str, allowed))
        return f"it takes no {LABELS.get(capability, capability)} at all"


def _takes(allowed: Any, value: Any) -> bool:
    """Whether a fact (true, false, or the values taken) takes the value (None: the field at all)."""
    if isinstance(allowed, list):
        return value in allowed if value is not None else bool(allowed)
    return bool(allowed)


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
            constraints = parse_constraints(name, entry.get("constraints"))
            if entry.get("extends"):
                parent = next(f for f in reversed(self.families) if f.name == entry["extends"])
                # an inherited fact keeps the source it had; constraints are inherited like the facts
                sources = {**{k: v for k, v in parent.sources.items() if k not in entry}, **sources}
                if "constraints" not in entry:
                    constraints = parent.constraints
            sources = {k: v for k, v in sources.items() if k in capabilities}
            self.families.append(Family(name, entry["match"], capabilities, entry.get("source"), sources,
                                        tuple(entry.get("ids") or ()), constraints))
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

    def names(self, model: str) -> bool:
        """Whether the table names this exact id outside its families: a retired id (`lifecycle`)
        or one kept unknown on purpose (`unresolved`). Such an id is no slip of another one."""
        return model in self.lifecycles or model in self.unresolved

    def known_ids(self) -> list[str]:
        """Every official id the table lists, for "did you mean"."""
        return [model for family in self.families for model in family.ids]


@lru_cache(maxsize=2)
def builtin_data(cache_dir: Path | None = None) -> dict:
    """data/models.yaml as plain data. Parsing it costs a cold start more than anything but the
    imports (libyaml's own loader, several times faster than runlint's positional one, still builds
    every value in Python): with a `cache_dir`, it is kept there as JSON, used while the table's
    bytes are the same (runlint/cache.py)."""
    path = data_dir("data") / "models.yaml"
    data = path.read_bytes()
    if cache_dir is not None:
        from ..cache import entry_path, fingerprint, read, write

        cache_file, key = entry_path(cache_dir, "models", str(path)), {"source": fingerprint(data)}
        cached = read(cache_file, key)
        if isinstance(cached, dict) and isinstance(cached.get("families"), list):
            return cached
        parsed = _parse_table(data)
        write(cache_file, key, parsed)
        return parsed
    return _parse_table(data)


def _parse_table(data: bytes) -> dict:
    # The table is ours, and a test checks that this and runlint's own loader read it alike.
    import yaml

    return yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # safe: no tags


def builtin_entries() -> tuple:
    return tuple(builtin_data()["families"])


@lru_cache(maxsize=16)
def _table(overrides_json: str, cache_dir: Path | None = None) -> Models:
    # A project's entries come first, so they win over the built-in ones; they may extend them.
    data = builtin_data(cache_dir)
    builtin = list(data["families"])
    models = Models(builtin, check_patterns=False, lifecycle=data.get("lifecycle"),
                    unresolved=data.get("unresolved"),
                    checked=parse_date(data["checked"], "checked"))  # the built-in table is tested
    project = json.loads(overrides_json)
    if project:
        models.put_first(Models(builtin + project).families[len(builtin):])
    return models


def table(overrides: list[dict] | None = None, cache_dir: Path | None = None) -> Models:
    """The table with a project's `overrides`; `cache_dir`: runlint's cache (see builtin_data)."""
    return _table(json.dumps(overrides or [], sort_keys=True), cache_dir)
