"""Every rule's examples are its tests: invalid ones must raise the rule at the stated pointer
(and at the position of that node in the file), valid ones must not raise it. Specs given as data
are checked twice, written as YAML and as JSON."""

import json

import pytest
import yaml

from runlint.fix.apply import fix_bytes

from helpers.rule_examples import CATALOG, cases, lint_example, linter_for, oracle_columns, oracle_lines, variants


@pytest.mark.parametrize("rule, example, file, text", cases("invalid"))
def test_invalid_example_raises_the_rule_at_its_pointer(rule, example, file, text):
    everything = lint_example(example, file, text)
    assert not [d.message for d in everything if d.code == "RL014"]  # no check crashed on it
    found = [d for d in everything if d.code == rule.code]
    assert found, f"{rule.code} did not fire on {text!r}"
    at = [d for d in found if d.pointer == example["at"]]
    assert at, f"{rule.code} fired at {[d.pointer for d in found]}, expected {example['at']!r}"
    expected_severity = example.get("severity") or str(rule.severity)
    assert str(at[0].severity) == expected_severity
    assert at[0].name == rule.name and at[0].file == file and at[0].message
    if example.get("message") is not None:
        assert example["message"] in at[0].message
    if example.get("line") is not None:
        assert at[0].range.line + 1 == example["line"]
        if file.endswith(".jsonl"):  # `at` is a pointer inside that line: check the column too
            line = text.split("\n")[example["line"] - 1]
            if line.strip():
                assert at[0].range.column in oracle_columns(line, example["at"]), at[0].range
        return
    assert not file.endswith(".jsonl"), "a batch example says on which `line` it is reported"
    if "&" in text:
        return  # PyYAML's composer places an alias at its anchor; test_loader checks alias positions
    try:
        lines = oracle_lines(text, example["at"])
    except yaml.YAMLError:
        return  # the example is deliberately unparseable; RL001's own tests check its position
    assert at[0].range.line in lines, f"reported on line {at[0].range.line}, the node is on {lines}"


def _fix_cases():
    for param in cases("invalid"):
        rule, example, file, text = param.values
        if example.get("fixed") is not None or example.get("fixed_spec") is not None:
            yield param


@pytest.mark.parametrize("rule, example, file, text", list(_fix_cases()))
def test_invalid_example_is_fixed_as_its_rule_file_shows(rule, example, file, text):
    """The rule's own fix (safe or unsafe), applied by the engine `--fix` uses, turns the example
    into what the rule file says, and the finding is gone."""
    data = text.encode("utf-8")
    fixed = fix_bytes(linter_for(example), data, file, unsafe=True, codes=frozenset({rule.code}))
    assert not fixed.dropped, [(d.diagnostic.message, d.reason) for d in fixed.dropped]
    assert [d.code for d in fixed.applied if d.code == rule.code], f"no {rule.code} fix was applied"
    assert all(d.fix.applicability == rule.fix_for(d.message)["applicability"] for d in fixed.applied)
    assert not [d for d in fixed.diagnostics if d.code == rule.code and d.pointer == example["at"]]
    if example.get("fixed") is not None:
        assert fixed.data.decode("utf-8") == example["fixed"]
    else:
        after = fixed.data.decode("utf-8")
        assert (json.loads(after) if file.endswith(".json") else yaml.safe_load(after)) == example["fixed_spec"]


def test_a_rule_with_a_fix_says_how_safe_it_is_and_one_without_none_is_offered():
    offering = {code for code, rule in CATALOG.rules.items() if rule.fix_applicability}
    assert {"RL007", "RL013", "RL015", "RL018", "RL101", "RL104", "RL220", "RL401", "RL402", "RL407",
            "RL705"} <= offering
    assert CATALOG.rules["RL501"].fix["applicability"] == "never" and CATALOG.rules["RL501"].fix["reason"]
    assert CATALOG.rules["RL203"].fix["applicability"] == "never"
    for rule in CATALOG.rules.values():  # no rule without a declared fix has one on its examples
        if rule.fix_applicability is None:
            for example in rule.examples.get("invalid", []):
                for file, text in variants(example):
                    assert not [d for d in lint_example(example, file, text) if d.code == rule.code and d.fix], rule.code


@pytest.mark.parametrize("rule, example, file, text", cases("valid"))
def test_valid_example_does_not_raise_the_rule(rule, example, file, text):
    everything = lint_example(example, file, text)
    assert not [d.message for d in everything if d.code == "RL014"]  # no check crashed on it
    found = [d for d in everything if d.code == rule.code]
    assert not found, f"{rule.code} fired on a valid example: {[d.message for d in found]}"


def test_every_rule_has_examples_unless_internal():
    for rule in CATALOG.rules.values():
        if rule.source != "internal":
            assert rule.examples.get("invalid"), rule.code
