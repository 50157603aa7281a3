"""Every text file the repository tracks is text: valid UTF-8 with no NUL byte. A NUL makes git
treat a file as binary (no diff, no blame) and GitHub refuse to render it; docs/rules.md once
held one, RL005's example, and now shows it escaped (runlint/cli/rule_doc.py `escaped`)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT
# Real binaries, by extension: what may hold any byte.
NUL = b"\0"
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".woff", ".woff2", ".vsix", ".gz", ".zip"}


def _tracked() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout
    return [ROOT / name for name in listed.decode("utf-8").split("\0") if name]


def test_every_tracked_text_file_is_utf8_without_nul():
    files = [f for f in _tracked() if f.suffix.lower() not in BINARY_SUFFIXES and f.is_file()]
    assert len(files) > 200 and ROOT / "docs" / "rules.md" in files
    binary = []
    for file in files:
        data = file.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            binary.append(f"{file.relative_to(ROOT)}: not UTF-8 at byte {error.start}")
            continue
        if NUL in data:
            binary.append(f"{file.relative_to(ROOT)}: a NUL byte at {data.index(NUL)}")
    assert not binary, binary


def test_a_non_text_example_is_shown_escaped():
    from runlint.cli.rule_doc import escaped, example_text

    assert example_text({"text": "assistant_id: asst_1\0\n"}) == "assistant_id: asst_1\\u0000"
    assert escaped("\ufeffa\tb\nc\x7f") == "\\ufeffa\tb\nc\\u007f"  # a tab and a newline are text
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "assistant_id: asst_1\\u0000" in docs
