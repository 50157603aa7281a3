"""A rule is found from its file: the check functions and fixes it names exist, nothing registered
is left unnamed, a rule that fixes says how, editor tags are its data, and the rule language's
table in docs/rule-files.md is fresh, with a reason for every word one rule or none uses."""

import ast
import re
import sys
from pathlib import Path
from typing import get_args

import pytest

from helpers import ROOT
from runlint.check.conditions import FUNCTIONS
from runlint.check.families import FIXES
from runlint.check.rules import Rule, RuleError, load_catalog, named_functions
from runlint.fix.actions import ACTIONS
from runlint.kinds import KINDS
from runlint.resources import data_dir

sys.path.insert(0, str(ROOT / "scripts"))
import rule_language  # noqa: E402


def _builtin_rules() -> list[Rule]:
    return list(load_catalog([data_dir("rules")], cache_dir=None).rules.values())


def _plain(rule: Rule) -> dict:
    return {"cases": [{"when": c.when.spec if c.when else None, "check": c.check.spec} for c in rule.cases],
            "fix": rule.fix}


def _ours(registry: dict) -> set[str]:
    """runlint's own registered functions (tests register theirs in the same registries)."""
    return {name for name, fn in registry.items() if fn.__module__.startswith("runlint.check.families.")}


def test_every_named_function_exists_and_every_registered_one_is_named():
    named_checks, named_fixes = set(), set()
    for rule in _builtin_rules():
        checks, fixes = named_functions(_plain(rule))
        named_checks |= set(checks)
        named_fixes |= set(fixes)
    assert named_checks <= set(FUNCTIONS) and named_fixes <= set(FIXES)
    assert _ours(FUNCTIONS) - named_checks == set(), "check functions no rule names"
    assert _ours(FIXES) - named_fixes == set(), "fix functions no rule names"
    assert len(named_checks) >= 26 and named_fixes == {"structured_outputs.json_instruction",
                                                       "structured_outputs.require_nullable",
                                                       "tools.functions_to_tools"}


def test_a_function_is_named_by_its_family_and_its_name_and_lives_there():
    for name, function in {**{n: FUNCTIONS[n] for n in _ours(FUNCTIONS)}, **{n: FIXES[n] for n in _ours(FIXES)}}.items():
        family, _, attribute = name.partition(".")
        assert function.__module__ == f"runlint.check.families.{family}" and function.__name__ == attribute, name


def test_every_engine_rule_that_shows_a_fix_says_how_it_is_made():
    for rule in _builtin_rules():
        shows = any(e.get("fixed") is not None or e.get("fixed_spec") is not None
                    for e in rule.examples.get("invalid") or [])
        if rule.source == "rules" and shows:
            assert rule.made_fixes, f"{rule.code} shows a fixed text but names no action or function"
        for spec in rule.made_fixes:
            assert bool(spec.get("action")) != bool(spec.get("function")), rule.code


def test_the_generic_actions_are_those_the_rule_model_accepts():
    from runlint.check.rule_model import FixSpec

    assert set(ACTIONS) == set(get_args(get_args(FixSpec.model_fields["action"].annotation)[0]))


