"""The click group: `runlint check` (its work in runlint/cli/check.py), `runlint rules`, `runlint rule`,
`runlint config`, `runlint migrate`, `runlint lsp`, `runlint models` (runlint/cli/models.py).

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, unreadable path, bad rule
file or internal error (one line on stderr; the traceback only with --debug).
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..exits import EXIT_ERROR
from ..kinds import KINDS
from ..source import formats
from ..report import FORMATS
from .check import BothFixAndDiff, default_catalog, explained, run_check


def _date(value: str | None):
    if value is None:
        return None
    from ..check.model_table import parse_date

    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


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
        try:
            return super().invoke(ctx)
        except Exception as error:  # noqa: BLE001 - a bad selector, rule file or configuration: one line
            if not explained(error):
                raise
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
    try:
        run_check(paths, output_format, output_file, statistics, select, extend_select, ignore, fail_on, include,
                  exclude, kind, stdin_filename, rule_dirs, config_file, isolated, color, jobs, as_of, no_cache, fix,
                  unsafe_fixes, diff, fix_only, show_fixes, strict, debug)
    except BothFixAndDiff as error:
        raise click.UsageError(str(error)) from None
@cli.command()
@click.option("--tcp", metavar="HOST:PORT", help="Listen on a TCP port instead of standard input and output.")
def lsp(tcp) -> None:
    """Run the language server (stdio by default), for editors."""
    from ..lsp.server import main as serve

    serve(tcp)


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


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format) -> None:
    """List every rule: code, name, severity and summary."""
    catalog = default_catalog()
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

    rule = default_catalog().find(code_or_name)
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
                 color=color, linter=Linter(Settings(), default_catalog())))


