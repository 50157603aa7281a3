"""The fix engine (runlint/fix/apply.py) and `runlint check --fix`, `--diff`, `--fix-only`, `--unsafe-fixes`,
`--show-fixes`, on real files: what changes is what the fixes say, and not one byte more."""

import json
import os
import stat
import subprocess
import sys

import pytest
import yaml

from runlint.diagnostic import Edit, Fix, Range
from runlint.fix.apply import apply_edits, fix_bytes, write_atomic
from runlint.pipeline.linter import Linter, Settings

from helpers import ROOT

LINTER = Linter(Settings(cache_dir=None, ignore=("RL600",)))


def run(*args, stdin: bytes | None = None, cwd=None):
    env = {**os.environ, "RUNLINT_NO_CACHE": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "runlint", *args, "--ignore", "RL600"], input=stdin,
                          capture_output=True, cwd=cwd, env=env)


# -- the engine --------------------------------------------------------------------------------
def test_edits_apply_on_the_original_positions():
    text = "ab\r\ncd\ref\n"
    edits = [Edit(Range(0, 0, 0, 1), "X"), Edit(Range(1, 1, 1, 2), "YY"), Edit(Range(2, 0, 2, 2), "")]
    assert apply_edits(text, edits) == "Xb\r\ncYY\r\n"


def test_crlf_bom_comments_and_quoting_are_kept():
    data = ("\ufeff# the run\r\nassistant_id: 'asst_1'   # quoted\r\n"
            "temprature: 0.5            # typo\r\n  # an indented comment\r\n").encode("utf-8")
    linter = Linter(Settings(cache_dir=None, ignore=("RL600", "RL007")))
    fixed = fix_bytes(linter, data, "spec.run.yaml")
    assert fixed.data == data.replace(b"temprature: 0.5            #", b"temperature: 0.5           #")
    assert [d.code for d in fixed.applied] == ["RL101"] and not fixed.diagnostics


def test_the_bom_goes_only_when_rl007_is_fixed():
    data = b"\xef\xbb\xbfassistant_id: asst_1\n"
    assert fix_bytes(LINTER, data, "spec.run.yaml").data == b"assistant_id: asst_1\n"
    kept = Linter(Settings(cache_dir=None, ignore=("RL600", "RL007")))
    assert fix_bytes(kept, data, "spec.run.yaml").data == data


def test_overlapping_fixes_wait_for_the_next_pass():
    # two unused selectors in one comment: each fix rewrites the comment, so one a pass
    data = b"assistant_id: asst_1\ntemperature: 0.2  # runlint: disable=RL202,RL999\n"
    fixed = fix_bytes(LINTER, data, "spec.run.yaml")
    assert fixed.data == b"assistant_id: asst_1\ntemperature: 0.2\n"
    assert sorted(d.code for d in fixed.applied) == ["RL015", "RL015"]


def test_unsafe_fixes_only_when_asked():
    data = b'{"model": "o3", "messages": [{"role": "user", "content": "Hi"}],\n "stop": ["x"], "max_tokens": 5}\n'
    safe = fix_bytes(LINTER, data, "spec.chat.json")
    assert json.loads(safe.data) == {"model": "o3", "messages": [{"role": "user", "content": "Hi"}],
                                     "stop": ["x"], "max_completion_tokens": 5}
    unsafe = fix_bytes(LINTER, data, "spec.chat.json", unsafe=True)
    assert json.loads(unsafe.data) == {"model": "o3", "messages": [{"role": "user", "content": "Hi"}],
                                       "max_completion_tokens": 5}
    assert unsafe.data == b'{"model": "o3", "messages": [{"role": "user", "content": "Hi"}],\n "max_completion_tokens": 5}\n'


class _Breaking:
    """A linter whose RL101 fixes would break the file (an unclosed quote): they must be dropped."""

    def __init__(self, linter):
        self.linter = linter

    def lint_bytes(self, data, file, syntax=None):
        found = self.linter.lint_bytes(data, file, syntax)
        for d in found:
            if d.code == "RL101":
                d.fix = Fix("break it", (Edit(d.range, '"broken'),))
        return found


