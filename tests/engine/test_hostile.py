"""Hostile input through the command line: each class gives its diagnostic at its position, within
5 s of CPU and 300 MiB of memory, never a traceback. (CPU time, not wall time: the test suite runs
in parallel, and the bound is about runlint's work, not about the neighbours'.)"""

import json
import os
import sys

import pytest

from helpers import run_measured
from helpers.hostile import CASES
from helpers.cli import run, write

CPU_SECONDS = 5
PEAK_MIB = 300


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gives_its_diagnostic_within_bounds(case, tmp_path):
    data = case.make()
    spec = tmp_path / case.file
    spec.write_bytes(data)
    out_file, err_file = tmp_path / "out", tmp_path / "err"
    with out_file.open("wb") as out, err_file.open("wb") as err:
        returncode, cpu, peak = run_measured(
            [sys.executable, "-m", "runlint", "check", "--format", "json", str(spec)], stdout=out, stderr=err,
            env={**os.environ, "RUNLINT_NO_CACHE": "1"}, report_file=tmp_path / "usage")
    out, err = out_file.read_bytes(), err_file.read_bytes()
    assert b"Traceback" not in err and err == b"", err[-500:]
    found = json.loads(out)
    assert returncode == (1 if any(f["severity"] == "error" for f in found) else 0)
    at = [(f["line"], f["column"]) for f in found if f["code"] == case.code]
    assert case.position(data) in at, (case.code, at, [(f["code"], f["line"], f["column"]) for f in found][:5])
    assert cpu < CPU_SECONDS
    assert peak < PEAK_MIB


def test_paths_that_cannot_be_read_are_one_line_each_and_the_rest_is_checked(tmp_path):
    write(tmp_path, "ok.run.yaml", "assistant_id: a\ntemprature: 1\n")
    (tmp_path / "folder.run.yaml").mkdir()
    (tmp_path / "loop.run.yaml").symlink_to(tmp_path / "loop.run.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a directory loop: not followed
    result = run("check", str(tmp_path), str(tmp_path / "folder.run.yaml"), str(tmp_path / "gone.run.yaml"))
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()
    assert sorted(line.split(":")[0] for line in errors) == ["runlint"] * 3
    assert any("loop.run.yaml: Too many levels of symbolic links" in line for line in errors)
    assert any("folder.run.yaml: it is a directory" in line for line in errors)
    assert any("gone.run.yaml: no such file or directory" in line for line in errors)
    out = result.stdout.decode()
    assert "ok.run.yaml:2:1: RL101" in out and "3 paths could not be read" in out


def test_a_file_removed_while_the_run_goes_is_reported_and_the_others_are_checked(tmp_path):
    from runlint.pipeline.linter import Linter, Settings
    from runlint.pipeline.runner import lint_files

    kept = write(tmp_path, "kept.run.yaml", "assistant_id: a\ntemprature: 1\n")
    removed = write(tmp_path, "removed.run.yaml", "assistant_id: a\n")
    files = [str(removed), str(kept)]  # discovered, then one is deleted before it is read
    removed.unlink()
    first, second = lint_files(Linter(Settings(cache_dir=None)), files, jobs=1)
    assert first.error == f"cannot read {removed}: No such file or directory"
    assert [d.code for d in second.diagnostics] == ["RL600", "RL101"]
