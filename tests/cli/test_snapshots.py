"""The output of every format on examples/, compared with the stored snapshots.

A change of output is a change of contract: look at the diff, then regenerate with
RUNLINT_UPDATE_SNAPSHOTS=1 python -m pytest tests/cli/test_snapshots.py
"""

import os
import subprocess
import sys

import pytest

from helpers import ROOT

SNAPSHOTS = ROOT / "tests" / "snapshots"


@pytest.mark.parametrize("output_format", ["text", "concise", "json"])
def test_examples_output_matches_snapshot(output_format):
    # a fixed date: model shutdowns (RL601) and RL600 depend on it, a snapshot must not
    result = subprocess.run([sys.executable, "-m", "runlint", "check", "examples", "--no-color",
                             "--as-of", "2026-12-01", "--format", output_format], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "RUNLINT_NO_CACHE": "1"})
    assert result.returncode == 1 and not result.stderr
    snapshot = SNAPSHOTS / f"examples.{output_format}"
    if os.environ.get("RUNLINT_UPDATE_SNAPSHOTS"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == snapshot.read_text(encoding="utf-8")
