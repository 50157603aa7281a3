"""Fixtures every test folder shares. What tests share otherwise is in tests/helpers/."""

import os

import pytest

from helpers import SESSION_CACHE

from helpers.lsp import client  # noqa: F401 - the LSP client fixture, for tests/lsp/ and the batch file's editor test


# Tests validate rule files for real instead of reading a cache another run left behind: each test
# session (each xdist worker) starts with an empty cache of its own, which the runlint processes it
# starts share (validating every rule file in each of them made the fast loop a third slower).
os.environ.pop("RUNLINT_NO_CACHE", None)
os.environ["RUNLINT_CACHE_DIR"] = SESSION_CACHE


@pytest.fixture(scope="session")
def linter():
    from runlint.pipeline.linter import Linter, Settings

    return Linter(Settings(cache_dir=None, ignore=("RL600",)))  # the retirement notice: see helpers.cli.run


@pytest.fixture
def lint(linter):
    """lint(text, file) -> diagnostics, through the same pipeline as the CLI."""

    def run(text: str, file: str = "spec.run.yaml"):
        return linter.lint_bytes(text.encode("utf-8"), file)

    return run


