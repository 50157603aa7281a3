"""`runlint models`: the model table runlint uses, one model's facts, and `runlint models sync`.

    runlint models [--format json] [--sources] [--config FILE]    the table, summed up
    runlint models MODEL [--format json] [--config FILE]          one model: facts, sources, lifecycle
    runlint models sync [--output FILE] [--timeout S]             the ids the API key can use

A first argument that names no subcommand is a model id (or, as before, a folder or file whose
configuration applies).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..exits import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS

_FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default=None,
                       help="text (default) or json.")
_CONFIG = click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                       help="Use this configuration file (its `models`, and the synced list beside it) instead "
                            "of the nearest one.")
_SOURCES = click.option("--sources", is_flag=True, help="For each family, every fact with where it comes from.")
# the endpoints column of the summary, short (the table's names are the API's paths, see models.yaml)
_ENDPOINTS = {"chat-completions": "chat", "responses": "resp", "batch": "batch", "assistants": "asst"}


class ModelsGroup(click.Group):
    """`runlint models MODEL` beside `runlint models sync`: a first argument that names no
    subcommand goes to the command that shows one model (or the table for a folder)."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "MODEL", show, args
        return super().resolve_command(ctx, args)


@click.group("models", cls=ModelsGroup, invoke_without_command=True, subcommand_metavar="[MODEL | sync] ...")
@_FORMAT
@_SOURCES
@_CONFIG
@click.pass_context
def models(ctx, output_format, sources, config_file) -> None:
    """Print the model table runlint uses (with the project's `models`) and the models OpenAI
    deprecates or has shut down; `runlint models MODEL` shows one model's facts and their sources;
    `runlint models sync` reads the models your API key can use into runlint.models.json."""
    if ctx.invoked_subcommand is None:
        _show(None, output_format or "text", sources, config_file)


@click.command("MODEL")
@click.argument("model")
@_FORMAT
@_SOURCES
@_CONFIG
@click.pass_context
def show(ctx, model, output_format, sources, config_file) -> None:
    """One model's facts (any id: a snapshot, a fine-tune `ft:BASE:org::id`)."""
    given = ctx.parent.params if ctx.parent else {}
    _show(model, output_format or given.get("output_format") or "text", sources or given.get("sources"),
          config_file or given.get("config_file"))


def _show(model: str | None, output_format: str, sources: bool, config_file: str | None) -> None:
    from ..check.model_table import table

    where = "."
    if model is not None and os.path.exists(model):  # `runlint models PATH`, as before MODEL came
        where, model = model, None
    settings = _resolver(config_file).settings_for(where)
    found = table(settings.models)
    synced = _synced(settings.synced_models)
    if model is not None:
        sys.exit(_one_model(found, synced, model, output_format))
    if output_format == "json":
        click.echo(_models_json(found))
    elif sources:
        click.echo(_models_sources(found))
    else:
        click.echo(_models_summary(found, synced))


def _resolver(config_file: str | None):
    from ..config import Resolver

    return Resolver(Path(config_file) if config_file else None)


def _synced(path):
    """The project's synced list, or None; a corrupt one is a configuration error (exit 2)."""
    from ..check.synced import SyncedFileError, load

    try:
        return load(path)
    except SyncedFileError as error:
        click.echo(f"runlint: bad configuration: {error}", err=True)
        sys.exit(EXIT_ERROR)


# -- the table, summed up ---------------------------------------------------------------------------
def _show_fact(value) -> str:
    if value is None:
        return "?"
    if isinstance(value, list):
        return "/".join(map(str, value)) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _tokens(value) -> str:
    """128000 -> 128K, 1050000 -> 1.05M: the summary's token counts."""
    if not isinstance(value, int) or isinstance(value, bool):
        return "?"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    for unit in (1000, 1024):  # 128,000 -> 128K; 16,384 -> 16K (the docs say so too)
        if value >= unit and value % unit == 0:
            return f"{value // unit}K"
    return f"{value:,}"


def _efforts(value) -> str:
    if isinstance(value, list) and len(value) > 2:
        return f"{value[0]}..{value[-1]}"
    return _show_fact(value)


def _family_lifecycle(models, family) -> list:
    return [models.lifecycles[m] for m in sorted(models.lifecycles) if models.find(m) is family]


