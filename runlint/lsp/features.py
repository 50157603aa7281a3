"""Hover, completion and code actions: what the editor asks about a position in a spec."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import date
from pathlib import Path

from lsprotocol import types

from ..check import schema_nav
from ..diagnostic import Diagnostic, Range
from ..source.document import load, load_json_text, syntax_of
from ..kinds import detect
from ..check.schema import load_schema
from . import cursor as cursors
from . import format_keys
from . import hovers
from . import cross_references
from . import promptfoo_keys
from .positions import buffer_position, lsp_range


def whole_first_line(text: str) -> Range:
    return Range(0, 0, 0, len(text.split("\n", 1)[0]))


def _value_at(value):
    return lambda path: cross_references.value_at(value, path)


# -- hover ---------------------------------------------------------------------------------------
def hover(document, position: types.Position, published: list[Diagnostic], linter, models=None) -> types.Hover | None:
    """The findings at the position first (each its own section, the most severe first), then the
    model id or function under it, then the field's description."""
    line, column = buffer_position(document, position)
    here = sorted((d for d in published if d.range.contains(line, column)), key=lambda d: -d.severity)
    parts = [hovers.finding(d, linter.catalog.rules.get(d.code)) for d in here]
    today = getattr(getattr(linter, "settings", None), "as_of", None) or date.today()
    declared = format_keys.format_of(document.path)
    promptfoo = promptfoo_keys.applies(document.path)
    if promptfoo:  # a promptfoo configuration: its own keys, and the model a provider id sends
        model = _promptfoo_model_at(document, line, column, models, today)
        field = promptfoo_keys.field_at(document.path, document.source, line, column)
    elif declared is not None:  # a GitHub Models prompt file, a Prompty file: the format's own keys
        model = _declared_model_at(declared, document, line, column, models, today)
        field = _declared_field_at(declared, document, line, column)
    else:
        model = _model_at(document, line, column, models, today) or _function_at(document, line, column)
        field = _field_at(document, line, column)
    if model is not None:
        parts.append(model[0])
    key_range = None
    if field is not None:
        path, described, key_range = field
        parts.append(f"**{'.'.join(map(str, path))}**\n\n{absolute_links(described)}")
    if not parts:
        return None
    lines = document.source.split("\n")
    key_range = key_range or (model[1] if model else None)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                    value=absolute_links("\n\n---\n\n".join(parts))),
                       range=lsp_range(lines, key_range) if key_range else None)


def _declared_model_at(declared, document, line: int, column: int, models, today: date) -> tuple[str, Range] | None:
    """The model id under the cursor in a format's file, looked up as the format sends it."""
    found = format_keys.model_at(declared, document.path, document.source, line, column)
    if found is None or models is None:
        return None
    model, where = found
    if model is None:
        return "another provider's model or a deployment name: runlint knows none of its facts", where
    return hovers.model(model, models.find(model), models, today), where


def _declared_field_at(declared, document, line: int, column: int) -> tuple[tuple, str, Range] | None:
    schema = format_keys.schema(declared.NAME)
    for parsed in format_keys.documents(declared, document.path, document.source):
        found = _described(parsed, line, column, lambda path: (schema, path, parsed.value))
        if found:
            return found
    return None



def _promptfoo_model_at(document, line: int, column: int, models, today: date) -> tuple[str, Range] | None:
    found = promptfoo_keys.model_at(document.path, document.source, line, column) if models is not None else None
    if found is None:
        return None
    model, where = found
    if model is None:
        return "a provider that is not OpenAI's: runlint checks only the configuration's own keys for it", where
    return hovers.model(model, models.find(model), models, today), where


def _model_at(document, line: int, column: int, models, today: date) -> tuple[str, Range] | None:
    """What the table says of the model id under the cursor (runlint/lsp/hovers.py writes it)."""
    if models is None:
        return None
    from .units import node_at, units

    for unit in units(document.path, document.source):
        path = node_at(unit, line, column)
        if path is None:
            continue
        where = unit.value_range(path)
        value = unit.value.get("model") if isinstance(unit.value, dict) else None
        if path != ("model",) or not isinstance(value, str) or where is None or not where.contains(line, column):
            return None
        return hovers.model(value, models.find(value), models, today), where
    return None


