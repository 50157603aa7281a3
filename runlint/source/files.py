"""Which files to lint: named files always, folders walked for the include globs."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field

from .formats import patterns

# The names linted by default in a folder: each format's (the plain request file's come from the
# request kinds' suffixes, runlint/kinds.py).
DEFAULT_INCLUDE = patterns()

# Folders no spec lives in; walking them costs time (node_modules) or finds copies (.git).
_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
                 ".mypy_cache", ".pytest_cache", ".ruff_cache"}


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def matches_glob(relative: str, patterns: tuple[str, ...]) -> bool:
    """A glob with a slash matches the path below the folder given; one without, the base name."""
    base = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        pattern = pattern.removeprefix("./")
        target = relative if "/" in pattern else base
        if fnmatch.fnmatchcase(target, pattern) or fnmatch.fnmatchcase(relative, pattern.rstrip("/") + "/*"):
            return True
    return False


_HERE = os.curdir + os.sep


def discover(paths: list[str], include: tuple[str, ...], exclude: tuple[str, ...]) -> Discovery:
    found = Discovery()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    for given in paths:
        if os.path.isdir(given):
            before = len(found.files)
            for root, dirs, files in os.walk(given, onerror=lambda e: found.errors.append(
                    f"cannot read {e.filename}: {e.strerror}")):
                relative_root = os.path.relpath(root, given).replace(os.sep, "/")
                prefix = "" if relative_root == "." else relative_root + "/"
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS
                                 and not matches_glob(prefix + d, exclude))
                for name in sorted(files):
                    relative = prefix + name
                    if matches_glob(relative, include) and not matches_glob(relative, exclude):
                        # `.` walks as `./x`: reported as `x`, the repository-relative path CI reports
                        # (GitHub annotations, SARIF, GitLab Code Quality) expect
                        path = os.path.join(root, name)
                        add(path[len(_HERE):] if path.startswith(_HERE) else path)
            if len(found.files) == before and matches_glob(os.path.basename(os.path.normpath(given)), include):
                found.errors.append(f"cannot read {given}: it is a directory (named like a spec) with no "
                                    "spec files in it")
        elif os.path.exists(given) or os.path.islink(given):
            add(given)  # named explicitly: linted whatever its name
        else:
            found.errors.append(f"{given}: no such file or directory")
    return found
