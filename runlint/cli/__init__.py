"""The command line: `runlint check`, `runlint rules`, `runlint rule`, `runlint models` (runlint/cli/models.py).

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, unreadable path, bad rule
file or internal error (one line on stderr; the traceback only with --debug).
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from ..kinds import KINDS
from ..source import formats
from ..report import FORMATS


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select RL1,RL201 --select RL3` -> ('RL1', 'RL201', 'RL3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _date(value: str | None):
    if value is None:
        return None
    from ..check.model_table import parse_date

    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _nothing_found(folder: str, settings) -> str:
    """Why a folder given yields nothing to lint: what was searched, with which globs. (A run that
    checks nothing and passes is the silent kind of failure: like eslint's "No files matching the
    pattern" and ruff's "No Python files found".)"""
    excluded = f"; exclude: {', '.join(settings.exclude)}" if settings.exclude else ""
    return (f"no file to lint in {folder}: none matches the include globs ({', '.join(settings.include)}"
            f"{excluded}); a file named on the command line is linted whatever its name, or set `include`")


def _say_dropped(outcome) -> None:
    """On stderr, each fix that was not applied and why."""
    for dropped in outcome.dropped:
        d = dropped.diagnostic
        click.echo(f"runlint: {d.file}:{d.range.line + 1}:{d.range.column + 1}: the fix of {d.code} was not "
                   f"applied: {dropped.reason}", err=True)


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class _Group(click.Group):
    # commands in modules of their own, imported when named: `runlint check` pays none of their imports
    LAZY = {"models": "models"}  # `runlint models`, `runlint models MODEL`, `runlint models sync`

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name: str):
        if name in self.LAZY and name not in self.commands:
            from importlib import import_module

            self.add_command(getattr(import_module(f".{self.LAZY[name]}", __package__), name))
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        from ..config import ConfigError
        from ..check.rules import RuleError
        from ..pipeline.selectors import SelectorError
        from ..check.synced import SyncedFileError

        try:
            return super().invoke(ctx)
        except SelectorError as error:  # a rule code or name that names no rule: one line each
            for problem in error.problems:
                said = "" if problem.source.flag else "bad configuration: "
                click.echo(f"runlint: {said}{problem.message}", err=True)
            ctx.exit(EXIT_ERROR)
        except RuleError as error:
            click.echo(f"runlint: bad rule file: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except (ConfigError, SyncedFileError) as error:
            click.echo(f"runlint: bad configuration: {error}", err=True)
            ctx.exit(EXIT_ERROR)


def _print_version(ctx, _param, value) -> None:
    """`runlint, version X` first (the VS Code extension reads it), then how old the model facts are."""
    if not value or ctx.resilient_parsing:
        return
    from ..check.model_table import table

    checked = table().checked
    click.echo(f"runlint, version {__version__}" + (f" (model facts checked {checked.isoformat()})" if checked else ""))
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version (and the day the model facts were checked) and exit.")
def cli() -> None:
    """Lint OpenAI API request specs (YAML or JSON) before anything is sent."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How findings are printed.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, instead of them.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules: codes, prefixes (RL2) or names; "
              "comma-separated. Replaces the configuration's select.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add these rules to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Leave out these rules (same forms as --select).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Exit 1 when a finding is at least this severe  [default: error].")
@click.option("--include", multiple=True, metavar="GLOB",
              help=f"Files to lint inside folders (default: {', '.join(f'*.{k.suffix}.*' for k in KINDS.values())}"
                   f"; .yaml, .yml or .json; and each format's files: "
                   + "; ".join(f"{f.NAME} {', '.join(f.PATTERNS)}" for f in formats.FORMATS if f is not formats.request_file)
                   + ").")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Files and folders to skip inside folders.")
@click.option("--kind", type=click.Choice(list(KINDS)), help="Treat every document as this request kind.")
@click.option("--stdin-filename", metavar="NAME", help="The file name to report (and detect the kind by) for -.")
@click.option("--rules-dir", "rule_dirs", multiple=True, type=click.Path(file_okay=False),
              help="An extra folder of rule files (same format as runlint's own).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Use this configuration file for every file (instead of the nearest one).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--color/--no-color", default=None, help="Colour the output (default: when a terminal; NO_COLOR "
              "is respected).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to use (default: every core this "
              "process may run on).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=lambda _ctx, _param, value: _date(value),
              help="Check for this date instead of today (model shutdowns, RL600, RL601), to reproduce a run; "
                   "replaces the configuration's as-of.")
@click.option("--no-cache", is_flag=True, help="Validate the rule files again instead of using the cache.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place (with -, print the fixed text), then "
              "report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, --diff or --fix-only, apply the unsafe fixes too "
              "(they change what the request does).")
@click.option("--diff", is_flag=True, help="Print a unified diff of what --fix would change, write nothing; "
              "exit 1 when there is a diff.")
@click.option("--fix-only", is_flag=True, help="Apply the fixes, report nothing but how many; exit 0 unless a path "
              "cannot be read.")
@click.option("--show-fixes", is_flag=True, help="List the fixes applied, by file and rule.")
@click.option("--strict", is_flag=True, help="Exit 2 when a folder given holds no file to lint (a warning "
              "otherwise).")
@click.option("--debug", is_flag=True, help="Log what runlint does, with tracebacks.")
def check(paths, output_format, output_file, statistics, select, extend_select, ignore, fail_on, include, exclude,
          kind, stdin_filename, rule_dirs, config_file, isolated, color, jobs, as_of, no_cache, fix, unsafe_fixes,
          diff, fix_only, show_fixes, strict, debug) -> None:
    """Lint PATHS (files, folders, or - for standard input; default: the current folder)."""
    from pathlib import Path

    from ..config import Overrides, Resolver
    from ..diagnostic import Severity
    from ..source.files import discover
    from ..report import render
    from ..pipeline.runner import FileResult, lint_files, source_text

    if debug:  # a crashing check is reported as RL014; its traceback only with --debug
        import logging

        logging.basicConfig(level=logging.DEBUG, format="runlint: %(message)s")
    overrides = Overrides(select=_split(select), extend_select=_split(extend_select), ignore=_split(ignore),
                          fail_on=Severity.parse(fail_on) if fail_on else None, include=tuple(include),
                          exclude=tuple(exclude), kind=kind, rule_dirs=tuple(Path(d).resolve() for d in rule_dirs),
                          cache_dir=None if no_cache else True, as_of=as_of)
    resolver = Resolver(Path(config_file) if config_file else None, isolated, overrides)

    if diff and (fix or fix_only):
        raise click.UsageError("give --diff (what --fix would do) or --fix/--fix-only, not both")
    fixing = fix or fix_only or diff
    paths = list(paths) or ["."]
    results: list[FileResult] = []
    unreadable = 0  # paths that could not be read: exit 2, after the others are checked
    fixed_outcomes: list = []  # (file, Fixed) of every file a fix changed
    stdin_fixed = None
    if "-" in paths:
        name = stdin_filename or "-"
        data = click.get_binary_stream("stdin").read()
        linter = resolver.linter_for(name)
        syntax = _stdin_syntax(name, data)
        from ..source.request import Source

        found = linter.lint(Source(name, data=data, syntax=syntax))
        if fixing:
            from ..fix.apply import fix_bytes

            stdin_fixed = fix_bytes(linter, data, name, found, unsafe_fixes, syntax)
            found = stdin_fixed.diagnostics
            if stdin_fixed.applied:
                fixed_outcomes.append((name, stdin_fixed))
            data = stdin_fixed.data if not diff else data
        results.append(FileResult(name, found, source_text(data, found), fail_on=linter.settings.fail_on))
        paths = [p for p in paths if p != "-"]

    groups: dict = {}  # one linter per configuration, with the files it governs
    empty = 0  # folders given that hold no file to lint: a warning, exit 2 with --strict
    for given in paths:
        settings = resolver.settings_for(given)
        resolver.linter_for(given)  # its selectors are checked even where no file is found
        found = discover([given], settings.include, settings.exclude)
        for error in found.errors:
            click.echo(f"runlint: {error}", err=True)
            unreadable += 1
        if not found.files and not found.errors and os.path.isdir(given):
            click.echo(f"runlint: warning: {_nothing_found(given, settings)}", err=True)
            empty += 1
        for file in found.files:
            linter = resolver.linter_for(file)
            groups.setdefault(id(linter), (linter, []))[1].append(file)
    progress = _progress(sum(len(files) for _, files in groups.values()))
    diffs: list[str] = []
    for linter, files in groups.values():
        for result in lint_files(linter, files, jobs, progress, progress.batch):
            if result.error:
                click.echo(f"runlint: {result.error}", err=True)
                unreadable += 1
                continue
            if fixing and any(d.fix is not None for d in result.diagnostics):  # else not even the import
                from ..fix.apply import fix_result

                result, outcome, error = fix_result(linter, result, unsafe_fixes, write=not diff)
                if error:
                    click.echo(f"runlint: {error}", err=True)
                    unreadable += 1
                if outcome is not None:
                    _say_dropped(outcome)
                    if outcome.changed:
                        fixed_outcomes.append((result.file, outcome))
            results.append(result)
    progress.close()
    results.sort(key=lambda r: r.file)
    fixed_outcomes.sort(key=lambda item: item[0])
    if stdin_fixed is not None:
        _say_dropped(stdin_fixed)

    if diff:
        from ..fix.apply import unified_diff
        from ..report.summary import plural

        patch = "".join(unified_diff(name, outcome.original, outcome.data) for name, outcome in fixed_outcomes)
        click.echo(patch, nl=False)
        count = sum(len(outcome.applied) for _, outcome in fixed_outcomes)
        click.echo(f"Would fix {plural(count, 'problem')}." if count else "No problems to fix.", err=True)
        sys.exit(EXIT_ERROR if unreadable or (strict and empty) else EXIT_FINDINGS if patch else EXIT_CLEAN)
    if stdin_fixed is not None:  # the fixed text is the output; the report goes to stderr
        sys.stdout.buffer.write(stdin_fixed.data)
        sys.stdout.flush()
    fixed_note = _fixed_note(fixed_outcomes, show_fixes) if fixing else ""
    if fix_only:
        click.echo(fixed_note.rstrip("\n") or "No problems fixed.", err=stdin_fixed is not None)
        sys.exit(EXIT_ERROR if unreadable or (strict and empty) else EXIT_CLEAN)

    use_color = _use_color(color) and not output_file
    if statistics:
        report = _statistics(results)
    else:
        catalog = next(iter(groups.values()))[0].catalog if groups else _catalog()
        report = render(output_format, results, color=use_color, catalog=catalog, unreadable=unreadable,
                        unsafe_fixes=unsafe_fixes)
    if fixed_note:
        if output_format in ("text", "concise") and not statistics:
            report = fixed_note + report
        else:
            click.echo(fixed_note, err=True, nl=False)
    if output_file:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:  # with - and a fix, standard output holds the fixed text: the report goes to stderr
        click.echo(report, nl=False, color=use_color, err=stdin_fixed is not None)
    if unreadable or (strict and empty):
        sys.exit(EXIT_ERROR)
    failing = any(d.severity >= r.fail_on for r in results for d in r.diagnostics)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


@cli.command()
@click.option("--tcp", metavar="HOST:PORT", help="Listen on a TCP port instead of standard input and output.")
def lsp(tcp) -> None:
    """Run the language server (stdio by default), for editors."""
    from ..lsp.server import main as serve

    serve(tcp)


def _fixed_note(fixed_outcomes, show: bool) -> str:
    """"Fixed 3 problems in 2 files." and, with --show-fixes, which rule in which file."""
    from collections import Counter

    from ..report.summary import plural

    count = sum(len(outcome.applied) for _, outcome in fixed_outcomes)
    if not count:
        return ""
    lines = [f"Fixed {plural(count, 'problem')} in {plural(len(fixed_outcomes), 'file')}."]
    if show:
        for name, outcome in fixed_outcomes:
            lines.append(f"- {name}:")
            for (code, rule), times in sorted(Counter((d.code, d.name) for d in outcome.applied).items()):
                lines.append(f"    {times} × {code} ({rule})")
    return "\n".join(lines) + "\n\n"


def _statistics(results) -> str:
    """Counts per rule, most frequent first, like `ruff --statistics`."""
    from collections import Counter

    counts = Counter((d.code, d.name, str(d.severity)) for r in results for d in r.diagnostics)
    lines = [f"{count:>5}  {code:<7} {name}  ({severity})"
             for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return "\n".join(lines) + ("\n" if lines else "")


class _progress:
    """A one-line count on stderr while many files are checked in a terminal (not in CI, not piped)."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.active = (total >= 200 and sys.stderr.isatty() and not os.environ.get("CI"))
        self.shown = False  # a batch file's progress is on the line

    def __call__(self, count: int) -> None:
        self.done += count
        if self.active:
            sys.stderr.write(f"\rrunlint: {self.done}/{self.total} files")
            sys.stderr.flush()

    def batch(self, file: str, requests: int, done: int, size: int) -> None:
        """The requests read so far in a big batch file (told every thousand lines)."""
        if size >= 10_000_000 and sys.stderr.isatty() and not os.environ.get("CI"):
            sys.stderr.write(f"\r\x1b[Krunlint: {file} {requests:,} requests ({done * 100 // size}%)")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.active or self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


@cli.command("config")
@click.argument("path", default=".", type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Show this configuration file instead of the nearest one.")
def show_config(path, config_file) -> None:
    """Print the effective configuration for PATH, and where each value came from."""
    import json
    from pathlib import Path

    from ..config import Resolver, describe_sources

    loaded = Resolver(Path(config_file) if config_file else None).loaded_for(path)
    click.echo(f"# configuration for {path}: {loaded.path or 'none found, defaults apply'}")
    for key, (value, origin) in describe_sources(loaded).items():
        click.echo(f"{key} = {json.dumps(value)}  # {origin}")


def _stdin_syntax(name: str, data: bytes) -> str:
    from ..source.document import syntax_of

    if name != "-":
        return syntax_of(name)
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "yaml"


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format) -> None:
    """List every rule: code, name, severity and summary."""
    catalog = _catalog()
    rules = sorted(catalog.rules.values(), key=lambda r: r.code)
    if output_format == "json":
        import json

        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": str(r.severity),
                                "summary": r.summary} for r in rules], indent=2))
        return
    width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.code}  {r.name:<{width}}  {str(r.severity):<7}  {r.summary}")


