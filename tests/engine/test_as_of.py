"""The date findings are for: today unless --as-of or the configuration's `as-of` says otherwise."""

import json

import pytest

from helpers.cli import run, write

SPEC = "model: gpt-4-32k\ninput: Hi\n"  # deprecated 2024-06-06, shut down 2025-06-06


def _rl601(result):
    assert result.returncode in (0, 1), result.stderr
    return [(f["severity"], f["message"]) for f in json.loads(result.stdout) if f["code"] == "RL601"]


def test_as_of_on_the_command_line(tmp_path):
    spec = str(write(tmp_path, "a.response.yaml", SPEC))
    assert _rl601(run("check", spec, "--format", "json", "--as-of", "2024-01-01")) == []
    [(severity, message)] = _rl601(run("check", spec, "--format", "json", "--as-of", "2025-01-01"))
    assert severity == "warning" and "shuts it down on 2025-06-06" in message
    [(severity, _)] = _rl601(run("check", spec, "--format", "json", "--as-of", "2025-06-06"))
    assert severity == "error"


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "2026-9-1", "20260901"])
def test_a_bad_as_of_is_a_usage_error(tmp_path, value):
    result = run("check", str(write(tmp_path, "a.response.yaml", SPEC)), "--as-of", value)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and "--as-of" in stderr and "is not a date (YYYY-MM-DD)" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name, text", [
    ("runlint.toml", 'as-of = "2025-01-01"\n'),
    ("runlint.toml", "as-of = 2025-01-01\n"),  # a TOML date
    ("pyproject.toml", '[tool.runlint]\nas-of = "2025-01-01"\n'),
    (".runlint.yaml", 'as-of: "2025-01-01"\n'),
])
def test_as_of_in_the_configuration(tmp_path, name, text):
    write(tmp_path, name, text)
    spec = str(write(tmp_path, "a.response.yaml", SPEC))
    assert [s for s, _ in _rl601(run("check", spec, "--format", "json"))] == ["warning"]
    # the command line wins
    assert [s for s, _ in _rl601(run("check", spec, "--format", "json", "--as-of", "2025-07-01"))] == ["error"]
    assert 'as-of = "2025-01-01"' in run("config", str(spec)).stdout.decode()


@pytest.mark.parametrize("text", ['as-of = "2025-13-01"\n', "as-of = 20250101\n", 'as-of = "soon"\n'])
def test_a_bad_as_of_in_the_configuration_names_the_file(tmp_path, text):
    write(tmp_path, "runlint.toml", text)
    result = run("check", str(write(tmp_path, "a.response.yaml", SPEC)))
    stderr = result.stderr.decode()
    assert result.returncode == 2 and "runlint.toml" in stderr and "`as-of`" in stderr
    assert "is not a date (YYYY-MM-DD)" in stderr and "Traceback" not in stderr


def test_the_default_is_today_so_a_long_past_shutdown_is_an_error(tmp_path):
    # the one test on the real today: gpt-4-32k shut down in 2025, whatever today is now
    assert [s for s, _ in _rl601(run("check", str(write(tmp_path, "a.response.yaml", SPEC)), "--format",
                                     "json"))] == ["error"]
