"""The rule documentation (docs/rules.md and the README's table) is generated from the rule files
and must be current; the README's promises about itself hold."""

import subprocess
import sys

from helpers import ROOT


def test_rule_docs_are_current():
    result = subprocess.run([sys.executable, "scripts/generate_docs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in readme.split("```")[3].strip().splitlines()]
    assert len(commands) == 1 and commands[0] in ci.splitlines()
