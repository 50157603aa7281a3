"""A file with more findings than runlint reports (1,000): the most severe are kept, one RL019
stands for the rest at the first of them, and every output format gets the same capped list.
The positions of many keys of one mapping, found by a pass over that mapping alone, are those
the full loaders give."""

import json
import xml.etree.ElementTree as ET

import pytest
import yaml

from runlint.diagnostic import Range, Severity
from runlint.source.document import load
from runlint.source.limits import MAX_FINDINGS
from helpers.cli import run, write


def unknown_keys(count: int, name: str = "x{}", comment: str = "") -> str:
    return "assistant_id: asst_1\n" + "".join(f"{name.format(i)}: 1{comment}\n" for i in range(count))


def test_past_the_cap_one_finding_counts_the_rest_at_the_first_left_out(lint):
    found = lint(unknown_keys(1_500))
    assert len(found) == MAX_FINDINGS + 1
    [summary] = [d for d in found if d.code == "RL019"]
    assert [d.pointer for d in found if d.code == "RL101"] == [f"/x{i}" for i in range(1_000)]
    assert summary.message == ("... and 500 more findings of RL101 in this file (runlint reports at "
                               "most 1,000 per file)")
    # the severity its rule file declares, though it stands for errors (the kept ones are errors too)
    assert (summary.range, summary.pointer, summary.severity) == (Range(1001, 0, 1001, 5), "/x1000", Severity.WARNING)
    assert summary.name == "too-many-findings" and summary.file == "spec.run.yaml"


def test_at_the_cap_nothing_is_left_out(lint):
    found = lint(unknown_keys(1_000))
    assert len(found) == 1_000 and {d.code for d in found} == {"RL101"}


def test_the_most_severe_are_kept_and_the_summary_has_its_declared_severity(lint):
    # 1,200 YAML 1.1 booleans (warnings) in metadata (an error: more than 16 keys), then 5 unknown
    # fields (errors) at the end.
    text = ("assistant_id: asst_1\nmetadata:\n" + "".join(f"  k{i}: yes\n" for i in range(1_200))
            + "".join(f"x{i}: 1\n" for i in range(5)))
    found = lint(text)
    codes = [d.code for d in found]
    assert (codes.count("RL101"), codes.count("RL301"), codes.count("RL013"), codes.count("RL019")) == (5, 1, 994, 1)
    [summary] = [d for d in found if d.code == "RL019"]
    assert summary.severity == Severity.WARNING and summary.pointer == "/metadata/k994"
    assert summary.message.startswith("... and 206 more findings of RL013 in this file")
    assert found == sorted(found, key=lambda d: d.sort_key())  # reported in the file's order


def test_suppressed_findings_do_not_count_against_the_cap(lint):
    text = unknown_keys(300, "a{}", "  # runlint: disable=RL101") + "".join(f"x{i}: 1\n" for i in range(900))
    found = lint(text)
    assert len(found) == 900 and {d.code for d in found} == {"RL101"}


def test_the_reported_unknown_fields_keep_their_did_you_mean(lint):
    found = [d for d in lint(unknown_keys(1_500, "modl{}")) if d.code == "RL101"]
    assert len(found) == 1_000
    assert all(d.message.endswith("; did you mean `model`?") and d.fix is not None for d in found)


def test_ignoring_rl019_drops_the_summary_but_not_the_cap(tmp_path):
    spec = write(tmp_path, "many.run.yaml", unknown_keys(1_500))
    result = run("check", "--format", "json", "--ignore", "RL019", str(spec))
    found = json.loads(result.stdout)
    assert result.returncode == 1 and len(found) == 1_000 and {f["code"] for f in found} == {"RL101"}


def _count(format_name: str, out: str) -> tuple[int, int]:
    """(findings, of them RL019) in one output format."""
    if format_name == "json":
        found = [f["code"] for f in json.loads(out)]
    elif format_name == "sarif":
        found = [r["ruleId"] for r in json.loads(out)["runs"][0]["results"]]
    elif format_name == "gitlab":
        found = [i["check_name"] for i in json.loads(out)]
    elif format_name == "junit":
        found = [c.get("name").split()[0] for c in ET.fromstring(out).iter("testcase")]
    elif format_name == "github":
        found = [line.split("title=")[1].split()[0] for line in out.splitlines()]
    else:  # text, concise: one header line a finding
        found = [line.split(": ")[1].split()[0] for line in out.splitlines() if ": RL" in line]
    return len(found), found.count("RL019")


@pytest.mark.parametrize("format_name", ["text", "concise", "json", "sarif", "github", "junit", "gitlab"])
def test_every_output_format_gets_the_capped_list(tmp_path, format_name):
    spec = write(tmp_path, "many.run.json", json.dumps({"assistant_id": "a", **{f"x{i}": 1 for i in range(1_500)}},
                                                       indent=2))
    result = run("check", "--format", format_name, str(spec))
    assert result.returncode == 1 and result.stderr == b""
    assert _count(format_name, result.stdout.decode()) == (MAX_FINDINGS + 1, 1)


SPECS = [
    {"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "f", "x": 1, "y\u00e9/~": 2}}],
     "metadata": {"a": "1", "a2": "2"}, "truncation_strategy": {"type": "auto", "z": [1, {"q": 2}]}},
    {"a": {"b": [[], {"c": {"d": 1, "e": {}}}]}, "f": {"g": "h\n\"i\""}},
]


