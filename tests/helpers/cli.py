"""Running the real `runlint` command, and writing files for it."""

import os
import subprocess
import sys
from pathlib import Path

from helpers import ROOT


def run(*args, stdin: bytes | None = None, cwd=None, env=None, retired=False):
    """runlint in a real process. The retirement notice (RL600), which every create-run spec gets,
    is left out unless a test asks for it (`retired=True`), so tests see what they are about."""
    if args[:1] == ("check",) and not retired:
        args = (*args, "--ignore", "RL600")
    environment = {**os.environ, **(env or {})}  # the session's own cache (tests/conftest.py)
    return subprocess.run([sys.executable, "-m", "runlint", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, env=environment, timeout=120)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
