"""runlint's own cache: what it derives from its data files (the validated rule files, the model
table), kept as JSON in the user's cache folder, so that a cold start reads one small file instead
of validating or parsing the sources again.

Why it is safe to read back:
- JSON, never pickle or marshal of code: a cache file is only ever plain data. A corrupt, truncated,
  foreign (another version, another folder) or tampered file is ignored, and the sources are read
  again; nothing in it is executed or constructed.
- An entry is used only when it was made by this version of runlint from sources whose bytes are
  the same as now: each source is fingerprinted by its size and CRC-32. (Not by mtime: git
  checkouts and copies keep or reset mtimes in ways that say nothing about the content. Reading a
  hundred small files costs well under a millisecond; CRC-32 is in zlib, which is loaded anyway,
  where hashlib alone costs a cold start 4 ms. The fingerprint guards against staleness, not
  against an attacker: one who can write the user's own cache folder can already run code as them.)
- Files are written to a temporary name and renamed (a reader never sees half a file), readable
  by the user only (0600), in a folder only the user may list (0700, when runlint creates it).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from . import __version__


def default_dir() -> Path | None:
    """`$RUNLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/runlint`, else `~/.cache/runlint`; None (no
    cache) when `RUNLINT_NO_CACHE` is set."""
    if os.environ.get("RUNLINT_NO_CACHE"):
        return None
    base = os.environ.get("RUNLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "runlint")
    return Path(base)


def fingerprint(data: bytes) -> list[int]:
    """What a cache entry remembers of a source's bytes: [size, CRC-32]."""
    return [len(data), zlib.crc32(data)]


def entry_path(cache_dir: Path, name: str, *identity: str) -> Path:
    """`<cache_dir>/<name>-<crc of identity>.json`: one file per version and source folder."""
    key = zlib.crc32(repr([__version__, *identity]).encode())
    return cache_dir / f"{name}-{key:08x}.json"


def read(path: Path, key: dict) -> Any:
    """The data stored at `path` under exactly this `key` (with this version), else None."""
    try:
        with open(path, encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):  # absent, unreadable, not JSON (UnicodeDecodeError is a ValueError)
        return None
    if not isinstance(stored, dict) or stored.get("version") != __version__ or stored.get("key") != key:
        return None
    return stored.get("data")


def write(path: Path, key: dict, data: Any) -> None:
    """Store `data` under `key`; a cache that cannot be written is no reason to fail (a read-only
    home): the next run reads the sources again."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as handle:
            json.dump({"version": __version__, "key": key, "data": data}, handle)
        os.replace(temporary, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