def _function_at(document, line: int, column: int) -> tuple[str, Range] | None:
    """On a name that chooses or calls a function: the tool it names, with its description."""
    from .units import node_at, units

    for unit in units(document.path, document.source):
        path = node_at(unit, line, column)
        places = cross_references.functions(unit.value) if path is not None else []
        here = next((p for p in places if p.path == path and not p.defines), None)
        where = unit.value_range(path) if here is not None else None
        if where is None:
            continue
        tools = [p for p in places if p.defines and p.name == here.name]
        if not tools:
            return f"function `{here.name}`: no tool of the request defines it", where
        tool = _value_at(unit.value)(tools[0].path[:-1])
        text = f"function `{here.name}`, defined at `{'.'.join(map(str, tools[0].path[:-1]))}`"
        if isinstance(tool, dict) and isinstance(tool.get("description"), str):
            text += f"\n\n{tool['description'].strip()}"
        return text, where
    return None


def _field_at(document, line: int, column: int) -> tuple[tuple, str, Range] | None:
    """(path, description, key range) of the field whose key is under the cursor, from the schema
    of its request's kind; in a batch file, from the envelope's or (under `body`) the url's kind's."""
    if syntax_of(document.path) == "jsonl":
        return _batch_field_at(document, line, column)
    for parsed in load(document.path, document.source, syntax_of(document.path)).documents:
        kind = detect(document.path, parsed.value)
        found = kind and _described(parsed, line, column, lambda path: (load_schema(kind.name), path, parsed.value))
        if found:
            return found
    return None


def _batch_field_at(document, line: int, column: int) -> tuple[tuple, str, Range] | None:
    from ..source.formats.batch import ENVELOPE, batch_data

    lines = document.source.removeprefix("\ufeff").split("\n")  # the checks' columns skip a BOM
    parsed = load_json_text(document.path, lines[line])[0] if line < len(lines) else []
    if not parsed or not isinstance(parsed[0].value, dict):
        return None
    request = parsed[0].value
    kind = batch_data().bodies.get(request.get("url"))

    def schema_for(path: tuple):
        if _fine_tuning(request):  # a fine-tuning example's keys (docs/formats/fine-tuning.md)
            return load_schema(FINE_TUNING_EXAMPLE), path, request
        if path[:1] != ("body",) or len(path) == 1:
            return load_schema(ENVELOPE.name), path, request
        return (load_schema(kind.name), path[1:], request.get("body")) if kind else None

    found = _described(parsed[0], 0, column, schema_for)
    if found is None:
        return None
    path, described, key = found
    return path, described, Range(line, key.column, line, key.end_column)


def _described(parsed, line: int, column: int, schema_for) -> tuple[tuple, str, Range] | None:
    """The field of `parsed` whose key is at (line, column), described by `schema_for(path)`:
    (schema, path in it, the value it is a path in), or None."""
    for path, (_where, key) in parsed.spans.items():
        if key is not None and key.contains(line, column) and (where := schema_for(path)) is not None:
            schema, inner, value = where
            described = schema_nav.description(schema, inner, _value_at(value))
            return (path, described, key) if described else None
    return None


