"""The survey of reported 400s (docs/survey): its entries are well formed, its README's tables are
current, and every class it marks `caught` is reproduced by an example of the rule it names."""

import re
import subprocess
import sys

import functools

import pytest

from helpers import ROOT
from runlint.check.rules import validate_rule_file

sys.path.insert(0, str(ROOT / "scripts"))
import survey_table  # noqa: E402

ENTRIES = survey_table.load()


@functools.cache
def _rules() -> dict[str, dict]:
    """Every rule file as runlint reads it (its own YAML loader: PyYAML reads some flow mappings
    otherwise)."""
    return {path.name[:5]: validate_rule_file(path, path.read_bytes()) for path in (ROOT / "rules").glob("RL*.yaml")}


def _same_text(a: str, b: str) -> bool:
    """One error text is part of the other once the numbers that vary between reports (indexes,
    lengths) are set aside."""
    a, b = (re.sub(r"\d+", "0", text) for text in (a, b))
    return a in b or b in a


def test_the_survey_is_well_formed_and_its_tables_current():
    result = subprocess.run([sys.executable, "scripts/survey_table.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["status"] == "caught"], ids=lambda e: e["id"])
def test_a_caught_class_is_reproduced_by_its_rule(entry):
    rule = _rules().get(entry["rule"])
    assert rule is not None, f"{entry['rule']} is not a rule"
    texts = [ex.get("api_error") for ex in rule.get("examples", {}).get("invalid", []) if ex.get("api_error")]
    assert any(_same_text(text, entry["error"]) for text in texts), \
        f"no example of {entry['rule']} has an api_error matching {entry['error']!r} (has {texts})"


def test_every_reported_example_is_in_the_survey():
    """A rule example that quotes a report (`reported` with `api_error`) is a surveyed report."""
    surveyed = {report["url"].replace("/pull/", "/issues/") for e in ENTRIES for report in e["reports"]}
    missing = [(code, ex["reported"]) for code, rule in _rules().items()
               for ex in rule.get("examples", {}).get("invalid", [])
               if ex.get("api_error") and ex.get("reported", "").replace("/pull/", "/issues/") not in surveyed]
    assert missing == []


def test_malformed_entries_are_named():
    good = {"id": "x", "api": "chat", "category": "schema", "error": "E", "count": 1, "status": "caught",
            "rule": "RL212", "reports": [{"url": "https://github.com/a/b/issues/1", "project": "a/b"}]}
    assert survey_table.problems([good]) == []
    assert survey_table.problems([{**good, "count": 2}]) == ["x: `count` is 2, but 1 reports are listed"]
    assert survey_table.problems([{**good, "status": "not-static", "rule": None}]) == \
        ["x: a class that is not caught says `why`"]
    assert survey_table.problems([{**good, "status": "open", "rule": None}]) == \
        ["x: a class that is not caught says `why`"]
    assert survey_table.problems([{**good, "status": "open", "rule": None, "why": "w"}]) == []
    # the status of the round when other helpers were still building rules is gone
    assert "`status` is 'other-branch'" in survey_table.problems([{**good, "status": "other-branch"}])[0]
    assert "x: `category` is 'typo'" in survey_table.problems([{**good, "category": "typo"}])[0]
    assert survey_table.problems([good, good]) == ["x: the id is used twice"]


def test_the_tables_count_classes_and_reports():
    two = [{"id": "a", "api": "chat", "category": "schema", "error": "E", "count": 3, "status": "caught",
            "rule": "RL212", "reports": [{"url": f"https://x/{i}", "project": f"p{i}"} for i in range(3)]},
           {"id": "b", "api": "both", "category": "schema", "error": "F", "count": 1, "status": "not-static",
            "why": "w", "reports": [{"url": "https://x/9", "project": "p0"}]}]
    text = survey_table.tables(two)
    assert "| schema | 1 (3) |  | 1 (1) | 2 | 4 |" in text
    assert "2 error classes, 4 reports from 3 projects" in text and "catches 3 of the 4 reports (75%)" in text


def test_a_report_its_rule_misses_is_not_counted_caught():
    reports = [{"url": f"https://x/{i}", "project": f"p{i}"} for i in range(4)]
    reports[0] = {**reports[0], "caught": False, "note": "no fact for this model"}
    entry = {"id": "a", "api": "chat", "category": "model-facts", "error": "E", "count": 4, "status": "caught",
             "rule": "RL401", "reports": reports}
    assert survey_table.problems([entry]) == []
    assert "catches 3 of the 4 reports (75%)" in survey_table.tables([entry])
    # only a caught class's report may say so, and says why
    assert survey_table.problems([{**entry, "status": "not-static", "why": "w"}])
    assert survey_table.problems([{**entry, "reports": [{**reports[0], "note": None}, *reports[1:]]}])