def test_a_fix_that_breaks_the_file_is_dropped_and_reported():
    data = b"assistant_id: asst_1\ntemprature: 0.5\ntemperature: yes\n"
    fixed = fix_bytes(_Breaking(LINTER), data, "spec.run.yaml")
    assert [(d.diagnostic.code, d.reason) for d in fixed.dropped] == [("RL101", "it would leave the file unreadable")]
    assert fixed.data == b"assistant_id: asst_1\ntemprature: 0.5\ntemperature: 'yes'\n"  # the other fix holds


class _Circular:
    """RL013's fix quotes `yes`; this one's RL202-free file gets the `yes` back: it goes round."""

    def __init__(self, linter):
        self.linter = linter

    def lint_bytes(self, data, file, syntax=None):
        found = self.linter.lint_bytes(data, file, syntax)
        if b"'yes'" in data:  # pretend the quoted form is a finding whose fix brings `yes` back
            d = self.linter.lint_bytes(data.replace(b"'yes'", b"yes"), file, syntax)[0]
            d.fix = Fix("unquote", (Edit(Range(1, 13, 1, 18), "yes"),))
            found.append(d)
        return found


def test_a_fix_whose_finding_stays_or_comes_back_is_dropped():
    data = b"assistant_id: asst_1\nparallel: yes\n"
    fixed = fix_bytes(_Circular(Linter(Settings(cache_dir=None, ignore=("RL600", "RL109", "RL101")))),
                      data, "spec.run.yaml")
    assert [d.diagnostic.code for d in fixed.dropped] == ["RL013"]
    assert fixed.dropped[0].reason in ("its finding is still there after it", "its finding came back after it was fixed")
    assert fixed.data == data and not fixed.applied


def test_a_batch_fix_edits_only_its_lines():
    lines = [b'{"custom_id": "a", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4.1-mini", '
             b'"input": "Hi", "temprature": 0.2}}',
             b"",
             b'{"custom_id": "b", "method": "POST", "url": "/v1/responses", "body": {"model": "gpt-4.1-mini", '
             b'"input": "Bye"}}']
    data = b"\r\n".join(lines) + b"\r\n"
    fixed = fix_bytes(LINTER, data, "batch.jsonl")
    assert fixed.data == (lines[0].replace(b"temprature", b"temperature") + b"\r\n" + lines[2] + b"\r\n")
    assert sorted(d.code for d in fixed.applied) == ["RL101", "RL705"] and not fixed.diagnostics


