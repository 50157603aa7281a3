"""The install line of the README and docs/, until runlint-openai's first release is on PyPI: a
requirement on the repository's release tarball (no git needed, as in the GitLab job's slim image). Every
install instruction uses the one line, and the line installs: here the tarball is made from this
checkout, as GitHub makes a tag's (one top folder), and the URL points at it.

Needs the package index (pip builds the tarball with hatchling, in an isolated environment); the
dependencies come from this test environment (a venv with its site packages), not from the index."""

import pytest
import re
import subprocess
import tarfile
import venv

from helpers import ROOT
from helpers import INSTALL_REQUIREMENT, REPOSITORY_TARBALL

pytestmark = pytest.mark.slow  # real installs or real editors: left out of the fast loop (`-m "not slow"`), run by CI


def test_every_install_instruction_is_the_one_line():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    lines = re.findall(r'pipx? install "runlint-openai @ ([^"]+)"', text)
    assert set(lines) == {REPOSITORY_TARBALL}
    assert len(lines) >= 3  # the README's Install, the GitHub job without the action, the GitLab job
    # the tag the line names is the one the action and the pre-commit hook name
    ci = (ROOT / "docs" / "ci-and-pre-commit.md").read_text(encoding="utf-8")
    assert "runlint/runlint@v0.1.0" in ci and "rev: v0.1.0" in ci


def test_the_install_line_installs_runlint_from_the_repositorys_tarball(tmp_path):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    tarball = tmp_path / "v0.1.0.tar.gz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name in filter(None, files):
            if (ROOT / name).is_file():
                archive.add(ROOT / name, arcname=f"runlint-0.1.0/{name}")

    environment = tmp_path / "env"
    venv.create(environment, with_pip=True, system_site_packages=True)
    python = environment / "bin" / "python"
    requirement = INSTALL_REQUIREMENT.replace(REPOSITORY_TARBALL, tarball.as_uri())
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", requirement], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    work = tmp_path / "work"
    work.mkdir()
    (work / "bad.run.yaml").write_text("assistant_id: asst_1\ntemprature: 0.5\n")
    found = subprocess.run([str(environment / "bin" / "runlint"), "check", "--format", "json", "bad.run.yaml"],
                           cwd=work, capture_output=True, text=True)
    assert found.returncode == 1 and '"code": "RL101"' in found.stdout, found.stdout + found.stderr
    # the tarball's runlint, not this checkout's (the test environment has it installed editable)
    where = subprocess.run([str(python), "-c", "import runlint; print(runlint.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(environment)), where
