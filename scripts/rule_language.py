"""The rule language, counted: each operator and key a rule file may use, and the built-in rules
that use it. docs/rule-files.md shows the table (scripts/generate_docs.py writes it;
tests/test_rule_files.py holds it fresh), so that the language stays as small as the rules need:
a word that one rule or none uses is either replaced (by that rule's check function, or a more
general word) or kept here with its reason.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runlint.check.conditions import OPERATORS  # noqa: E402
from runlint.check.rules import load_catalog  # noqa: E402
from runlint.resources import data_dir  # noqa: E402

# Why a word that one rule or none uses stays in the language (one line each).
KEPT = {
    "range": "the number test beside `length` and `count`, for user rules (the README's vocabulary)",
    "type": "a general test of a value's JSON type, for user rules; the schema layer does it for runlint's own",
    "any": "the dual of `all`: without it, `not` of `all` of `not`s, which no one can read",
    "refers_to": "a general cross-reference (a value among those at another path), not RL203's alone",
    "unique": "a general test (no value twice at a path): RL204's duplicates, and any user rule's",
    "key_length": "a mapping's keys, which no path selects: RL301's metadata limits stay data with it",
    "mentions": "the API's own test for JSON mode (a word anywhere in the texts), which `matches` cannot "
                "say: it holds for a node that is not a string",
    "model_lacks.value": "the value to test when the request holds none: RL406's endpoint, among those the "
                         "table lists for the model",
    "fix.set": "a general edit (add `key: value` to the mapping at the finding)",
    "fix.args": "a fix function's data, as a check function's `args`",
}


def _conditions(condition: dict | None):
    if not condition:
        return
    yield condition
    for part in condition.get("all") or condition.get("any") or ():
        yield from _conditions(part)
    if condition.get("not"):
        yield from _conditions(condition["not"])


def usage(rules) -> dict[str, set[str]]:
    """Each word of the language (operators, their keys as `operator.key`, condition keys, fix
    actions and keys as `fix.word`) -> the codes of the rules that use it."""
    used: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        for case in rule["cases"]:
            for top in (case.get("when"), case.get("check")):
                for condition in _conditions(top):
                    for key, value in condition.items():
                        used[key].add(rule["code"])
                        if isinstance(value, dict) and key in ("model_lacks", "model_has", "mentions", "today"):
                            for sub in value:
                                used[f"{key}.{sub}"].add(rule["code"])
        fix = rule.get("fix")
        for spec in fix if isinstance(fix, list) else [fix] if fix else []:
            if spec.get("action"):
                used[f"fix.{spec['action']}"].add(rule["code"])
            for key in ("function", "args", "message_has"):
                if key in spec:
                    used[f"fix.{key}"].add(rule["code"])
    return used


def words() -> list[str]:
    """Every word of the language, in the table's order (whether any rule uses it or not)."""
    from runlint.check.rule_model import FixSpec, Mentions, ModelHas, ModelLacks, Today

    def keys(model) -> list[str]:
        return [field.alias or name for name, field in model.model_fields.items()]

    out = list(OPERATORS) + ["path", "args"]
    out += [f"model_lacks.{k}" for k in keys(ModelLacks)] + [f"model_has.{k}" for k in keys(ModelHas)]
    out += [f"mentions.{k}" for k in keys(Mentions)] + [f"today.{k}" for k in keys(Today)]
    actions = FixSpec.model_fields["action"].annotation.__args__[0].__args__
    out += [f"fix.{a}" for a in actions] + ["fix.function", "fix.args", "fix.message_has"]
    return out


def plain_rules() -> list[dict]:
    catalog = load_catalog([data_dir("rules")], cache_dir=None)
    return [{"code": r.code, "cases": [{"when": c.when.spec if c.when else None, "check": c.check.spec}
                                       for c in r.cases], "fix": r.fix} for r in catalog.rules.values()]


def reason(word: str) -> str | None:
    """Why the word is kept; a key of a kept operator is kept with it."""
    operator = word.split(".")[0]
    if word in KEPT:
        return KEPT[word]
    return f"a part of `{operator}`" if operator in KEPT and operator != "fix" else None


def table() -> str:
    used = usage(plain_rules())
    lines = ["| word | rules | which | kept because |", "|---|---|---|---|"]
    for word in words():
        codes = sorted(used.get(word, ()))
        shown = ", ".join(codes) if len(codes) <= 3 else f"{', '.join(codes[:3])}, ..."
        lines.append(f"| `{word}` | {len(codes)} | {shown} | {reason(word) or ''} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