def _mappings(value, path=()):
    if isinstance(value, dict):
        yield path, value
        for key, child in value.items():
            yield from _mappings(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _mappings(child, path + (index,))


@pytest.mark.parametrize("syntax", ["yaml", "json", "flow", "compact"])
@pytest.mark.parametrize("spec", SPECS)
def test_keys_found_by_one_pass_over_their_mapping_are_where_the_full_loader_puts_them(spec, syntax):
    from runlint.source.json_loader import key_ranges as json_keys
    from runlint.source.yaml_loader import key_ranges as yaml_keys

    text = {"yaml": lambda: "x: 1\n---\n" + yaml.safe_dump(spec, allow_unicode=True),
            "flow": lambda: yaml.safe_dump(spec, default_flow_style=True, width=30),
            "json": lambda: json.dumps(spec, indent=2, ensure_ascii=False),
            "compact": lambda: json.dumps(spec)}[syntax]()
    source = load("spec.yaml" if syntax in ("yaml", "flow") else "spec.json", text)
    document = source.documents[-1]
    spans = document.spans
    for path, mapping in _mappings(document.value):
        found = (yaml_keys(text, document.index, path) if document.syntax == "yaml" else json_keys(text, path))
        assert found == {key: spans[path + (key,)][1] for key in mapping}, path


def test_a_pass_over_keys_gives_way_to_the_full_loader_where_it_cannot_say():
    from runlint.source.yaml_loader import key_ranges

    assert key_ranges("a: &x {b: 1}\nc: *x\n", 0, ("c",)) is None  # an alias
    assert key_ranges("a: {b: 1, <<: {c: 1}}\n", 0, ("a",)) is None  # a merge key
    assert key_ranges("a: [1]\n", 0, ("a",)) is None  # no mapping there
    assert key_ranges("a: {b: 1}\n", 0, ("z",)) is None


def test_the_summary_names_the_rules_left_out_most_first():
    from runlint.pipeline.cap import cap
    from runlint.diagnostic import Diagnostic

    def finding(code, line, severity=Severity.ERROR):
        return Diagnostic(code, "", severity, "m", Range(line, 0, line, 1), f"/{line}")

    codes = ["RL101"] * 6 + ["RL103"] * 3 + ["RL104", "RL105", "RL106", "RL107", "RL108"]
    found = [finding(code, line) for line, code in enumerate(codes)] + [finding("RL013", 99, Severity.INFO)]
    kept, summary = cap(found, limit=2)
    assert [d.range.line for d in kept] == [0, 1]
    assert summary.message == ("... and 13 more findings (4 of RL101, 3 of RL103, 1 of RL104, 1 of RL105, "
                               "1 of RL106 and 3 of 3 other rules) in this file (runlint reports at most 2 "
                               "per file)")
    assert (summary.range.line, summary.severity) == (2, None)  # the linter stamps the rule file's
    assert cap(found, limit=len(found)) == (found, None)


def test_the_summary_has_the_severity_its_rule_declares_or_the_users_override():
    from runlint.pipeline.linter import Linter, Settings

    text = unknown_keys(1_500)
    overridden = Settings(cache_dir=None, severity={"RL019": Severity.INFO})
    for settings, expected in ((Settings(cache_dir=None), None), (overridden, Severity.INFO)):
        linter = Linter(settings)
        [summary] = [d for d in linter.lint_bytes(text.encode(), "spec.run.yaml") if d.code == "RL019"]
        assert summary.severity == (expected or linter.catalog.rules["RL019"].severity) == (expected or Severity.WARNING)


def test_a_batch_file_is_capped_too(lint):
    line = '{{"custom_id": "r{}", "method": "POST", "url": "/v1/chat/completions", "body": ' \
           '{{"model": "gpt-4o", "messages": [{{"role": "user", "content": "hi"}}], "x": 1}}}}\n'
    found = lint("".join(line.format(i) for i in range(1_200)), "many.jsonl")
    assert len(found) == MAX_FINDINGS + 1
    [summary] = [d for d in found if d.code == "RL019"]
    assert (summary.range.line, summary.pointer) == (1_000, "/body/x")
    assert summary.message.startswith("... and 200 more findings of RL101 in this file")


def test_findings_in_many_documents_are_placed_in_each(lint):
    text = "".join(f"---\nassistant_id: a{i}\ntools: [{{type: function, function: {{name: f, descripton: x}}}}]\n"
                   f"temprature: {i}\n" for i in range(30))
    found = lint(text)
    unknown = [d for d in found if d.code == "RL101"]
    assert [(d.range.line, d.pointer) for d in unknown] == [
        (line, pointer) for i in range(30)
        for line, pointer in ((4 * i + 2, "/tools/0/function/descripton"), (4 * i + 3, "/temprature"))]
    lines = text.split("\n")
    assert all(lines[d.range.line][d.range.column:d.range.end_column] == d.pointer.rsplit("/", 1)[1]
               for d in unknown)
    assert all(d.message.endswith(("did you mean `temperature`?", "did you mean `description`?")) for d in unknown)


def test_the_reported_unknown_fields_of_many_documents_keep_their_did_you_mean(lint):
    found = lint("".join(f"---\nassistant_id: a\nmodl{i}: 1\n" for i in range(1_100)))
    named = [d for d in found if d.code == "RL101" and d.message.endswith("did you mean `model`?")]
    assert len(named) == 1_000 and len([d for d in found if d.code == "RL101"]) == 1_000
