"""Rules: loading rule files (validated once, then cached), and running them on a document.

A rule file is data (see docs/rule-files.md and rule_model.py). Validation needs pydantic and a
YAML parse of every file, so the validated rules are cached as JSON with a fingerprint of the bytes
they came from (runlint/cache.py): a run whose rule files did not change loads one JSON file instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import entry_path, fingerprint, read as read_cache, write as write_cache
from . import families  # noqa: F401 - registers the built-in check functions
from .conditions import FUNCTIONS, Condition, Context, parse_pointer, select
from ..diagnostic import Diagnostic, Severity, field_name, show, to_pointer
from ..source.document import Document

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RuleError(Exception):
    """A rule file that cannot be used; the message names the file, the place and the problem."""


@dataclass
class CompiledCase:
    """One case of a rule, its conditions compiled."""

    when: Condition | None
    check: Condition
    message: str
    at: tuple | None
    severity: Severity | None = None
    kinds: tuple[str, ...] | None = None
    needs: frozenset[str] = frozenset()  # top-level fields without which this case finds nothing

    def __post_init__(self):
        self.needs = self.check.needs(True) | (self.when.needs(False) if self.when else frozenset())


@dataclass
class Rule:
    """A rule as its file declares it, with its cases compiled."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    source: str
    kinds: tuple[str, ...] | None
    cases: list[CompiledCase]
    unknown_when_absent: list[tuple]
    unknown_message: str | None
    help_uri: str | None
    examples: dict
    file: str = ""
    redact: bool = False
    once_per_file: bool = False
    # the rule file's `fix` (one, or a list picked by message): applicability, an action or a function
    fix: dict | list | None = None
    supersedes: tuple[str, ...] = ()  # codes whose findings at this rule's findings' nodes it replaces
    tags: tuple[str, ...] = ()  # what an editor shows on the finding: unnecessary, deprecated

    @property
    def made_fixes(self) -> list[dict]:
        """The fixes whose rule file says how they are made: a generic `action`, or a `function`."""
        return [f for f in self.fixes if f.get("action") or f.get("function")]

    @property
    def fixes(self) -> list[dict]:
        """The rule's fixes, as a list (one entry for a rule file's single `fix`)."""
        fix = self.fix
        return list(fix) if isinstance(fix, list) else [fix] if fix else []

    def fix_for(self, message: str) -> dict | None:
        """The fix (of the rule's fixes) for a finding with this message: the first whose
        `message_has` it contains, or that has none."""
        return next((f for f in self.fixes if not f.get("message_has") or f["message_has"] in message), None)

    @property
    def fix_applicability(self) -> str | None:
        """"safe" or "unsafe" when the rule offers a fix, else None ("unsafe" if one of its fixes is)."""
        offered = [f["applicability"] for f in self.fixes if f["applicability"] != "never"]
        return None if not offered else "unsafe" if "unsafe" in offered else "safe"

    def fix_sentence(self) -> str:
        """What `runlint rule` and docs/rules.md say about the rule's fix."""
        fixes = self.fixes
        if not fixes:
            return "Fix: none offered."
        if len(fixes) > 1:
            said = {"safe": "safe, applied by `runlint check --fix` (and fix-all in editors)",
                    "unsafe": "unsafe, applied only with `runlint check --fix --unsafe-fixes` (a quick fix in editors): "
                              "it changes what the request does"}
            return "Fixes: " + "; ".join(f"for a finding that says \"{f['message_has']}\", {said[f['applicability']]}"
                                         for f in fixes) + "."
        fix = fixes[0]
        if fix["applicability"] == "never":
            return f"Fix: none, and none will be: {fix['reason']}."
        if fix["applicability"] == "safe":
            return "Fix: safe, applied by `runlint check --fix` (and fix-all in editors)."
        return ("Fix: unsafe, applied only with `runlint check --fix --unsafe-fixes` (a quick fix in editors): "
                "it changes what the request does.")

    @classmethod
    def from_plain(cls, data: dict, file: str) -> "Rule":
        unresolved = _unresolved(data)
        if unresolved:
            raise RuleError(f"{file}: {unresolved}")
        cases = [CompiledCase(Condition(c["when"]) if c.get("when") else None, Condition(c["check"]),
                              c["message"], parse_pointer(c["at"]) if c.get("at") is not None else None,
                              Severity.parse(c["severity"]) if c.get("severity") else None,
                              tuple(c["kinds"]) if c.get("kinds") else None)
                 for c in data.get("cases", [])]
        return cls(data["code"], data["name"], Severity.parse(data["severity"]), data["summary"],
                   data["explanation"], data.get("source", "rules"),
                   tuple(data["kinds"]) if data.get("kinds") else None, cases,
                   [parse_pointer(p) for p in data.get("unknown_when_absent", [])],
                   data.get("unknown_message"), data.get("help_uri"), data["examples"], file,
                   data.get("redact", False), data.get("once_per_file", False), data.get("fix"),
                   tuple(data.get("supersedes", ())), tuple(data.get("tags", ())))

    def applies_to(self, kind: str | None) -> bool:
        return self.kinds is None or kind in self.kinds

    def cases_for(self, kind: str | None, fields: frozenset | None = None) -> list[CompiledCase]:
        """Its cases for a request of `kind`; given the request's top-level fields, only those
        that can find something there (a case needing a field the request lacks cannot)."""
        return [case for case in self.cases if (case.kinds is None or kind in case.kinds)
                and (fields is None or case.needs <= fields)]

    def run(self, document: Document, context: Context | None = None,
            cases: list[CompiledCase] | None = None) -> list[Diagnostic]:
        """The rule's findings in the document: of `cases` (those for its kind and fields: the
        linter picks them) or of every case that applies."""
        root = document.value
        context = context or Context()
        if cases is None:
            cases = self.cases_for(document.kind, document.fields)
        unknown = None  # worked out at the first finding: most requests have none
        found = []
        for case in cases:
            if case.when is not None and not case.when.holds(root, context):
                continue
            for path, params in case.check.violations(root, context):
                if unknown is None:
                    # Absent fields take the assistant's stored values only in requests that run an assistant.
                    unknown = ([p for p in self.unknown_when_absent if not select(root, p)]
                               if document.kind in RUNS_AN_ASSISTANT else [])
                found.append(self._diagnostic(document, case, path, params, unknown))
        return found

    def _diagnostic(self, document, case, path, params, unknown) -> Diagnostic:
        if case.at is not None:
            path = case.at
        elif not path and case.when is not None and case.when.path:
            path = next((p for p, _ in select(document.value, case.when.path)), ())
        def placeholder(match: re.Match) -> str:  # the violation's own values, then the request's
            name = match.group(1)
            if name in params:
                return show(params[name])
            if name in ("field", "key"):
                return field_name(path) if name == "field" else str(path[-1]) if path else ""
            value = document.value.get(name)
            return show(value) if isinstance(value, (str, int, float)) else match.group(0)

        message = _PLACEHOLDER.sub(placeholder, case.message)
        severity = case.severity or self.severity
        if unknown:
            severity = severity.softer()
            note = self.unknown_message or ("runlint cannot see {field}: the assistant's stored value "
                                            "applies")
            message += " (" + note.replace("{field}", "`" + field_name(unknown[0]) + "`") + ")"
        operator = case.check.operator
        if operator == "key_length" or params.get("on_key"):  # a check function may point at a key
            where = document.locate(path, on_key=True)
        elif operator in _POINTS_AT_VALUE or case.at is not None:
            where = document.point_at(path)  # a value, or a mapping or list by its key
        else:  # about a field: its key
            where = document.anchor(path)
        scope = tuple(to_pointer(p) for p in params.get("scope", ()))  # a check function's: see Diagnostic.scope
        return Diagnostic(self.code, self.name, severity, message, where, to_pointer(path), redact=self.redact,
                          scope=scope)