def _models_summary(models, synced) -> str:
    """One line a family, in 100 columns: the facts people look up first; `runlint models MODEL`
    and --sources give the rest."""
    columns = ["family", "ids", "window", "output", "endpoints", "effort", "temp", "schema", "image"]
    rows = []
    for f in models.families:
        c = f.capabilities
        endpoints = c.get("endpoints")
        rows.append([f.name, str(len(f.ids)) if f.ids else "-", _tokens(c.get("context_window")),
                     _tokens(c.get("max_output_tokens")),
                     ",".join(_ENDPOINTS.get(e, e) for e in endpoints) if endpoints else "?",
                     _efforts(c.get("reasoning_effort")), _show_fact(c.get("temperature")), _show_fact(c.get("json_schema")),
                     _show_fact(c.get("image_input"))])
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [columns, *rows]]
    checked = models.checked.isoformat() if models.checked else "?"
    lines.append(f"\nModel facts checked {checked}. ? unknown: runlint says nothing about it. window: the context\n"
                 "window and output the most output tokens; effort: the reasoning efforts accepted; temp:\n"
                 "temperature; schema: Structured Outputs; image: image input. One model's facts: runlint\n"
                 "models MODEL; where each fact comes from: runlint models --sources.")
    if synced is not None:
        lines.append(f"Synced model list: {synced.path} ({len(synced.shutdowns)} ids the API key can use, synced "
                     f"{synced.synced_at.date().isoformat()} from {synced.base_url or '?'}).")
    else:
        lines.append("No synced model list: `runlint models sync` reads the models your API key can use.")
    ends = sorted(models.lifecycles.values(), key=lambda e: (e.shutdown, e.model))
    if ends:
        lines.append("\nmodel lifecycle (RL601): id, deprecated, shutdown, replacement")
        width = max(len(e.model) for e in ends)
        lines += [_fit(f"  {e.model:<{width}}  {e.deprecated.isoformat() if e.deprecated else '?':<10}  "
                       f"{e.shutdown.isoformat()}  {e.replacement or '?'}") for e in ends]
    return "\n".join(lines)


def _fit(line: str, width: int = 100) -> str:
    return line if len(line) <= width else line[:width - 3] + "..."


def _lifecycle_json(end) -> dict:
    return {"model": end.model, "deprecated": end.deprecated and end.deprecated.isoformat(),
            "shutdown": end.shutdown.isoformat(), "replacement": end.replacement, "source": end.source}


def _models_json(models) -> str:
    return json.dumps([{"name": f.name, "match": f.match, "ids": list(f.ids), "source": f.source, **f.capabilities,
                        "sources": f.sources, "lifecycle": [_lifecycle_json(e) for e in _family_lifecycle(models, f)]}
                       for f in models.families], indent=2)


def _models_sources(models) -> str:
    """Each family, its ids and where they come from, then each fact with its value and source."""
    lines = []
    for f in models.families:
        lines.append(f"{f.name}  ({', '.join(f.ids) or 'match ' + f.match})")
        lines.append(f"  ids: {f.source or 'no source given'}")
        width = max((len(k) for k in f.capabilities), default=0)
        for fact, value in f.capabilities.items():
            lines.append(f"  {fact:<{width}}  {_show_fact(value)}  <- {f.sources.get(fact, 'no source given')}")
        for constraint in f.constraints:
            taken = ", ".join(f"{name} {_show_fact(value)}" for name, value in constraint.facts)
            lines.append(f"  with {constraint.when_words()}: {taken}  <- {constraint.source}")
        for end in _family_lifecycle(models, f):
            lines.append(f"  {end.model}: shutdown {end.shutdown.isoformat()}  <- {end.source or 'no source given'}")
    return "\n".join(lines)


