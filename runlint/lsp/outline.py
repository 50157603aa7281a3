"""The outline (document symbols): a request's top-level fields, with its messages or input items
(by role, with the start of their text), its tools (by name) and its schemas (by name) inside; in a
batch file, one symbol per request, named by its `custom_id`."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from ..diagnostic import Range, shorten
from .positions import lsp_range
from .units import Unit, units

K = types.SymbolKind
_KIND = {"model": K.Constant, "instructions": K.String, "messages": K.Array, "input": K.Array,
         "additional_messages": K.Array, "tools": K.Array, "response_format": K.Struct, "text": K.Struct}
SHOWN = 48  # characters of a message's text in its symbol


def symbols(document) -> list[types.DocumentSymbol]:
    lines = document.source.split("\n")
    found = []
    for unit in units(document.path, document.source):
        if unit.envelope is None:
            found += _request(unit, lines)
            continue
        envelope_spans = unit.envelope_spans
        whole = envelope_spans.get(())
        if whole is None:
            continue
        custom_id = unit.envelope.get("custom_id")
        name = str(custom_id) if custom_id not in (None, "") else f"line {unit.line + 1}"
        selection = (envelope_spans.get(("custom_id",)) or (whole[0], None))[0]
        body = unit.value if isinstance(unit.value, dict) else {}
        detail = " ".join(str(x) for x in (unit.envelope.get("url"), body.get("model")) if x)
        found.append(types.DocumentSymbol(name=name, detail=detail or None, kind=K.Object,
                                          range=lsp_range(lines, whole[0]), selection_range=lsp_range(lines, selection),
                                          children=_request(unit, lines) or None))
    return found


def _request(unit: Unit, lines: list[str]) -> list[types.DocumentSymbol]:
    value = unit.value
    if not isinstance(value, dict):
        return []
    out = []
    for key, item in value.items():
        children = None
        detail = None
        if key in ("messages", "additional_messages", "input") and isinstance(item, list):
            children = [_symbol(unit, lines, (key, i), _item_name(m, i), _text_start(m), K.Object)
                        for i, m in enumerate(item)]
        elif key == "tools" and isinstance(item, list):
            children = [_symbol(unit, lines, (key, i), _tool_name(t, i), t.get("type") if isinstance(t, dict) else None,
                                K.Function) for i, t in enumerate(item)]
        elif key in ("response_format", "text") and isinstance(item, dict):
            holder = (key, "json_schema") if key == "response_format" else (key, "format")
            schema = item.get(holder[1])
            if isinstance(schema, dict) and isinstance(schema.get("name"), str):
                children = [_symbol(unit, lines, holder, schema["name"], "schema", K.Struct)]
        if key == "input" and isinstance(item, str) or key in ("model", "instructions") and isinstance(item, str):
            detail = _short(item)
        symbol = _symbol(unit, lines, (key,), str(key), detail, _KIND.get(key, K.Field))
        if symbol is None:
            continue
        symbol.children = [c for c in children or [] if c is not None] or None
        out.append(symbol)
    return out


def _symbol(unit: Unit, lines, path: tuple, name: str, detail: str | None, kind) -> types.DocumentSymbol | None:
    entry = unit.spans.get(path)
    if entry is None:
        return None
    value_range, key_range = entry
    start = key_range or value_range
    whole = Range(start.line, start.column, value_range.end_line, value_range.end_column)
    return types.DocumentSymbol(name=name or "(empty)", detail=detail, kind=kind, range=lsp_range(lines, whole),
                                selection_range=lsp_range(lines, start))


def _item_name(item: Any, index: int) -> str:
    if isinstance(item, dict):
        return str(item.get("role") or item.get("type") or index)
    return str(index)


def _tool_name(tool: Any, index: int) -> str:
    if not isinstance(tool, dict):
        return str(index)
    function = tool.get("function")
    name = function.get("name") if isinstance(function, dict) else tool.get("name")
    return str(name or tool.get("type") or index)


def _text_start(item: Any) -> str | None:
    if isinstance(item, str):
        return _short(item)
    if not isinstance(item, dict):
        return None
    content = item.get("content")
    if isinstance(content, str):
        return _short(content)
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                return _short(part["text"])
    if isinstance(item.get("tool_calls"), list):
        names = [c.get("function", {}).get("name") for c in item["tool_calls"] if isinstance(c, dict)
                 and isinstance(c.get("function"), dict)]
        return "calls " + ", ".join(str(n) for n in names)
    for key in ("output", "name", "call_id"):
        if isinstance(item.get(key), str):
            return _short(item[key])
    return None


def _short(text: str) -> str:
    return shorten(" ".join(text.split()), SHOWN)  # one line: a symbol's name has no line breaks