RUNS_AN_ASSISTANT = ("create-run", "thread-and-run")


def named_functions(data: dict) -> tuple[list[str], list[str]]:
    """The check functions and the fix functions a rule (as plain data) names."""
    checks: list[str] = []

    def walk(condition: dict | None) -> None:
        if not condition:
            return
        if condition.get("function"):
            checks.append(condition["function"])
        for part in condition.get("all") or condition.get("any") or ():
            walk(part)
        walk(condition.get("not"))

    for case in data.get("cases") or ():
        walk(case.get("when"))
        walk(case.get("check"))
    fix = data.get("fix")
    fixes = [f["function"] for f in (fix if isinstance(fix, list) else [fix] if fix else []) if f.get("function")]
    return checks, fixes


def _unresolved(data: dict) -> str | None:
    """What a rule names that runlint does not have: checked on every load, the cache's too (a rule
    validated by another build of runlint may name a function this one lacks)."""
    from .families import FIXES

    checks, fixes = named_functions(data)
    for name in checks:
        if name not in FUNCTIONS:
            return f"no check function named {name!r}"
    for name in fixes:
        if name not in FIXES:
            return f"no fix function named {name!r}"
    return None


# Operators whose violations are about a value (pointed at); the rest are about a field (its key).
_POINTS_AT_VALUE = {"equals", "one_of", "matches", "length", "range", "type", "refers_to", "unique", "function"}


