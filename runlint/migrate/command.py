"""`runlint migrate PATH...`: files in, migrated specs (or diffs) out, manual steps reported.

Where things go: the migrated spec or the diff on stdout (or the new files, with --write), the findings
on stderr, so `runlint migrate a.run.yaml > a.response.yaml` gives a clean file. Exit 1 when a manual
step remains, 2 when a path cannot be read or written.
"""

from __future__ import annotations

import difflib
import os
import sys

import click

from ..exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from ..source.files import discover
from ..kinds import KINDS
from ..report.summary import plural
from ..pipeline.runner import FileResult
from . import MIGRATED, Migration, migrate_bytes


def run(paths: list[str], *, write: bool, diff: bool, out_suffix: str, force: bool, color: bool | None,
        linter) -> int:
    found = discover(paths, tuple(p for kind in MIGRATED for p in KINDS[kind].file_patterns), ())
    failed = len(found.errors)  # paths that could not be read or written
    for error in found.errors:
        click.echo(f"runlint: {error}", err=True)
    if not write and not diff and len(found.files) > 1:
        raise click.UsageError("several specs to migrate: give --write (new files) or --diff (a patch)")
    results: list[FileResult] = []
    not_migrated = 0
    for path in found.files:
        try:
            migration = _migrate_file(path, linter)
        except OSError as error:
            click.echo(f"runlint: cannot read {path}: {error.strerror or error}", err=True)
            failed += 1
            continue
        if migration.skipped:
            click.echo(f"runlint: {path}: skipped: {migration.skipped}", err=True)
            continue
        results.append(FileResult(path, migration.diagnostics, migration.source))
        if migration.text is None:
            not_migrated += 1
        elif write:
            failed += not _write(target_name(path, out_suffix), migration.text, force)
        elif diff:
            sys.stdout.write("".join(difflib.unified_diff(
                migration.source.splitlines(keepends=True), migration.text.splitlines(keepends=True),
                fromfile=path, tofile=target_name(path, out_suffix))))
        else:
            sys.stdout.write(migration.text)
    findings = sum(len(r.diagnostics) for r in results)
    if results:
        from ..report import render

        use_color = sys.stderr.isatty() and not os.environ.get("NO_COLOR") if color is None else color
        closing = _closing(len(results) - not_migrated, not_migrated, findings)
        click.echo(render("text", results, color=use_color, closing=closing), err=True, nl=False, color=use_color)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def _closing(migrated: int, not_migrated: int, findings: int) -> str:
    if not findings:
        return f"Migrated {plural(migrated, 'file')}: nothing left to do."
    parts = [f"{plural(migrated, 'file')} migrated"] if migrated else []
    if not_migrated:
        parts.append(f"{plural(not_migrated, 'file')} not migrated (see why above)")
    return f"{plural(findings, 'thing')} left to do; " + ", ".join(parts) + "."


def _migrate_file(path: str, linter) -> Migration:
    with open(path, "rb") as handle:
        return migrate_bytes(handle.read(), path, linter)


def target_name(path: str, suffix: str) -> str:
    """NAME.run.yaml (or NAME.thread-run.yaml) -> NAME<suffix>.yaml; a name without either gets the
    suffix before its extension."""
    folder, base = os.path.split(path)
    stem, extension = os.path.splitext(base)
    for kind in MIGRATED:
        if stem.lower().endswith("." + KINDS[kind].suffix):
            stem = stem[:-len(KINDS[kind].suffix) - 1]
            break
    return os.path.join(folder, f"{stem}{suffix}{extension}")


def _write(target: str, text: str, force: bool) -> bool:
    if os.path.exists(target) and not force:
        click.echo(f"runlint: {target} exists; not replaced (give --force to replace it)", err=True)
        return False
    from ..fix.apply import write_atomic

    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as error:
        click.echo(f"runlint: cannot write {target}: {error.strerror or error}", err=True)
        return False
    click.echo(f"wrote {target}")
    return True
