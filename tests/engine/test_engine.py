"""The rules engine beyond the examples: the check-function escape hatch, crash containment, and
rule files that are wrong in every way an author can get them wrong."""

from pathlib import Path

import pytest

from runlint.check.families import check
from runlint.diagnostic import Severity
from runlint.pipeline.linter import Linter, Settings
from runlint.resources import data_dir
from runlint.check.rules import RuleError, load_catalog, validate_rule_file

RULE = """code: ACME{n}
name: {name}
severity: warning
summary: s
explanation: e
check: {check}
message: "{message}"
examples: {{invalid: [{{spec: {{assistant_id: a}}, at: ""}}]}}
"""


def write_rule(folder: Path, n: str, name: str, check_: str, message: str = "m") -> Path:
    path = folder / f"ACME{n}-{name}.yaml"
    path.write_text(RULE.format(n=n, name=name, check=check_, message=message))
    return path


@check("test-odd-length-ids")
def _odd_length_ids(value, args, context):
    ident = value.get("assistant_id", "")
    return [(("assistant_id",), {"length": len(ident)})] if len(ident) % args["modulo"] else []


@check("test-explodes")
def _explodes(value, args, context):
    raise RuntimeError("boom")


def test_registered_function_runs_from_a_rule(tmp_path):
    write_rule(tmp_path, "001", "odd-id", "{function: test-odd-length-ids, args: {modulo: 2}}",
               "the id has {length} characters")
    linter = Linter(Settings(rule_dirs=(tmp_path,), cache_dir=None, select=("ACME",)))
    [finding] = linter.lint_text("assistant_id: abc\n", "a.run.yaml")
    assert (finding.code, finding.message, finding.range.line) == ("ACME001", "the id has 3 characters", 0)
    assert linter.lint_text("assistant_id: ab\n", "a.run.yaml") == []


def test_a_crashing_rule_costs_only_its_own_findings(tmp_path, caplog):
    write_rule(tmp_path, "002", "explodes", "{function: test-explodes}")
    linter = Linter(Settings(rule_dirs=(tmp_path,), cache_dir=None, ignore=("RL600",)))
    found = linter.lint_text("assistant_id: a\ntemperature: 1\ntop_p: 1\n", "a.run.yaml")
    assert [d.code for d in found] == ["RL014", "RL202"]
    assert "rule ACME002 (explodes)" in found[0].message and "RuntimeError: boom" in found[0].message
    assert "Traceback" in caplog.text and "boom" in caplog.text


@pytest.mark.parametrize("body, expected", [
    ("code: X1\n", "code: String should match pattern"),
    ("code: ACME001\nname: Bad Name\n", "name: String should match pattern"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {path: /a, equal: 1}\n"
     "message: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n", "check.equal: unknown field `equal`"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {equals: 1}\n"
     "message: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n", "`equals` looks at a value: give it a `path`"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {path: /a, matches: '(('}\n"
     "message: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n", "not a valid regular expression"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {function: os.system}\n"
     "message: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n", "no check function named 'os.system'"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {present: /a}\n"
     "message: m\n", "a rule needs at least one `examples.invalid`"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {present: /a}\n"
     "examples: {invalid: [{spec: {}, at: ''}]}\n", "a rule needs `check` and `message`"),
    ("code: !!python/object/apply:os.system [id]\n", "the YAML tag `!!python/object/apply:os.system`"),
    ("- not a mapping\n", "Input should be a valid dictionary"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\ncheck: {today: {from: '2026-02-30'}}\n"
     "message: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n", "'2026-02-30' is not a date (YYYY-MM-DD)"),
    ("code: ACME001\nname: x\nseverity: error\nsummary: s\nexplanation: e\n"
     "check: {model_lacks: {capability: vision}}\nmessage: m\nexamples: {invalid: [{spec: {}, at: ''}]}\n",
     "check.model_lacks.capability: Input should be"),
])
def test_bad_rule_files_name_the_file_the_place_and_the_problem(tmp_path, body, expected):
    path = tmp_path / "ACME001-x.yaml"
    path.write_bytes(body.encode())
    with pytest.raises(RuleError) as error:
        validate_rule_file(path, path.read_bytes())
    assert str(error.value).startswith(str(path))
    assert expected in str(error.value)


def test_rule_file_name_must_match_and_codes_must_be_unique(tmp_path):
    write_rule(tmp_path, "001", "one", "{present: /a}").rename(tmp_path / "wrong-name.yaml")
    with pytest.raises(RuleError, match="a rule file is named after its rule: ACME001-one.yaml"):
        load_catalog([tmp_path], cache_dir=None)
    (tmp_path / "wrong-name.yaml").unlink()
    clash = tmp_path / "RL201-json-mode-without-json-instruction.yaml"
    clash.write_text((data_dir("rules") / clash.name).read_text())
    with pytest.raises(RuleError, match="rule code RL201 is already used by"):
        load_catalog([data_dir("rules"), tmp_path], cache_dir=None)


