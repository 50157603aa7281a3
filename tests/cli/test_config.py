"""Configuration files (found by walking up), their errors, and `runlint config`."""

import json

from helpers.cli import run, write


def codes(result):
    return sorted(f["code"] for f in json.loads(result.stdout))


SPEC = "assistant_id: a\ntemprature: 1\ntemperature: 0.1\ntop_p: 0.1\n"


def test_pyproject_table_is_found_by_walking_up(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.runlint]\nignore = ["RL101"]\n'
          'fail-on = "warning"\n')
    spec = write(tmp_path, "deep/er/a.run.yaml", SPEC)
    result = run("check", str(spec), "--format", "json")
    assert codes(result) == ["RL202"]
    assert result.returncode == 1  # fail-on = warning from the file


def test_nearest_configuration_wins_and_isolated_ignores_all(tmp_path):
    write(tmp_path, "runlint.toml", 'ignore = ["RL101"]\n')
    write(tmp_path, "team/.runlint.yaml", "select: [RL1]\n")
    outer = write(tmp_path, "a.run.yaml", SPEC)
    inner = write(tmp_path, "team/b.run.yaml", SPEC)
    assert codes(run("check", str(outer), "--format", "json")) == ["RL202"]
    assert codes(run("check", str(inner), "--format", "json")) == ["RL101"]
    assert codes(run("check", str(inner), "--format", "json", "--isolated")) == ["RL101", "RL202"]
    assert codes(run("check", str(inner), "--format", "json", "--config", str(tmp_path / "runlint.toml"))) == ["RL202"]


def test_command_line_wins_over_the_file(tmp_path):
    write(tmp_path, "runlint.toml", 'select = ["RL1"]\n')
    spec = write(tmp_path, "a.run.yaml", SPEC)
    assert codes(run("check", str(spec), "--format", "json", "--select", "RL2")) == ["RL202"]
    assert codes(run("check", str(spec), "--format", "json", "--extend-select", "RL2")) == ["RL101", "RL202"]


def test_severity_override_per_file_ignores_and_include(tmp_path):
    write(tmp_path, "runlint.toml", 'include = ["*.spec.yaml"]\n[severity]\nRL202 = "error"\n'
          '[per-file-ignores]\n"legacy/*" = ["RL101"]\n')
    write(tmp_path, "a.spec.yaml", SPEC)
    write(tmp_path, "legacy/b.spec.yaml", SPEC)
    write(tmp_path, "ignored.run.yaml", SPEC)
    findings = json.loads(run("check", str(tmp_path), "--format", "json").stdout)
    by_file = {}
    for f in findings:
        by_file.setdefault(f["file"].split(str(tmp_path) + "/")[1], []).append((f["code"], f["severity"]))
    assert by_file == {"a.spec.yaml": [("RL101", "error"), ("RL202", "error")],
                       "legacy/b.spec.yaml": [("RL202", "error")]}


def test_extra_rule_folder_from_configuration_is_relative_to_it(tmp_path):
    write(tmp_path, "lint-rules/ACME001-no-gpt-4.yaml",
          "code: ACME001\nname: no-gpt-4\nseverity: error\nsummary: Not gpt-4.\nexplanation: Too costly.\n"
          "check: {not: {path: /model, equals: gpt-4}}\nmessage: gpt-4 is not allowed here\n"
          "examples: {invalid: [{spec: {assistant_id: a, model: gpt-4}, at: /model}]}\n")
    write(tmp_path, ".runlint.yaml", "rules: [lint-rules/]\n")
    spec = write(tmp_path, "x/a.run.yaml", "assistant_id: a\nmodel: gpt-4\n")
    assert codes(run("check", str(spec), "--format", "json", "--ignore", "RL601")) == ["ACME001"]


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.runlint]\nignor = ["RL101"]\n')
    spec = write(tmp_path, "a.run.yaml", SPEC)
    result = run("check", str(spec))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"runlint: bad configuration: {tmp_path / 'pyproject.toml'}: [tool.runlint] unknown key `ignor`; "
        "did you mean `ignore`?")


def test_mistyped_value_and_broken_files_are_errors(tmp_path):
    write(tmp_path, "a/runlint.toml", 'fail-on = "sometimes"\n')
    write(tmp_path, "b/.runlint.yaml", "select: [RL1\n")
    write(tmp_path, "c/runlint.toml", "select = [\n")
    for folder, words in (("a", "`fail-on`: Input should be 'error', 'warning' or 'info'"),
                          ("b", ".runlint.yaml:1:9: YAML syntax error: this `[` is never closed"), ("c", "not valid TOML")):
        spec = write(tmp_path, f"{folder}/x.run.yaml", "assistant_id: a\n")
        result = run("check", str(spec))
        assert result.returncode == 2 and words in result.stderr.decode(), result.stderr
        assert "Traceback" not in result.stderr.decode()


def test_config_command_shows_values_and_origins(tmp_path):
    write(tmp_path, "runlint.toml", 'ignore = ["RL101"]\n')
    out = run("config", str(tmp_path)).stdout.decode()
    assert f"# configuration for {tmp_path}: {tmp_path / 'runlint.toml'}" in out
    assert f'ignore = ["RL101"]  # {tmp_path / "runlint.toml"}' in out
    assert 'fail-on = "error"  # default' in out


