"""Which rule covers which kind: a rule whose fields exist in a kind's schema covers that kind or
says why not (`not_in`), and the table in docs/checks.md (scripts/coverage_table.py) says the same."""

import sys

import pytest

from helpers import ROOT
from runlint.check.rules import RuleError, validate_rule_file

sys.path.insert(0, str(ROOT / "scripts"))
import coverage_table  # noqa: E402


def test_every_rule_covers_the_kinds_its_fields_exist_in_or_says_why():
    assert coverage_table.unexplained() == []


def test_the_issue_rules_cover_every_kind_with_their_fields():
    covered = coverage_table.coverage()
    for code in ("RL210", "RL211", "RL310"):
        assert all(cell.covered for cell in covered[code].values()), code
    assert [k for k, c in covered["RL208"].items() if c.covered] == ["chat-completion", "response"]
    assert covered["RL208"]["create-run"].reason  # a run has stream, not stream_options: said so


@pytest.mark.parametrize("path, exists", [
    (("text", "format", "schema"), True), (("tools", "*", "parameters"), True),
    (("tools", "*", "function", "parameters"), False), (("response_format",), False),
    (("metadata", "*"), True), (("input", "*", "call_id"), True), (("nothing",), False)])
def test_paths_are_looked_up_in_the_kinds_schema(path, exists):
    assert coverage_table.exists("response", path) is exists


def test_a_function_check_counts_its_declared_fields():
    paths = coverage_table.condition_paths({"all": [{"present": "/a"}, {"function": "structured_outputs.strict_schema_subset"}]})
    assert ("a",) in paths and ("text",) in paths and ("response_format",) in paths


def _rule(tmp_path, extra: str) -> dict:
    text = ("code: XX001\nname: sample\nseverity: warning\nkinds: [response]\nsummary: s.\nexplanation: e.\n"
            + extra + "check: {absent: /stream_options}\nmessage: m\n"
            "examples: {invalid: [{file: example.response, spec: {stream_options: {}}, at: /stream_options}]}\n")
    path = tmp_path / "XX001-sample.yaml"
    path.write_text(text)
    return validate_rule_file(path, text.encode())


def test_not_in_is_validated(tmp_path):
    assert _rule(tmp_path, "not_in: {chat-completion: why}\n")["not_in"] == {"chat-completion": "why"}
    with pytest.raises(RuleError, match="no request kind named 'chat'"):
        _rule(tmp_path, "not_in: {chat: why}\n")
    with pytest.raises(RuleError, match="among the kinds the rule covers"):
        _rule(tmp_path, "not_in: {response: why}\n")
    with pytest.raises(RuleError, match="not_in"):
        _rule(tmp_path, "not_in: {assistant: ''}\n")


def test_the_docs_table_shows_coverage():
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    table = page.split("<!-- coverage:start -->")[1].split("<!-- coverage:end -->")[0]
    row = next(line for line in table.splitlines() if "`strict-schema-subset`" in line)
    assert row.count("✓") == 5
    row = next(line for line in table.splitlines() if "`stream-options-without-stream`" in line)
    assert row.split("|")[2:7] == [" no ", " no ", "  ", " ✓ ", " ✓ "]


def _declarative_rules() -> list[str]:
    from runlint.resources import data_dir
    from runlint.check.rules import load_catalog

    catalog = load_catalog([data_dir("rules")], cache_dir=None)
    return sorted(code for code, rule in catalog.rules.items() if rule.source == "rules")


# Every declarative rule has an invalid and a valid example for every kind it covers.
EXAMPLES_IN_EVERY_KIND = _declarative_rules()
# Rules whose cases do not reach a kind the table says they cover: the rule file says so, until it
# is narrowed or widened (strict: the mark goes once the rule is fixed).
NOT_REACHED: dict[str, str] = {}  # code -> why a kind it covers can have no example (none today)


def _example_kind(example: dict) -> str | None:
    """The kind an example is checked as: by its file name, as tests/rules/test_rule_examples.py writes it
    (None for a batch file, whose lines have the kinds their urls name)."""
    import fnmatch

    from runlint.kinds import by_file_name
    from runlint.source.formats.batch import PATTERNS as BATCH_PATTERNS

    file = example.get("file") or "example.run"
    if any(fnmatch.fnmatchcase(file, pattern) for pattern in BATCH_PATTERNS):
        return None
    kind = by_file_name(file) or by_file_name(file + ".yaml")
    assert kind is not None, file
    return kind.name


@pytest.mark.parametrize("code", [
    pytest.param(code, marks=pytest.mark.xfail(reason=NOT_REACHED[code], strict=True)) if code in NOT_REACHED else code
    for code in EXAMPLES_IN_EVERY_KIND])
def test_a_rule_has_examples_for_every_kind_it_covers(code):
    from runlint.resources import data_dir
    from runlint.check.rules import load_catalog

    rule = load_catalog([data_dir("rules")], cache_dir=None).rules[code]
    covered = [k for k, c in coverage_table.coverage()[code].items() if c.covered]
    for label in ("invalid", "valid"):
        kinds = {_example_kind(e) for e in rule.examples.get(label, [])}
        assert set(covered) <= kinds, f"{code} has no {label} example for {sorted(set(covered) - kinds)}"