def test_rule_cache_is_used_only_while_the_files_are_unchanged(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    cache = tmp_path / "cache"
    path = write_rule(rules, "001", "one", "{present: /model}", "first")
    assert load_catalog([rules], cache).rules["ACME001"].cases[0].message == "first"
    assert list(cache.iterdir())
    path.write_text(path.read_text().replace('"first"', '"second"'))
    assert load_catalog([rules], cache).rules["ACME001"].cases[0].message == "second"


def _skipping_variants():
    """Each rule example spec (data), and the same with each top-level field dropped or null: the
    requests a case is skipped for because they lack a field its `needs` names."""
    catalog = load_catalog([data_dir("rules")], cache_dir=None)
    for rule in sorted(catalog.engine_rules(), key=lambda r: r.code):
        for group in ("invalid", "valid"):
            for number, example in enumerate(rule.examples.get(group, [])):
                spec = example.get("spec") if group == "invalid" else example
                if not isinstance(spec, dict) or "spec" in spec or "text" in spec:
                    continue
                variants = [spec] + [{k: v for k, v in spec.items() if k != key} for key in spec] \
                    + [{**spec, key: None} for key in spec]
                file = example.get("file") or "example.run.json"
                yield pytest.param(rule, file, variants, id=f"{rule.code}-{group}{number}")


@pytest.mark.parametrize(("rule", "file", "variants"), list(_skipping_variants()))
def test_skipping_cases_by_their_needed_fields_changes_no_finding(rule, file, variants):
    """A case is not run on a request lacking a field its conditions need (conditions.needs); run
    every case anyway, and the findings must be the same: the analysis may not skip too much."""
    import json

    from runlint.check.conditions import Context
    from runlint.source.document import load_json_text

    linter = Linter(Settings(cache_dir=None))
    skipped = 0
    for spec in variants:
        # `file: example.assistant` names no extension: keep it whole, or the kind is lost
        base = file.rsplit(".", 1)[0] if file.endswith((".yaml", ".yml", ".json")) else file
        document = load_json_text(base + ".json", json.dumps(spec, indent=2))[0][0]
        document.kind = linter.kind_of(document).name
        every = rule.cases_for(document.kind)
        shown = lambda found: [(d.code, d.message, d.range, d.pointer) for d in found]
        assert shown(rule.run(document, Context(), every)) == shown(rule.run(document, Context()))
        skipped += any(not case.needs <= document.fields for case in every)
    assert skipped or not any(case.needs for case in rule.cases)  # the skipping was exercised


def test_settings_whose_selectors_name_no_rule_raise_and_lenient_linters_leave_them_out():
    from runlint.pipeline.linter import Linter, Settings
    from runlint.pipeline.selectors import SelectorError

    with pytest.raises(SelectorError) as raised:
        Linter(Settings(cache_dir=None, select=("RL1", "RL1O1"), severity={"tempreature-and-top-p": Severity.INFO}))
    assert str(raised.value).splitlines() == [
        "select: unknown rule selector 'RL1O1'; did you mean 'RL101'?",
        "severity: unknown rule 'tempreature-and-top-p'; did you mean 'temperature-and-top-p'?"]
    lenient = Linter(Settings(cache_dir=None, select=("foo",), ignore=("RL600", "RL2O2")), strict=False)
    assert lenient.settings.select == ("ALL",) and lenient.settings.ignore == ("RL600",)
    assert [p.selector for p in lenient.selector_problems] == ["foo", "RL2O2"]


# -- `supersedes`: one mistake, one finding -----------------------------------------------------

def _codes_at(found) -> set[tuple[str, str]]:
    return {(d.code, d.pointer) for d in found}


def test_a_mix_up_finding_replaces_the_schemas_at_its_nodes_and_only_there():
    text = ("model: gpt-4o\ninput: Hi\nmax_tokens: 100\ntemprature: 0.5\n"
            "tools: [{type: function, function: {name: f, parameters: {type: object}}}]\n")
    found = _codes_at(Linter(Settings(cache_dir=None)).lint_text(text, "x.response.yaml"))
    assert ("RL240", "/max_tokens") in found and ("RL101", "/max_tokens") not in found
    # the Chat-shaped tool: its `function` (RL101) and its missing `name` (RL102 at the tool) are one finding
    assert ("RL240", "/tools/0/function") in found
    assert not {f for f in found if f[0] in ("RL101", "RL102") and f[1].startswith("/tools/0")}
    assert ("RL101", "/temprature") in found  # another mistake keeps its own finding
    # ignored, the mix-up rule gives the schema's findings back
    plain = _codes_at(Linter(Settings(ignore=("RL240",), cache_dir=None)).lint_text(text, "x.response.yaml"))
    assert {("RL101", "/max_tokens"), ("RL101", "/tools/0/function"), ("RL102", "/tools/0")} <= plain


def test_input_in_chat_stands_for_the_missing_messages_but_not_for_another_missing_field():
    found = Linter(Settings(cache_dir=None)).lint_text("input: Hi\n", "x.chat.yaml")
    missing = [d.message for d in found if d.code == "RL102"]
    assert ("RL241", "/input") in _codes_at(found)
    assert missing == ["missing required field `model`"]