@dataclass
class Catalog:
    """Every rule runlint knows, by code: loader and schema diagnostics are rules too."""

    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        if rule.code in self.rules:
            other = self.rules[rule.code]
            raise RuleError(f"{rule.file}: rule code {rule.code} is already used by {other.file}")
        self.rules[rule.code] = rule

    def find(self, code_or_name: str) -> Rule | None:
        wanted = code_or_name.upper()
        for rule in self.rules.values():
            if rule.code == wanted or rule.name == code_or_name.lower():
                return rule
        return None

    def engine_rules(self) -> list[Rule]:
        return [r for r in self.rules.values() if r.source == "rules"]


def load_catalog(folders: list[Path], cache_dir: Path | None = None) -> Catalog:
    catalog = Catalog()
    for folder in folders:
        entries, cached = _load_folder(folder, cache_dir)
        try:
            rules = [Rule.from_plain(data, file) for data, file in entries]
        except Exception:  # noqa: BLE001 - a cache entry that is not what this version writes
            if not cached:
                raise
            rules = [Rule.from_plain(data, file) for data, file in _load_folder(folder, None)[0]]
        for rule in rules:
            catalog.add(rule)
    return catalog


def _rule_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise RuleError(f"{folder}: no such rule folder")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _load_folder(folder: Path, cache_dir: Path | None) -> tuple[list[tuple[dict, str]], bool]:
    """The folder's rules as plain data, with whether they came from the cache."""
    files = _rule_files(folder)
    contents = []
    for path in files:
        try:
            contents.append((str(path), path.read_bytes()))
        except OSError as error:
            raise RuleError(f"{path}: cannot read the rule file: {error.strerror}") from None
    # Used only when every file's bytes are the same (runlint/cache.py says why that is exact enough).
    key = {"sources": [[file, *fingerprint(data)] for file, data in contents]}
    cache_file = entry_path(cache_dir, "rules", str(folder.resolve())) if cache_dir else None
    if cache_file is not None:
        cached = read_cache(cache_file, key)
        if isinstance(cached, list) and all(isinstance(entry, list) and len(entry) == 2 and
                                            isinstance(entry[0], dict) for entry in cached):
            return [(rule, file) for rule, file in cached], True
    validated = [(validate_rule_file(Path(file), data.decode("utf-8", "replace").encode("utf-8")), file)
                 for file, data in contents]
    if cache_file is not None:
        write_cache(cache_file, key, [[rule, file] for rule, file in validated])
    return validated, False


def validate_rule_file(path: Path, data: bytes) -> dict:
    """Parse and validate one rule file; any problem is a RuleError naming the file and place."""
    from pydantic import ValidationError

    from ..source.document import load_bytes
    from .rule_model import RuleFile

    source = load_bytes(str(path), data, "yaml")
    problems = [p for p in source.problems if p.code not in ("RL003", "RL013")]
    if problems:
        p = problems[0]
        raise RuleError(f"{path}:{p.range.line + 1}:{p.range.column + 1}: {p.message}")
    if len(source.documents) != 1:
        raise RuleError(f"{path}: a rule file holds exactly one YAML document")
    document = source.documents[0]
    try:
        rule = RuleFile.model_validate(document.value)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            loc = tuple(problem["loc"])
            # pydantic's names of a union's branches (`FixSpec`, `function-after[...]`, `list[...]`)
            # are no place in the file
            real = tuple(p for p in loc if not (isinstance(p, str) and (p[:1].isupper() or
                                                                        re.match(r"[a-z-]+\[", p))))
            where = document.anchor(real) if problem["type"] == "extra_forbidden" else document.locate(real)
            field_path = ".".join(str(p) for p in real) or "(the rule)"
            message = problem["msg"].removeprefix("Value error, ")
            if problem["type"] == "extra_forbidden":
                message = f"unknown field `{real[-1]}`"
            lines.append(f"{path}:{where.line + 1}:{where.column + 1}: {field_path}: {message}")
        raise RuleError("\n".join(lines)) from None
    expected_prefix = f"{rule.code}-{rule.name}"
    if path.stem != expected_prefix:
        raise RuleError(f"{path}: a rule file is named after its rule: {expected_prefix}{path.suffix}")
    return rule.plain()
