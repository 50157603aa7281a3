"""Which rule covers which request kind: from each rule's `kinds`, the kinds its paths exist in
(the schemas in schemas/), and the reasons its `not_in` gives for the kinds it leaves out.

A rule's paths are those its conditions look at (`path`, `present`, `absent`, `refers_to`,
`mutually_exclusive`, `mentions.in`, a model check's `value_at`) and, for a check function, the
top-level fields it declares (`@check(name, fields=...)`). A path exists in a kind when the kind's
schema has it, followed through `$ref`, unions, items (`*`) and maps. Used by
scripts/generate_docs.py (the table in docs/checks.md) and tests/rules/test_coverage.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runlint.check import schema_nav  # noqa: E402
from runlint.check.families import FIELDS  # noqa: E402
from runlint.check.conditions import parse_pointer  # noqa: E402
from runlint.kinds import KINDS  # noqa: E402
from runlint.resources import data_dir  # noqa: E402
from runlint.check.rules import validate_rule_file  # noqa: E402


@dataclass(frozen=True)
class Cell:
    covered: bool  # the rule runs on this kind
    fields_exist: bool  # some path of the rule exists in the kind's schema
    reason: str | None = None  # why the rule leaves the kind out (its `not_in`)


@cache
def _schema(kind: str) -> dict:
    return json.loads((data_dir("schemas") / KINDS[kind].schema_file).read_text(encoding="utf-8"))


def exists(kind: str, path: tuple[str, ...]) -> bool:
    """Whether the kind's schema has a node at `path` (`*`: an item of a list or a member of a map)."""
    schema = _schema(kind)
    nodes = schema_nav.branches(schema, schema)
    for part in path:
        following = []
        for node in nodes:
            if part == "*" or part.isdigit():
                for key in ("items", "additionalProperties"):
                    if isinstance(node.get(key), dict):
                        following += schema_nav.branches(schema, node[key])
            elif part in node.get("properties", {}):
                following += schema_nav.branches(schema, node["properties"][part])
        if not following:
            return False
        nodes = following
    return True


def condition_paths(condition: dict | None) -> list[tuple[str, ...]]:
    """Every path a condition (plain data, as in a rule file) looks at."""
    if not condition:
        return []
    found = []
    for key in ("path", "present", "absent", "refers_to"):
        if isinstance(condition.get(key), str):
            found.append(parse_pointer(condition[key]))
    found += [parse_pointer(p) for p in condition.get("mutually_exclusive") or []]
    found += [parse_pointer(p) for p in (condition.get("mentions") or {}).get("in", [])]
    for key in ("model_lacks", "model_has"):
        if isinstance(condition.get(key), dict) and condition[key].get("value_at"):
            found.append(parse_pointer(condition[key]["value_at"]))
    if condition.get("function"):
        found += [(field,) for field in FIELDS.get(condition["function"], ())]
    for key in ("all", "any"):
        for part in condition.get(key) or []:
            found += condition_paths(part)
    found += condition_paths(condition.get("not"))
    return found


def _rule_files() -> list[dict]:
    folder = data_dir("rules")
    rules = [validate_rule_file(p, p.read_bytes()) for p in sorted(folder.glob("*.yaml"))]
    return [r for r in rules if r.get("source", "rules") == "rules"]


def rule_coverage(rule: dict) -> dict[str, Cell]:
    """kind -> how the rule stands there."""
    cells = {}
    for kind in KINDS:
        in_kinds = rule.get("kinds") is None or kind in rule["kinds"]
        cases = [c for c in rule["cases"] if c.get("kinds") is None or kind in c["kinds"]]
        covered = in_kinds and bool(cases)
        paths = [p for c in rule["cases"] for p in condition_paths(c.get("when")) + condition_paths(c.get("check"))]
        cells[kind] = Cell(covered, any(exists(kind, p) for p in paths if p), rule.get("not_in", {}).get(kind))
    return cells


@cache
def coverage() -> dict[str, dict[str, Cell]]:
    """rule code -> kind -> Cell, for every declarative rule."""
    return {rule["code"]: rule_coverage(rule) for rule in _rule_files()}


def unexplained() -> list[str]:
    """Kinds a rule leaves out, although its fields exist there, with no reason in its `not_in`;
    and reasons given for a kind where the rule's fields do not exist (stale)."""
    problems = []
    for code, cells in coverage().items():
        for kind, cell in cells.items():
            if not cell.covered and cell.fields_exist and not cell.reason:
                problems.append(f"{code} leaves out {kind}, where its fields exist: cover it or say why "
                                f"in `not_in: {{{kind}: ...}}`")
            if cell.reason and not cell.fields_exist:
                problems.append(f"{code}: `not_in` gives a reason for {kind}, where none of its fields exist")
    return problems


def coverage_table(rules_page: str = "rules.md") -> str:
    """The table, each rule linked to its section of `rules_page` (relative to the page the table is in)."""
    names = {r["code"]: r["name"] for r in _rule_files()}
    lines = ["| rule | " + " | ".join(f"`{kind.column}`" for kind in KINDS.values()) + " |",
             "|---|" + "---|" * len(KINDS)]
    for code, cells in sorted(coverage().items()):
        marks = []
        for cell in cells.values():
            marks.append("✓" if cell.covered else "no" if cell.reason else "")
        lines.append(f"| [{code}]({rules_page}#{code.lower()}) `{names[code]}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)
