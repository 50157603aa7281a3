"""The command line. `runlint check` reads its arguments without click when it can (runlint/cli/fast.py:
a cold run on one file then pays no import of click); every other command line goes to the click
group in runlint/cli/commands.py.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, unreadable path, bad rule
file or internal error (one line on stderr; the traceback only with --debug).
"""

from __future__ import annotations

import sys

from ..exits import EXIT_ERROR


def __getattr__(name):
    if name == "cli":  # the click group, for whoever asks for it (tests, the docs generator)
        from .commands import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from .output import echo

    try:
        _main()
    except Exception as error:  # noqa: BLE001 - the promise: one line, exit 2, no traceback
        if "--debug" in sys.argv:
            raise
        echo(f"runlint: internal error: {type(error).__name__}: {error} (run with --debug for "
             "details, and please report it)", err=True)
        sys.exit(EXIT_ERROR)


def _main() -> None:
    from .fast import parse_check
    from .output import plain

    options = parse_check(sys.argv[1:]) if plain(sys.stdout) and plain(sys.stderr) else None
    if options is None:
        from .commands import cli

        cli.main(prog_name="runlint")
        return
    _check(options)


def _check(options: dict) -> None:
    """run_check as click's standalone mode would run it: a bad selector, rule file or configuration
    is one line and exit 2; ^C is "Aborted!" and exit 1; a closed pipe on stdout exits 1 quietly."""
    import os

    from .check import explained, run_check
    from .output import echo

    try:
        run_check(**options)
    except (EOFError, KeyboardInterrupt):
        echo(err=True)
        echo("Aborted!", err=True)
        sys.exit(1)
    except OSError as error:
        import errno

        if error.errno != errno.EPIPE:
            raise
        devnull = os.open(os.devnull, os.O_WRONLY)  # what is left to flush goes nowhere, as with click
        os.dup2(devnull, sys.stdout.fileno())
        os.dup2(devnull, sys.stderr.fileno())
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - only the errors `explained` knows; others go on
        if not explained(error):
            raise
        sys.exit(EXIT_ERROR)
