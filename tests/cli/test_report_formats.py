"""SARIF, GitHub, JUnit and GitLab output, from real findings on real files."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema

from helpers import ROOT
from runlint.diagnostic import Diagnostic, Range, Severity
from runlint.report import render
from runlint.pipeline.runner import FileResult
from helpers import SARIF_SCHEMA


def check(*args, cwd=ROOT):
    """runlint check; specs in tmp_path leave out the retirement notice (RL600) they all get."""
    retired = () if cwd == ROOT and "examples" in args else ("--ignore", "RL600")
    return subprocess.run([sys.executable, "-m", "runlint", "check", *args, *retired], cwd=cwd,
                          capture_output=True, text=True)


def test_sarif_is_valid_and_carries_rules_regions_and_fixes():
    log = json.loads(check("examples", "--format", "sarif").stdout)
    errors = list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log))
    assert errors == []
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["RL101"]["name"] == "unknown-field"
    assert rules["RL202"]["defaultConfiguration"]["level"] == "warning"
    assert rules["RL007"]["defaultConfiguration"]["level"] == "note"
    assert rules["RL101"]["fullDescription"]["text"].startswith("The API rejects a request")
    typo = next(r for r in run["results"] if "temprature" in r["message"]["text"]
                and "typos.run.yaml" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    location = typo["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "examples/bad/typos.run.yaml"
    assert location["region"] == {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 11}
    replacement, spaces = typo["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement == {"deletedRegion": location["region"], "insertedContent": {"text": "temperature"}}
    # the comment after the value keeps its column: one space fewer before it
    assert spaces["deletedRegion"]["startLine"] == 4 and len(spaces["insertedContent"]["text"]) == (
        spaces["deletedRegion"]["endColumn"] - spaces["deletedRegion"]["startColumn"] - 1)
    assert run["tool"]["driver"]["rules"][typo["ruleIndex"]]["id"] == "RL101"


def test_sarif_carries_the_removal_of_a_bom_as_bytes(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_bytes(b"\xef\xbb\xbfassistant_id: asst_1\n")
    log = json.loads(check(str(spec), "--format", "sarif").stdout)
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    bom = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "RL007")
    assert bom["fixes"][0]["artifactChanges"][0]["replacements"] == [{"deletedRegion": {"byteOffset": 0, "byteLength": 3}}]


def test_sarif_of_a_clean_run_is_valid_too():
    log = json.loads(check("examples/good", "--format", "sarif").stdout)
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    assert log["runs"][0]["results"] == []


def test_github_annotations(tmp_path):
    spec = tmp_path / "a.run.yaml"
    spec.write_text("assistant_id: a\ntemprature: 1\ntemperature: 0.1\ntop_p: 0.1\n")
    lines = check(str(spec), "--format", "github").stdout.splitlines()
    assert lines == [
        f"::error file={spec},line=2,col=1,endLine=2,endColumn=11,title=RL101 unknown-field::"
        "unknown field `temprature`",  # no suggestion: `temperature` is already there
        f"::warning file={spec},line=4,col=1,endLine=4,endColumn=6,title=RL202 temperature-and-top-p::"
        "both temperature and top_p are set; OpenAI recommends altering one of them, not both"]


def test_github_escaping():
    d = Diagnostic("RL100", "odd", Severity.INFO, "100% sure: a, b\nnext", Range(0, 0, 0, 1), "", "dir,x/a:b.yaml")
    assert render("github", [FileResult("dir,x/a:b.yaml", [d])]) == (
        "::notice file=dir%2Cx/a%3Ab.yaml,line=1,col=1,endLine=1,endColumn=2,title=RL100 odd::"
        "100%25 sure: a, b%0Anext\n")


def test_junit_is_valid_xml_with_a_suite_per_file():
    root = ET.fromstring(check("examples", "--format", "junit").stdout)
    suites = root.findall("testsuite")
    files = [f for f in (ROOT / "examples").rglob("*.*.*") if f.suffix in (".yaml", ".yml", ".json")]
    files += (ROOT / "examples").rglob("*.jsonl")  # batch files
    assert len(suites) == len(files)  # every file, clean ones too
    failures = root.findall(".//failure")
    findings = json.loads(check("examples", "--format", "json").stdout)
    assert int(root.get("failures")) == len(failures) == len(findings) > 20
    clean = [s for s in suites if s.get("failures") == "0"]
    good = [f for f in (ROOT / "examples" / "good").iterdir() if f.suffix != ".toml"]
    assert [len(s.findall("testcase")) for s in clean] == [1] * len(good)  # each clean file passes once


def test_junit_survives_control_characters():
    d = Diagnostic("RL001", "syntax-error", Severity.ERROR, "bad \x00\x07 byte", Range(0, 0, 0, 1), "", "a.yaml")
    root = ET.fromstring(render("junit", [FileResult("a.yaml", [d])]))
    assert root.find(".//failure").get("message") == "bad \ufffd\ufffd byte"


def test_gitlab_fingerprints_are_unique_and_survive_moved_lines(tmp_path):
    spec = tmp_path / "a.run.yaml"
    text = "assistant_id: a\ntemprature: 1\nmodle: x\nmetadata: {a: 1, b: 2}\n"
    spec.write_text(text)
    first = json.loads(check(str(spec), "--format", "gitlab").stdout)
    again = json.loads(check(str(spec), "--format", "gitlab").stdout)
    spec.write_text("\n# a comment added above\n" + text)
    moved = json.loads(check(str(spec), "--format", "gitlab").stdout)
    prints = [issue["fingerprint"] for issue in first]
    assert len(prints) == len(set(prints)) == 4
    assert prints == [i["fingerprint"] for i in again] == [i["fingerprint"] for i in moved]
    assert moved[0]["location"]["positions"]["begin"]["line"] == first[0]["location"]["positions"]["begin"]["line"] + 2
    assert {i["severity"] for i in first} == {"major"}
    assert set(first[0]) == {"description", "check_name", "fingerprint", "severity", "location"}
