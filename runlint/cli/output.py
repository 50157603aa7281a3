"""click.echo's behaviour, without importing click, for the streams a check run writes to.

click.echo writes a str to the stream as it is when the stream is a plain text file with a real
encoding (not ASCII), and strips ANSI codes unless colour is asked for or the stream is a terminal.
For those streams this module does the same; for any other (a test runner's capture, a stream with
ASCII encoding, Windows' console, none at all) it hands the message to click.echo itself."""

from __future__ import annotations

import io
import re
import sys

_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")  # click._compat._ansi_re


def plain(stream) -> bool:
    """A stream click.echo writes to untouched: a TextIOWrapper whose encoding is not ASCII, off Windows."""
    if type(stream) is not io.TextIOWrapper or sys.platform == "win32":
        return False
    import codecs

    try:
        return codecs.lookup(stream.encoding).name != "ascii"
    except LookupError:
        return False


def echo(message: str = "", nl: bool = True, err: bool = False, color: bool | None = None) -> None:
    stream = sys.stderr if err else sys.stdout
    if not plain(stream):
        import click

        click.echo(message, nl=nl, err=err, color=color)
        return
    if nl:
        message += "\n"
    if not message:
        stream.flush()
        return
    if (not _isatty(stream)) if color is None else not color:
        message = _ANSI.sub("", message)
    stream.write(message)
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:  # noqa: BLE001 - click.isatty's own guard
        return False


def stdin_bytes() -> bytes:
    """Standard input's bytes (click.get_binary_stream("stdin"))."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        return sys.stdin.buffer.read()
    import click

    return click.get_binary_stream("stdin").read()
