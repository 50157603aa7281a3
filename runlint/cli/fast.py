"""`runlint check ARGS` read without click: click's import and the building of the whole command
group are about a tenth of a cold run (a pre-commit hook on one file), so the common command lines
are read here. Anything this reader is not sure click would take as it is (--help, an unknown or
malformed option, a value click would refuse, a path click's checks would refuse, shell completion)
returns None, and click reads the command line as before: its messages and exit codes stay its own.

tests/cli/test_fast_check.py runs command lines both ways and compares the outputs byte for byte."""

from __future__ import annotations

import os
import stat

# option -> (parameter, what it takes); "flag" options take no value, "multiple" ones add to a tuple
_OPTIONS = {
    "--format": ("output_format", "format"), "--output-file": ("output_file", "output_file"),
    "-o": ("output_file", "output_file"), "--statistics": ("statistics", "flag"),
    "--select": ("select", "multiple"), "--extend-select": ("extend_select", "multiple"),
    "--ignore": ("ignore", "multiple"), "--fail-on": ("fail_on", "fail_on"), "--include": ("include", "multiple"),
    "--exclude": ("exclude", "multiple"), "--kind": ("kind", "kind"), "--stdin-filename": ("stdin_filename", "text"),
    "--rules-dir": ("rule_dirs", "rules_dir"), "--config": ("config_file", "config"),
    "--isolated": ("isolated", "flag"), "--color": ("color", "flag"), "--no-color": ("color", "no"),
    "-j": ("jobs", "jobs"), "--jobs": ("jobs", "jobs"), "--as-of": ("as_of", "as_of"),
    "--no-cache": ("no_cache", "flag"), "--fix": ("fix", "flag"), "--unsafe-fixes": ("unsafe_fixes", "flag"),
    "--diff": ("diff", "flag"), "--fix-only": ("fix_only", "flag"), "--show-fixes": ("show_fixes", "flag"),
    "--strict": ("strict", "flag"), "--debug": ("debug", "flag"),
}
_DEFAULTS = {"output_format": "text", "output_file": None, "statistics": False, "select": (), "extend_select": (),
             "ignore": (), "fail_on": None, "include": (), "exclude": (), "kind": None, "stdin_filename": None,
             "rule_dirs": (), "config_file": None, "isolated": False, "color": None, "jobs": None, "as_of": None,
             "no_cache": False, "fix": False, "unsafe_fixes": False, "diff": False, "fix_only": False,
             "show_fixes": False, "strict": False, "debug": False}


class _Declined(Exception):
    """Leave this command line to click."""


def _path(value: str, exists: bool = False, file_okay: bool = True, dir_okay: bool = True,
          writable: bool = False) -> str:
    """click.Path(...).convert's checks (readable is click's default; allow_dash is not)."""
    try:
        mode = os.stat(value).st_mode
    except OSError:
        if exists:
            raise _Declined from None
        return value
    if ((not file_okay and stat.S_ISREG(mode)) or (not dir_okay and stat.S_ISDIR(mode))
            or not os.access(value, os.R_OK) or (writable and not os.access(value, os.W_OK))):
        raise _Declined
    return value


def _value(takes: str, value: str):
    if takes in ("multiple", "text"):
        return value
    if takes == "format":
        from ..report import FORMATS

        if value in FORMATS:
            return value
    elif takes == "fail_on":
        if value in ("error", "warning", "info"):
            return value
    elif takes == "kind":
        from ..kinds import KINDS

        if value in KINDS:
            return value
    elif takes == "jobs":
        if value.isascii() and value.isdigit() and int(value) >= 1:
            return int(value)
    elif takes == "output_file":
        return _path(value, dir_okay=False, writable=True)
    elif takes == "rules_dir":
        return _path(value, file_okay=False)
    elif takes == "config":
        return _path(value, exists=True, dir_okay=False)
    elif takes == "as_of":
        from ..check.model_table import parse_date

        try:
            return parse_date(value)
        except ValueError:
            pass
    raise _Declined


def parse_check(argv: list[str]) -> dict | None:
    """run_check's keyword arguments for `check ARGS` (argv without the program), or None."""
    if not argv or argv[0] != "check" or "_RUNLINT_COMPLETE" in os.environ:
        return None
    options = dict(_DEFAULTS)
    paths: list[str] = []
    words = argv[1:]
    try:
        while words:
            word = words.pop(0)
            if word == "--":
                paths += words
                break
            if not word.startswith("-") or word == "-":
                paths.append(word)
                continue
            name, value = word, None
            if word.startswith("--") and "=" in word:
                name, value = word.split("=", 1)
            elif not word.startswith("--") and len(word) > 2:
                name, value = word[:2], word[2:]  # -j4, -oreport.txt
            parameter, takes = _OPTIONS.get(name, (None, None))
            if parameter is None:
                raise _Declined  # --help, -h, an unknown option: click says what it says
            if takes in ("flag", "no"):
                if value is not None:
                    raise _Declined
                options[parameter] = takes == "flag"
                continue
            if value is None:
                if not words or words[0].startswith("-"):
                    raise _Declined  # a missing value, or one click might read as an option
                value = words.pop(0)
            value = _value(takes, value)
            if takes in ("multiple", "rules_dir"):
                options[parameter] += (value,)
            else:
                options[parameter] = value
        if options["diff"] and (options["fix"] or options["fix_only"]):
            raise _Declined  # click's usage error
        options["paths"] = tuple(_path(p) for p in paths)
    except _Declined:
        return None
    return options
