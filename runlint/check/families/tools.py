"""Tools a request names elsewhere: the tools `tool_choice` allows must be among those it defines;
Chat's deprecated `functions` moved to `tools` (RL221's fix)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..conditions import Context, Violation
from ...diagnostic import Edit, Fix, Range, Said
from . import check, fix

if TYPE_CHECKING:
    from ...source.document import Document


def _defined(value: dict) -> set[tuple[str, str]]:
    """(type, name) of every tool the request defines: Chat's `{function: {name}}` and `{custom:
    {name}}`, Responses' flat `name` (a namespace's tools too, and those an `additional_tools` input
    item adds) and an MCP server's `server_label`."""
    tools = list(value.get("tools") or []) if isinstance(value.get("tools"), list) else []
    if isinstance(value.get("input"), list):
        for item in value["input"]:
            if isinstance(item, dict) and item.get("type") == "additional_tools" and isinstance(item.get("tools"), list):
                tools += item["tools"]
    found: set[tuple[str, str]] = set()
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        if tool.get("type") == "namespace" and isinstance(tool.get("tools"), list):
            tools += [t for t in tool["tools"] if isinstance(t, dict)]
            continue
        name = _name(tool)
        if name is not None:
            found.add((tool.get("type"), name))
    return found


def _name(tool: dict) -> str | None:
    """A tool's (or an allowed tool's) identity: its name, or an MCP server's label."""
    kind = tool.get("type")
    if kind == "mcp":
        return tool.get("server_label") if isinstance(tool.get("server_label"), str) else None
    if kind in ("function", "custom"):
        inner = tool.get(kind)
        if isinstance(inner, dict):  # Chat Completions: {type: function, function: {name}}
            return inner.get("name") if isinstance(inner.get("name"), str) else None
        return tool.get("name") if isinstance(tool.get("name"), str) else None
    return None


@check(fields=("tool_choice",))
def allowed_tools_defined(value: Any, args: dict, context: Context) -> list[Violation]:
    """`tool_choice: {type: allowed_tools}` naming a function, custom tool or MCP server that the
    request's tools do not define. Responses lists them in `tool_choice.tools`, Chat Completions in
    `tool_choice.allowed_tools.tools`. Hosted tools (`{type: image_generation}`) are not checked:
    their type names vary (`web_search_preview` and its dated versions). A Responses request with a
    reusable `prompt` is not checked: the prompt may bring tools."""
    choice = value.get("tool_choice")
    if not isinstance(choice, dict) or choice.get("type") != "allowed_tools" or value.get("prompt") is not None:
        return []
    if isinstance(choice.get("tools"), list):
        at, allowed = ("tool_choice", "tools"), choice["tools"]
    elif isinstance(choice.get("allowed_tools"), dict) and isinstance(choice["allowed_tools"].get("tools"), list):
        at, allowed = ("tool_choice", "allowed_tools", "tools"), choice["allowed_tools"]["tools"]
    else:
        return []
    defined = _defined(value)
    found: list[Violation] = []
    for index, tool in enumerate(allowed):
        if not isinstance(tool, dict) or (name := _name(tool)) is None or (tool["type"], name) in defined:
            continue
        kind = tool["type"]
        where = at + (index,) + (("server_label",) if kind == "mcp" else (kind, "name") if isinstance(
            tool.get(kind), dict) else ("name",))
        same = sorted(n for k, n in defined if k == kind)
        what = Said({"mcp": "MCP server", "custom": "custom tool"}.get(kind, "function"))
        found.append((where, {"value": name, "what": what,
                              "choices": ", ".join(same) or "none"}))
    return found


# Responses input items whose `call_id` the description gives no maxLength (the others carry the
# API's 64 in the schema, reported by RL106): the same limit, said once, by RL213.
_CALL_ID_UNLIMITED = ("function_call", "custom_tool_call", "custom_tool_call_output", "computer_call",
                      "local_shell_call")


@check(fields=("input",))
def responses_call_id_length(value: Any, args: dict, context: Context) -> list[Violation]:
    """A Responses input item's `call_id` longer than the API takes (args: max). Only the item
    types whose schema states no limit: the API rejects the same length everywhere ("Invalid
    'input[95].call_id': string too long. Expected a string with maximum length 64")."""
    items = value.get("input")
    if not isinstance(items, list):
        return []
    found: list[Violation] = []
    for index, item in enumerate(items):
        if (isinstance(item, dict) and item.get("type") in _CALL_ID_UNLIMITED
                and isinstance(item.get("call_id"), str) and len(item["call_id"]) > args["max"]):
            found.append((("input", index, "call_id"), {"length": len(item["call_id"]), "max": args["max"],
                                                        "value": item["call_id"]}))
    return found


# -- fixes ------------------------------------------------------------------------------------------

def _wrapped(document: Document, path: tuple, column_of_block: int | None = None) -> list[Edit] | None:
    """The edits that make the mapping at `path` the `function` of `{type: function, function: ...}`."""
    from ...fix.actions import node_at

    entry = document.spans.get(path)
    if entry is None or not isinstance(node_at(document, path), dict):
        return None
    where = entry[0]
    lines = document.lines
    json_style = document.syntax == "json"
    if lines[where.line][where.column:where.column + 1] == "{":  # flow: wrapped in place
        head = '{"type": "function", "function": ' if json_style else "{type: function, function: "
        return [Edit(Range.point(where.line, where.column), head), Edit(Range.point(where.end_line, where.end_column), "}")]
    if json_style:
        return None
    column = where.column
    newline = "\r\n" if lines[where.line].endswith("\r") else "\n"
    edits = [Edit(Range.point(where.line, column),
                  f"type: function{newline}{' ' * column}function:{newline}{' ' * (column + 2)}")]
    for number in range(where.line + 1, where.end_line + 1):
        if lines[number].strip():
            edits.append(Edit(Range.point(number, 0), "  "))
    return edits


@fix
def functions_to_tools(document: Document, path: tuple, finding, args: dict) -> Fix | None:
    """RL221: `functions: [f, ...]` -> `tools: [{type: function, function: f}, ...]`, and
    `function_call` -> `tool_choice` (a `{name}` wrapped the same way; `auto` and `none` kept)."""
    from ...fix.actions import rename

    value = document.value
    if "tools" in value or "tool_choice" in value:
        return None
    edits: list[Edit] = []
    functions = value.get("functions")
    if functions is not None:
        if not isinstance(functions, list):
            return None
        rename_edit = rename(document, ("functions",), "tools")
        if rename_edit is None:
            return None
        edits += rename_edit.edits
        for index in range(len(functions)):
            wrapped = _wrapped(document, ("functions", index))
            if wrapped is None:
                return None
            edits += wrapped
    call = value.get("function_call")
    if call is not None:
        rename_edit = rename(document, ("function_call",), "tool_choice")
        if rename_edit is None:
            return None
        edits += rename_edit.edits
        if isinstance(call, dict):
            wrapped = _wrapped(document, ("function_call",))
            if wrapped is None:
                return None
            edits += wrapped
        elif call not in ("auto", "none"):
            return None
    if not edits:
        return None
    return Fix("Move `functions` to `tools` (and `function_call` to `tool_choice`)", tuple(edits))
