"""Go to definition, find references and rename, inside one request: function names (a tool and
every place that names it), tool calls (a call and the messages that answer it), and `$ref`s (the
`$defs` entry they point to)."""

from __future__ import annotations

import re

from lsprotocol import types

from ..diagnostic import Range
from . import cross_references
from .positions import buffer_position, lsp_range
from .units import Unit, inside_quotes, node_at, units

FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what the API accepts as a function's name


def _target(document, position: types.Position):
    """(unit, the path under the cursor) or None."""
    line, column = buffer_position(document, position)
    for unit in units(document.path, document.source):
        path = node_at(unit, line, column)
        if path is not None:
            return unit, path
    return None


def _group(unit: Unit, path: tuple) -> list[cross_references.Place] | None:
    """The places that share a name with the one at `path`: its function or its tool call."""
    for places in (cross_references.functions(unit.value), cross_references.calls(unit.value)):
        here = next((p for p in places if p.path == path), None)
        if here is not None:
            return [p for p in places if p.name == here.name]
    return None


def _location(uri: str, lines: list[str], where: Range | None) -> types.Location | None:
    return types.Location(uri=uri, range=lsp_range(lines, where)) if where is not None else None


def definition(document, position: types.Position) -> list[types.Location] | None:
    found = _target(document, position)
    if found is None:
        return None
    unit, path = found
    lines = document.source.split("\n")
    if path[-1:] == ("$ref",):
        target = cross_references.ref_target(unit.spans, path, cross_references.value_at(unit.value, path))
        if target is None:
            return None
        return [_location(document.uri, lines, unit.key_range(target) or unit.value_range(target))]
    group = _group(unit, path)
    if not group:
        return None
    defining = [p for p in group if p.defines]
    if path[0] == "messages" and defining:  # a tool message answers a call made before it
        defining = [p for p in defining if p.path[1] < path[1]] or defining
    return [loc for p in defining if (loc := _location(document.uri, lines, unit.value_range(p.path)))] or None


def references(document, position: types.Position, include_declaration: bool) -> list[types.Location] | None:
    found = _target(document, position)
    if found is None:
        return None
    unit, path = found
    lines = document.source.split("\n")
    group = _group(unit, path)
    if group is not None:
        return [loc for p in group if include_declaration or not p.defines
                if (loc := _location(document.uri, lines, unit.value_range(p.path)))]
    # a `$defs` entry (its key, or a `$ref` to it): every `$ref` to it
    if path[-1:] == ("$ref",):
        path = cross_references.ref_target(unit.spans, path, cross_references.value_at(unit.value, path)) or path
    uses = [p for p, ref in cross_references.refs(unit.value) if cross_references.ref_target(unit.spans, p, ref) == path]
    if not uses:
        return None
    found = [_location(document.uri, lines, unit.value_range(p)) for p in uses]
    if include_declaration:
        found.insert(0, _location(document.uri, lines, unit.key_range(path) or unit.value_range(path)))
    return [loc for loc in found if loc]


def _renamable(document, position: types.Position):
    """(unit, path, the places of the name) when the cursor is on a function name: only those are
    renamed."""
    found = _target(document, position)
    if found is None:
        return None
    unit, path = found
    group = _group(unit, path)
    if not group or group[0] not in cross_references.functions(unit.value):
        return None
    return unit, path, group


def prepare_rename(document, position: types.Position) -> types.PrepareRenamePlaceholder | None:
    found = _renamable(document, position)
    if found is None:
        return None
    unit, path, group = found
    lines = document.source.split("\n")
    where = inside_quotes(lines, unit.value_range(path))
    return types.PrepareRenamePlaceholder(range=lsp_range(lines, where), placeholder=group[0].name)


def rename(document, position: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    found = _renamable(document, position)
    if found is None:
        return None
    unit, _path, group = found
    if not FUNCTION_NAME.match(new_name):
        raise ValueError(f"`{new_name}` is not a function name the API accepts: letters, digits, `_` and `-`, "
                         "at most 64")
    lines = document.source.split("\n")
    edits = [types.TextEdit(range=lsp_range(lines, inside_quotes(lines, where)), new_text=new_name)
             for p in group if (where := unit.value_range(p.path)) is not None]
    return types.WorkspaceEdit(changes={document.uri: edits})
