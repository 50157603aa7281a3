"""What `runlint check` does once its arguments are read, without click: the click command
(runlint/cli/commands.py) and the fast path that reads check's arguments itself (runlint/cli/fast.py)
both call `run_check`, so that a check run pays no import of click (about 10 ms of a cold start)."""

from __future__ import annotations

import os
import sys

from ..exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from .output import echo, stdin_bytes


class BothFixAndDiff(Exception):
    """--diff with --fix or --fix-only: a usage error (click's, with the usage line, in commands.py)."""

    MESSAGE = "give --diff (what --fix would do) or --fix/--fix-only, not both"


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select RL1,RL201 --select RL3` -> ('RL1', 'RL201', 'RL3')."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


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
        echo(f"runlint: {d.file}:{d.range.line + 1}:{d.range.column + 1}: the fix of {d.code} was not "
             f"applied: {dropped.reason}", err=True)


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def explained(error: Exception) -> bool:
    """Says on stderr, in one line each, what is wrong with a selector, a rule file or the
    configuration, and True; False for any other error. (Every command's; exit 2 follows.)"""
    from ..config import ConfigError
    from ..check.rules import RuleError
    from ..pipeline.selectors import SelectorError
    from ..check.synced import SyncedFileError

    if isinstance(error, SelectorError):  # a rule code or name that names no rule: one line each
        for problem in error.problems:
            said = "" if problem.source.flag else "bad configuration: "
            echo(f"runlint: {said}{problem.message}", err=True)
    elif isinstance(error, RuleError):
        echo(f"runlint: bad rule file: {error}", err=True)
    elif isinstance(error, (ConfigError, SyncedFileError)):
        echo(f"runlint: bad configuration: {error}", err=True)
    else:
        return False
    return True


def run_check(paths, output_format, output_file, statistics, select, extend_select, ignore, fail_on, include,
              exclude, kind, stdin_filename, rule_dirs, config_file, isolated, color, jobs, as_of, no_cache, fix,
              unsafe_fixes, diff, fix_only, show_fixes, strict, debug) -> None:
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
        raise BothFixAndDiff(BothFixAndDiff.MESSAGE)
    fixing = fix or fix_only or diff
    paths = list(paths) or ["."]
    results: list[FileResult] = []
    unreadable = 0  # paths that could not be read: exit 2, after the others are checked
    fixed_outcomes: list = []  # (file, Fixed) of every file a fix changed
    stdin_fixed = None
    if "-" in paths:
        name = stdin_filename or "-"
        data = stdin_bytes()
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
            echo(f"runlint: {error}", err=True)
            unreadable += 1
        if not found.files and not found.errors and os.path.isdir(given):
            echo(f"runlint: warning: {_nothing_found(given, settings)}", err=True)
            empty += 1
        for file in found.files:
            linter = resolver.linter_for(file)
            groups.setdefault(id(linter), (linter, []))[1].append(file)
    progress = _progress(sum(len(files) for _, files in groups.values()))
    for linter, files in groups.values():
        for result in lint_files(linter, files, jobs, progress, progress.batch):
            if result.error:
                echo(f"runlint: {result.error}", err=True)
                unreadable += 1
                continue
            if fixing and any(d.fix is not None for d in result.diagnostics):  # else not even the import
                from ..fix.apply import fix_result

                result, outcome, error = fix_result(linter, result, unsafe_fixes, write=not diff)
                if error:
                    echo(f"runlint: {error}", err=True)
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
        echo(patch, nl=False)
        count = sum(len(outcome.applied) for _, outcome in fixed_outcomes)
        echo(f"Would fix {plural(count, 'problem')}." if count else "No problems to fix.", err=True)
        sys.exit(EXIT_ERROR if unreadable or (strict and empty) else EXIT_FINDINGS if patch else EXIT_CLEAN)
    if stdin_fixed is not None:  # the fixed text is the output; the report goes to stderr
        sys.stdout.buffer.write(stdin_fixed.data)
        sys.stdout.flush()
    fixed_note = _fixed_note(fixed_outcomes, show_fixes) if fixing else ""
    if fix_only:
        echo(fixed_note.rstrip("\n") or "No problems fixed.", err=stdin_fixed is not None)
        sys.exit(EXIT_ERROR if unreadable or (strict and empty) else EXIT_CLEAN)

    use_color = _use_color(color) and not output_file
    if statistics:
        report = _statistics(results)
    else:
        catalog = next(iter(groups.values()))[0].catalog if groups else default_catalog()
        report = render(output_format, results, color=use_color, catalog=catalog, unreadable=unreadable,
                        unsafe_fixes=unsafe_fixes)
    if fixed_note:
        if output_format in ("text", "concise") and not statistics:
            report = fixed_note + report
        else:
            echo(fixed_note, err=True, nl=False)
    if output_file:
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(report)
    else:  # with - and a fix, standard output holds the fixed text: the report goes to stderr
        echo(report, nl=False, color=use_color, err=stdin_fixed is not None)
    if unreadable or (strict and empty):
        sys.exit(EXIT_ERROR)
    failing = any(d.severity >= r.fail_on for r in results for d in r.diagnostics)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)



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


def _stdin_syntax(name: str, data: bytes) -> str:
    from ..source.document import syntax_of

    if name != "-":
        return syntax_of(name)
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "yaml"



def default_catalog():
    """runlint's own rules (its rules/ folder), from the cache while their files are unchanged."""
    from ..pipeline.linter import default_cache_dir
    from ..resources import data_dir
    from ..check.rules import load_catalog

    return load_catalog([data_dir("rules")], default_cache_dir())

