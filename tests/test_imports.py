"""`runlint check` imports only what it needs: never the language server, and, once the rule
cache is warm, neither pydantic nor python-jsonschema (measured with python -X importtime)."""

import os
import subprocess
import sys

from conftest import ROOT


def imported_modules(args, env):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "runlint", *args], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_check_imports_no_language_server_and_no_validation_libraries_on_a_warm_cache(tmp_path):
    env = {**os.environ, "RUNLINT_CACHE_DIR": str(tmp_path)}
    env.pop("RUNLINT_NO_CACHE", None)
    first = imported_modules(["check", "examples/good"], env)
    assert "pydantic" in first  # the cold cache validates the rule files
    warm = imported_modules(["check", "examples/good"], env)
    for heavy in ("pygls", "lsprotocol", "pydantic", "jsonschema", "ruamel.yaml", "runlint.lsp"):
        assert heavy not in warm, f"runlint check imported {heavy}"
    assert "runlint.cli" in warm and "jsonschema_rs" in warm
