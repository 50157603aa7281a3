"""action.yml, the GitHub Action: its structure, and its steps run as the runner runs them.

The runner is simulated: each `run:` step is a bash script (GitHub's `bash --noprofile --norc -eo
pipefail`), its `env:` with `${{ ... }}` expanded, GITHUB_ACTION_PATH the repository, GITHUB_OUTPUT a
file per step, in a temp workspace. The python the action installs with is a stub that records pip's
arguments and does nothing (this venv's runlint is already installed), and runs anything else with
this venv's python, so the lint itself is real.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from helpers import ROOT
from helpers import SARIF_SCHEMA

ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def test_structure():
    assert ACTION["runs"]["using"] == "composite"
    for name, spec in ACTION["inputs"].items():
        assert spec["description"].strip(), name
        assert isinstance(spec.get("default", ""), str), name  # inputs are strings
    for name, spec in ACTION["outputs"].items():
        assert spec["description"].strip() and EXPRESSION.fullmatch(spec["value"]), name
    for step in STEPS:
        if "run" in step:
            assert step["shell"] == "bash", step["id"]
            # inputs reach scripts through env: only; text put into a script is code (script injection)
            assert "${{" not in step["run"], step["id"]
    used = {m for step in STEPS for value in step.get("env", {}).values() for m in EXPRESSION.findall(value)}
    used |= {m for step in STEPS for value in step.get("with", {}).values() for m in EXPRESSION.findall(str(value))}
    assert {m.split(".")[1] for m in used if m.startswith("inputs.")} == set(ACTION["inputs"])  # none unused


def expand(text: str, inputs: dict, steps: dict) -> str:
    """The expressions action.yml uses: `inputs.NAME` and `steps.ID.outputs.NAME` (empty if unset)."""

    def value(match):
        parts = match.group(1).split(".")
        if parts[0] == "inputs":
            return inputs[parts[1]]
        assert parts[0] == "steps" and parts[2] == "outputs", match.group(1)
        return steps.get(parts[1], {}).get(parts[3], "")

    return EXPRESSION.sub(value, str(text))


def runs(step: dict, inputs: dict) -> bool:
    condition = step.get("if")
    if condition is None:
        return True
    name = re.fullmatch(r"inputs\.([\w-]+) != ''", condition)  # the one form action.yml uses
    assert name, condition
    return inputs[name.group(1)] != ""


def run_action(tmp_path: Path, workspace: Path, **given):
    """Run the action's steps in order; (exit code, stdout of all steps, outputs, python calls)."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    calls = tmp_path / "python-calls"
    stub = (f'#!/bin/bash\necho "$0 $*" >> {calls}\n'
            f'if [ "$1 $2" = "-m pip" ]; then exit 0; fi\nexec {sys.executable} "$@"\n')
    python_on_path = tmp_path / "bin" / "python3"
    setup_python = tmp_path / "toolcache" / "python"  # where actions/setup-python would put it
    for path in (python_on_path, setup_python):
        path.parent.mkdir(exist_ok=True)
        path.write_text(stub)
        path.chmod(0o755)
    env = {"PATH": f"{python_on_path.parent}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path),
           "RUNLINT_NO_CACHE": "1", "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_WORKSPACE": str(workspace),
           "GITHUB_ACTIONS": "true", "CI": "true"}
    steps: dict = {}
    out = []
    code = 0
    for step in STEPS:
        if not runs(step, inputs):
            continue
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@") and step["with"]["update-environment"] is False
            assert expand(step["with"]["python-version"], inputs, steps) == inputs["python-version"]
            steps[step["id"]] = {"python-path": str(setup_python)}
            continue
        outputs = tmp_path / f"output-{step['id']}"
        outputs.write_text("")
        script = tmp_path / f"{step['id']}.sh"
        script.write_text(step["run"])
        step_env = {**env, "GITHUB_OUTPUT": str(outputs),
                    **{k: expand(v, inputs, steps) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=step_env, capture_output=True, text=True, timeout=300)
        out.append(done.stdout)
        steps[step["id"]] = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        if done.returncode:
            code = done.returncode
            break  # later steps would be skipped: none of them has `if: always()`
    action_outputs = {name: expand(spec["value"], inputs, steps) for name, spec in ACTION["outputs"].items()}
    return code, "".join(out), action_outputs, calls.read_text().splitlines()


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "workspace"
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "bad.response.yaml").write_text("model: gpt-4.1\ninput: hi\ntemprature: 1\n")
    (root / "specs" / "warn.response.yaml").write_text("model: gpt-4.1\ninput: hi\ntemperature: 0.2\ntop_p: 0.5\n")
    (root / "good.response.yaml").write_text("model: gpt-4.1\ninput: hi\n")
    return root