# -- completion ----------------------------------------------------------------------------------
def completion(document, position: types.Position, models=None) -> types.CompletionList | None:
    line, column = buffer_position(document, position)
    syntax = syntax_of(document.path)
    declared = format_keys.format_of(document.path)
    if declared is not None:  # a format's own keys, in YAML (a Prompty file's front matter)
        found = cursors.find(format_keys.yaml_text(declared, document.source), line, column, "yaml")
        syntax = "yaml"
    else:
        found = cursors.find(document.source, line, column, syntax)
    if found is None:
        return None
    value = found.document.value
    if declared is not None:
        schema = format_keys.schema(declared.NAME)
    elif syntax == "jsonl":
        where = _in_batch_line(value, found.path)
        if where is None:
            return None
        schema, found.path, value = where
    elif promptfoo_keys.applies(document.path):
        schema = promptfoo_keys.schema()
    else:
        kind = detect(document.path, value)
        if kind is None:
            return None
        schema = load_schema(kind.name)
    value_at = _value_at(value)
    lines = document.source.split("\n")
    replace = lsp_range(lines, Range(line, found.start, line, max(found.end, column)))
    json_text = syntax in ("json", "jsonl")
    items: list[types.CompletionItem] = []

    def item(label: str, new_text: str, **more) -> types.CompletionItem:
        return types.CompletionItem(label=label, text_edit=types.TextEdit(range=replace, new_text=new_text),
                                    filter_text=new_text.rstrip(": ") if found.quoted else label, **more)

    if found.in_value:
        path = found.path
        described: dict = {}
        if cross_references.is_choice(path):
            choices = list(dict.fromkeys(p.name for p in cross_references.functions(value) if p.defines))
            described = {name: "function" for name in choices}
        elif len(path) == 3 and path[0] == "messages" and path[2] == "tool_call_id" and isinstance(path[1], int):
            choices = cross_references.call_ids_before(value, path[1])
            described = {name: "a call of an earlier assistant message" for name in choices}
        elif promptfoo_keys.is_provider_id(path):
            choices = promptfoo_keys.model_choices(path, models)
        else:
            choices = schema_nav.values(schema, path, value_at)
            if declared is not None:
                choices = choices or format_keys.model_choices(declared, tuple(path), models)
                ids = {c: c.split("/", 1)[-1] for c in choices if isinstance(c, str)}
                described = {c: summary for c, model in ids.items() if models is not None
                             if (summary := model_summary(models.find(model)))}
            elif path[-1:] == ("model",) and models is not None:
                described = {c: summary for c in choices if isinstance(c, str)
                             if (summary := model_summary(models.find(c)))}
        for choice in choices:
            if choice is None:
                continue
            label = json.dumps(choice) if isinstance(choice, bool) else str(choice)
            if json_text or (found.quoted and isinstance(choice, str)):
                new_text = json.dumps(choice)
            else:
                new_text = label
            items.append(item(label, new_text, kind=types.CompletionItemKind.EnumMember,
                              detail=described.get(choice)))
    else:
        present = value_at(found.path)
        present = set(present) if isinstance(present, dict) else set()
        present.discard(cursors.MARK)
        required = schema_nav.required(schema, found.path, value_at)
        for name, sub in schema_nav.properties(schema, found.path, value_at).items():
            if name in present:
                continue
            items.append(item(
                name, (json.dumps(name) if found.quoted else name) + ": ", kind=types.CompletionItemKind.Field,
                detail="required" if name in required else None,
                sort_text=("0" if name in required else "1") + name,
                documentation=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                  value=absolute_links((sub.get("description") or schema_nav.description(
                                                      schema, found.path + (name,), value_at) or "").strip()))))
    return types.CompletionList(is_incomplete=False, items=items)


FINE_TUNING_EXAMPLE = "fine-tuning-example"  # schemas/fine-tuning-example.schema.json: keys and their descriptions


def _fine_tuning(line) -> bool:
    """A JSONL line that is a fine-tuning example, not a batch request: its keys are described by
    the fine-tuning example's schema."""
    from ..source.formats.batch import is_batch_line
    from ..source.formats.fine_tuning import is_example

    return is_example(line) and not is_batch_line(line)


def _in_batch_line(line: dict, path: tuple) -> tuple[dict, tuple, dict] | None:
    """(schema, path, value) for a place in a batch line: the envelope's, or under `body` the
    request's of the line's url."""
    from ..source.formats.batch import ENVELOPE, batch_data

    if not isinstance(line, dict):
        return None
    if _fine_tuning(line):
        return load_schema(FINE_TUNING_EXAMPLE), path, line
    if path[:1] != ("body",):
        return load_schema(ENVELOPE.name), path, line
    kind = batch_data().bodies.get(line.get("url"))
    body = line.get("body")
    if kind is None or not isinstance(body, dict):
        return None
    return load_schema(kind.name), path[1:], body


def model_summary(family) -> str | None:
    """One line of what a model family accepts, from whatever fields the table has."""
    if family is None:
        return None
    parts = []
    for name, value in model_fields(family).items():
        if value is True:
            parts.append(name)
        elif isinstance(value, list) and value:
            parts.append(f"{name} {'/'.join(map(str, value))}")
        elif value not in (False, None, [], {}) and not isinstance(value, dict):
            parts.append(f"{name} {value}")
    return f"{family.name}: " + ", ".join(parts)


