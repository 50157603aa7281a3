"""The command line as a user runs it: a real process, real files, exit codes and output."""

import json
import os
import subprocess
import sys
from pathlib import Path


from helpers import ROOT
from helpers.cli import run, write

EXAMPLES = ROOT / "examples"


def test_clean_spec_exits_0_with_a_summary(tmp_path):
    write(tmp_path, "ok.run.yaml", "assistant_id: asst_1\ntemperature: 0.5\n")
    result = run("check", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert result.stdout.decode().strip() == "All checks passed: 1 file, no problems."


def test_findings_exit_1_with_position_excerpt_and_summary(tmp_path):
    spec = write(tmp_path, "bad.run.yaml", "assistant_id: asst_1\ntemprature: 0.5\n")
    result = run("check", str(spec), "--no-color")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert f"{spec}:2:1: RL101 [error] [*] unknown field `temprature`; did you mean `temperature`?" in out
    assert "2 | temprature: 0.5" in out
    assert "  | ^^^^^^^^^^ RL101" in out
    assert "= help: Rename to `temperature`" in out
    assert out.rstrip().endswith("Found 1 problem (1 error) in 1 file.\n[*] 1 fixable with --fix.")
    assert "\x1b[" not in out


def test_json_output_is_the_stable_contract(tmp_path):
    spec = write(tmp_path, "bad.run.json", '{"assistant_id": "asst_1",\n "temperature": 3}')
    result = run("check", str(spec), "--format", "json")
    findings = json.loads(result.stdout)
    assert result.returncode == 1
    assert findings == [{
        "file": str(spec), "line": 2, "column": 17, "end_line": 2, "end_column": 18, "code": "RL105",
        "name": "out-of-range", "severity": "error",
        "message": "`temperature` is 3; it must be at most 2", "path": "/temperature", "fix": None}]


def test_json_output_carries_the_fix_with_its_applicability(tmp_path):
    spec = write(tmp_path, "bad.run.json", '{"assistant_id": "asst_1",\n "temprature": 0.5}')
    finding, = json.loads(run("check", str(spec), "--format", "json", "--ignore", "RL600").stdout)
    assert finding["fix"] == {"applicability": "safe", "message": "Rename to `temperature`", "edits": [
        {"line": 2, "column": 3, "end_line": 2, "end_column": 13, "content": "temperature"}]}


def test_concise_output(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: asst_1\ntemperature: 0.1\ntop_p: 0.1\n")
    result = run("check", str(spec), "--format", "concise")
    lines = result.stdout.decode().splitlines()
    assert lines == [f"{spec}:3:1: RL202 both temperature and top_p are set; OpenAI recommends altering "
                     "one of them, not both", "Found 1 problem (1 warning) in 1 file."]
    assert result.returncode == 0  # a warning is below the default --fail-on error


def test_fail_on_warning_and_info(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: asst_1\ntemperature: 0.1\ntop_p: 0.1\n")
    assert run("check", str(spec), "--fail-on", "warning").returncode == 1
    assert run("check", str(spec), "--fail-on", "error").returncode == 0


def test_select_and_ignore_by_code_prefix_and_name(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: asst_1\ntemprature: 1\ntemperature: 0.1\ntop_p: 0.1\n")

    def codes(*args):
        return sorted(f["code"] for f in json.loads(run("check", str(spec), "--format", "json", *args).stdout))

    assert codes() == ["RL101", "RL202"]
    assert codes("--select", "RL2") == ["RL202"]
    assert codes("--select", "unknown-field") == ["RL101"]
    assert codes("--ignore", "RL101,RL202") == []
    assert codes("--select", "RL1", "--select", "RL2", "--ignore", "temperature-and-top-p") == ["RL101"]


def test_folder_discovery_include_and_exclude(tmp_path):
    write(tmp_path, "a.run.yaml", "assistant_id: a\ntemprature: 1\n")
    write(tmp_path, "sub/b.run.json", '{"assistant_id": "b", "temprature": 1}')
    write(tmp_path, "notes.yaml", "not: a spec\n")
    write(tmp_path, "node_modules/c.run.yaml", "broken: [\n")
    write(tmp_path, "skip/d.run.yaml", "broken: [\n")

    def files(*args):
        out = json.loads(run("check", str(tmp_path), "--format", "json", *args).stdout)
        return sorted(Path(f["file"]).relative_to(tmp_path).as_posix() for f in out)

    assert files("--exclude", "skip") == ["a.run.yaml", "sub/b.run.json"]
    assert files("--exclude", "skip", "--exclude", "sub/*") == ["a.run.yaml"]
    assert "notes.yaml" in files("--include", "*.yaml", "--exclude", "skip")


def test_stdin_with_filename(tmp_path):
    result = run("check", "-", "--stdin-filename", "piped.run.json", "--format", "json",
                 stdin=b'{"assistant_id": "a", "top_k": 3}')
    findings = json.loads(result.stdout)
    assert [(f["file"], f["code"], f["line"], f["column"]) for f in findings] == [("piped.run.json", "RL101", 1, 23)]
    assert result.returncode == 1


def test_stdin_without_filename_sniffs_yaml_and_detects_kind_by_content():
    result = run("check", "-", "--format", "json", stdin=b"assistant_id: a\nmodle: gpt-4o\n")
    assert [f["message"] for f in json.loads(result.stdout)] == ["unknown field `modle`; did you mean `model`?"]


def test_missing_path_exits_2_with_one_line(tmp_path):
    result = run("check", str(tmp_path / "nope.run.yaml"))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == f"runlint: {tmp_path / 'nope.run.yaml'}: no such file or directory"


def test_unreadable_file_exits_2_and_the_others_are_still_checked(tmp_path):
    loop = tmp_path / "loop.run.yaml"
    loop.symlink_to(loop)  # a symlink loop: unreadable even for root
    good = write(tmp_path, "bad.run.yaml", "assistant_id: a\ntemprature: 1\n")
    result = run("check", str(loop), str(good), "--format", "json")
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"runlint: cannot read {loop}:")
    assert [f["code"] for f in json.loads(result.stdout)] == ["RL101"]


def test_directory_named_like_a_spec_is_walked_not_read(tmp_path):
    (tmp_path / "odd.run.yaml").mkdir()
    write(tmp_path, "odd.run.yaml/inner.run.yaml", "assistant_id: a\n")
    assert run("check", str(tmp_path / "odd.run.yaml")).returncode == 0


def test_usage_error_exits_2():
    result = run("check", "--format", "xml")
    assert result.returncode == 2 and "Invalid value for '--format'" in result.stderr.decode()


def test_bad_rule_folder_exits_2_naming_file_line_and_field(tmp_path):
    write(tmp_path, "rules/XX001-bad.yaml",
          "code: XX001\nname: bad\nseverity: fatal\nsummary: s\nexplanation: e\n"
          "check: {path: /a, equals: 1}\nmessage: m\nexamples: {invalid: [{spec: {a: 1}, at: /a}]}\n")
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\n")
    result = run("check", str(spec), "--rules-dir", str(tmp_path / "rules"))
    err = result.stderr.decode()
    assert result.returncode == 2
    assert f"{tmp_path / 'rules/XX001-bad.yaml'}:3:11: severity:" in err
    assert "Traceback" not in err


def test_custom_rule_folder_adds_rules(tmp_path):
    write(tmp_path, "rules/ACME001-model-pinned.yaml",
          "code: ACME001\nname: model-pinned\nseverity: warning\nsummary: Pin a dated model.\n"
          "explanation: Our team pins dated snapshots.\n"
          "check: {path: /model, matches: '-\\d{4}-\\d{2}-\\d{2}$'}\n"
          "message: 'model {value} is not a dated snapshot'\n"
          "examples: {invalid: [{spec: {assistant_id: a, model: gpt-4o}, at: /model}]}\n")
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\nmodel: gpt-4o\n")
    result = run("check", str(spec), "--rules-dir", str(tmp_path / "rules"), "--format", "json")
    assert [(f["code"], f["message"], f["severity"]) for f in json.loads(result.stdout)] == [
        ("ACME001", "model gpt-4o is not a dated snapshot", "warning")]


def _on_a_terminal(args, env):
    """Run with stdout on a pseudo-terminal, as in an interactive shell."""
    import pty

    main, secondary = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update({"RUNLINT_NO_CACHE": "1", "TERM": "xterm", **env})
    process = subprocess.run([sys.executable, "-m", "runlint", *args], stdout=secondary,
                             stderr=subprocess.PIPE, env=environment, cwd=ROOT, timeout=120)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.returncode, b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color_or_no_color_flag(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\ntemprature: 1\n")
    assert "\x1b[" in _on_a_terminal(["check", str(spec)], {})[1]
    assert "\x1b[" not in _on_a_terminal(["check", str(spec)], {"NO_COLOR": "1"})[1]
    assert "\x1b[" not in _on_a_terminal(["check", str(spec), "--no-color"], {})[1]


def test_colour_forced_when_piped(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\ntemprature: 1\n")
    assert "\x1b[31;1mRL101" in run("check", str(spec), "--color").stdout.decode()
    assert "\x1b[" not in run("check", str(spec)).stdout.decode()


def test_rules_lists_every_rule_and_rule_explains_one():
    listing = run("rules").stdout.decode().splitlines()
    assert any(line.split()[:3] == ["RL201", "json-mode-without-json-instruction", "error"] for line in listing)
    assert len(listing) == len(list((ROOT / "rules").glob("*.yaml")))
    shown = run("rule", "temperature-and-top-p")
    text = shown.stdout.decode()
    assert shown.returncode == 0
    assert text.startswith("RL202 temperature-and-top-p (warning)\n\nWhat it checks\n")
    assert "Flagged (example.response.yaml):" in text and "Fine (example.response.yaml):" in text
    assert run("rule", "RL999").returncode == 2


def test_rule_reads_like_ruffs_rule_command():
    """A title line, then sections, examples flagged and fine apart and labelled, the current APIs'
    first (Responses, Chat Completions, then the Assistants API), prose wrapped to the terminal."""
    text = run("rule", "RL202", env={"COLUMNS": "72"}).stdout.decode()
    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headings[:5] == ["RL202 temperature-and-top-p (warning)", "What it checks", "Why", "How to fix", "Example"]
    labels = [line.strip() for line in text.splitlines() if line.startswith("  Flagged") or line.startswith("  Fine")]
    assert labels == ["Flagged (example.response.yaml):", "Flagged (example.chat.yaml):",
                      "Fine (example.response.yaml):", "Fine (example.chat.yaml):"]
    assert text.index("Flagged (") < text.index("\n\n  Fine (")  # the fine ones after, a blank line apart
    assert "3 more flagged and 4 more fine: `runlint rule RL202 --all`" in text
    prose = text.split("\nExample\n")[0]
    assert max(map(len, prose.splitlines())) <= 71
    every = run("rule", "RL202", "--all").stdout.decode()
    kinds = [line.strip() for line in every.splitlines() if line.startswith("  Flagged")]
    assert kinds == ["Flagged (example.response.yaml):", "Flagged (example.chat.yaml):",
                     "Flagged (example.run.yaml):", "Flagged (example.thread-run.yaml):", "Flagged (example.assistant.yaml):"]
    data = json.loads(run("rule", "RL202", "--format", "json").stdout)
    assert (data["code"], data["name"], data["severity"]) == ("RL202", "temperature-and-top-p", "warning")
    assert [e["file"] for e in data["examples"]["invalid"]][:2] == ["example.response.yaml", "example.chat.yaml"]


def test_examples_folder_reports_each_bad_file_and_passes_the_good_ones():
    result = run("check", "examples", "--format", "json")
    findings = json.loads(result.stdout)
    files = {Path(f["file"]).as_posix() for f in findings}
    assert result.returncode == 1
    assert files == {f"examples/bad/{p.name}" for p in (EXAMPLES / "bad").iterdir()}


def test_retirement_notice_once_per_file_and_off_in_configuration(tmp_path):
    spec = write(tmp_path, "two.run.yaml", "assistant_id: asst_1\n---\nassistant_id: asst_2\n")
    found = json.loads(run("check", str(spec), "--format", "json", retired=True).stdout)
    assert [(d["code"], d["line"], d["column"], d["severity"]) for d in found] == [("RL600", 1, 1, "warning")]
    assert run("check", str(spec), retired=True).returncode == 0  # a warning: exit 1 only with --fail-on warning
    write(tmp_path, "runlint.toml", 'ignore = ["RL600"]\n')
    assert json.loads(run("check", str(spec), "--format", "json", retired=True).stdout) == []


# -- ways to check less than asked (issue 22): a bad selector, a folder with nothing to lint ---------

def test_a_selector_that_names_no_rule_is_a_usage_error_with_a_suggestion(tmp_path):
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\ntemprature: 1\n")
    result = run("check", str(spec), "--select", "foo")
    assert result.returncode == 2 and result.stdout == b""  # never "All checks passed"
    assert result.stderr.decode().splitlines() == [
        "runlint: invalid value 'foo' for '--select': unknown rule selector; `runlint rules` lists the rules"]
    result = run("check", str(spec), "--ignore", "RL2O2,RL101", "--extend-select", "temprature-and-top-p")
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "runlint: invalid value 'temprature-and-top-p' for '--extend-select': unknown rule selector; did you mean "
        "'temperature-and-top-p'?",
        "runlint: invalid value 'RL2O2' for '--ignore': unknown rule selector; did you mean 'RL202'?"]


def test_selectors_are_checked_where_no_file_is_found(tmp_path):
    result = run("check", str(tmp_path), "--select", "RL2O2")
    assert result.returncode == 2 and "invalid value 'RL2O2' for '--select'" in result.stderr.decode()


def test_codes_prefixes_names_and_user_rules_are_valid_selectors(tmp_path):
    write(tmp_path, "rules/ACME001-no-gpt-4.yaml",
          "code: ACME001\nname: no-gpt-4\nseverity: error\nsummary: Not gpt-4.\nexplanation: Too costly.\n"
          "check: {not: {path: /model, equals: gpt-4}}\nmessage: gpt-4 is not allowed here\n"
          "examples: {invalid: [{spec: {assistant_id: a, model: gpt-4}, at: /model}]}\n")
    spec = write(tmp_path, "a.run.yaml", "assistant_id: a\nmodel: gpt-4\ntemprature: 1\n")
    result = run("check", str(spec), "--format", "json", "--rules-dir", str(tmp_path / "rules"),
                 "--select", "rl1,ACME", "--extend-select", "temperature-and-top-p", "--ignore", "no-gpt-4,ALL")
    assert result.returncode == 0 and json.loads(result.stdout) == [], result.stderr
    result = run("check", str(spec), "--format", "json", "--rules-dir", str(tmp_path / "rules"), "--select", "ACME001")
    assert [f["code"] for f in json.loads(result.stdout)] == ["ACME001"]


NOTHING_HERE = ("no file to lint in {folder}: none matches the include globs ({globs}); a file named on the "
                "command line is linted whatever its name, or set `include`")


def test_a_folder_with_nothing_to_lint_is_a_warning_and_an_error_with_strict(tmp_path):
    from runlint.source.files import DEFAULT_INCLUDE

    write(tmp_path, "specs/triage.yaml", "model: gpt-4o\ninput: Hi\n")  # not named like a spec
    folder = str(tmp_path / "specs")
    result = run("check", folder)
    warning = "runlint: warning: " + NOTHING_HERE.format(folder=folder, globs=", ".join(DEFAULT_INCLUDE))
    assert result.returncode == 0 and result.stderr.decode().splitlines() == [warning]
    strict = run("check", "--strict", folder)
    assert strict.returncode == 2 and strict.stderr.decode().splitlines() == [warning]
    assert b"All checks passed: 0 files" in strict.stdout


def test_the_warning_names_the_globs_in_force(tmp_path):
    write(tmp_path, "runlint.toml", 'include = ["*.req.yaml"]\nexclude = ["old/"]\n')
    write(tmp_path, "a.response.yaml", "model: gpt-4o\ninput: Hi\n")
    result = run("check", ".", cwd=tmp_path)
    assert result.stderr.decode().splitlines() == [
        "runlint: warning: " + NOTHING_HERE.format(folder=".", globs="*.req.yaml; exclude: old/")]


def test_no_warning_when_something_is_linted_and_a_file_named_is_always_linted(tmp_path):
    odd = write(tmp_path, "specs/triage.yaml", "assistant_id: asst_1\ntemprature: 1\n")  # named explicitly
    write(tmp_path, "other/ok.run.yaml", "assistant_id: asst_1\n")
    result = run("check", "--strict", str(odd), str(tmp_path / "other"), "--format", "json")
    assert result.returncode == 1 and result.stderr == b""
    assert [f["code"] for f in json.loads(result.stdout)] == ["RL101"]


def test_with_strict_one_empty_folder_among_others_fails(tmp_path):
    write(tmp_path, "good/ok.run.yaml", "assistant_id: asst_1\n")
    (tmp_path / "empty").mkdir()
    result = run("check", "--strict", str(tmp_path / "good"), str(tmp_path / "empty"))
    assert result.returncode == 2
    assert result.stderr.decode().startswith(f"runlint: warning: no file to lint in {tmp_path / 'empty'}:")
