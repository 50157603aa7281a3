"""The CI snippets of docs/ci-and-pre-commit.md: the GitHub workflow fits action.yml, and
the GitLab job, run as written, writes the Code Quality report its artifact names."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from helpers import INSTALL_REQUIREMENT, ROOT, doc_blocks

BLOCKS = [YAML(typ="safe").load(block) for block in doc_blocks("docs/ci-and-pre-commit.md", "yaml")]


def test_the_github_workflow_uses_the_action_with_its_inputs_and_uploads_its_sarif():
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    [job] = [block["jobs"]["runlint"] for block in BLOCKS if "jobs" in block]
    assert job["permissions"]["security-events"] == "write"
    [lint] = [step for step in job["steps"] if step.get("uses", "").startswith("runlint/runlint@")]
    assert lint["uses"] == "runlint/runlint@v0.1.0"
    assert set(lint["with"]) <= set(action["inputs"]) and lint["with"]["sarif-file"]
    [upload] = [step for step in job["steps"] if step.get("uses") == "github/codeql-action/upload-sarif@v3"]
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{lint['id']}.outputs.sarif-file }}}}"
    assert "!cancelled()" in upload["if"]  # runs when the findings failed the lint step
    assert "sarif-file" in action["outputs"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_gitlab_job_writes_the_code_quality_report_it_names(tmp_path):
    [job] = [block["runlint"] for block in BLOCKS if "runlint" in block]
    assert job["image"] == "python:3.12-slim"
    assert job["artifacts"]["when"] == "always"  # the report is kept when the findings fail the job
    report = job["artifacts"]["reports"]["codequality"]
    assert report == "gl-code-quality-report.json"

    project = tmp_path / "project"  # $CI_PROJECT_DIR, where GitLab runs the script
    (project / "specs").mkdir(parents=True)
    (project / "specs" / "bad.response.yaml").write_text("model: gpt-4.1\ninput: hi\ntemprature: 1\n")
    (project / "specs" / "warn.chat.yaml").write_text(
        "model: gpt-4.1\nmessages: [{role: user, content: hi}]\ntemperature: 0.2\ntop_p: 0.5\n")
    # pip is a stub that records its arguments: this venv's runlint stands for the one it would install
    stubs = tmp_path / "bin"
    stubs.mkdir()
    (stubs / "pip").write_text(f'#!/bin/sh\necho "$*" >> {tmp_path / "pip-calls"}\n')
    (stubs / "pip").chmod(0o755)
    path = os.pathsep.join([str(stubs), str(Path(sys.executable).parent), os.environ["PATH"]])
    script = "set -e\n" + "\n".join(job["script"]) + "\n"
    done = subprocess.run(["bash", "-c", script], cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": path, "CI": "true", "GITLAB_CI": "true"})
    assert done.returncode == 1, done.stderr  # findings fail the job
    [line] = [line for line in job["script"] if line.startswith("pip install")]
    assert line == f'pip install "{INSTALL_REQUIREMENT}"'  # the one install line (test_install_line.py runs it)
    assert (tmp_path / "pip-calls").read_text() == f"install {INSTALL_REQUIREMENT}\n"

    issues = json.loads((project / report).read_text())
    assert {(issue["check_name"], issue["location"]["path"]) for issue in issues} == {
        ("RL101", "specs/bad.response.yaml"), ("RL202", "specs/warn.chat.yaml")}
    for issue in issues:  # the fields GitLab requires (docs.gitlab.com/ci/testing/code_quality)
        assert issue["description"] and issue["check_name"] and issue["fingerprint"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert (project / issue["location"]["path"]).is_file()  # relative to the project, no `./`
        location = issue["location"]
        line = location["lines"]["begin"] if "lines" in location else location["positions"]["begin"]["line"]
        assert isinstance(line, int) and line >= 1  # GitLab takes either form of the line
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