@cli.command("rule")
@click.argument("code_or_name")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "every_example", is_flag=True, help="Show every example (default: two of each, current "
              "APIs first).")
def show_rule(code_or_name, output_format, every_example) -> None:
    """Explain one rule (by code or name): what it checks, why, how to fix it, and examples."""
    import shutil

    from .rule_doc import as_json, as_text

    rule = _catalog().find(code_or_name)
    if rule is None:
        raise click.UsageError(f"no rule {code_or_name!r}; `runlint rules` lists them")
    if output_format == "json":
        import json

        click.echo(json.dumps(as_json(rule), indent=2, ensure_ascii=False))
        return
    click.echo(as_text(rule, shutil.get_terminal_size((100, 24)).columns - 1, every_example))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--write", is_flag=True, help="Write each migrated spec next to its source (NAME.run.yaml -> "
              "NAME.response.yaml) instead of printing it.")
@click.option("--diff", is_flag=True, help="Print a unified diff from each source to its migrated spec.")
@click.option("--out-suffix", default=".response", show_default=True, metavar="SUFFIX",
              help="What replaces `.run` (or `.thread-run`) in the name of a written file.")
@click.option("--force", is_flag=True, help="With --write, replace files that already exist.")
@click.option("--color/--no-color", default=None, help="Colour the findings (default: when a terminal).")
def migrate(paths, write, diff, out_suffix, force, color) -> None:
    """Move create-run and thread-and-run specs (Assistants API, retired) to Responses API requests.

    Prints the migrated spec (one file), or a diff (--diff), or writes it (--write). Each manual step
    left (a placeholder to fill, a setting with no equivalent) is a finding on stderr; exit 1 if any.
    """
    from ..migrate.command import run

    if write and diff:
        raise click.UsageError("give --write or --diff, not both")
    from ..pipeline.linter import Linter, Settings

    sys.exit(run(list(paths), write=write, diff=diff, out_suffix=out_suffix, force=force,
                 color=color, linter=Linter(Settings(), _catalog())))


def _catalog():
    from ..pipeline.linter import default_cache_dir
    from ..resources import data_dir
    from ..check.rules import load_catalog

    return load_catalog([data_dir("rules")], default_cache_dir())


def main() -> None:
    try:
        cli.main(prog_name="runlint")
    except Exception as error:  # noqa: BLE001 - the promise: one line, exit 2, no traceback
        if "--debug" in sys.argv:
            raise
        click.echo(f"runlint: internal error: {type(error).__name__}: {error} (run with --debug for "
                   "details, and please report it)", err=True)
        sys.exit(EXIT_ERROR)