def test_findings_annotate_fail_and_still_write_the_sarif(tmp_path, workspace):
    code, out, outputs, calls = run_action(tmp_path, workspace, sarif_file="runlint.sarif")
    assert code == 1
    lines = out.splitlines()
    assert ("::error file=specs/bad.response.yaml,line=3,col=1,endLine=3,endColumn=11,title=RL101 unknown-field::"
            "unknown field `temprature`; did you mean `temperature`?") in lines
    assert any(line.startswith("::warning file=specs/warn.response.yaml,line=4,col=1,") for line in lines)
    assert outputs == {"exit-code": "1", "sarif-file": "runlint.sarif"}
    log = json.loads((workspace / "runlint.sarif").read_text())
    assert list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(log)) == []
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
               for r in log["runs"][0]["results"]}
    assert results == {("RL101", "specs/bad.response.yaml"), ("RL202", "specs/warn.response.yaml")}
    # installed from the action's own checkout, with setup-python's python
    setup_python = str(tmp_path / "toolcache" / "python")
    assert calls[0] == f"{setup_python} -m pip install --disable-pip-version-check {ROOT}"
    assert all(call.startswith(setup_python + " ") for call in calls)
    assert sum(" -m runlint check " in call for call in calls) == 2  # annotations, then SARIF


def test_clean_paths_pass_with_no_sarif_asked(tmp_path, workspace):
    code, out, outputs, calls = run_action(tmp_path, workspace, paths="good.response.yaml")
    assert code == 0
    assert "::" not in out
    assert outputs == {"exit-code": "0", "sarif-file": ""}
    assert not list(workspace.glob("*.sarif"))
    assert sum(" -m runlint check " in call for call in calls) == 1


def test_fail_on_and_args_and_paths_on_lines(tmp_path, workspace):
    """Warnings fail with fail-on: warning; args reach runlint; paths may be given one a line."""
    code, out, outputs, _ = run_action(tmp_path, workspace, paths="specs/warn.response.yaml\ngood.response.yaml\n",
                                       fail_on="warning", sarif_file="out/r.sarif")
    assert code == 1 and outputs["exit-code"] == "1" and "RL202" in out
    assert (workspace / "out" / "r.sarif").is_file()  # its folder made

    code, out, outputs, _ = run_action(tmp_path, workspace, paths="specs/warn.response.yaml", fail_on="warning",
                                       args="--ignore RL202")
    assert (code, outputs["exit-code"], out.count("::")) == (0, "0", 0)

    code, _, outputs, _ = run_action(tmp_path, workspace, paths="specs/warn.response.yaml")  # default: error
    assert (code, outputs["exit-code"]) == (0, "0")


def test_an_unreadable_path_is_exit_2(tmp_path, workspace):
    code, _, outputs, _ = run_action(tmp_path, workspace, paths="missing.response.yaml", sarif_file="r.sarif")
    assert (code, outputs["exit-code"]) == (2, "2")
    # the annotations run is clean, the SARIF run cannot write its file: that is the exit code too
    code, out, outputs, _ = run_action(tmp_path, workspace, paths="specs/warn.response.yaml", sarif_file="specs")
    assert outputs == {"exit-code": "2", "sarif-file": ""} and code == 2 and "RL202" in out


def test_version_from_pypi_and_the_python_on_path(tmp_path, workspace):
    for version, spec in (("0.2.0", "runlint-openai==0.2.0"), (">=0.1,<0.3", "runlint-openai>=0.1,<0.3")):
        (tmp_path / "python-calls").unlink(missing_ok=True)
        code, _, _, calls = run_action(tmp_path, workspace, paths="good.response.yaml", version=version,
                                       python_version="")
        assert code == 0
        python = str(tmp_path / "bin" / "python3")  # no setup-python: the python3 on PATH
        assert calls[0] == f"{python} -m pip install --disable-pip-version-check {spec}"
        assert all(call.startswith(python + " ") for call in calls)
