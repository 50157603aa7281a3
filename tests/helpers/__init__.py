"""What tests share: the checkout's root, the docs' code blocks, a measured child process.

Test modules import from here (or from the modules beside it), never from one another; tests/ is
on sys.path (pyproject's `pythonpath`)."""

import atexit
import json
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

# runlint's cache for this test session alone (tests/conftest.py points RUNLINT_CACHE_DIR at it)
SESSION_CACHE = tempfile.mkdtemp(prefix="runlint-test-cache-")
atexit.register(shutil.rmtree, SESSION_CACHE, ignore_errors=True)
ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout: tests/helpers/ is two levels down


def doc_blocks(page: str, language: str, section: str | None = None) -> list[str]:
    """The ```LANGUAGE code blocks of `page` (a path from the repository root: "README.md",
    "docs/editors.md"), only those in the section headed `## SECTION` when one is named, as a user
    copies them (a list item's indentation taken off): tests run what the docs say, verbatim."""
    text = (ROOT / page).read_text(encoding="utf-8")
    if section is not None:
        start = text.index(f"\n## {section}\n")
        end = text.find("\n## ", start + 1)
        text = text[start:end if end != -1 else None]
    blocks = re.findall(rf"```{language}\n(.*?)```", text, re.S)
    return [textwrap.dedent(block) for block in blocks]


# A child's peak RSS on Linux starts at its parent's RSS when it is spawned (the kernel carries the
# parent's high-water mark over fork and exec), and a pytest worker can be hundreds of MiB. So the
# process measured is spawned by a small launcher, which reports that child's CPU time and peak.
_LAUNCHER = ("import os, subprocess, sys\n"
             "child = subprocess.Popen(sys.argv[2:])\n"
             "_, status, usage = os.wait4(child.pid, 0)\n"
             "open(sys.argv[1], 'w').write(f'{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}')\n"
             "sys.exit(os.waitstatus_to_exitcode(status))\n")


def run_measured(argv, *, stdout, stderr, env, report_file):
    """Run argv; return (exit code, CPU seconds, peak RSS in MiB) of that process alone."""
    import subprocess
    import sys

    code = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report_file), *argv], stdout=stdout,
                          stderr=stderr, env=env).returncode
    cpu, peak_kib = open(report_file).read().split()
    return code, float(cpu), int(peak_kib) / 1024


SARIF_SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text())
# the install line the README gives: the release tarball
REPOSITORY_TARBALL = "https://github.com/runlint/runlint/archive/refs/tags/v0.1.0.tar.gz"
INSTALL_REQUIREMENT = f"runlint-openai @ {REPOSITORY_TARBALL}"
