"""The check vocabulary of declarative rules, compiled from plain data into small callables.

A condition is a mapping with one operator and, for operators on values, a `path` (a JSON Pointer
where `*` stands for every item or member). Evaluated in two ways:

- as a `check`, it yields violations: (path of the offending node, message parameters);
  operators on values check every node the path matches;
- as a `when`, it holds or not: operators on values hold when some node matches and satisfies them.

`null` counts as absent everywhere, as it does in the API. Nothing here evaluates text as code:
regular expressions are the only language, and they are compiled once, when the rule is loaded.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator

from ..diagnostic import Said, field_name
from ..path import pointer_tokens

Violation = tuple[tuple, dict]
Node = tuple[tuple, Any]

# Operators that look at the value of each node their `path` matches.
VALUE_OPERATORS = ("equals", "one_of", "matches", "length", "count", "range", "type", "refers_to",
                   "unique", "key_length")
# Operators that stand alone: existence, combinations, and the escape hatch.
OTHER_OPERATORS = ("present", "absent", "mutually_exclusive", "mentions", "model_lacks", "model_has", "today",
                   "all", "any", "not", "function")
OPERATORS = VALUE_OPERATORS + OTHER_OPERATORS

_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,),
          "object": (dict,), "array": (list,)}

# Check functions, the escape hatch for what the vocabulary cannot say: name -> fn(value, args,
# context) returning violations. Registered by runlint.check.families; rules name them by family
# and function, {function: structured_outputs.strict_schema_subset, args: {}} (docs/rule-files.md).
FUNCTIONS: dict[str, Callable[[Any, dict, "Context"], list[Violation]]] = {}


class Context:
    """What a condition may need beyond the document: the model capability table and, beside it,
    the project's synced model list (`synced_path`: runlint.models.json), each read on demand, and
    the date findings are for (`as_of`: the settings' date, else today); `cache_dir`: runlint's
    cache, where the model table is kept parsed (None: read it again)."""

    def __init__(self, model_overrides: list | None = None, as_of: date | None = None, synced_path=None,
                 cache_dir=None):
        self._overrides = model_overrides
        self._cache_dir = cache_dir
        self._models = None
        self._synced_path = synced_path
        self._synced: Any = False  # not read yet
        self.as_of = as_of

    @property
    def today(self) -> date:
        # asked per check, never frozen at start-up: a language server runs for days
        return self.as_of or datetime.now(timezone.utc).date()

    @property
    def models(self):
        if self._models is None:
            from .model_table import table

            self._models = table(self._overrides, self._cache_dir)
        return self._models

    @property
    def synced(self):
        """The model ids the user's key can use (runlint/check/synced.py), or None when not synced."""
        if self._synced is False:
            if self._synced_path is None:
                self._synced = None
            else:
                from .synced import load

                self._synced = load(self._synced_path)  # SyncedFileError: a configuration error
        return self._synced


_NO_CONTEXT = Context()


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """A rule's place as a pattern: every token a string, "*" a wildcard, a digit matched against
    list indexes and mapping keys alike (select); "/" is the root, as rule files write it."""
    return pointer_tokens(pointer) if pointer != "/" else ()


def select(value: Any, pattern: tuple[str, ...]) -> list[Node]:
    """Every (path, value) the pattern matches; nulls count as absent."""
    if "*" not in pattern:  # one node at most: walked without building the lists (rules ask this most)
        return _select_one(value, pattern)
    nodes: list[Node] = [((), value)]
    for part in pattern:
        following: list[Node] = []
        for path, node in nodes:
            if isinstance(node, dict):
                if part == "*":
                    following += [(path + (k,), v) for k, v in node.items()]
                elif part in node:
                    following.append((path + (part,), node[part]))
            elif isinstance(node, list):
                if part == "*":
                    following += [(path + (i,), v) for i, v in enumerate(node)]
                elif part.isdigit() and int(part) < len(node):
                    following.append((path + (int(part),), node[int(part)]))
        nodes = following
    return [(p, v) for p, v in nodes if v is not None]


def _select_one(value: Any, pattern: tuple[str, ...]) -> list[Node]:
    node, path = value, []
    for part in pattern:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            path.append(int(part))  # a list index is an int in the path, as `select` gives it
        else:
            return []
    return [] if node is None else [(tuple(path), node)]


class Condition:
    """A compiled condition. `violations` for checks, `holds` for `when`."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.operator = next(k for k in spec if k != "path")
        self.argument = spec[self.operator]
        self.path = parse_pointer(spec["path"]) if "path" in spec else None
        arg = self.argument
        if self.operator in ("all", "any"):
            self.parts = [Condition(c) for c in arg]
        elif self.operator == "not":
            self.inner = Condition(arg)
        elif self.operator == "matches":
            self.regex = re.compile(arg)
        elif self.operator in ("present", "absent", "refers_to"):
            self.target = parse_pointer(arg)
        elif self.operator == "mutually_exclusive":
            self.targets = [parse_pointer(p) for p in arg]
        elif self.operator == "mentions":
            self.word = arg["word"].lower()
            self.places = [parse_pointer(p) for p in arg["in"]]
        elif self.operator in ("model_lacks", "model_has"):
            self.capability = arg["capability"]
            self.value_at = parse_pointer(arg["value_at"]) if arg.get("value_at") else None
            self.value = arg.get("value")  # a value given in the rule (an endpoint), not the request's
            # the endpoint the request goes to, for the table's constraints that depend on it
            self.endpoint = arg.get("endpoint")
        elif self.operator == "today":
            self.before = date.fromisoformat(str(arg["before"])) if arg.get("before") else None
            self.since = date.fromisoformat(str(arg["from"])) if arg.get("from") else None

    def needs(self, as_check: bool) -> frozenset[str]:
        """Top-level fields a request must have (not null) for this condition to find anything
        (`as_check`) or to hold (as a `when`). A request that lacks one is not asked at all: most
        requests have few of the fields rules look at, and asking costs more than this set test."""
        op = self.operator
        if op in VALUE_OPERATORS:
            return _first(self.path)
        if op in ("present", "absent"):
            return _first(self.target) if as_check == (op == "absent") else frozenset()
        if op == "mutually_exclusive":  # finds something when two are present: with two, both
            return _first(self.targets[0]) | _first(self.targets[1]) if as_check and len(self.targets) == 2 \
                else frozenset()
        if op == "model_lacks" or (op == "model_has" and not as_check):
            return frozenset({"model"}) | (_first(self.value_at) if op == "model_lacks" else frozenset())
        if op in ("all", "any"):
            needed = [part.needs(as_check) for part in self.parts]
            # all: holds when every part does, finds what any part finds; any: the other way round
            if (op == "all") != as_check:
                return frozenset().union(*needed)
            return frozenset.intersection(*needed) if needed else frozenset()
        if op == "not" and as_check:  # finds something where the inner condition holds
            return self.inner.needs(False)
        return frozenset()

    # -- as a check ------------------------------------------------------------------------
    def violations(self, root: Any, context: Context = _NO_CONTEXT) -> list[Violation]:
        op = self.operator
        if op in VALUE_OPERATORS:
            return list(self._value_violations(root))
        if op == "present":
            if select(root, self.target):
                return []
            return [(_existing_parent(root, self.target), {"field": self.target[-1] if self.target else ""})]
        if op == "absent":
            return [(path, {"value": value}) for path, value in select(root, self.target)]
        if op == "mutually_exclusive":
            found = [nodes[0] for t in self.targets if (nodes := select(root, t))]
            first = found[0][0] if found else ()
            return [(path, {"first": _name(first), "second": _name(path)}) for path, _ in found[1:]]
        if op == "mentions":
            for place in self.places:
                for _, text in select(root, place):
                    if isinstance(text, str) and self.word in text.lower():
                        return []
            return [((), {"word": self.argument["word"]})]
        if op == "model_lacks":
            found = self._model_lacks(root, context)
            return [found] if found else []
        if op == "model_has":
            return [] if self._model_has(root, context) else [(("model",), {})]
        if op == "today":
            return [] if self._today(context) else [((), {"today": context.today.isoformat()})]
        if op == "all":
            return [v for part in self.parts for v in part.violations(root, context)]
        if op == "any":
            found = []
            for part in self.parts:
                violations = part.violations(root, context)
                if not violations:
                    return []
                found += violations
            return found
        if op == "not":
            if not self.inner.holds(root, context):
                return []
            nodes = select(root, self.inner.path or getattr(self.inner, "target", ()))
            return [(nodes[0][0] if nodes else (), {})]
        if op == "function":
            return FUNCTIONS[self.argument](root, self.spec.get("args") or {}, context)
        raise AssertionError(op)

    def _model_lacks(self, root: Any, context: Context) -> Violation | None:
        """The run names a model the table knows, and that model does not take the capability
        (or the value found at `value_at`). No model, or an unknown one: nothing can be said."""
        models = select(root, ("model",))
        if not models:
            return None
        family = context.models.find(models[0][1])
        if family is None:
            return None
        value, path = self.value, ("model",)
        if self.value_at is not None:
            nodes = select(root, self.value_at)
            if not nodes:
                return None
            path, value = nodes[0]
        allowed = family.capabilities.get(self.capability)
        accepted = Said(", ".join(map(str, allowed)) if isinstance(allowed, list) and allowed else "none")
        params = {"model": models[0][1], "family": family.name, "value": value, "accepted": accepted,
                  "effort": family.effort(root)[0]}
        if family.accepts(self.capability, value) is False:
            return path, {**params, "takes": Said(family.takes(self.capability))}
        # A fact the table states with its pairing: rejected with this request's reasoning effort
        # (or the model's default) on this endpoint (data/models.yaml, `constraints`).
        constraint = family.constraint_on(self.capability, root, self.endpoint, value)
        if constraint is None:
            return None
        return path, {**params, "takes": Said(family.takes_when(constraint, self.capability, root))}

    def _today(self, context: Context) -> bool:
        """The date findings are for lies in [from, before)."""
        today = context.today
        return (self.since is None or today >= self.since) and (self.before is None or today < self.before)

    def _model_has(self, root: Any, context: Context) -> bool:
        """The run names a model the table knows, and that model takes the capability."""
        models = select(root, ("model",))
        family = context.models.find(models[0][1]) if models else None
        return family is not None and family.accepts(self.capability) is True

    def _value_violations(self, root: Any) -> Iterator[Violation]:
        op, arg = self.operator, self.argument
        nodes = select(root, self.path)
        if op == "unique":
            seen: dict = {}
            for path, value in nodes:
                marker = repr(value)
                if marker in seen:
                    yield path, {"value": value, "first": _name(seen[marker])}
                else:
                    seen[marker] = path
            return
        if op == "key_length":
            low, high = arg.get("min"), arg.get("max")
            for path, value in nodes:
                for key in value if isinstance(value, dict) else ():
                    if (low is not None and len(key) < low) or (high is not None and len(key) > high):
                        yield path + (key,), {"length": len(key), "min": low, "max": high}
            return
        if op == "refers_to":
            choices = [v for _, v in select(root, self.target)]
            for path, value in nodes:
                if value not in choices:
                    names = ", ".join(dict.fromkeys(map(str, choices)))
                    yield path, {"value": value, "choices": names or "none"}
            return
        for path, value in nodes:
            params = _check_value(op, arg, value, self)
            if params is not None:
                yield path, params

    # -- as a `when` -----------------------------------------------------------------------
    def holds(self, root: Any, context: Context = _NO_CONTEXT) -> bool:
        op = self.operator
        if op in ("unique", "refers_to", "key_length"):
            return bool(select(root, self.path)) and not self.violations(root, context)
        if op in VALUE_OPERATORS:
            return any(_check_value(op, self.argument, v, self) is None for _, v in select(root, self.path))
        if op == "present":
            return bool(select(root, self.target))
        if op == "absent":
            return not select(root, self.target)
        if op == "model_lacks":
            return self._model_lacks(root, context) is not None
        if op == "model_has":
            return self._model_has(root, context)
        if op == "today":
            return self._today(context)
        if op == "all":
            return all(part.holds(root, context) for part in self.parts)
        if op == "any":
            return any(part.holds(root, context) for part in self.parts)
        if op == "not":
            return not self.inner.holds(root, context)
        return not self.violations(root, context)


def _check_value(op: str, arg: Any, value: Any, condition: Condition) -> dict | None:
    """None when the value satisfies the operator, else the message parameters."""
    if op == "equals":
        return None if value == arg and type(value) is type(arg) else {"value": value, "expected": arg}
    if op == "one_of":
        return None if value in arg else {"value": value, "expected": ", ".join(map(str, arg))}
    if op == "matches":
        if not isinstance(value, str):
            return None
        return None if condition.regex.search(value) else {"value": value}
    if op == "type":
        kinds = _TYPES[arg]
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and arg != "boolean")
        return None if ok else {"value": value, "expected": arg}
    if op in ("length", "count"):
        if op == "length" and not isinstance(value, str):
            return None
        if op == "count" and not isinstance(value, (dict, list)):
            return None
        size = len(value)
        low, high = arg.get("min"), arg.get("max")
        if (low is not None and size < low) or (high is not None and size > high):
            return {op: size, "min": low, "max": high, "value": value}
        return None
    if op == "range":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        low, high = arg.get("min"), arg.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            return {"value": value, "min": low, "max": high}
        return None
    raise AssertionError(op)


def _first(path: tuple | None) -> frozenset[str]:
    """The top-level field a path goes through, if it names one."""
    return frozenset({path[0]}) if path and path[0] != "*" else frozenset()


def _existing_parent(root: Any, target: tuple) -> tuple:
    path: tuple = ()
    node = root
    for part in target[:-1]:
        if isinstance(node, dict) and part in node and node[part] is not None:
            node = node[part]
            path += (part,)
        else:
            break
    return path


def _name(path: tuple) -> str:
    return Said(field_name(path))  # where a field is, in runlint's words: never cut
