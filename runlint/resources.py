"""Where the bundled schemas, data (the model table, the batch facts) and rules live: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """`schemas`, `data` or `rules`: `runlint/_data/<name>` in a wheel, `<checkout>/<name>` in development."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"runlint's bundled {name}/ folder is missing; reinstall runlint")
