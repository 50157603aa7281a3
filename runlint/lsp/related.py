"""What a finding tells the editor beyond its range: tags (deprecated, unnecessary) and the other
places it is about (the first use of a reused custom_id, the other function of a duplicate name,
the calls a tool message could have answered)."""

from __future__ import annotations

import json

from lsprotocol import types

from ..diagnostic import Diagnostic, Range
from ..source.document import load_json_text
from . import cross_references
from .positions import lsp_range
from .units import Unit, units

WITH_RELATED = frozenset({"RL204", "RL222", "RL700"})
_TAGS = {"deprecated": types.DiagnosticTag.Deprecated, "unnecessary": types.DiagnosticTag.Unnecessary}


def tags(rule) -> list[types.DiagnosticTag] | None:
    """The editor's tags of a finding: its rule file's `tags` (deprecated fields, retired APIs and
    models: `deprecated`; settings that do nothing: `unnecessary`)."""
    if rule is None or not rule.tags:
        return None
    return [_TAGS[tag] for tag in rule.tags]


class Related:
    """Reads the buffer once, and only when a finding needs it."""

    def __init__(self, uri: str, path: str, text: str, lines: list[str]):
        self.uri, self.path, self.text, self.lines = uri, path, text, lines
        self._units: list[Unit] | None = None

    def units(self) -> list[Unit]:
        if self._units is None:
            self._units = list(units(self.path, self.text))
        return self._units

    def unit_at(self, line: int) -> Unit | None:
        for unit in self.units():
            whole = (unit.envelope_spans or unit.spans).get(())
            if whole and whole[0].line <= line <= whole[0].end_line:
                return unit
        return None

    def info(self, diagnostic: Diagnostic) -> list[types.DiagnosticRelatedInformation] | None:
        if diagnostic.code not in WITH_RELATED:
            return None
        try:
            found = getattr(self, "_" + diagnostic.code.lower())(diagnostic)
        except Exception:  # noqa: BLE001 - extra information is never worth a lost finding
            return None
        return found or None

    def _where(self, unit: Unit, path: tuple, message: str) -> types.DiagnosticRelatedInformation | None:
        entry = unit.spans.get(path)
        if entry is None:
            return None
        return types.DiagnosticRelatedInformation(
            location=types.Location(uri=self.uri, range=lsp_range(self.lines, entry[0])), message=message)

    def _body_path(self, unit: Unit, diagnostic: Diagnostic) -> tuple:
        path = diagnostic.path
        return path[1:] if unit.envelope is not None and path[:1] == ("body",) else path

    def _rl204(self, diagnostic: Diagnostic):
        unit = self.unit_at(diagnostic.range.line)
        if unit is None:
            return None
        path = self._body_path(unit, diagnostic)
        places = [p for p in cross_references.functions(unit.value) if p.defines]
        here = next((p for p in places if p.path == path), None)
        if here is None:
            return None
        return [info for p in places if p.name == here.name and p.path != path
                if (info := self._where(unit, p.path, f"`{p.name}` is also defined here"))]

    def _rl222(self, diagnostic: Diagnostic):
        unit = self.unit_at(diagnostic.range.line)
        if unit is None:
            return None
        path = self._body_path(unit, diagnostic)
        if len(path) < 2 or not isinstance(path[1], int):
            return None
        calls = [p for p in cross_references.calls(unit.value) if p.defines and p.path[0] == "messages" and p.path[1] < path[1]]
        return [info for p in calls if (info := self._where(unit, p.path, f"an earlier call: `{p.name}`"))]

    def _rl700(self, diagnostic: Diagnostic):
        line = diagnostic.range.line
        lines = self.text.removeprefix("\ufeff").split("\n")
        custom_id = json.loads(lines[line]).get("custom_id")
        needle = json.dumps(custom_id)[1:-1] if isinstance(custom_id, str) else str(custom_id)
        for number in range(line):
            if needle not in lines[number]:
                continue  # most lines: not even the text of the id
            try:
                value = json.loads(lines[number])
            except ValueError:
                continue
            if isinstance(value, dict) and value.get("custom_id") == custom_id:
                documents, _ = load_json_text(self.path, lines[number])
                where = documents[0].spans.get(("custom_id",)) if documents else None
                if where:
                    at = Range(number, where[0].column, number, where[0].end_column)
                    return [types.DiagnosticRelatedInformation(
                        location=types.Location(uri=self.uri, range=lsp_range(self.lines, at)),
                        message=f"first used on line {number + 1}")]
        return None