def test_statistics_and_output_file(tmp_path):
    spec = write(tmp_path, "a.run.yaml", SPEC + "metadata: {n: 1}\n")
    stats = run("check", str(spec), "--statistics").stdout.decode().splitlines()
    assert stats == ["    1  RL101   unknown-field  (error)", "    1  RL103   wrong-type  (error)",
                     "    1  RL202   temperature-and-top-p  (warning)"]
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    result = run("check", str(spec), "--format", "json", "--output-file", str(report))
    assert result.stdout == b"" and result.returncode == 1
    assert len(json.loads(report.read_text())) == 3


# -- selectors that name no rule (issue 22): an error naming the file, the key and the closest rule --

def stderr_lines(result) -> list[str]:
    return result.stderr.decode().strip().splitlines()


def test_a_configured_code_that_names_no_rule_is_an_error(tmp_path):
    write(tmp_path, "runlint.toml", 'ignore = ["RL2O2"]\n')
    spec = write(tmp_path, "a.run.yaml", SPEC)
    result = run("check", str(spec))
    assert result.returncode == 2 and result.stdout == b""
    assert stderr_lines(result) == [f"runlint: bad configuration: {tmp_path / 'runlint.toml'}: `ignore`: unknown "
                                    "rule selector 'RL2O2'; did you mean 'RL202'?"]


def test_every_key_that_takes_codes_is_checked(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.runlint]\nselect = ["RL1", "XX9"]\nextend-select = ["temprature-and-top-p"]\n'
          'extend-ignore = ["RL1O1"]\n[tool.runlint.per-file-ignores]\n"legacy/*" = ["RL101", "RL99"]\n'
          '[tool.runlint.severity]\nRL2 = "warning"\nRL1O1 = "info"\n')
    spec = write(tmp_path, "a.run.yaml", SPEC)
    where = f"runlint: bad configuration: {tmp_path / 'pyproject.toml'}: [tool.runlint] "
    assert stderr_lines(run("check", str(spec))) == [
        f"{where}`select`: unknown rule selector 'XX9'; `runlint rules` lists the rules",
        f"{where}`extend-select`: unknown rule selector 'temprature-and-top-p'; did you mean 'temperature-and-top-p'?",
        f"{where}`extend-ignore`: unknown rule selector 'RL1O1'; did you mean 'RL101'?",
        f"{where}`per-file-ignores.\"legacy/*\"`: unknown rule selector 'RL99'; `runlint rules` lists the rules",
        f"{where}`severity`: 'RL2' is not one rule: a severity is set for one rule, by its code or name",
        f"{where}`severity`: unknown rule 'RL1O1'; did you mean 'RL101'?"]


def test_prefixes_names_and_user_rules_are_valid_selectors(tmp_path):
    write(tmp_path, "lint-rules/ACME001-no-gpt-4.yaml",
          "code: ACME001\nname: no-gpt-4\nseverity: error\nsummary: Not gpt-4.\nexplanation: Too costly.\n"
          "check: {not: {path: /model, equals: gpt-4}}\nmessage: gpt-4 is not allowed here\n"
          "examples: {invalid: [{spec: {assistant_id: a, model: gpt-4}, at: /model}]}\n")
    write(tmp_path, "runlint.toml", 'rules = ["lint-rules/"]\nselect = ["rl1", "temperature-and-top-p", "ACME"]\n'
          'ignore = ["no-gpt-4"]\n[severity]\ntemperature-and-top-p = "error"\nrl101 = "warning"\n')
    spec = write(tmp_path, "a.run.yaml", SPEC + "model: gpt-4\n")
    result = run("check", str(spec), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert sorted((f["code"], f["severity"]) for f in json.loads(result.stdout)) == [
        ("RL101", "warning"), ("RL202", "error")]  # a severity by name or code; ACME001 ignored by its name


def test_a_folder_given_gets_its_own_configuration_not_its_parents_files(tmp_path):
    """`runlint check team a.run.yaml`: `team`'s configuration is for `team`, not for the files
    beside it (the folder once shared its parent's key)."""
    write(tmp_path, "team/runlint.toml", 'ignore = ["RL101"]\n')
    write(tmp_path, "team/b.run.yaml", SPEC)
    write(tmp_path, "a.run.yaml", SPEC)
    result = run("check", "team", "a.run.yaml", "--format", "json", "--isolated", cwd=tmp_path)
    assert codes(result) == ["RL101", "RL101", "RL202", "RL202"]  # --isolated: every file the same
    result = run("check", "team", "a.run.yaml", "--format", "json", cwd=tmp_path)
    assert sorted((f["file"], f["code"]) for f in json.loads(result.stdout)) == [
        ("a.run.yaml", "RL101"), ("a.run.yaml", "RL202"), ("team/b.run.yaml", "RL202")]


def test_an_empty_selector_is_an_error_not_every_rule(tmp_path):
    write(tmp_path, "runlint.toml", 'ignore = [""]\n')
    spec = write(tmp_path, "a.run.yaml", SPEC)
    result = run("check", str(spec))
    assert result.returncode == 2
    assert stderr_lines(result) == [f"runlint: bad configuration: {tmp_path / 'runlint.toml'}: `ignore`: unknown "
                                    "rule selector ''; `runlint rules` lists the rules"]
