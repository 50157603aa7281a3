"""`runlint check` reads its own arguments without click (runlint/cli/fast.py) so that a cold run
pays no import of click: what it prints and its exit code are the same, byte for byte, as when
click reads the same command line; and what it is unsure of goes to click."""

import os
import subprocess
import sys

import pytest

from helpers import ROOT

# The click group, run directly: the path every command line took before the fast path.
_THROUGH_CLICK = "import sys; from runlint.cli.commands import cli; cli.main(sys.argv[1:], prog_name='runlint')"

LINES = [
    ["check", "examples/good"],
    ["check", "examples/bad", "--format", "json"],
    ["check", "--select=RL1,RL2", "--ignore", "RL201", "-j1", "--format", "concise", "examples/bad"],
    ["check", "examples/bad", "--statistics", "--no-color"],
    ["check", "--fail-on", "warning", "--kind", "create-run", "examples/good/weather-assistant.run.yaml"],
    ["check", "--select", "RL999,no-such-rule", "examples/good"],  # a selector error: exit 2
    ["check", "examples/bad/typos.run.yaml", "--diff", "--unsafe-fixes"],
    ["check", "examples/no-such-folder", "examples/good"],  # an unreadable path: exit 2
    ["check", "--isolated", "--color", "--", "examples/bad/tools.chat.json"],
    ["check", "-", "--stdin-filename", "a.chat.json"],
    ["check", "--as-of", "2026-01-01", "--strict", "examples/good"],
]


def _run(argv, through_click: bool):
    command = [sys.executable, "-c", _THROUGH_CLICK] if through_click else [sys.executable, "-m", "runlint"]
    stdin = b'{"model": "gpt-4o", "messages": [], "temprature": 1}' if "-" in argv else None
    done = subprocess.run([*command, *argv, "--ignore", "RL600"], input=stdin, capture_output=True, cwd=ROOT,
                          env={**os.environ, "RUNLINT_NO_CACHE": "1"}, timeout=120)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("argv", LINES, ids=lambda argv: " ".join(argv[1:]))
def test_the_fast_path_prints_what_click_prints(argv):
    from runlint.cli.fast import parse_check

    assert parse_check([*argv, "--ignore", "RL600"]) is not None  # the fast path reads this line
    assert _run(argv, through_click=False) == _run(argv, through_click=True)


@pytest.mark.parametrize("argv", [
    ["check", "--help"], ["check", "-h"], ["check", "--bogus"], ["check", "--format", "xml"], ["check", "-j", "0"],
    ["check", "-j"], ["check", "--fix", "--diff"], ["check", "--fix=yes"], ["check", "--as-of", "soon"],
    ["check", "--config", "no-such.toml"], ["check", "-o", "examples"], ["check", "--select", "-x"],
    ["rules"], ["--version"], [],
])
def test_what_the_fast_path_is_unsure_of_goes_to_click(argv):
    from runlint.cli.fast import parse_check

    assert parse_check(argv) is None


def test_a_refused_line_gets_clicks_own_message():
    code, out, err = _run(["check", "--format", "xml", "examples/good"], through_click=False)
    assert code == 2 and b"Invalid value for '--format'" in err



def test_the_fast_reader_knows_exactly_the_options_click_declares_for_check():
    """The fast reader's option table is a second declaration of `check`'s options: held equal to
    click's, name by name, with the same parameter, flag-ness and multiplicity, and the same defaults."""
    from runlint.cli import fast
    from runlint.cli.commands import check

    declared = {}
    for param in check.params:
        if param.param_type_name != "option":
            continue
        for name in (*param.opts, *param.secondary_opts):
            declared[name] = param
    assert set(fast._OPTIONS) == set(declared)
    for name, (parameter, takes) in fast._OPTIONS.items():
        param = declared[name]
        assert param.name == parameter, name
        assert (takes in ("flag", "no")) == param.is_flag, name
        assert (takes in ("multiple", "rules_dir")) == param.multiple, name
        assert (takes == "no") == (name in param.secondary_opts), name
    import click

    context = click.Context(check)
    for param in check.params:
        if param.param_type_name == "option":
            default = param.get_default(context)
            if type(default).__name__ == "Sentinel":  # click 8.2's "no default", which reads as None
                default = None
            default = tuple(default or ()) if param.multiple else default
            assert fast._DEFAULTS[param.name] == default, param.name
