"""A secret in a spec is reported, and never printed in full: not in any format, not in excerpts."""

import pytest

from test_cli import run, write

KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "sarif", "github", "junit", "gitlab"])
def test_the_secret_is_masked_in_every_format(tmp_path, output_format):
    spec = write(tmp_path, "a.run.yaml", f"assistant_id: asst_1\nmetadata: {{key: {KEY}, retries: 3}}\n")
    result = run("check", str(spec), "--format", output_format, "--no-color")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "RL501" in out and "sk-p" in out
    assert KEY not in out and KEY[8:20] not in out


def test_the_excerpt_masks_the_secret_and_keeps_the_caret_aligned(tmp_path):
    spec = write(tmp_path, "a.run.yaml", f"assistant_id: asst_1\nmetadata: {{key: {KEY}}}\n")
    out = run("check", str(spec), "--no-color").stdout.decode()
    assert f"2 | metadata: {{key: {'*' * len(KEY)}}}" in out
    assert "  |                 " + "^" * len(KEY) + " RL501" in out


def test_stdin_is_masked_too():
    out = run("check", "-", "--stdin-filename", "a.run.json",
              stdin=f'{{"assistant_id": "a", "instructions": "use {KEY}"}}'.encode()).stdout.decode()
    assert "RL501" in out and KEY not in out
