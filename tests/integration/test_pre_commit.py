"""The pre-commit hook, run by real pre-commit against this repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow  # real installs or real editors: left out of the fast loop (`-m "not slow"`), run by CI

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def new_repo(tmp_path: Path) -> tuple[Path, dict]:
    """A git repository for a hook to run in, and the environment that keeps pre-commit's cache apart."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "CI")
    return repo, {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "RUNLINT_NO_CACHE": "1"}


def try_repo(repo: Path, env: dict, hook: str, *files: str) -> subprocess.CompletedProcess:
    """`pre-commit try-repo` of this repository's HOOK on FILES, as a user's commit would run it."""
    return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), hook, "--files", *files],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_hook_fails_on_a_bad_spec_and_passes_once_fixed(tmp_path):
    repo, env = new_repo(tmp_path)
    (repo / "notes.yaml").write_text("not: [a spec\n")  # not a *.run.* file: the hook must not see it
    spec = repo / "weather.run.yaml"
    spec.write_text("assistant_id: asst_1\ntemprature: 0.5\n")
    git(repo, "add", ".")

    failing = try_repo(repo, env, "runlint", "weather.run.yaml", "notes.yaml")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "weather.run.yaml:2:1: RL101 [error] [*] unknown field `temprature`; did you mean `temperature`?" in failing.stdout
    assert "notes.yaml" not in failing.stdout.split("runlint", 1)[-1].replace("weather.run.yaml", "")

    spec.write_text("assistant_id: asst_1\ntemperature: 0.5\n")
    git(repo, "add", ".")
    passing = try_repo(repo, env, "runlint", "weather.run.yaml", "notes.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_fix_hook_fixes_the_staged_spec_fails_once_then_passes(tmp_path):
    repo, env = new_repo(tmp_path)
    spec = repo / "weather.run.yaml"
    original = "assistant_id: asst_1   # the assistant\r\ntemprature: 0.5       # a typo\r\n"
    spec.write_bytes(original.encode())
    git(repo, "add", ".")

    first = try_repo(repo, env, "runlint-fix", "weather.run.yaml")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert spec.read_bytes() == original.replace("temprature: 0.5      ", "temperature: 0.5     ").encode()
    git(repo, "add", ".")
    second = try_repo(repo, env, "runlint-fix", "weather.run.yaml")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_warning_passes_the_hook_and_is_shown(tmp_path):
    """pre-commit hides a passing hook's output; the hooks are `verbose: true` so warnings are seen."""
    repo, env = new_repo(tmp_path)
    (repo / "ask.response.yaml").write_text("model: gpt-4.1\ninput: hi\ntemperature: 0.2\ntop_p: 0.5\n")
    git(repo, "add", ".")
    for hook in ("runlint", "runlint-fix"):
        done = try_repo(repo, env, hook, "ask.response.yaml")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Passed" in done.stdout
        assert ("ask.response.yaml:4:1: RL202 [warning] both temperature and top_p are set; OpenAI recommends "
                "altering one of them, not both") in done.stdout