def model_fields(family) -> dict:
    """Every fact of a family, capabilities flattened in (the table grows columns, and they show
    without a change here); not its name, pattern, ids or sources, which are no facts."""
    fields: dict = {}
    if dataclasses.is_dataclass(family):
        items = [(f.name, getattr(family, f.name)) for f in dataclasses.fields(family)]
    else:
        items = list(getattr(family, "__dict__", {}).items())
    for name, value in items:
        if name in ("name", "match", "ids", "source", "sources") or name.startswith("_"):
            continue
        if name == "capabilities" and isinstance(value, dict):
            fields.update(value)
        else:
            fields[name] = value
    return fields


_RELATIVE_LINK = re.compile(r"\]\((/docs/[^)\s]*)\)")


def absolute_links(text: str) -> str:
    """OpenAI's descriptions link to their own site by path: `[Model](/docs/models)`."""
    return _RELATIVE_LINK.sub(r"](https://platform.openai.com\1)", text)


# -- code actions --------------------------------------------------------------------------------
_DISABLE = re.compile(r"#\s*runlint:\s*disable=([A-Za-z0-9_,\- ]+)\s*$")


FIX_ALL = "source.fixAll.runlint"


def _asked(kind: str, only: list[str] | None) -> bool:
    """Whether a code action of `kind` is among those the client asks for (`only`: kinds or their
    parents, `source.fixAll` covering `source.fixAll.runlint`)."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def code_actions(document, params: types.CodeActionParams, published: list[Diagnostic],
                 linter=None, *, open_uris=(), creates_files: bool = False) -> list[types.CodeAction]:
    only = params.context.only
    actions = []
    if only is not None and linter is not None and _asked(FIX_ALL, only):
        fix_all = fix_all_action(document, linter)
        actions += [fix_all] if fix_all is not None else []
    if _asked(types.CodeActionKind.QuickFix, only):
        actions += quick_fixes(document, params, published)
    if linter is not None and creates_files:
        move = migrate_action(document, params, published, linter, open_uris)
        actions += [move] if move is not None else []
    return actions


MIGRATE_TITLE = "Move this spec to the Responses API"
_migrated: dict = {}  # the last migration, by (uri, version, hash of the text, linter)


def migrate_action(document, params: types.CodeActionParams, published: list[Diagnostic], linter,
                   open_uris=()) -> types.CodeAction | None:
    """`runlint migrate --write` as an edit: a new NAME.response.yaml next to the spec, holding the text
    `runlint migrate` prints. On RL600's finding, a quick fix; asked for refactorings, `refactor.rewrite`.
    None when the file to make exists (on disk or as an open buffer) or nothing could be migrated. The
    spec is only read (runlint's loader, then ruamel.yaml's round-trip reader, which builds no objects
    from tags): nothing in it is run."""
    only = params.context.only
    lines = document.source.split("\n")
    on_finding = [d for d in published if d.code == "RL600"
                  and _overlaps(lsp_range(lines, d.range), params.range)]
    if on_finding and _asked(types.CodeActionKind.QuickFix, only):
        kind = types.CodeActionKind.QuickFix
    elif _asked(types.CodeActionKind.RefactorRewrite, only):
        kind = types.CodeActionKind.RefactorRewrite
    else:
        return None
    from ..migrate import migrate_text
    from ..migrate.command import target_name

    target = target_name(document.path, ".response")
    if os.path.normcase(os.path.abspath(target)) == os.path.normcase(os.path.abspath(document.path)):
        return None
    target_uri = Path(os.path.abspath(target)).as_uri()
    if os.path.lexists(target) or target_uri in open_uris:
        return None  # never over a file that is there: `migrate --write` asks for --force
    key = (document.uri, document.version, hash(document.source), linter)
    migration = _migrated.get(key)
    if migration is None:  # the editor asks on each move of the cursor: once per text
        migration = migrate_text(document.source, document.path, linter)
        _migrated.clear()
        _migrated[key] = migration
    if migration.skipped or migration.text is None:
        return None
    start = types.Position(line=0, character=0)
    edit = types.WorkspaceEdit(document_changes=[
        types.CreateFile(uri=target_uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False)),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=target_uri, version=None),
            edits=[types.TextEdit(range=types.Range(start=start, end=start), new_text=migration.text)])])
    diagnostics = None
    if kind == types.CodeActionKind.QuickFix:
        wanted = [d for d in params.context.diagnostics if d.source == "runlint" and d.code == "RL600"]
        diagnostics = wanted or None
    return types.CodeAction(title=f"{MIGRATE_TITLE} ({os.path.basename(target)})", kind=kind,
                            diagnostics=diagnostics, edit=edit)


def fix_all_action(document, linter) -> types.CodeAction | None:
    """Every safe fix in the document (what `runlint check --fix` does to the file), as one edit
    of the span that changes: for editor.codeActionsOnSave, Neovim's fix-all, the Fix all command."""
    from ..source.document import lone_cr_as_lf
    from ..fix.apply import fix_bytes

    source = document.source
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    body = source[len(bom):]
    fixed = fix_bytes(linter, body.encode("utf-8", "surrogatepass"), document.path)
    if not fixed.applied or not fixed.changed:
        return None
    new = fixed.data.decode("utf-8")
    start = 0
    limit = min(len(body), len(new))
    while start < limit and body[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and body[len(body) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    text = lone_cr_as_lf(source)
    where = Range.of_offsets(text, len(bom) + start, len(bom) + len(body) - end)
    edit = types.TextEdit(range=lsp_range(text.split("\n"), where), new_text=new[start:len(new) - end])
    count = len(fixed.applied)
    return types.CodeAction(title=f"runlint: fix all ({count} safe fix{'' if count == 1 else 'es'})",
                            kind=FIX_ALL, edit=types.WorkspaceEdit(changes={document.uri: [edit]}))


def quick_fixes(document, params: types.CodeActionParams, published: list[Diagnostic]) -> list[types.CodeAction]:
    lines = document.source.split("\n")
    uri = params.text_document.uri
    wanted = {(d.code, _key(d.range)) for d in params.context.diagnostics if d.source == "runlint"}
    actions = []
    for diagnostic in published:
        lsp = lsp_range(lines, diagnostic.range)
        if wanted and (diagnostic.code, _key(lsp)) not in wanted:
            continue
        if not wanted and not _overlaps(lsp, params.range):
            continue
        fix = diagnostic.fix
        if fix is not None and fix.edits:  # (a byte order mark is the editor's: no quick fix removes it)
            edits = [types.TextEdit(range=lsp_range(lines, e.range), new_text=e.new_text) for e in fix.edits]
            safe = fix.applicability == "safe"
            actions.append(types.CodeAction(title=fix.title if safe else f"{fix.title} (unsafe: check the result)",
                                            kind=types.CodeActionKind.QuickFix,
                                            is_preferred=safe, edit=types.WorkspaceEdit(changes={uri: edits})))
        if syntax_of(document.path) == "yaml":
            actions.append(_ignore_here(uri, lines, diagnostic))
    return actions


def _ignore_here(uri: str, lines: list[str], diagnostic: Diagnostic) -> types.CodeAction:
    number = diagnostic.range.line
    text = lines[number] if number < len(lines) else ""
    existing = _DISABLE.search(text)
    if existing:  # add the code to the comment already there
        end = existing.start(1) + len(existing.group(1).rstrip())
        where, new_text = Range(number, end, number, end), f",{diagnostic.code}"
    else:
        end = len(text.rstrip())
        where, new_text = Range(number, end, number, len(text)), f"  # runlint: disable={diagnostic.code}"
    where = lsp_range(lines, where)
    return types.CodeAction(title=f"Ignore {diagnostic.code} ({diagnostic.name}) on this line",
                            kind=types.CodeActionKind.QuickFix,
                            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=where, new_text=new_text)]}))


def _key(r: types.Range) -> tuple:
    return (r.start.line, r.start.character, r.end.line, r.end.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return not ((a.end.line, a.end.character) < (b.start.line, b.start.character)
                or (b.end.line, b.end.character) < (a.start.line, a.start.character))
