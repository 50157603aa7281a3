"""Emacs with eglot, configured with docs/editors.md's elisp as written there (its init.el), run as a
person runs it (`emacs -nw`, on a pseudo-terminal): tests/editors/emacs/report.el opens a spec, a batch file
and a JavaScript file one after the other and reports what flymake got in each.

Skipped when emacs or eglot is missing (eglot is built in from Emacs 29; Debian's Emacs 28 has it
as the elpa-eglot package); anything else that goes wrong fails."""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, doc_blocks
from helpers.editors import BATCH, SPEC

pytestmark = pytest.mark.slow  # real installs or real editors: left out of the fast loop (`-m "not slow"`), run by CI

pty = pytest.importorskip("pty")  # not on Windows


def readme_config() -> str:
    [block] = doc_blocks("docs/editors.md", "elisp")
    return block


def emacs_with_eglot() -> str:
    found = shutil.which("emacs")
    if found is None:
        pytest.skip("emacs is not installed")
    # package-activate-all: what an interactive start does, so that elpa-eglot loads too
    check = subprocess.run([found, "--batch", "-f", "package-activate-all",
                            "--eval", "(kill-emacs (if (require 'eglot nil t) 0 3))"], capture_output=True, timeout=60)
    if check.returncode == 3:
        pytest.skip("eglot is not installed")
    assert check.returncode == 0, check.stderr.decode(errors="replace")[-1000:]
    return found


def in_emacs(tmp_path: Path, files: dict[str, str]) -> list[dict]:
    """Open `files` (name -> text) in that order in `emacs -nw` and return report.el's report."""
    binary = emacs_with_eglot()
    home, project = tmp_path / "home", tmp_path / "project"
    (home / ".emacs.d").mkdir(parents=True)
    (home / ".emacs.d" / "init.el").write_text(readme_config())
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text)
    out = tmp_path / "report.json"
    env = {**os.environ, "HOME": str(home), "TERM": "vt100",  # vt100: no terminal queries to wait on
           "RUNLINT_EMACS_FILES": ":".join(files), "RUNLINT_EMACS_OUT": str(out), "RUNLINT_NO_CACHE": "1",
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    argv = [binary, "-nw", "-l", str(ROOT / "tests" / "editors" / "emacs" / "report.el"), next(iter(files))]
    pid, terminal = pty.fork()
    if pid == 0:  # the child, on the pseudo-terminal
        os.chdir(project)
        os.execve(binary, argv, env)
    screen, deadline = b"", time.monotonic() + 90
    try:
        while time.monotonic() < deadline:  # read what Emacs draws, or it blocks writing it
            if select.select([terminal], [], [], 0.5)[0]:
                try:
                    screen += os.read(terminal, 65536)
                except OSError:  # the terminal closed: Emacs quit
                    break
    finally:
        if os.waitpid(pid, os.WNOHANG) == (0, 0):  # still running: past the deadline
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert out.exists(), f"Emacs wrote nothing; its screen ended: {screen[-2000:].decode(errors='replace')}"
    return json.loads(out.read_text())


def test_emacs_eglot_shows_runlint_findings_in_flymake(tmp_path):
    spec, batch, script = in_emacs(tmp_path, {"weather.chat.yaml": SPEC, "nightly.jsonl": BATCH,
                                              "app.js": "const x = 1;\n"})
    assert (spec["mode"], spec["managed"]) == ("yaml-mode", True)
    assert [(d["line"], d["text"]) for d in spec["diagnostics"]] == [
        (3, "runlint [RL101]: unknown field `temprature`; did you mean `temperature`?")]
    assert (batch["mode"], batch["managed"]) == ("js-json-mode", True)
    assert [d["line"] for d in batch["diagnostics"]] == [3] and "RL700" in batch["diagnostics"][0]["text"]
    # JavaScript keeps js-mode, without runlint
    assert (script["mode"], script["managed"], script["diagnostics"]) == ("js-mode", False, [])