def test_write_atomic_keeps_the_mode_and_a_symlink(tmp_path):
    target = tmp_path / "real.run.yaml"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    link = tmp_path / "link.run.yaml"
    link.symlink_to(target)
    write_atomic(str(link), b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.run.yaml", "real.run.yaml"]  # no temp file left


# -- the command line --------------------------------------------------------------------------
BAD = "assistant_id: asst_1  # the run\ntool_choice: requried\nmodel: o4-mini\ntop_p: 0.5\n"
GOOD = BAD.replace("requried", "required")


def test_check_marks_the_fixable_and_counts_them(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(BAD)
    result = run("check", str(spec))
    out = result.stdout.decode()
    assert result.returncode == 1
    assert 'RL104 [error] [*] `tool_choice` must be' in out
    assert "RL401 [error] the model o4-mini" in out  # an unsafe fix is not marked without --unsafe-fixes
    assert out.rstrip().endswith("[*] 1 fixable with --fix; 1 more with --unsafe-fixes.")
    assert "[*] 2 fixable with --fix --unsafe-fixes." in run("check", str(spec), "--unsafe-fixes").stdout.decode()


def test_the_summary_counts_no_zero_fixable(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(GOOD)  # only RL401's unsafe fix is left
    out = run("check", str(spec)).stdout.decode()
    assert out.rstrip().endswith("in 1 file.\n1 fixable with --fix --unsafe-fixes.") and "0 fixable" not in out
    assert "[*] 1 fixable with --fix --unsafe-fixes." in run("check", str(spec), "--unsafe-fixes").stdout.decode()


def test_diff_writes_nothing_and_exits_1(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(BAD)
    result = run("check", "a.run.yaml", "--diff", cwd=tmp_path)
    assert result.returncode == 1 and spec.read_text() == BAD
    assert result.stdout.decode() == ("--- a/a.run.yaml\n+++ b/a.run.yaml\n@@ -1,4 +1,4 @@\n"
                                      " assistant_id: asst_1  # the run\n-tool_choice: requried\n+tool_choice: required\n"
                                      " model: o4-mini\n top_p: 0.5\n")
    assert "Would fix 1 problem." in result.stderr.decode()
    clean = tmp_path / "b.run.yaml"
    clean.write_text("assistant_id: asst_1\n")
    assert run("check", str(clean), "--diff").returncode == 0


def test_a_fix_that_adds_an_error_is_dropped(tmp_path):
    # `temprature` -> `temperature` would be rejected by o3-mini (RL401): the rename is not made
    data = b"assistant_id: asst_1\nmodel: o3-mini\ntemprature: 0.5\n"
    fixed = fix_bytes(Linter(Settings(cache_dir=None, ignore=("RL600", "RL601"))), data, "a.run.yaml")
    assert fixed.data == data and [(d.diagnostic.code, d.reason) for d in fixed.dropped] == [("RL101", "it adds an error")]


def test_fix_writes_the_safe_fixes_and_reports_what_is_left(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(BAD)
    result = run("check", str(spec), "--fix", "--show-fixes")
    out = result.stdout.decode()
    assert spec.read_text() == GOOD
    assert out.startswith(f"Fixed 1 problem in 1 file.\n- {spec}:\n    1 × RL104 (invalid-value)\n")
    assert "RL401" in out and "RL104" not in out.split("\n", 3)[3] and result.returncode == 1
    result = run("check", str(spec), "--fix", "--unsafe-fixes", "--ignore", "RL601")
    assert spec.read_text() == "assistant_id: asst_1  # the run\ntool_choice: required\nmodel: o4-mini\n"
    assert result.returncode == 0 and "All checks passed" in result.stdout.decode()


def test_fix_only_reports_the_count_and_exits_0(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(BAD)
    result = run("check", str(spec), "--fix-only")
    assert result.returncode == 0 and result.stdout.decode() == "Fixed 1 problem in 1 file.\n"
    assert run("check", str(spec), "--fix-only").stdout.decode() == "No problems fixed.\n"


def test_stdin_with_fix_prints_the_fixed_text(tmp_path):
    result = run("check", "-", "--stdin-filename", "a.run.yaml", "--fix", stdin=BAD.encode())
    assert result.stdout.decode() == GOOD
    assert "RL401" in result.stderr.decode() and result.returncode == 1


def test_diff_and_fix_together_is_a_usage_error(tmp_path):
    assert run("check", str(tmp_path), "--diff", "--fix").returncode == 2


def test_migrate_write_leaves_no_temporary_file(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text("assistant_id: asst_1\nmodel: gpt-4o\ninstructions: Be brief.\n")
    subprocess.run([sys.executable, "-m", "runlint", "migrate", "--write", str(spec)], capture_output=True,
                   env={**os.environ, "RUNLINT_NO_CACHE": "1"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.response.yaml", "a.run.yaml"]
    assert yaml.safe_load((tmp_path / "a.response.yaml").read_text())["model"] == "gpt-4o"


def test_rule_explains_its_fix():
    safe = subprocess.run([sys.executable, "-m", "runlint", "rule", "RL220"], capture_output=True, text=True).stdout
    assert "Fix: safe, applied by `runlint check --fix`" in safe
    assert "Fixed:" in safe and "max_completion_tokens" in safe.split("Fixed:", 1)[1]
    unsafe = subprocess.run([sys.executable, "-m", "runlint", "rule", "RL401"], capture_output=True, text=True).stdout
    assert "Fix: unsafe, applied only with `runlint check --fix --unsafe-fixes`" in unsafe
    never = subprocess.run([sys.executable, "-m", "runlint", "rule", "secret-in-spec"], capture_output=True, text=True).stdout
    assert "Fix: none, and none will be: the secret must be revoked" in never
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert docs.count("Fix: safe") >= 9 and docs.count("Fix: unsafe") >= 4


# -- RL210's two fixes, picked by message ---------------------------------------------------------
def _rl210(schema: str) -> tuple[list, bytes]:
    data = ("model: gpt-4o\nmessages: [{role: user, content: Hi}]\n"
            f"response_format: {{type: json_schema, json_schema: {{name: x, strict: true, schema: {schema}}}}}\n").encode()
    found = [d for d in LINTER.lint_bytes(data, "spec.chat.yaml") if d.code == "RL210"]
    return found, data


def test_rl210_lists_a_property_in_required_unsafely_and_sets_additional_properties_safely():
    found, data = _rl210("{type: object, properties: {a: {type: string}, b: {type: string}}}")
    by_pointer = {d.pointer.rsplit("/", 1)[-1]: d for d in found}
    assert by_pointer["schema"].fix.applicability == "safe"
    assert by_pointer["a"].fix.applicability == by_pointer["b"].fix.applicability == "unsafe"
    assert fix_bytes(LINTER, data, "spec.chat.yaml").data.decode().endswith(
        "{a: {type: string}, b: {type: string}}, additionalProperties: false}}}\n")  # --fix: the safe one only
    fixed = fix_bytes(LINTER, data, "spec.chat.yaml", unsafe=True)
    assert not fixed.dropped
    assert not [d for d in fixed.diagnostics if d.code == "RL210"]
    schema = yaml.safe_load(fixed.data)["response_format"]["json_schema"]["schema"]
    assert schema == {"type": "object", "properties": {"a": {"type": ["string", "null"]}, "b": {"type": ["string", "null"]}},
                      "additionalProperties": False, "required": ["a", "b"]}


@pytest.mark.parametrize("prop", ["{$ref: '#/$defs/x'}", "{type: string, enum: [a, b]}", "{type: [string, integer]}",
                                  "{anyOf: [{type: string}, {type: integer}]}", "{type: string, const: a}"])
def test_rl210_offers_no_required_fix_when_null_cannot_be_admitted_by_the_type(prop):
    found, _ = _rl210(f"{{type: object, properties: {{a: {prop}}}, additionalProperties: false, "
                      "$defs: {x: {type: string}}}")
    assert [d.fix for d in found if d.pointer.endswith("/properties/a")] == [None]


@pytest.mark.parametrize("prop", ["{type: 'null'}", "{type: [string, 'null']}", "{anyOf: [{type: string}, {type: 'null'}]}",
                                  "{type: string, enum: [a, null]}"])
def test_rl210_only_lists_a_property_that_admits_null(prop):
    found, data = _rl210(f"{{type: object, properties: {{a: {prop}}}, required: [], additionalProperties: false}}")
    (d,) = [d for d in found if d.pointer.endswith("/properties/a")]
    assert len(d.fix.edits) == 1 and d.fix.edits[0].new_text == "a"
    assert d.fix.title == "List `a` in `required`"


def test_rl210_quotes_a_name_yaml_would_not_read_as_itself_and_keeps_a_list_quoted():
    found, _ = _rl210("{type: object, properties: {'yes': {type: 'null'}}, additionalProperties: false}")
    assert found[0].fix.edits[0].new_text == ', required: ["yes"]'
    found, _ = _rl210('{type: object, properties: {a: {type: string}, b: {type: "string"}}, required: ["a"], additionalProperties: false}')
    assert [e.new_text for e in found[0].fix.edits] == ['["string", "null"]', ', "b"']


def test_a_list_of_fixes_picks_each_by_its_own_message():
    from pydantic import ValidationError

    from runlint.check.rule_model import RuleFile

    base = yaml.safe_load((ROOT / "rules" / "RL210-strict-schema-subset.yaml").read_text())
    RuleFile.model_validate(base)
    for bad in ([base["fix"][0]], [base["fix"][0], {**base["fix"][1], "message_has": None}],
                [base["fix"][0], {**base["fix"][0], "applicability": "unsafe"}]):
        with pytest.raises(ValidationError):
            RuleFile.model_validate({**base, "fix": bad})
