import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tests validate rule files for real instead of reading a cache another run left behind.
os.environ["RUNLINT_NO_CACHE"] = "1"


@pytest.fixture(scope="session")
def linter():
    from runlint.linter import Linter, Settings

    return Linter(Settings(cache_dir=None, ignore=("RL600",)))  # the retirement notice: see test_cli.run


@pytest.fixture
def lint(linter):
    """lint(text, file) -> diagnostics, through the same pipeline as the CLI."""

    def run(text: str, file: str = "spec.run.yaml"):
        return linter.lint_bytes(text.encode("utf-8"), file)

    return run
