"""Print a pip constraints file: runlint-openai's dependency closure (no extras), each at the version
installed in this Python, the one runlint's tests ran with. The extension installs its bundled wheel
with these pins, so a user gets the combination that was tested, not whatever the index has that day.

Run by bundle-runlint.mjs with the Python that runs the tests (RUNLINT_PYTHON, else python3)."""

import importlib.metadata as metadata
import sys

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

ROOT_DISTRIBUTION = "runlint-openai"


def closure(name: str) -> dict[str, str]:
    """Every distribution NAME needs here (markers evaluated for this Python and platform): name -> version."""
    pinned: dict[str, str] = {}
    waiting = [(name, frozenset())]
    visited = set()  # (name, extras): a package asked for with new extras is read again, once
    while waiting:
        current, extras = waiting.pop()
        if (canonicalize_name(current), extras) in visited:
            continue
        visited.add((canonicalize_name(current), extras))
        try:
            distribution = metadata.distribution(current)
        except metadata.PackageNotFoundError:
            sys.exit(f"pins.py: {current} is not installed in {sys.executable}: "
                     "install runlint there (pip install -e .) so that its tested versions can be pinned")
        for line in distribution.requires or []:
            requirement = Requirement(line)
            wanted = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if requirement.marker and not any(requirement.marker.evaluate(env) for env in wanted):
                continue
            key = canonicalize_name(requirement.name)
            pinned.setdefault(key, metadata.version(requirement.name))
            waiting.append((requirement.name, frozenset(requirement.extras)))
    return pinned


if __name__ == "__main__":
    pins = closure(ROOT_DISTRIBUTION)
    version = ".".join(map(str, sys.version_info[:3]))
    print(f"# runlint-openai {metadata.version(ROOT_DISTRIBUTION)}'s dependencies as tested "
          f"(Python {version}, {sys.platform}); written by scripts/pins.py")
    for name in sorted(pins):
        print(f"{name}=={pins[name]}")
