"""Reading a JSONL file a line at a time, for the formats that stream one (batch files, fine-tuning
data): its lines in bounded memory, its first lines for telling what it holds, and a line's text
with what is wrong with its bytes (too long, a byte order mark, not UTF-8) as findings."""

from __future__ import annotations

import codecs
from typing import IO

from ..diagnostic import DROP_BOM, Diagnostic, Range
from .limits import MAX_FILE_BYTES, MAX_QUOTED_CHARS

# The first lines read to tell what a file holds: ten non-blank lines (a file with a few bad lines
# first is still told), at most a hundred (a file of blank lines).
SNIFF_LINES = 10
SNIFF_MAX_LINES = 100


def read_lines(handle: IO[bytes]):
    """(line without its newline, or None when longer than runlint reads; its size with the newline).
    A line is read at most MAX_FILE_BYTES at a time, so one huge line cannot fill the memory."""
    while True:
        raw = handle.readline(MAX_FILE_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_FILE_BYTES or raw.endswith(b"\n"):
            yield raw.removesuffix(b"\n"), len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield None, size


def head(reader) -> list[tuple[bytes | None, int]]:
    """The first lines of a file, enough to tell what it holds: read once, then checked with the rest."""
    first: list[tuple[bytes | None, int]] = []
    filled = 0
    for raw, size in reader:
        first.append((raw, size))
        filled += raw is None or bool(raw.strip())
        if filled >= SNIFF_LINES or len(first) >= SNIFF_MAX_LINES:
            break
    return first


def quoted(raw: bytes | None) -> str:
    """A line as the reports quote it (the first line's 8 MB at most)."""
    return "" if raw is None else raw[:MAX_QUOTED_CHARS].decode("utf-8", "replace").removeprefix("\ufeff")


def line_text(number: int, raw: bytes | None, size: int, found: list[Diagnostic], holds: str) -> str | None:
    """Line `number`'s text (`raw` without its newline, None when too long to read; `holds`: what a
    line is, "a request", "an example"), or None when its bytes are no text; what is wrong with them
    is added to `found`, positioned on the line's own text (line 0)."""
    if raw is None:
        found.append(Diagnostic("RL005", "", None, f"this line is {size:,} bytes; runlint reads at most "
                                f"{MAX_FILE_BYTES:,} {holds}", Range.point(0, 0)))
        return None
    if number == 0 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        found.append(Diagnostic("RL007", "", None, "the file starts with a UTF-8 byte order mark; it is "
                                "read, but some JSON readers reject it", Range(0, 0, 0, 1), fix=DROP_BOM))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        column = len(raw[:error.start].decode("utf-8", "replace"))
        found.append(Diagnostic("RL005", "", None, f"this line is not valid UTF-8 (byte "
                                f"0x{raw[error.start]:02x}); save the file as UTF-8",
                                Range(0, column, 0, column + 1)))
        return None
