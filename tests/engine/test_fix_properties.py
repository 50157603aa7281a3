"""Every fix runlint offers, on every invalid example of every rule (as YAML and as JSON): applied
alone, it leaves a file that parses, without that finding, with no new error, and with every byte
outside its edits as it was; all fixes together (--fix --unsafe-fixes) drop none and are idempotent.
And two layouts no formatter would keep: comments on every line, and odd JSON indentation."""

import subprocess
import sys
import os
from collections import Counter

import pytest

from runlint.diagnostic import Severity
from runlint.fix.apply import UNREADABLE, _Text, apply_edits, fix_bytes, split_bom

from helpers.rule_examples import cases, lint_example, linter_for

FIXABLE = []
for param in cases("invalid"):
    rule, example, file, text = param.values
    if example.get("limits") is None and any(d.fix for d in lint_example(example, file, text)):
        FIXABLE.append(param)


def _key(d):
    return (d.code, d.pointer, d.message)


def test_there_are_fixes_to_check():
    assert len(FIXABLE) >= 15


@pytest.mark.parametrize("rule, example, file, text", FIXABLE)
def test_each_fix_alone_holds(rule, example, file, text):
    linter = linter_for(example)
    before = lint_example(example, file, text)
    errors_before = Counter(d.code for d in before if d.severity == Severity.ERROR)  # by rule: a moved error is the same
    for d in [d for d in before if d.fix]:
        bom, raw = split_bom(text.encode("utf-8"))
        body = raw.decode("utf-8")
        after_body = apply_edits(body, list(d.fix.edits))
        spans = sorted(_Text(body).span(e) for e in d.fix.edits)
        if spans:  # every byte before the first edit and after the last is the same
            assert after_body[:spans[0][0]] == body[:spans[0][0]]
            tail = len(body) - spans[-1][1]
            assert after_body[len(after_body) - tail:] == body[spans[-1][1]:]
        else:
            assert d.fix.drop_bom and after_body == body
        data = (b"" if d.fix.drop_bom else bom) + after_body.encode("utf-8")
        after = linter.lint_bytes(data, file)
        assert not [a for a in after if a.code in UNREADABLE], (d.code, data)
        assert Counter(map(_key, after))[_key(d)] < Counter(map(_key, before))[_key(d)], (d.code, data)
        new_errors = Counter(a.code for a in after if a.severity == Severity.ERROR) - errors_before
        assert not new_errors, (d.code, new_errors)


@pytest.mark.parametrize("rule, example, file, text", FIXABLE)
def test_all_fixes_together_drop_none_and_are_idempotent(rule, example, file, text):
    linter = linter_for(example)
    data = text.encode("utf-8")
    fixed = fix_bytes(linter, data, file, unsafe=True)
    assert not fixed.dropped, [(x.diagnostic.code, x.reason) for x in fixed.dropped]
    assert fixed.applied
    assert not [d for d in fixed.diagnostics if d.fix]  # nothing fixable left
    again = fix_bytes(linter, fixed.data, file, unsafe=True)
    assert again.data == fixed.data and not again.applied


COMMENTED = """\
# a run, with a comment on every line
assistant_id: asst_1        # the assistant
model: gpt-4o               # a model
temprature: 0.5             # a typo RL101 fixes
metadata:                   # a mapping
  # a comment inside it
  answer: yes               # RL013 quotes it
  build: 1_000              # RL018 quotes it
tool_choice: "requried"     # RL104, in quotes
# the end
"""

ODD_JSON = """{
      "assistant_id":   "asst_1",
   "tool_choice" :"requried",
        "temprature"
            : 0.5
}"""


def _fix_cli(path):
    return subprocess.run([sys.executable, "-m", "runlint", "check", "--fix", "--ignore", "RL600", str(path)],
                          capture_output=True, env={**os.environ, "RUNLINT_NO_CACHE": "1"})


def test_comments_on_every_line_are_kept(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text(COMMENTED)
    result = _fix_cli(spec)
    assert result.returncode == 0, result.stdout.decode()
    assert spec.read_text() == (COMMENTED.replace("temprature: 0.5             #", "temperature: 0.5            #")
                                .replace("answer: yes ", "answer: 'yes' ").replace("build: 1_000 ", "build: '1_000' ")
                                .replace('"requried"', '"required"'))


def test_unusual_json_indentation_is_kept(tmp_path):
    spec = tmp_path / "a.run.json"
    spec.write_text(ODD_JSON)
    result = _fix_cli(spec)
    assert result.returncode == 0, result.stdout.decode()
    assert spec.read_text() == ODD_JSON.replace("requried", "required").replace("temprature", "temperature")