def test_fix_code_names_no_request_kind():
    """Where a fix depends on the request's kind, the rule file's data says so (RL201's args)."""
    families = sorted((ROOT / "runlint" / "check" / "families").glob("*.py"))
    for path in [ROOT / "runlint" / "fix" / "actions.py"] + families:
        tree = ast.parse(path.read_text())
        fixes = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                 and any(isinstance(d, ast.Name) and d.id == "fix" for d in node.decorator_list)]
        bodies = [tree] if path.name == "actions.py" else fixes
        for body in bodies:
            strings = {n.value for n in ast.walk(body) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
            assert not strings & set(KINDS), f"{path.name}: {strings & set(KINDS)}"


def test_rl201_says_where_each_kind_reads_the_sentence():
    rule = next(r for r in _builtin_rules() if r.code == "RL201")
    where = rule.fixes[0]["args"]
    assert set(where) <= set(KINDS) and set(where) == set(rule.kinds) - {"thread-and-run"}


RULE = """code: ACME001
name: x
severity: error
summary: s
explanation: e
check: {check}
message: m
{extra}examples: {{invalid: [{{spec: {{a: 1}}, at: ""{fixed}}}]}}
"""


def _load(tmp_path: Path, check: str = "{present: /b}", extra: str = "") -> dict:
    fixed = ", fixed_spec: {}" if "fix:" in extra else ""
    (tmp_path / "ACME001-x.yaml").write_text(RULE.format(check=check, extra=extra, fixed=fixed))
    return load_catalog([tmp_path], cache_dir=None).rules


@pytest.mark.parametrize("check, extra, expected", [
    ("{function: structured_outputs.no_such_check}", "", "no check function named 'structured_outputs.no_such_check'"),
    ("{all: [{present: /a}, {not: {function: os.system}}]}", "", "no check function named 'os.system'"),
    ("{present: /b}", "fix: {applicability: safe, function: tools.no_such_fix}\n",
     "no fix function named 'tools.no_such_fix'"),
    ("{present: /b}", "fix: {applicability: safe, function: os.remove}\n", "no fix function named 'os.remove'"),
    # a check function is not a fix
    ("{present: /b}", "fix: {applicability: safe, function: structured_outputs.strict_schema_subset}\n",
     "no fix function named"),
    ("{present: /b}", "fix: {applicability: safe, action: rename, to: c, function: tools.functions_to_tools}\n",
     "either a generic `action` or a rule's own `function`"),
    ("{present: /b}", "fix: {applicability: safe, action: remove, args: {a: 1}}\n", "`args` goes only with `function`"),
    ("{present: /b}", "fix: {applicability: safe, action: json-instruction}\n", "fix.action: Input should be"),
    ("{model_has: {capability: json_schema, value_at: /a}}", "", "unknown field `value_at`"),
    ("{present: /b}", "tags: [obsolete]\n", "tags.0: Input should be 'unnecessary' or 'deprecated'"),
])
def test_a_name_that_does_not_resolve_is_an_error_at_load(tmp_path, check, extra, expected):
    with pytest.raises(RuleError) as error:
        _load(tmp_path, check, extra)
    assert "ACME001-x.yaml" in str(error.value) and expected in str(error.value)


def test_a_user_rule_names_a_built_in_fix_and_gets_it(tmp_path):
    rules = _load(tmp_path, "{present: /b}", "fix: {applicability: safe, function: tools.functions_to_tools}\n")
    assert rules["ACME001"].made_fixes == [{"applicability": "safe", "function": "tools.functions_to_tools"}]


def test_a_cached_rule_naming_a_missing_function_is_an_error_at_load():
    """The cache holds validated rules: a build without the function still refuses them."""
    plain = {"code": "ACME001", "name": "x", "severity": "error", "summary": "s", "explanation": "e",
             "examples": {}, "cases": [{"check": {"function": "budget.gone"}, "message": "m"}]}
    with pytest.raises(RuleError, match="cached.yaml: no check function named 'budget.gone'"):
        Rule.from_plain(plain, "cached.yaml")
    plain = {**plain, "cases": [], "fix": {"applicability": "safe", "function": "budget.gone_fix"}}
    with pytest.raises(RuleError, match="no fix function named 'budget.gone_fix'"):
        Rule.from_plain(plain, "cached.yaml")


def test_editor_tags_are_the_rules_data(tmp_path):
    from lsprotocol import types

    from runlint.lsp import related

    tagged = {r.code: r.tags for r in _builtin_rules() if r.tags}
    assert tagged == {"RL206": ("unnecessary",), "RL207": ("unnecessary",), "RL220": ("deprecated",),
                      "RL221": ("deprecated",), "RL600": ("deprecated",), "RL601": ("deprecated",)}
    [rule] = _load(tmp_path, extra="tags: [unnecessary, deprecated]\n"
                   "fix: {applicability: safe, action: remove}\n").values()
    assert related.tags(rule) == [types.DiagnosticTag.Unnecessary, types.DiagnosticTag.Deprecated]
    assert related.tags(None) is None


def test_the_language_table_is_fresh_and_every_rare_word_has_its_reason():
    page = (ROOT / "docs" / "rule-files.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- language:start -->\n(.*)\n<!-- language:end -->", page, re.S).group(1)
    assert shown == rule_language.table(), "stale: run scripts/generate_docs.py"
    used = rule_language.usage(rule_language.plain_rules())
    words = rule_language.words()
    assert set(rule_language.KEPT) <= set(words), "a reason for a word the language no longer has"
    rare = [w for w in words if len(used.get(w, ())) <= 1]
    assert rare and all(rule_language.reason(w) for w in rare), [w for w in rare if not rule_language.reason(w)]
    assert set(used) <= set(words), "a word the rules use that the table leaves out"


def test_a_check_that_finds_nothing_loads_no_fix_code(tmp_path):
    """Rule-specific fixes live beside their checks, but their edits load only when a fix is made."""
    import os
    import subprocess

    env = {**os.environ, "RUNLINT_CACHE_DIR": str(tmp_path)}
    env.pop("RUNLINT_NO_CACHE", None)
    run = lambda: subprocess.run([sys.executable, "-X", "importtime", "-m", "runlint", "check", "examples/good"],
                                 cwd=ROOT, capture_output=True, text=True, env=env)
    run()  # warms the rule cache
    imported = {line.split("|")[-1].strip() for line in run().stderr.splitlines() if line.startswith("import time:")}
    assert "runlint.check.families.structured_outputs" in imported and "runlint.fix.actions" not in imported


@pytest.mark.parametrize("file, text, fixed", [
    ("a.response.yaml", "model: gpt-4o\ninput: List three colours\ntext: {format: {type: json_object}}\n",
     "model: gpt-4o\ninput: List three colours. Respond in JSON.\ntext: {format: {type: json_object}}\n"),
    # Chat's messages are never a text: nothing is appended to one (the schema reports it)
    ("a.chat.yaml", "model: gpt-4o\nmessages: List three colours\nresponse_format: {type: json_object}\n", None),
    ("a.thread-run.yaml", "assistant_id: a\ninstructions: Be brief.\nresponse_format: {type: json_object}\n", None),
])
def test_rl201s_fix_goes_where_its_args_say(file, text, fixed):
    from runlint.pipeline.linter import Linter, Settings

    [finding] = [d for d in Linter(Settings(cache_dir=None)).lint_text(text, file) if d.code == "RL201"]
    if fixed is None:
        assert finding.fix is None
    else:
        [edit] = finding.fix.edits
        lines = text.split("\n")
        line = lines[edit.range.line]
        lines[edit.range.line] = line[:edit.range.column] + edit.new_text + line[edit.range.end_column:]
        assert "\n".join(lines) == fixed