# -- one model --------------------------------------------------------------------------------------
def _one_model(models, synced, model: str, output_format: str) -> int:
    """Print what runlint knows of `model`; 1 when it knows nothing (no family matches)."""
    from ..check.families.models import typo_of

    family = models.find(model)
    end = models.lifecycle(model)
    listed = synced.has(model) if synced is not None else None
    api_shutdown = synced.shutdown(model) if synced is not None else None
    if output_format == "json":
        click.echo(json.dumps({
            "id": model, "family": family.name if family else None, "ids": list(family.ids) if family else [],
            "source": family.source if family else None, "facts": dict(family.capabilities) if family else {},
            "sources": dict(family.sources) if family else {},
            "constraints": [c.to_json() for c in family.constraints] if family else [],
            "lifecycle": _lifecycle_json(end) if end else None,
            "checked": models.checked.isoformat() if models.checked else None,
            "synced": None if synced is None else {
                "file": str(synced.path), "synced_at": synced.synced_at.isoformat().replace("+00:00", "Z"),
                "listed": listed, "shutdown_date": api_shutdown.isoformat() if api_shutdown else None}}, indent=2))
        return EXIT_CLEAN if family or listed else EXIT_FINDINGS
    lines = []
    if family is None:
        base = model.split(":")[1] if model.startswith("ft:") else model
        fix = None if models.names(base) else typo_of(base, models.known_ids())
        if end is not None:  # a retired id runlint checks nothing else of (tts-1, whisper-1)
            lines.append(f"{model}: runlint's table has no family for it, only its lifecycle")
        else:
            lines.append(f"{model}: runlint's table has no family for it" + (f"; did you mean `{fix}`?" if fix else
                         " (it may be newer than the table: add it under `models` in your configuration)"))
    else:
        base = f" (a fine-tune of {model.split(':')[1]})" if model.startswith("ft:") else ""
        lines.append(f"{model}{base}: family {family.name}")
        lines.append(f"  ids: {', '.join(family.ids) or 'match ' + family.match}")
        numbered: dict[str, int] = {}  # each source once, facts refer to it by number

        def ref(source: str | None) -> str:
            if not source:
                return "no source given"
            return f"[{numbered.setdefault(source, len(numbered) + 1)}]"

        lines.append(f"  ids from: {ref(family.source)}")
        width = max((len(k) for k in family.capabilities), default=0)
        shown = {fact: _show_fact(value) for fact, value in family.capabilities.items()}
        value_width = min(max((len(v) for v in shown.values()), default=0), 40)
        for fact, value in shown.items():
            lines.append(f"  {fact:<{width}}  {value:<{value_width}}  {ref(family.sources.get(fact))}")
        for constraint in family.constraints:  # facts that hold with one reasoning effort or endpoint
            taken = ", ".join(f"{name} {_show_fact(value)}" for name, value in constraint.facts)
            lines.append(f"  with {constraint.when_words()}: {taken}  {ref(constraint.source)}")
    if end is not None:
        announced = f", deprecated {end.deprecated.isoformat()}" if end.deprecated else ""
        lines.append(f"  lifecycle: shutdown {end.shutdown.isoformat()}{announced}"
                     f"{', replacement ' + end.replacement if end.replacement else ''}"
                     + (f"  {ref(end.source)}" if family is not None else f"  <- {end.source or '?'}"))
    if synced is None:
        lines.append("  API key: no synced model list (runlint models sync)")
    else:
        said = "can use it" if listed else "cannot use it (RL420)"
        shutdown = f"; the API says it shuts down {api_shutdown.isoformat()}" if api_shutdown else ""
        lines.append(f"  API key: {said}{shutdown} ({synced.path.name}, synced {synced.synced_at.date().isoformat()})")
    if family is not None and numbered:
        lines.append("  sources:")
        lines += [f"    [{number}] {source}" for source, number in numbered.items()]
    if models.checked:
        lines.append(f"  (model facts checked {models.checked.isoformat()})")
    click.echo("\n".join(lines))
    return EXIT_CLEAN if family or listed else EXIT_FINDINGS


# -- sync -------------------------------------------------------------------------------------------
@models.command("sync")
@click.option("--output", "output", type=click.Path(dir_okay=False),
              help="Write here instead of runlint.models.json at the project root (the configuration's folder, "
                   "else the current one).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              metavar="SECONDS", help="Seconds to wait for the API.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Write beside this configuration file instead of the nearest one.")
@_FORMAT
def sync(output, timeout, config_file, output_format) -> None:
    """Read the models your API key can use (GET /v1/models) into runlint.models.json.

    Uses OPENAI_API_KEY, OPENAI_BASE_URL (default https://api.openai.com/v1), and OPENAI_ORG_ID /
    OPENAI_PROJECT_ID when set. Commit the file: every run then checks model ids against it (RL420),
    with no network. On any failure the earlier file is left as it was (exit 2).
    """
    from datetime import datetime, timezone

    from ..check.synced import DEFAULT_BASE_URL, FILE_NAME, SyncError, fetch, public_url, render, write

    key = os.environ.get("OPENAI_API_KEY", "").strip()
    base_url = os.environ.get("OPENAI_BASE_URL", "").strip() or DEFAULT_BASE_URL
    try:
        if not key:
            raise SyncError("OPENAI_API_KEY is not set: the model list is the one your API key can use")
        if not all(33 <= ord(c) < 127 for c in key):
            raise SyncError("OPENAI_API_KEY holds characters an HTTP header cannot carry (a space, a quote "
                            "mark, a line break?)")
        path = Path(output) if output else _resolver(config_file).loaded_for(".").root / FILE_NAME
        found = fetch(base_url, key, timeout, os.environ.get("OPENAI_ORG_ID", "").strip() or None,
                      os.environ.get("OPENAI_PROJECT_ID", "").strip() or None)
        try:
            write(path, render(found, base_url, datetime.now(timezone.utc)))
        except OSError as error:
            raise SyncError(f"cannot write {path}: {error.strerror or error}") from None
    except SyncError as error:
        click.echo(f"runlint: models sync: {error}", err=True)
        sys.exit(EXIT_ERROR)
    shutdowns = sum(1 for d in found.values() if d)
    if output_format == "json":
        click.echo(json.dumps({"file": str(path), "base_url": public_url(base_url), "models": len(found),
                               "with_shutdown_date": shutdowns}, indent=2))
    else:
        click.echo(f"Wrote {len(found)} model ids ({shutdowns} with a shutdown date) from {public_url(base_url)} "
                   f"to {path}.")
