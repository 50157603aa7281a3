"""The wheel carries schemas/ and rules/: built, installed into a fresh virtual environment outside
the repository, and run there."""

import pytest
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from helpers import ROOT

pytestmark = pytest.mark.slow  # real installs or real editors: left out of the fast loop (`-m "not slow"`), run by CI


def test_wheel_installs_and_checks_outside_the_repository(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = dist.glob("runlint_openai-*.whl")

    environment = tmp_path / "env"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, timeout=600)

    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples", work)
    runlint = environment / "bin" / "runlint"
    clean = subprocess.run([str(runlint), "check", "good"], cwd=work, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "All checks passed: 6 files" in clean.stdout  # the batch file's schema and data are packaged

    bad = subprocess.run([str(runlint), "check", "bad/typos.run.yaml", "--format", "json"], cwd=work,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and '"code": "RL101"' in bad.stdout

    listing = subprocess.run([str(runlint), "rules"], cwd=work, capture_output=True, text=True, check=True)
    assert len(listing.stdout.splitlines()) == len(list((ROOT / "rules").glob("*.yaml")))
    # the data really comes from the wheel, not from this checkout
    for folder, name in (("schemas", "response.schema.json"), ("data", "models.yaml"), ("data", "batch.yaml")):
        code = f"from runlint.resources import data_dir; print(data_dir({folder!r}))"
        where = subprocess.run([str(python), "-c", code], cwd=work, capture_output=True, text=True,
                               check=True).stdout.strip()
        assert str(environment) in where and (Path(where) / name).is_file(), (folder, where)
